/// Step time from first principles: FLOPs over achieved compute, bytes over achieved bandwidth,
/// whichever is larger, plus fixed per-step costs.
///
/// For a step over `T` tokens (prefill chunks plus one per decoding sequence), `N` sequences
/// producing logits, attention work `A` token pairs and decode context `S` tokens, per replica of
/// `tp` GPUs:
///
///     FLOPs = 2 * activeLayerParams * T + 2 * hidden * vocab * N + 4 * layers * heads * headDim * (A + S)
///     bytes = streamed weights(T) + kvBytesPerToken * (T + S)    (KV written for new tokens, read for context)
///     time  = max(FLOPs / (tp * peak * computeEff), bytes / (tp * bandwidth * memoryEff))
///             + stepOverhead + 2 * layers * allReduce(T)          (all-reduce only when tp > 1)
///
/// An MoE model's active parameters count each token's `topK` experts, and its streamed weights
/// the experts its `T` tokens touch (`ModelSpec.streamedWeightBytes(tokens:)`); a dense model's
/// are all of them. Activations and prefill reads of cached KV are left out (small next to weights at serving
/// batch sizes; prefill is compute-bound). A decode-only step is `DecodeCost` exactly: both
/// branches are linear in `S` with the fixed costs in both intercepts.
public struct RooflineModel: StepTimeModel, Equatable {
    public var hardware: HardwareSpec
    public var model: ModelSpec {
        didSet { cache = Cache(model) }
    }
    public var tensorParallel: Int
    public var computeEfficiency: Double
    public var memoryEfficiency: Double
    /// Fixed engine cost per step, seconds (scheduling, sampling, kernel launches).
    public var stepOverhead: Double
    /// Added to every request's path before it reaches the scheduler (API, tokenisation), seconds.
    public var requestOverhead: Double
    /// Latency of one all-reduce, seconds (NCCL small-message latency on NVLink is 5-10 us).
    public var allReduceLatency: Double

    /// Default `stepOverhead`, fitted by scripts/fit_roofline_defaults.py: real vLLM 0.19
    /// decode-only steps of Llama-3.1-8B (tails of the bench runs' timeseries.csv) minus this
    /// roofline with the fitted efficiencies leave a median 3.6 ms per step on the RTX PRO 6000 and
    /// 1.1 ms on the RTX 4090 (small kernels, sampling, CPU-side scheduling); 3 ms is the default.
    public static let defaultStepOverhead = 0.003
    /// Default `requestOverhead`: from a client's send to the scheduler, plus the response's way
    /// back (HTTP, tokenisation, detokenisation, streaming), 17 ms: fitted with
    /// `KernelStepModel.defaultStepOverhead` by `servesim validate --suite ../shared/data --fit` on
    /// client-side TTFT of the suite's fit split (InferenceX Llama-3.1-70B FP8 rows, README
    /// "Fidelity"). It was an assumed 5 ms before.
    public static let defaultRequestOverhead = 0.017
    public static let defaultAllReduceLatency = 10e-6

    /// What the step formulas read of `model` on every call, computed once (pure functions of it).
    private struct Cache: Equatable, Sendable {
        /// Layer weights each token multiplies (`ModelSpec.activeLayerParameters`).
        let activeParameters: Double
        /// Bytes every step streams for a dense model; nil for MoE (it depends on the tokens).
        let denseStreamedBytes: Double?
        init(_ m: ModelSpec) {
            activeParameters = m.activeLayerParameters
            denseStreamedBytes = m.moe == nil ? m.streamedWeightBytes : nil
        }
    }
    private var cache: Cache

    /// Weight bytes a step over `tokens` tokens streams.
    @inline(__always) func streamedBytes(tokens: Int) -> Double {
        cache.denseStreamedBytes ?? model.streamedWeightBytes(tokens: tokens)
    }

    public init(hardware: HardwareSpec, model: ModelSpec, tensorParallel: Int = 1, computeEfficiency: Double? = nil,
                memoryEfficiency: Double? = nil, stepOverhead: Double = defaultStepOverhead,
                requestOverhead: Double = defaultRequestOverhead, allReduceLatency: Double = defaultAllReduceLatency) {
        self.hardware = hardware
        self.model = model
        self.cache = Cache(model)
        self.tensorParallel = tensorParallel
        self.computeEfficiency = computeEfficiency ?? hardware.computeEfficiency
        self.memoryEfficiency = memoryEfficiency ?? hardware.memoryEfficiency
        self.stepOverhead = stepOverhead
        self.requestOverhead = requestOverhead
        self.allReduceLatency = allReduceLatency
    }

    /// Achieved FLOP/s of the replica.
    var flopRate: Double { Double(tensorParallel) * hardware.peakFlops * computeEfficiency }
    /// Achieved bytes/s of the replica.
    var byteRate: Double { Double(tensorParallel) * hardware.memoryBandwidth * memoryEfficiency }
    /// FLOPs per attention token pair: QK^T and AV, 2 FLOPs per multiply-add, all heads and layers.
    var attentionFlopsPerPair: Double { 4 * Double(model.layers * model.heads * model.headDim) }

    /// Per-step costs that do not depend on context: overhead and tensor-parallel all-reduces
    /// (two per layer, ring algorithm: 2 (tp - 1) / tp of the activations cross each link).
    public func fixedTime(tokens: Int) -> Double {
        guard tensorParallel > 1 else { return stepOverhead }
        let tp = Double(tensorParallel)
        let bytes = Double(tokens * model.hidden) * model.bytesPerParam
        let perAllReduce = allReduceLatency + 2 * (tp - 1) / tp * bytes / hardware.interconnectBandwidth
        return stepOverhead + 2 * Double(model.layers) * perAllReduce
    }

    public func stepTime(_ s: StepShape) -> Double {
        if s.prefillTokens == 0 && s.prefillSeqs == 0 {
            return decodeCost(batch: s.decodeSeqs).time(context: Double(s.decodeContext))
        }
        let tokens = s.prefillTokens + s.decodeSeqs
        let logits = Double(s.prefillSeqs + s.decodeSeqs)
        let flops = 2 * cache.activeParameters * Double(tokens) + 2 * model.headParameters * logits
            + attentionFlopsPerPair * (s.prefillAttentionPairs + Double(s.decodeContext))
        let bytes = streamedBytes(tokens: tokens) + model.kvBytesPerToken * Double(tokens + s.decodeContext)
        return max(flops / flopRate, bytes / byteRate) + fixedTime(tokens: tokens)
    }

    public func decodeCost(batch: Int) -> DecodeCost {
        let b = Double(batch)
        let fixed = fixedTime(tokens: batch)
        return DecodeCost(
            a1: 2 * (cache.activeParameters + model.headParameters) * b / flopRate + fixed,
            b1: attentionFlopsPerPair / flopRate,
            a2: (streamedBytes(tokens: batch) + model.kvBytesPerToken * b) / byteRate + fixed,
            b2: model.kvBytesPerToken / byteRate)
    }
}
