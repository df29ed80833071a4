import Foundation

/// A calibrated performance profile of one replica: measured step times and the step-time model
/// fitted to them. Written by `servesim calibrate` (source "kernel") or by an importer of timings
/// measured elsewhere (source "imported", e.g. vLLM or PyTorch on a real GPU); read by the
/// simulator through `ProfileStepModel` (`performance: { model: "profile", file: ... }`).
///
/// ## File format (JSON, version 1; keys sorted; all times in seconds)
/// ```
/// {
///   "version": 1,
///   "source": "kernel" | "imported",
///   "machine": { "cpuModel": "AMD EPYC", "cores": 2, "accelerator": null | "NVIDIA H100 80GB" },
///   "blas": "OpenBLAS ...",                  // or the GPU stack, free text
///   "threads": 2,                           // BLAS threads (1 for a GPU)
///   "model": { "name", "parameters", "layers", "hidden", "heads", "kvHeads", "headDim", "ffn",
///              "vocab", "bytesPerParameter", "kvBytesPerToken" },
///   "prefillSamples": [ { "tokens": 128, "seconds": 0.21 }, ... ],      // one prompt, empty cache
///   "decodeSamples": [ { "batch": 8, "context": 4096, "seconds": 0.012 }, ... ], // context = sum
///   "prefill": { "constant", "perToken", "perAttentionPair", "r2", "maxRelativeResidual" },
///   "decode":  { "constant", "perSequence", "perContextToken", "r2", "maxRelativeResidual" },
///   "kvCapacityTokens": 131072,             // tokens of KV cache one replica holds
///   "memoryBytes": 1234567890,              // optional: weights + KV budget
///   "throughput": { "sgemmPeakGFlops", "prefillGFlops", "decodeGFlops", "decodeGBps" } // optional
///   "loopOverhead": 0.0004,                 // optional: serving loop's seconds per step beyond the kernel
///   "notes": "free text"                    // optional
/// }
/// ```
/// The model is `prefill(t, pairs) = constant + perToken * t + perAttentionPair * pairs`, where a
/// chunk of `c` tokens after `p` cached ones has `pairs = c * p + c * (c + 1) / 2` (for a fresh
/// prompt of `t` tokens this is the quadratic `a + b t + c t^2` with `c = perAttentionPair / 2`,
/// `b = perToken + perAttentionPair / 2`), and `decode(B, S) = constant + perSequence * B +
/// perContextToken * S` with `S` the batch's total cached context. Coefficients are >= 0.
/// To drop in timings measured elsewhere, fill the samples, fit (or set) the six coefficients,
/// and set `source: "imported"`; `r2` and `maxRelativeResidual` describe the fit to the samples.
public struct CalibratedProfile: Codable, Sendable, Equatable {
    public static let currentVersion = 1
    public static let sources = ["kernel", "imported"]

    public struct Machine: Codable, Sendable, Equatable {
        /// CPU model name (`/proc/cpuinfo` "model name").
        public var cpuModel: String
        /// Logical cores available to the process.
        public var cores: Int
        /// The accelerator that ran the steps, when not the CPU.
        public var accelerator: String?
        public init(cpuModel: String, cores: Int, accelerator: String? = nil) {
            self.cpuModel = cpuModel; self.cores = cores; self.accelerator = accelerator
        }
    }

    public struct ModelShape: Codable, Sendable, Equatable {
        public var name: String
        public var parameters: Int
        public var layers: Int, hidden: Int, heads: Int, kvHeads: Int, headDim: Int, ffn: Int, vocab: Int
        /// Bytes per weight (4 for the float32 kernel, 2 for BF16).
        public var bytesPerParameter: Int
        /// KV cache bytes per token: 2 x layers x kvHeads x headDim x bytes per element.
        public var kvBytesPerToken: Int
        public init(name: String, parameters: Int, layers: Int, hidden: Int, heads: Int, kvHeads: Int,
                    headDim: Int, ffn: Int, vocab: Int, bytesPerParameter: Int, kvBytesPerToken: Int) {
            self.name = name; self.parameters = parameters; self.layers = layers; self.hidden = hidden
            self.heads = heads; self.kvHeads = kvHeads; self.headDim = headDim; self.ffn = ffn
            self.vocab = vocab; self.bytesPerParameter = bytesPerParameter; self.kvBytesPerToken = kvBytesPerToken
        }
    }

