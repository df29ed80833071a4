import ServingModel
import Reporting
import TransformerKernel
import CGSL
import Dispatch

/// What to measure when calibrating the kernel.
public struct CalibrationOptions: Sendable {
    public var model: KernelConfig
    /// OpenBLAS threads (`openblas_set_num_threads`).
    public var threads: Int
    /// Weight seed (timings do not depend on it).
    public var seed: UInt64 = 1
    /// KV cache memory budget of one replica, bytes (sets `kvCapacityTokens`).
    public var kvMemoryBytes: Int = 4 << 30
    /// Prompt lengths of the prefill grid (one fresh sequence per step).
    public var prefillTokens: [Int]
    /// Batch sizes of the decode grid.
    public var decodeBatches: [Int]
    /// Cached tokens per sequence of the decode grid (the step's context is batch x this).
    public var decodeContexts: [Int]
    /// Decode points whose total context exceeds this are skipped (bounds KV memory).
    public var maxDecodeContextSum: Int
    /// Untimed runs before each grid point.
    public var warmup: Int
    /// Timed runs per grid point; the median is kept.
    public var repetitions: Int
    /// Timed runs of the n = 1024 sgemm peak measurement.
    public var sgemmRepetitions: Int = 5
    /// Requests of the closed-loop run of the real serving loop that measures its own time per
    /// step (`CalibratedProfile.loopOverhead`); 0 skips it.
    public var loopRequests: Int = 64

    /// The standard grid; `quick` is a small one for tests and smoke runs.
    public static func standard(model: KernelConfig, threads: Int, quick: Bool) -> CalibrationOptions {
        quick
            ? CalibrationOptions(model: model, threads: threads, prefillTokens: [8, 16, 32, 64, 128],
                                 decodeBatches: [1, 2, 4, 8], decodeContexts: [16, 64, 256],
                                 maxDecodeContextSum: 4096, warmup: 1, repetitions: 3, sgemmRepetitions: 3, loopRequests: 16)
            : CalibrationOptions(model: model, threads: threads,
                                 prefillTokens: [16, 32, 64, 128, 192, 256, 384, 512, 768, 1024],
                                 decodeBatches: [1, 2, 4, 8, 16, 32, 64], decodeContexts: [64, 256, 1024, 2048],
                                 maxDecodeContextSum: 65536, warmup: 2, repetitions: 7)
    }
}

/// Times the real kernel and fits the profile's step-time model. The only place (with the real
/// serving loop) where ServeSim reads the wall clock; simulation only ever reads the profile.
public enum Calibration {
    /// Runs the whole calibration: sgemm peak, prefill grid, decode grid, fits. `progress`
    /// receives one line per grid point (for stderr).
    public static func run(_ options: CalibrationOptions, progress: (String) -> Void = { _ in }) -> CalibratedProfile {
        openblas_set_num_threads(Int32(options.threads))
        let c = options.model
        let peak = sgemmGFlops(n: 1024, repetitions: options.sgemmRepetitions)
        progress(String(format: "sgemm n=1024: %.1f GFLOP/s", peak))
        let kernel = TransformerKernel(config: c, seed: options.seed)

        var prefillSamples: [CalibratedProfile.PrefillSample] = []
        for t in options.prefillTokens {
            let tokens = (0..<t).map { Int32($0 % c.vocab) }
            let seconds = median(warmup: options.warmup, repetitions: options.repetitions) {
                let start = now()
                _ = kernel.prefill(batch: [(seqId: 0, tokens: tokens)])
                let elapsed = now() - start
                kernel.release(seqId: 0)
                return elapsed
            }
            prefillSamples.append(.init(tokens: t, seconds: seconds))
            progress(String(format: "prefill %5d tokens: %.3f ms", t, seconds * 1e3))
        }

        var decodeSamples: [CalibratedProfile.DecodeSample] = []
        for perSeq in options.decodeContexts {
            let batches = options.decodeBatches.filter { $0 * perSeq <= options.maxDecodeContextSum }
            guard let largest = batches.max() else { continue }
            for s in 0..<largest { kernel.synthesizeContext(seqId: s, length: perSeq) }
            for b in batches {
                let batch = (0..<b).map { (seqId: $0, token: Int32($0 % c.vocab)) }
                let seconds = median(warmup: options.warmup, repetitions: options.repetitions) {
                    let start = now()
                    _ = kernel.decode(batch: batch)
                    let elapsed = now() - start
                    for s in 0..<b { kernel.truncate(seqId: s, to: perSeq) }
                    return elapsed
                }
                decodeSamples.append(.init(batch: b, context: b * perSeq, seconds: seconds))
                progress(String(format: "decode batch %3d x context %5d: %.3f ms", b, perSeq, seconds * 1e3))
            }
            for s in 0..<largest { kernel.release(seqId: s) }
        }

        let prefill = fitPrefill(prefillSamples)
        let decode = fitDecode(decodeSamples)
        var profile = CalibratedProfile(
            source: "kernel",
            machine: .init(cpuModel: MachineInfo.cpuModel, cores: MachineInfo.cores),
            blas: MachineInfo.blas, threads: options.threads, model: shape(of: c),
            prefillSamples: prefillSamples, decodeSamples: decodeSamples, prefill: prefill, decode: decode,
            kvCapacityTokens: max(1, options.kvMemoryBytes / c.kvBytesPerToken),
            memoryBytes: c.weightBytes + options.kvMemoryBytes,
            throughput: throughput(config: c, peak: peak, prefill: prefillSamples, decode: decodeSamples),
            notes: "ServeSim float32 kernel '\(c.name)' with random weights; medians of \(options.repetitions) "
                + "runs after \(options.warmup) warm-up; fits weighted by 1/seconds^2 (relative residuals), "
                + "coefficients constrained >= 0")
        if options.loopRequests > 0 {
            // The loop around the kernel: a saturated closed-loop run of the real serving loop.
            let loop = KernelValidation.loopOverhead(profile: profile, kernel: kernel, requests: options.loopRequests)
            profile.loopOverhead = loop
            progress(String(format: "serving loop: %.3f ms per step beyond the kernel", loop * 1e3))
        }
        return profile
    }

