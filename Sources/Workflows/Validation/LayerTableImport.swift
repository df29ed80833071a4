import ServingModel
import Foundation

/// Turns measured per-layer timing tables into a `LayerTableProfile` and fits the roofline's
/// efficiency factors to the same data.
///
/// Input folder: `dense.csv` (`layer, tokens, time_us`: one row per dense op and token count, ONE
/// layer), `per_sequence.csv` (`layer, sequences, time_us`: lm_head and sampler), and
/// `attention.csv` (`prefill_chunk, kv_prefill, n_decode, kv_decode, time_us`: one layer), the
/// layout of vLLM's layer profiler as published by LLMServingSim.
public enum LayerTableImport {
    public struct Options: Sendable {
        public var model: ModelSpec
        /// GPU name written into the profile (default: the folder's name under `perf/`).
        public var gpu: String?
        /// Datasheet of the GPU, to fit roofline efficiencies (nil: skip the fit).
        public var hardware: HardwareSpec?
        /// CPU-side per-step cost the tables do not contain, seconds.
        public var stepOverhead: Double
        public var kvCapacityTokens: Int?
        public init(model: ModelSpec = .llama31_8b, gpu: String? = nil, hardware: HardwareSpec? = nil,
                    stepOverhead: Double = 0, kvCapacityTokens: Int? = nil) {
            self.model = model; self.gpu = gpu; self.hardware = hardware
            self.stepOverhead = stepOverhead; self.kvCapacityTokens = kvCapacityTokens
        }
    }

    /// Dense ops that are weight GEMMs (the rest are elementwise: norms, activation, rotary).
    static let projections: Set<String> = ["qkv_proj", "o_proj", "gate_up_proj", "down_proj"]
    /// Ops that run once per step rather than once per layer.
    static let oncePerModel: Set<String> = ["embedding", "final_layernorm"]

    public static func run(directory: String, options: Options) throws -> LayerTableProfile {
        let dense = try readCSV(directory + "/dense.csv", columns: ["layer", "tokens", "time_us"])
        let perSeq = try readCSV(directory + "/per_sequence.csv", columns: ["layer", "sequences", "time_us"])
        let attention = try readCSV(directory + "/attention.csv",
                                    columns: ["prefill_chunk", "kv_prefill", "n_decode", "kv_decode", "time_us"])
        let layers = Double(options.model.layers)

        // Whole-model dense time per token count; projection GEMM time per layer, for the roofline fit.
        var total: [Double: Double] = [:], gemm: [Double: Double] = [:]
        for row in dense {
            let op = row.text[0], tokens = row.numbers[1], seconds = row.numbers[2] * 1e-6
            total[tokens, default: 0] += oncePerModel.contains(op) ? seconds : layers * seconds
            if projections.contains(op) { gemm[tokens, default: 0] += seconds }
        }
        var sequences: [Double: Double] = [:]
        for row in perSeq { sequences[row.numbers[1], default: 0] += row.numbers[2] * 1e-6 }

        // Attention of one layer, fitted separately on decode-only rows (constant, context, sequences)
        // and prefill-only rows (constant, token pairs, tokens); mixed steps add the two.
        var dx: [[Double]] = [], dy: [Double] = [], px: [[Double]] = [], py: [Double] = []
        for row in attention {
            let chunk = row.numbers[0], cached = row.numbers[1], n = row.numbers[2], kv = row.numbers[3]
            let seconds = row.numbers[4] * 1e-6
            if chunk == 0 && n > 0 { dx.append([1, n * kv, n]); dy.append(seconds) }
            if n == 0 && chunk > 0 { px.append([1, chunk * cached + chunk * (chunk + 1) / 2, chunk]); py.append(seconds) }
        }
        guard !dx.isEmpty, !px.isEmpty, let decodeFit = LeastSquares.nonNegativeFit(rows: dx, y: dy),
              let prefillFit = LeastSquares.nonNegativeFit(rows: px, y: py) else {
            throw InputError(file: directory + "/attention.csv", "needs decode-only and prefill-only rows with a non-negative linear fit")
        }
        let dc = decodeFit.coefficients, pc = prefillFit.coefficients
        let gpu = options.gpu ?? gpuName(directory: directory)
        return LayerTableProfile(
            gpu: gpu, model: options.model.name, layers: options.model.layers,
            dense: total.keys.sorted().map { .init(x: $0, seconds: total[$0]!) },
            perSequence: sequences.keys.sorted().map { .init(x: $0, seconds: sequences[$0]!) },
            decodeAttention: .init(constant: dc[0], perContextToken: dc[1], perSequence: dc[2], r2: decodeFit.r2,
                                   maxRelativeResidual: decodeFit.maxRelativeResidual),
            prefillAttention: .init(constant: pc[0], perPair: pc[1], perToken: pc[2], r2: prefillFit.r2,
                                    maxRelativeResidual: prefillFit.maxRelativeResidual),
            stepOverhead: options.stepOverhead, kvCapacityTokens: options.kvCapacityTokens,
            roofline: options.hardware.map { rooflineFit(gemm: gemm, model: options.model, hardware: $0) })
    }