    /// Median time of a prefill step of one fresh prompt of `tokens` tokens.
    public struct PrefillSample: Codable, Sendable, Equatable {
        public var tokens: Int
        public var seconds: Double
        public init(tokens: Int, seconds: Double) { self.tokens = tokens; self.seconds = seconds }
    }

    /// Median time of a decode step of `batch` sequences holding `context` cached tokens in total.
    public struct DecodeSample: Codable, Sendable, Equatable {
        public var batch: Int
        public var context: Int
        public var seconds: Double
        public init(batch: Int, context: Int, seconds: Double) {
            self.batch = batch; self.context = context; self.seconds = seconds
        }
    }

    /// `prefill(t, pairs) = constant + perToken * t + perAttentionPair * pairs` seconds.
    public struct PrefillFit: Codable, Sendable, Equatable {
        public var constant: Double, perToken: Double, perAttentionPair: Double
        /// Coefficient of determination of the fit on the samples (1 = perfect).
        public var r2: Double
        /// max over samples of |fitted - measured| / measured.
        public var maxRelativeResidual: Double
        public init(constant: Double, perToken: Double, perAttentionPair: Double, r2: Double, maxRelativeResidual: Double) {
            self.constant = constant; self.perToken = perToken; self.perAttentionPair = perAttentionPair
            self.r2 = r2; self.maxRelativeResidual = maxRelativeResidual
        }
        public func time(tokens: Double, pairs: Double) -> Double { constant + perToken * tokens + perAttentionPair * pairs }
    }

    /// `decode(B, S) = constant + perSequence * B + perContextToken * S` seconds.
    public struct DecodeFit: Codable, Sendable, Equatable {
        public var constant: Double, perSequence: Double, perContextToken: Double
        public var r2: Double
        public var maxRelativeResidual: Double
        public init(constant: Double, perSequence: Double, perContextToken: Double, r2: Double, maxRelativeResidual: Double) {
            self.constant = constant; self.perSequence = perSequence; self.perContextToken = perContextToken
            self.r2 = r2; self.maxRelativeResidual = maxRelativeResidual
        }
        public func time(batch: Double, context: Double) -> Double { constant + perSequence * batch + perContextToken * context }
    }

    /// Achieved throughput next to the machine's measured matrix-multiply peak (informational).
    public struct Throughput: Codable, Sendable, Equatable {
        /// `cblas_sgemm` at n = 1024, GFLOP/s.
        public var sgemmPeakGFlops: Double
        /// The kernel's largest prefill sample, GFLOP/s.
        public var prefillGFlops: Double
        /// The kernel's largest-batch decode sample, GFLOP/s.
        public var decodeGFlops: Double
        /// Weights + KV bytes read per second by the batch-1 decode sample with the least context, GB/s.
        public var decodeGBps: Double
        public init(sgemmPeakGFlops: Double, prefillGFlops: Double, decodeGFlops: Double, decodeGBps: Double) {
            self.sgemmPeakGFlops = sgemmPeakGFlops; self.prefillGFlops = prefillGFlops
            self.decodeGFlops = decodeGFlops; self.decodeGBps = decodeGBps
        }
    }

    public var version: Int
    public var source: String
    public var machine: Machine
    public var blas: String
    public var threads: Int
    public var model: ModelShape
    public var prefillSamples: [PrefillSample]
    public var decodeSamples: [DecodeSample]
    public var prefill: PrefillFit
    public var decode: DecodeFit
    /// Tokens of KV cache one replica holds (for the kernel: KV memory budget / kvBytesPerToken).
    public var kvCapacityTokens: Int
    /// Weights plus KV budget, bytes.
    public var memoryBytes: Int?
    public var throughput: Throughput?
    /// Seconds per step the serving loop spends around the kernel (the scheduler's decision, batch
    /// assembly, bookkeeping of finished tokens), measured by `calibrate` on a saturated
    /// closed-loop run of the real loop: (wall time - kernel time) / steps. Nil in profiles
    /// written before it was measured (then 0: kernel time only).
    public var loopOverhead: Double?
    public var notes: String?