    /// Fits `constant + perToken * t + perAttentionPair * t (t + 1) / 2` (the quadratic in t).
    public static func fitPrefill(_ samples: [CalibratedProfile.PrefillSample]) -> CalibratedProfile.PrefillFit {
        let rows = samples.map { s -> [Double] in
            let t = Double(s.tokens)
            return [1, t, StepShape.attentionPairs(chunk: s.tokens, cached: 0)]
        }
        guard let fit = LeastSquares.nonNegativeFit(rows: rows, y: samples.map(\.seconds)) else {
            return .init(constant: 0, perToken: 0, perAttentionPair: 0, r2: .nan, maxRelativeResidual: .nan)
        }
        let k = fit.coefficients
        return .init(constant: k[0], perToken: k[1], perAttentionPair: k[2], r2: fit.r2,
                     maxRelativeResidual: fit.maxRelativeResidual)
    }

    /// Fits `constant + perSequence * B + perContextToken * S`.
    public static func fitDecode(_ samples: [CalibratedProfile.DecodeSample]) -> CalibratedProfile.DecodeFit {
        let rows = samples.map { [1, Double($0.batch), Double($0.context)] }
        guard let fit = LeastSquares.nonNegativeFit(rows: rows, y: samples.map(\.seconds)) else {
            return .init(constant: 0, perSequence: 0, perContextToken: 0, r2: .nan, maxRelativeResidual: .nan)
        }
        let k = fit.coefficients
        return .init(constant: k[0], perSequence: k[1], perContextToken: k[2], r2: fit.r2,
                     maxRelativeResidual: fit.maxRelativeResidual)
    }

    public static func shape(of c: KernelConfig) -> CalibratedProfile.ModelShape {
        .init(name: c.name, parameters: c.parameterCount, layers: c.layers, hidden: c.hidden, heads: c.heads,
              kvHeads: c.kvHeads, headDim: c.headDim, ffn: c.ffn, vocab: c.vocab, bytesPerParameter: 4,
              kvBytesPerToken: c.kvBytesPerToken)
    }

    static func throughput(config c: KernelConfig, peak: Double, prefill: [CalibratedProfile.PrefillSample],
                           decode: [CalibratedProfile.DecodeSample]) -> CalibratedProfile.Throughput {
        var prefillGFlops = 0.0, decodeGFlops = 0.0, decodeGBps = 0.0
        if let p = prefill.max(by: { $0.tokens < $1.tokens }) {
            let flops = c.stepFlops(rows: p.tokens, attentionPairs: StepShape.attentionPairs(chunk: p.tokens, cached: 0),
                                    logitRows: 1)
            prefillGFlops = flops / p.seconds / 1e9
        }
        if let d = decode.max(by: { ($0.batch, $0.context) < ($1.batch, $1.context) }) {
            let flops = c.stepFlops(rows: d.batch, attentionPairs: Double(d.context + d.batch), logitRows: d.batch)
            decodeGFlops = flops / d.seconds / 1e9
        }
        if let d = decode.filter({ $0.batch == 1 }).min(by: { $0.context < $1.context }) {
            let bytes = Double(c.weightBytes) + Double(d.context * c.kvBytesPerToken)
            decodeGBps = bytes / d.seconds / 1e9
        }
        return .init(sgemmPeakGFlops: peak, prefillGFlops: prefillGFlops, decodeGFlops: decodeGFlops,
                     decodeGBps: decodeGBps)
    }

    /// Median GFLOP/s of `cblas_sgemm` on n x n float32 matrices (2 n^3 FLOPs), after one warm-up.
    public static func sgemmGFlops(n: Int, repetitions: Int) -> Double {
        let a = FloatBuffer(count: n * n), b = FloatBuffer(count: n * n), out = FloatBuffer(count: n * n)
        for i in 0..<n * n { a[i] = Float(i % 7) * 0.1; b[i] = Float(i % 5) * 0.1 }
        let seconds = median(warmup: 1, repetitions: repetitions) {
            let start = now()
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(n), Int32(n), Int32(n),
                        1, a.pointer, Int32(n), b.pointer, Int32(n), 0, out.pointer, Int32(n))
            return now() - start
        }
        return 2 * Double(n * n * n) / seconds / 1e9
    }

    /// Median of `repetitions` timed runs after `warmup` untimed ones (`run` returns seconds).
    static func median(warmup: Int, repetitions: Int, _ run: () -> Double) -> Double {
        for _ in 0..<warmup { _ = run() }
        let times = (0..<max(1, repetitions)).map { _ in run() }.sorted()
        let m = times.count / 2
        return times.count % 2 == 1 ? times[m] : (times[m - 1] + times[m]) / 2
    }

    /// Monotonic wall clock, seconds.
    @inline(__always) static func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) * 1e-9 }
}