    /// The GPU a profiler folder belongs to: the path component after `perf/` ("unknown" if none).
    public static func gpuName(directory: String) -> String {
        let folder = URL(fileURLWithPath: directory).standardizedFileURL.pathComponents
        return folder.firstIndex(of: "perf").flatMap { $0 + 1 < folder.count ? folder[$0 + 1] : nil } ?? "unknown"
    }

    /// Memory efficiency: projection weight bytes over GEMM time at 1-8 tokens (weights-bound);
    /// compute efficiency: projection FLOPs over GEMM time at >= 1024 tokens (compute-bound); medians.
    /// R^2 of max(compute, memory) with those efficiencies against the measured GEMM times.
    static func rooflineFit(gemm: [Double: Double], model: ModelSpec, hardware: HardwareSpec) -> LayerTableProfile.RooflineFit {
        let params = model.layerParameters / Double(model.layers)
        let bytes = params * model.bytesPerParam
        func median(_ v: [Double]) -> Double {
            let s = v.sorted()
            return s.isEmpty ? 0 : s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
        }
        let memory = median(gemm.filter { $0.key <= 8 }.map { bytes / $0.value / hardware.memoryBandwidth })
        let compute = median(gemm.filter { $0.key >= 1024 }.map { 2 * params * $0.key / $0.value / hardware.peakFlops })
        let points = gemm.sorted { $0.key < $1.key }
        let predicted = points.map { max(2 * params * $0.key / (hardware.peakFlops * compute), bytes / (hardware.memoryBandwidth * memory)) }
        let measured = points.map(\.value)
        let mean = measured.reduce(0, +) / Double(max(measured.count, 1))
        let ssTot = measured.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
        let ssRes = zip(predicted, measured).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }
        return .init(computeEfficiency: compute, memoryEfficiency: memory, peakFlops: hardware.peakFlops,
                     memoryBandwidth: hardware.memoryBandwidth, denseR2: ssTot > 0 ? 1 - ssRes / ssTot : 1)
    }

    struct Row { var text: [String]; var numbers: [Double] }

    /// Reads a CSV with the given header; every field but the first (text) of the first column
    /// must be a number. Errors name the line.
    static func readCSV(_ path: String, columns: [String]) throws -> [Row] {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw InputError(file: path, "cannot read the file", allowed: "a per-layer timing table")
        }
        var lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
        while lines.last == "" { lines.removeLast() }
        guard let header = lines.first?.split(separator: ",").map(String.init), header == columns else {
            throw InputError(file: path, path: "line 1", "unexpected header", allowed: columns.joined(separator: ","))
        }
        var rows: [Row] = [], problems: [Diagnostic] = []
        for (i, line) in lines.enumerated().dropFirst() where !line.isEmpty {
            let fields = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            let numbers = fields.map { Double($0) ?? .nan }
            let numericFrom = columns[0] == "layer" ? 1 : 0
            if fields.count != columns.count || numbers[numericFrom...].contains(where: { !$0.isFinite || $0 < 0 }) {
                problems.append(Diagnostic(file: path, path: "line \(i + 1)", message: "malformed row \"\(line)\"",
                                           allowed: "\(columns.count) fields, numbers >= 0"))
                if problems.count == 20 { break }
                continue
            }
            rows.append(Row(text: fields, numbers: numbers))
        }
        if !problems.isEmpty { throw InputError(problems) }
        if rows.isEmpty { throw InputError(file: path, "has no rows") }
        return rows
    }
}