    public init(version: Int = CalibratedProfile.currentVersion, source: String, machine: Machine, blas: String,
                threads: Int, model: ModelShape, prefillSamples: [PrefillSample], decodeSamples: [DecodeSample],
                prefill: PrefillFit, decode: DecodeFit, kvCapacityTokens: Int, memoryBytes: Int? = nil,
                throughput: Throughput? = nil, loopOverhead: Double? = nil, notes: String? = nil) {
        self.version = version; self.source = source; self.machine = machine; self.blas = blas
        self.threads = threads; self.model = model; self.prefillSamples = prefillSamples
        self.decodeSamples = decodeSamples; self.prefill = prefill; self.decode = decode
        self.kvCapacityTokens = kvCapacityTokens; self.memoryBytes = memoryBytes
        self.throughput = throughput; self.loopOverhead = loopOverhead; self.notes = notes
    }

    /// JSON with sorted keys (stable output for the same profile).
    public func jsonData() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        var data = try encoder.encode(self)
        data.append(0x0a)
        return data
    }

    /// Writes atomically (`AtomicFile`), creating the directory if needed, so a reader never
    /// sees a half-written profile.
    public func write(to path: String) throws { try AtomicFile.write(jsonData(), to: path) }

    /// Reads and validates a profile; every problem is reported as `FILE: field.path: message`.
    public static func load(path: String) throws -> CalibratedProfile {
        guard let data = FileManager.default.contents(atPath: path) else {
            let exists = FileManager.default.fileExists(atPath: path)
            throw InputError(file: path, exists ? "cannot read the file" : "no such file",
                             allowed: "a profile written by `servesim calibrate`")
        }
        return try decode(data, file: path)
    }

    /// Decodes and validates profile JSON; `file` names it in diagnostics.
    public static func decode(_ data: Data, file: String) throws -> CalibratedProfile {
        let profile: CalibratedProfile
        do {
            profile = try JSONDecoder().decode(CalibratedProfile.self, from: data)
        } catch let error as DecodingError {
            throw InputError([diagnostic(for: error, file: file)])
        }
        let sink = DiagnosticSink(file: file)
        profile.validate(into: sink)
        try sink.throwIfAny()
        return profile
    }

    /// Semantic checks the decoder cannot make.
    func validate(into sink: DiagnosticSink) {
        if version != Self.currentVersion {
            sink.report("version", "\(version) is not supported", allowed: "\(Self.currentVersion)")
        }
        if !Self.sources.contains(source) {
            sink.report("source", "\"\(source)\" is not supported", allowed: Self.sources.joined(separator: ", "))
        }
        if threads < 1 { sink.report("threads", "\(threads) is out of range", allowed: "an integer >= 1") }
        if kvCapacityTokens < 1 {
            sink.report("kvCapacityTokens", "\(kvCapacityTokens) is out of range", allowed: "an integer >= 1")
        }
        func coefficient(_ path: String, _ value: Double) {
            if !value.isFinite || value < 0 {
                sink.report(path, "\(value) is out of range", allowed: "a finite number >= 0")
            }
        }
        coefficient("prefill.constant", prefill.constant)
        coefficient("prefill.perToken", prefill.perToken)
        coefficient("prefill.perAttentionPair", prefill.perAttentionPair)
        coefficient("decode.constant", decode.constant)
        coefficient("decode.perSequence", decode.perSequence)
        coefficient("decode.perContextToken", decode.perContextToken)
        if let loopOverhead { coefficient("loopOverhead", loopOverhead) }
        if decode.constant + decode.perSequence <= 0 {
            sink.report("decode", "a one-sequence decode step would take no time",
                        allowed: "constant + perSequence > 0")
        }
        if prefill.constant + prefill.perToken + prefill.perAttentionPair <= 0 {
            sink.report("prefill", "a one-token prefill step would take no time",
                        allowed: "constant + perToken + perAttentionPair > 0")
        }
        for (i, s) in prefillSamples.enumerated() where s.tokens < 1 || !(s.seconds > 0) {
            sink.report("prefillSamples.\(i)", "needs tokens >= 1 and seconds > 0")
        }
        for (i, s) in decodeSamples.enumerated() where s.batch < 1 || s.context < 0 || !(s.seconds > 0) {
            sink.report("decodeSamples.\(i)", "needs batch >= 1, context >= 0 and seconds > 0")
        }
    }

    static func diagnostic(for error: DecodingError, file: String) -> Diagnostic {
        func dotted(_ path: [CodingKey]) -> String {
            path.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: ".")
        }
        switch error {
        case .keyNotFound(let key, let context):
            return Diagnostic(file: file, path: dotted(context.codingPath + [key]), message: "is missing")
        case .typeMismatch(let type, let context), .valueNotFound(let type, let context):
            return Diagnostic(file: file, path: dotted(context.codingPath),
                              message: "has the wrong type", allowed: Self.typeName(type))
        case .dataCorrupted(let context):
            let underlying = (context.underlyingError as NSError?)?.localizedDescription
            let path = dotted(context.codingPath)
            return Diagnostic(file: file, path: path,
                              message: path.isEmpty ? "is not valid JSON" : "is malformed",
                              allowed: underlying ?? context.debugDescription)
        @unknown default:
            return Diagnostic(file: file, path: "", message: "cannot be decoded")
        }
    }

    static func typeName(_ type: Any.Type) -> String {
        switch type {
        case is Int.Type: return "an integer"
        case is Double.Type: return "a number"
        case is String.Type: return "a string"
        case is Array<Any>.Type: return "an array"
        default: return String(describing: type)
        }
    }
}

