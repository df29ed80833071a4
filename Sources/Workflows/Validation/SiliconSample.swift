import ServingModel
import Foundation

/// Measured serving figures of real vLLM deployments: the aggregated (one engine does prefill and
/// decode) vLLM rows of aiconfigurator's `silicon_sample.csv` on GPUs and models ServeSim has
/// presets for. Each row is one closed-loop benchmark: `concurrency` clients, fixed input and
/// output lengths, mean TTFT and TPOT (the source does not say whether mean or median).
public struct SiliconRow: Sendable, Equatable {
    public var id: String
    /// aiconfigurator's system name (`h100_sxm`) and the ServeSim preset of that GPU.
    public var system: String
    public var hardware: HardwareSpec
    public var modelPath: String
    public var model: ModelSpec
    public var inputTokens: Int
    public var outputTokens: Int
    public var concurrency: Int
    public var tensorParallel: Int
    public var expertParallel: Bool
    /// vLLM version as the row states it ("" when it does not).
    public var version: String
    /// Where the row was measured (the benchmark database or collection it came from).
    public var provenance: String
    /// Seconds.
    public var ttft: Double
    public var tpot: Double
}

/// How a benchmark was run, where the row does not say: engine flags and client settings, from
/// the public launch scripts of the benchmark that produced the rows.
public struct BenchmarkHarness: Sendable, Equatable {
    public var name: String
    public var asyncScheduling: Bool
    /// vLLM max_num_seqs (nil: the concurrency, as the InferenceX launch scripts set it).
    public var maxNumSeqs: Int?
    public var maxBatchedTokens: Int
    public var fp8KVCache: Bool
    /// Lengths are uniform on [ratio x L, L] (the benchmark client's random-range-ratio); 1: fixed.
    public var lengthRatio: Double
    /// Requests per client (num-prompts / concurrency).
    public var promptsPerClient: Int

    /// The InferenceX (InferenceMAX) runs of the Llama-3.1-70B FP8 rows: vLLM 0.10.2 with async
    /// scheduling, FP8 KV cache, max-num-batched-tokens 8192, max-num-seqs = concurrency; the
    /// client sends 10 x concurrency random prompts with random-range-ratio 0.8 (the public
    /// InferenceMAX benchmark configuration and launch scripts of that date).
    public static let inferenceX = BenchmarkHarness(name: "InferenceX (vLLM 0.10.2, async scheduling)", asyncScheduling: true,
                                                    maxNumSeqs: nil, maxBatchedTokens: 8192, fp8KVCache: true, lengthRatio: 0.8,
                                                    promptsPerClient: 10)
    /// The vLLM 0.12 rows collected for aiconfigurator's gap analysis: no engine flags are
    /// published, so vLLM 0.12's defaults (synchronous scheduling, as async became the default in
    /// a later release; max-num-seqs 1024 and max-num-batched-tokens 8192 on H100/H200-class GPUs,
    /// `EngineArgs.get_batch_defaults`; KV cache in the model's dtype) and fixed lengths with
    /// 10 x concurrency prompts are assumed.
    public static let vllm012Defaults = BenchmarkHarness(name: "vLLM 0.12 defaults (assumed)", asyncScheduling: false, maxNumSeqs: 1024,
                                                         maxBatchedTokens: 8192, fp8KVCache: false, lengthRatio: 0.8,
                                                         promptsPerClient: 10)

    public static func of(_ row: SiliconRow) -> BenchmarkHarness {
        row.provenance.hasPrefix("source_file=2026-") ? inferenceX : vllm012Defaults
    }
}

public enum SiliconSample {
    /// The rows of `path` (silicon_sample.csv) that ServeSim can simulate: vLLM, aggregated, on a
    /// GPU and model with presets, TP only (no pipeline parallelism, no attention DP); exact
    /// duplicates once.
    public static func load(path: String) throws -> [SiliconRow] { try loadCounting(path: path).rows }

