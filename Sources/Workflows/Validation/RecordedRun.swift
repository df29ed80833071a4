import ServingModel
import Foundation

/// A real serving run recorded by vLLM's benchmark harness (the `bench/examples/<GPU>/<model>/`
/// layout of the real_vllm measurements, README "Replaying real GPU runs"): per-request timestamps in
/// `vllm/requests.jsonl`, engine arguments in `vllm/meta.json`, the GPU in `config.json`.
///
/// Times are seconds on the engine clock; arrival is `queued_ts` (after tokenisation), so a
/// replay adds no request overhead. TTFT = first_token_ts - queued_ts; TPOT = (last_token_ts -
/// first_token_ts) / (output_toks - 1); E2E = last_token_ts - queued_ts.
public struct RecordedRun: Sendable {
    public struct Request: Sendable, Equatable {
        /// Seconds after the first request's arrival.
        public var arrival: Double
        public var promptTokens: Int
        public var outputTokens: Int
        public var ttft: Double
        public var tpot: Double
        public var e2e: Double
    }

    public var name: String
    public var requests: [Request]
    /// vLLM `max_num_seqs` and `max_num_batched_tokens`.
    public var maxNumSeqs: Int
    public var maxBatchedTokens: Int
    /// KV cache capacity in tokens when the run recorded it (`kv_cache.num_kv_tokens`).
    public var kvCacheTokens: Int?
    /// GPU name from config.json (`hardware`), e.g. "RTXPRO6000".
    public var gpu: String
    /// GPU memory (bytes) and memory utilisation from config.json, for a KV estimate.
    public var gpuMemoryBytes: Double
    public var gpuMemoryUtilization: Double
    /// The served model's Hugging Face id (meta.json `model`, else engine_kwargs.model).
    public var modelName: String
    /// Parallelism and formats from engine_kwargs (`tensor_parallel_size`, `data_parallel_size`,
    /// `enable_expert_parallel`, `quantization`, `kv_cache_dtype`; absent ones at vLLM's defaults).
    public var tensorParallel: Int = 1
    public var dataParallel: Int = 1
    public var expertParallel = false
    public var quantization: String?
    public var kvCacheDtype = "auto"
    /// vLLM's version from meta.json ("" when absent).
    public var vllmVersion = ""

    /// Loads a run from its folder (the one holding `config.json` and `vllm/`), or from the path of
    /// its `requests.jsonl`.
    public static func load(path: String) throws -> RecordedRun {
        var folder = path
        if path.hasSuffix(".jsonl") {
            folder = FilePath.folder(of: FilePath.folder(of: path))
        }
        let requestsPath = folder + "/vllm/requests.jsonl"
        func json(_ file: String) throws -> [String: Any] {
            guard let data = FileManager.default.contents(atPath: file) else {
                throw InputError(file: file, "cannot read the file", allowed: "a recorded run: config.json, vllm/meta.json, vllm/requests.jsonl")
            }
            guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
                throw InputError(file: file, "is not a JSON object")
            }
            return object
        }
        let meta = try json(folder + "/vllm/meta.json")
        let config = try json(folder + "/config.json")
        let engine = meta["engine_kwargs"] as? [String: Any] ?? [:]
        guard let maxSeqs = (engine["max_num_seqs"] as? NSNumber)?.intValue,
              let maxTokens = (engine["max_num_batched_tokens"] as? NSNumber)?.intValue else {
            throw InputError(file: folder + "/vllm/meta.json", path: "engine_kwargs", "max_num_seqs or max_num_batched_tokens is missing")
        }
        guard (1...65_536).contains(maxSeqs), (1...10_000_000).contains(maxTokens) else {
            throw InputError(file: folder + "/vllm/meta.json", path: "engine_kwargs",
                             "max_num_seqs \(maxSeqs) or max_num_batched_tokens \(maxTokens) is out of range",
                             allowed: "max_num_seqs 1 to 65536, max_num_batched_tokens 1 to 10000000, as in a scenario")
        }
        let kv = ((meta["kv_cache"] as? [String: Any])?["num_kv_tokens"] as? NSNumber)?.intValue
        let instance = ((config["nodes"] as? [[String: Any]])?.first?["instances"] as? [[String: Any]])?.first ?? [:]
        let gpu = instance["hardware"] as? String ?? "unknown"
        let npu = instance["npu_mem"] as? [String: Any] ?? [:]
        let memory = ((npu["mem_size"] as? NSNumber)?.doubleValue ?? 0) * 1e9
        let utilization = (npu["mem_util"] as? NSNumber)?.doubleValue ?? 0.9