/// The step-time model of a calibrated profile.
///
/// Decode-only steps use the decode fit; prefill-only steps the prefill fit (several prompts in
/// one step count as their total tokens and attention pairs; the per-sequence extras, one logits
/// row and one attention call per layer, are small next to the per-token cost and not modelled).
/// A mixed step costs `prefill part + decode part - min(prefill.constant, decode.constant)`: the
/// constants are the fixed per-step cost (layer loop, BLAS dispatch, and for small batches the
/// weight reads), which one step pays once because the kernel runs the concatenated rows of both
/// parts through the same matrices; the token-proportional terms add. Subtracting the smaller
/// constant keeps a mixed step at least as long as either part alone.
public struct ProfileStepModel: StepTimeModel, Equatable {
    public let prefill: CalibratedProfile.PrefillFit
    public let decode: CalibratedProfile.DecodeFit
    /// Decode step time at zero context for each measured batch size: the mean over that batch
    /// size's samples of `seconds - perContextToken * context`. Step time is not linear in batch
    /// size at small batches (BLAS kernels switch strategy), so where samples exist the model
    /// interpolates these instead of using `constant + perSequence * B`. Empty without samples.
    public let decodeIntercepts: [LayerTableProfile.Point]
    /// The serving loop's seconds per step around the kernel (`CalibratedProfile.loopOverhead`),
    /// added to every step.
    public let loopOverhead: Double

    public init(profile: CalibratedProfile) {
        prefill = profile.prefill
        decode = profile.decode
        loopOverhead = profile.loopOverhead ?? 0
        var sums: [Int: (total: Double, count: Int)] = [:]
        for s in profile.decodeSamples {
            let residual = s.seconds - profile.decode.perContextToken * Double(s.context)
            sums[s.batch, default: (0, 0)].total += residual
            sums[s.batch, default: (0, 0)].count += 1
        }
        decodeIntercepts = sums.keys.sorted().map { .init(x: Double($0), seconds: max(0, sums[$0]!.total / Double(sums[$0]!.count))) }
    }

    /// `DecodeCost(a: intercept(batch), b: perContextToken)`, the intercept interpolated between
    /// measured batch sizes (or `constant + perSequence * batch` when there are fewer than two).
    public func decodeCost(batch: Int) -> DecodeCost {
        let a = decodeIntercepts.count >= 2 ? interpolate(decodeIntercepts, at: Double(batch))
                                            : decode.constant + decode.perSequence * Double(batch)
        return DecodeCost(a: a + loopOverhead, b: decode.perContextToken)
    }

    public func stepTime(_ shape: StepShape) -> Double {
        let hasDecode = shape.decodeSeqs > 0
        guard shape.prefillTokens > 0 else {
            return hasDecode ? decodeCost(batch: shape.decodeSeqs).time(context: Double(shape.decodeContext)) : 0
        }
        let prefillPart = prefill.time(tokens: Double(shape.prefillTokens), pairs: shape.prefillAttentionPairs)
        guard hasDecode else { return prefillPart + loopOverhead }
        let decodePart = decodeCost(batch: shape.decodeSeqs).time(context: Double(shape.decodeContext))  // loop included
        return prefillPart + decodePart - min(prefill.constant, decode.constant)
    }
}