    /// The rows, and how many vLLM aggregated rows of a preset GPU and model were left out because
    /// their weights do not fit the stated tensor parallelism (the row's real layout is something
    /// the CSV does not state).
    public static func loadCounting(path: String) throws -> (rows: [SiliconRow], unplaceable: Int) {
        let csv = try NamedCSV(path: path)
        let names = ["id", "silicon_data_source", "backend", "backend_version", "model_path", "system", "precision", "mode", "isl",
                     "osl", "batch_size", "tp_size", "pp_size", "attention_dp_size", "moe_ep_size", "silicon_ttft_ms", "silicon_tpot_ms"]
        let col = Dictionary(uniqueKeysWithValues: try names.map { ($0, try csv.column($0)) })
        var rows: [SiliconRow] = []
        var unplaceable = 0
        var seen = Set<[Substring]>()
        for fields in csv.rows {
            func text(_ n: String) -> String { String(NamedCSV.text(fields, col[n]!)) }
            func int(_ n: String) -> Int? { NamedCSV.number(fields, col[n]!).map { Int($0) } }
            guard text("backend") == "vllm", text("mode") == "agg", seen.insert(Array(fields.dropFirst())).inserted,
                  let hardware = HardwareSpec.presets.first(where: { $0.measurements == text("system") }),
                  var model = ModelSpec.preset(huggingFace: text("model_path")),
                  let isl = int("isl"), let osl = int("osl"), let c = int("batch_size"), let tp = int("tp_size"),
                  let ttft = NamedCSV.number(fields, col["silicon_ttft_ms"]!), let tpot = NamedCSV.number(fields, col["silicon_tpot_ms"]!),
                  (int("pp_size") ?? 1) == 1, (int("attention_dp_size") ?? 1) <= 1, isl > 0, osl > 1, c > 0, tp > 0
            else { continue }
            if text("precision") == "fp8" && model.gemmFormat == .bf16 { model = model.withWeights(.fp8) }
            if model.weightBytes >= 0.9 * hardware.memoryBytes * Double(tp) {
                unplaceable += 1
                continue
            }
            rows.append(SiliconRow(id: text("id"), system: text("system"), hardware: hardware, modelPath: text("model_path"), model: model,
                                   inputTokens: isl, outputTokens: osl, concurrency: c, tensorParallel: tp,
                                   expertParallel: model.moe != nil && (int("moe_ep_size") ?? 1) > 1,
                                   version: text("backend_version"), provenance: text("silicon_data_source"),
                                   ttft: ttft / 1000, tpot: tpot / 1000))
        }
        return (rows, unplaceable)
    }

    /// The settings of the simulation that are defaults rather than facts of the row: what
    /// `servesim validate --suite --fit` searches over.
    public struct Settings: Sendable, Equatable {
        public var stepOverhead = KernelStepModel.defaultStepOverhead
        public var requestOverhead = RooflineModel.defaultRequestOverhead
        public var engine = EnginePipeline.vllmV1
        public init() {}
    }

    /// The closed-loop scenario that reproduces a row's benchmark under `harness`.
    public static func scenario(for row: SiliconRow, harness: BenchmarkHarness, settings: Settings = Settings()) -> Scenario {
        var model = row.model
        if harness.fp8KVCache { model = model.withKVCache(.fp8) }
        func lengths(_ l: Int) -> LengthDistribution {
            harness.lengthRatio >= 1 ? .fixed(l) : .uniform(min: max(1, Int((Double(l) * harness.lengthRatio).rounded())), max: l)
        }
        let requests = harness.promptsPerClient * row.concurrency
        let costs = KernelCosts(hardware: row.hardware, model: model, tensorParallel: row.tensorParallel,
                                expertParallel: row.expertParallel, measurements: row.hardware.measurements.flatMap(KernelMeasurements.named))
        let step = KernelStepModel(costs: costs, stepOverhead: settings.stepOverhead)
        let gpus = row.tensorParallel
        var engine = settings.engine
        engine.asyncScheduling = harness.asyncScheduling
        let maxSeqs = harness.maxNumSeqs ?? row.concurrency
        let kvTokens = KVCapacity.tokens(hardware: row.hardware, model: model, gpus: gpus, tensorParallel: row.tensorParallel,
                                         utilization: 0.9, maxBatchedTokens: max(harness.maxBatchedTokens, maxSeqs))
        var pool = PoolSpec(name: row.system, hardware: row.hardware.name, model: model.name, gpusPerReplica: gpus, replicas: 1,
                            pricePerGpuHour: row.hardware.pricePerGpuHour, routing: .roundRobin,
                            scheduler: SchedulerConfig(policy: .continuous, maxNumSeqs: maxSeqs,
                                                       maxBatchedTokens: max(harness.maxBatchedTokens, maxSeqs), chunkedPrefill: true),
                            performance: .steps(step, kvCapacityTokens: kvTokens, requestOverhead: settings.requestOverhead))
        pool.engine = engine
        pool.timing = step.source
        pool.kvBytesPerToken = model.kvBytesPerToken
        var bench = RequestClassSpec(name: "bench", tenant: "bench",
                                     arrivals: .closedLoop(ClosedLoopSpec(concurrency: row.concurrency, requests: requests)),
                                     promptTokens: lengths(row.inputTokens), outputTokens: lengths(row.outputTokens))
        bench.client = nil
        return Scenario(name: row.id, seed: 1, duration: 1e9, classes: [bench], pools: [pool])
    }
}