        guard let text = try? String(contentsOfFile: requestsPath, encoding: .utf8) else {
            throw InputError(file: requestsPath, "cannot read the file")
        }
        var raw: [(queued: Double, first: Double, last: Double, input: Int, output: Int)] = []
        var problems: [Diagnostic] = []
        for (i, line) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated()
        where !line.trimmingCharacters(in: .whitespaces).isEmpty {
            guard let o = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                  let q = (o["queued_ts"] as? NSNumber)?.doubleValue, let f = (o["first_token_ts"] as? NSNumber)?.doubleValue,
                  let l = (o["last_token_ts"] as? NSNumber)?.doubleValue, let input = (o["input_toks"] as? NSNumber)?.intValue,
                  let output = (o["output_toks"] as? NSNumber)?.intValue, input >= 1, output >= 1 else {
                problems.append(Diagnostic(file: requestsPath, path: "line \(i + 1)",
                                           message: "not a request record",
                                           allowed: "queued_ts, first_token_ts, last_token_ts, input_toks >= 1, output_toks >= 1"))
                continue
            }
            raw.append((q, f, l, input, output))
        }
        if !problems.isEmpty { throw InputError(Array(problems.prefix(20))) }
        guard let start = raw.map(\.queued).min() else { throw InputError(file: requestsPath, "has no requests") }
        let requests = raw.sorted { $0.queued < $1.queued }.map { r in
            Request(arrival: r.queued - start, promptTokens: r.input, outputTokens: r.output, ttft: r.first - r.queued,
                    tpot: r.output > 1 ? (r.last - r.first) / Double(r.output - 1) : 0, e2e: r.last - r.queued)
        }
        let name = (folder as NSString).lastPathComponent == "Llama-3.1-8B"
            ? (FilePath.folder(of: folder) as NSString).lastPathComponent : (folder as NSString).lastPathComponent
        let model = meta["model"] as? String ?? engine["model"] as? String ?? instance["model_name"] as? String ?? "unknown"
        var run = RecordedRun(name: name, requests: requests, maxNumSeqs: maxSeqs, maxBatchedTokens: maxTokens,
                              kvCacheTokens: kv, gpu: gpu, gpuMemoryBytes: memory, gpuMemoryUtilization: utilization, modelName: model)
        run.tensorParallel = (engine["tensor_parallel_size"] as? NSNumber)?.intValue ?? (instance["tp_size"] as? NSNumber)?.intValue ?? 1
        run.dataParallel = (engine["data_parallel_size"] as? NSNumber)?.intValue ?? 1
        run.expertParallel = (engine["enable_expert_parallel"] as? Bool) ?? false
        run.quantization = engine["quantization"] as? String
        run.kvCacheDtype = engine["kv_cache_dtype"] as? String ?? "auto"
        run.vllmVersion = meta["vllm_version"] as? String ?? ""
        return run
    }

    /// The ServeSim preset of the served model with the run's weight and KV formats, nil when
    /// none matches (`ModelSpec.preset(huggingFace:)`).
    public var modelPreset: ModelSpec? {
        guard var model = ModelSpec.preset(huggingFace: modelName) else { return nil }
        if let q = quantization, let format = GEMMFormat(rawValue: q.replacingOccurrences(of: "_", with: "-")) {
            model = model.withWeights(format)
        }
        if kvCacheDtype.hasPrefix("fp8") { model = model.withKVCache(.fp8) }
        return model
    }

    /// The ServeSim hardware preset of the run's GPU, when there is one.
    public var hardwarePreset: HardwareSpec? { Self.hardware(forGPU: gpu) }

    /// The preset for a GPU as LLMServingSim's data names it (RTXPRO6000, RTX4090, H100, A100), or
    /// a ServeSim preset name.
    public static func hardware(forGPU gpu: String) -> HardwareSpec? {
        switch gpu {
        case "RTXPRO6000": .rtxPro6000
        case "RTX4090": .rtx4090
        case "H100": .h100
        case "A100": .a100
        default: HardwareSpec.preset(named: gpu)
        }
    }
}
