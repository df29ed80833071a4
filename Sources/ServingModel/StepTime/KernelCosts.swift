/// The operators of one engine step on one replica, each timed from the GPU's measured kernel
/// tables (`KernelMeasurements`) where they exist and from the datasheet roofline where not.
/// Pure functions of the step's size; `KernelStepModel` tabulates them into a step-time model.
///
/// A replica of `tensorParallel` x `dataParallel` GPUs runs, per layer and per attention-DP rank
/// (each rank holding 1/dataParallel of the step's tokens, balanced):
/// - the QKV and O projections, split over `tensorParallel` GPUs (KV heads replicated when there
///   are fewer than GPUs);
/// - a dense SwiGLU MLP (gate_up, down) split the same way, or the MoE layer: the router GEMM,
///   shared experts as a dense MLP, and the fused experts, from the measured fused-MoE table of
///   the exact shape and sharding when there is one, else the roofline of the active experts
///   (the experts its tokens touch are streamed, `MoESpec.expertsTouched`);
/// - small kernels (two RMSNorms, the activation, rotary embedding): their bytes at memory speed
///   plus `smallKernelSeconds` each;
/// - two all-reduces of the step's activations when tensorParallel > 1 (vLLM's custom all-reduce
///   up to 8 MiB, in a CUDA graph up to 512 tokens; NCCL beyond or on PCIe past 2 GPUs); with
///   dataParallel > 1 the MoE layer's all-reduce is an all-to-all dispatch and combine instead.
/// Per step: the LM head GEMM over the sequences producing logits, sampling, embedding and the
/// final norm (small kernels). Attention is separate (`attention`): it depends on the context.
public struct KernelCosts: Sendable, Equatable {
    public let hardware: HardwareSpec
    public let model: ModelSpec
    public let tensorParallel: Int
    /// Attention data-parallel ranks (MoE models with expert parallelism only; 1 otherwise).
    public let dataParallel: Int
    /// Whole experts spread over all tensorParallel x dataParallel GPUs (vLLM
    /// `--enable-expert-parallel`) instead of every expert split by tensor parallelism.
    public let expertParallel: Bool
    /// The GPU's measured tables (nil: datasheet roofline for every operator).
    public let measurements: KernelMeasurements?
    /// Fractions of the datasheet peaks reached by operators without a table.
    public let computeEfficiency: Double
    public let memoryEfficiency: Double
    /// All-reduce latency of the datasheet fallback (NCCL small-message latency on NVLink is 5-10 us).
    public let allReduceLatency: Double

    /// Minimum time of one small kernel (norm, activation, rotary, sampling step): the vLLM 0.19
    /// per-layer profile of Llama-3.1-8B on the RTX PRO 6000 (the real_vllm measurements' dense.csv)
    /// times layernorm, act_fn and rotary_emb at 2.4-2.7 us for one token.
    public static let smallKernelSeconds = 2.5e-6

    public init(hardware: HardwareSpec, model: ModelSpec, tensorParallel: Int = 1, dataParallel: Int = 1,
                expertParallel: Bool = false, measurements: KernelMeasurements?, computeEfficiency: Double? = nil,
                memoryEfficiency: Double? = nil, allReduceLatency: Double = RooflineModel.defaultAllReduceLatency) {
        self.hardware = hardware
        self.model = model
        self.tensorParallel = tensorParallel
        self.dataParallel = dataParallel
        self.expertParallel = expertParallel
        self.measurements = measurements
        self.computeEfficiency = computeEfficiency ?? hardware.computeEfficiency
        self.memoryEfficiency = memoryEfficiency ?? hardware.memoryEfficiency
        self.allReduceLatency = allReduceLatency
    }

    /// The KV cache's format (1-byte elements: FP8).
    public var kvCacheFormat: KVCacheFormat { model.kvBytesPerElement <= 1 ? .fp8 : .bf16 }

    /// GPUs of the replica.
    public var gpus: Int { tensorParallel * dataParallel }
    /// Query heads and KV heads on one GPU (KV heads are replicated when fewer than the GPUs).
    public var localHeads: Int { max(1, model.heads / tensorParallel) }
    public var localKVHeads: Int { max(1, model.kvHeads / tensorParallel) }

    // MARK: Operators

    /// One GEMM of `m` tokens by a `k x n` weight slice on one GPU, seconds.
    public func gemm(m: Int, n: Int, k: Int) -> Double {
        guard m > 0 else { return 0 }
        if let table = measurements?.gemmTable(model.gemmFormat) { return table.time(m: m, n: n, k: k) }
        let (dm, dn, dk) = (Double(m), Double(n), Double(k))
        let flops = 2 * dm * dn * dk
        let bytes = dn * dk * model.bytesPerParam + 2 * (dm * dk + dm * dn)
        return max(flops / (hardware.peakFlops(for: model.gemmFormat) * computeEfficiency),
                   bytes / (hardware.memoryBandwidth * memoryEfficiency))
    }

    /// One all-reduce of `bytes` bytes over the tensor-parallel group, for a step of `tokens`
    /// tokens (which decides whether it runs inside a CUDA graph), seconds.
    public func allReduce(bytes: Double, tokens: Int) -> Double {
        let n = tensorParallel
        guard n > 1 else { return 0 }
        if let m = measurements {
            let customAllowed = hardware.interconnect == .nvlink || n == 2
            if customAllowed && bytes <= CollectiveTable.customAllReduceMaxBytes {
                let kind: CollectiveTable.Implementation = tokens <= CollectiveTable.cudaGraphMaxTokens ? .customGraph : .customEager
                if let table = m.collective(.allReduce, kind, gpus: n) { return table.time(bytes: bytes) }
            }
            if let table = m.collective(.allReduce, .nccl, gpus: n) { return table.time(bytes: bytes) }
        }
        // Ring all-reduce: 2 (n - 1) / n of the message crosses each GPU's link.
        let tp = Double(n)
        return allReduceLatency + 2 * (tp - 1) / tp * bytes / hardware.interconnectBandwidth
    }

    /// One all-to-all over `gpus` GPUs in which each GPU sends `bytes` bytes in total, seconds.
    public func allToAll(bytes: Double, gpus n: Int) -> Double {
        guard n > 1 else { return 0 }
        if let table = measurements?.collective(.allToAll, .nccl, gpus: n) { return table.time(bytes: bytes) }
        return allReduceLatency + Double(n - 1) / Double(n) * bytes / hardware.interconnectBandwidth
    }

    /// Elementwise work of `elements` BF16 elements read and written, as `kernels` small kernels.
    func smallKernels(_ kernels: Int, elements: Double) -> Double {
        Double(kernels) * Self.smallKernelSeconds + 2 * elements / (hardware.memoryBandwidth * memoryEfficiency)
    }

    /// The fused MoE experts of one layer, seconds (communication apart). `tokens` is what enters
    /// the layer on each GPU: with data parallelism, every rank's tokens gathered.
    public func moeExperts(tokens: Int) -> Double {
        guard let moe = model.moe, tokens > 0 else { return 0 }
        let moeTP = expertParallel ? 1 : tensorParallel
        let moeEP = expertParallel ? gpus : 1
        if let table = measurements?.moeTable(hidden: model.hidden, intermediate: moe.expertIntermediate, topK: moe.topK,
                                              experts: moe.experts, tensorParallel: moeTP, expertParallel: moeEP,
                                              format: model.gemmFormat) {
            return table.time(tokens: tokens)
        }
        // Roofline of the active experts: every token's topK experts computed, the touched
        // experts' weights streamed, both spread evenly over the GPUs that hold experts.
        let shards = Double(moeTP * moeEP)
        let expert = moe.expertParameters(hidden: model.hidden)
        let flops = 2 * Double(tokens * moe.topK) * expert / shards
        let bytes = moe.expertsTouched(tokens: tokens) * expert * model.bytesPerParam / shards
            + 2 * 2 * Double(tokens * moe.topK * model.hidden) / shards  // BF16 activations in and out
        return max(flops / (hardware.peakFlops(for: model.gemmFormat) * computeEfficiency),
                   bytes / (hardware.memoryBandwidth * memoryEfficiency))
    }

    /// All layers' token-dependent work for a step of `tokens` tokens on the replica: projections,
    /// MLP or MoE, small kernels and communication; plus the embedding and final norm. Seconds.
    public func layers(tokens total: Int) -> Double {
        guard total > 0 else { return 0 }
        let t = (total + dataParallel - 1) / dataParallel  // tokens on one attention-DP rank
        let tp = tensorParallel, h = model.hidden, d = model.headDim
        let qkv = gemm(m: t, n: (localHeads + 2 * localKVHeads) * d, k: h)
        let o = gemm(m: t, n: h, k: localHeads * d)
        let activations = Double(t * h) * 2  // one BF16 [tokens, hidden] tensor, bytes
        let norms = smallKernels(3, elements: Double(t) * (2 * Double(h) + 2 * Double((localHeads + localKVHeads) * d)))
        let attentionBlock = qkv + o + norms + allReduce(bytes: activations, tokens: t)
        var mlpLayers = 0.0
        if model.denseMLPLayers > 0 {
            let width = model.intermediate / tp
            let mlp = gemm(m: t, n: 2 * width, k: h) + gemm(m: t, n: h, k: width)
                + smallKernels(1, elements: 3 * Double(t * width)) + allReduce(bytes: activations, tokens: t)
            mlpLayers += Double(model.denseMLPLayers) * mlp
        }
        if model.moeLayers > 0 { mlpLayers += Double(model.moeLayers) * moeLayer(tokensPerRank: t) }
        return Double(model.layers) * attentionBlock + mlpLayers + smallKernels(2, elements: Double(t * h))
    }

    /// The MLP block of one MoE layer for `t` tokens on each attention-DP rank: router, experts,
    /// shared experts and communication (all-to-all dispatch and combine with data parallelism,
    /// else the tensor-parallel all-reduce), seconds. 0 for a dense model.
    public func moeLayer(tokensPerRank t: Int) -> Double {
        guard let moe = model.moe, t > 0 else { return 0 }
        let h = model.hidden
        var layer = gemm(m: t, n: moe.experts, k: h) + moeExperts(tokens: t * dataParallel)
        if moe.sharedIntermediate > 0 {
            let width = moe.sharedIntermediate / tensorParallel
            layer += gemm(m: t, n: 2 * width, k: h) + gemm(m: t, n: h, k: width)
        }
        if dataParallel > 1 {
            // Dispatch each token to its experts' GPUs and combine the results back.
            let sent = Double(t * moe.topK) * Double(h) * 2 * Double(gpus - 1) / Double(gpus)
            layer += 2 * allToAll(bytes: sent, gpus: gpus)
        } else {
            layer += allReduce(bytes: Double(t * h) * 2, tokens: t)
        }
        return layer
    }

    /// The LM head over `sequences` sequences producing logits, and sampling, seconds.
    public func head(sequences total: Int) -> Double {
        guard total > 0 else { return 0 }
        let n = (total + dataParallel - 1) / dataParallel
        let vocab = model.vocab / tensorParallel
        return gemm(m: n, n: vocab, k: model.hidden) + smallKernels(3, elements: Double(n * vocab))
    }

    /// Attention of one layer as linear coefficients on one GPU (per replica: divided over the
    /// attention-DP ranks, which share the work evenly): prefill in token pairs and tokens,
    /// decode in context tokens and sequences.
    public func attention() -> (prefill: LayerTableProfile.PrefillAttention, decode: LayerTableProfile.DecodeAttention) {
        let h = Double(localHeads), kv = Double(localKVHeads), d = Double(model.headDim), dp = Double(dataParallel)
        let kvFormat = kvCacheFormat
        let kvBytesPerToken = 2 * kv * d * model.kvBytesPerElement
        if let fit = measurements?.attentionFit(kvFormat) {
            return (LayerTableProfile.PrefillAttention(constant: fit.prefillConstant, perPair: fit.prefillPerFlop * 4 * d * h / dp,
                                                       perToken: fit.prefillPerTokenWidth * h * d / dp, r2: 0,
                                                       maxRelativeResidual: fit.prefillQuality.meanAbsoluteError),
                    LayerTableProfile.DecodeAttention(constant: fit.decodeConstant, perContextToken: fit.decodePerKVByte * kvBytesPerToken / dp,
                                                      perSequence: fit.decodePerSequenceWidth * h * d / dp, r2: 0,
                                                      maxRelativeResidual: fit.decodeQuality.meanAbsoluteError))
        }
        let flopRate = hardware.peakFlops * computeEfficiency, byteRate = hardware.memoryBandwidth * memoryEfficiency
        return (LayerTableProfile.PrefillAttention(constant: 0, perPair: 4 * d * h / flopRate / dp, perToken: 0, r2: 0,
                                                   maxRelativeResidual: 0),
                LayerTableProfile.DecodeAttention(constant: 0, perContextToken: kvBytesPerToken / byteRate / dp, perSequence: 0,
                                                  r2: 0, maxRelativeResidual: 0))
    }

    /// Which operators come from measured tables, for reports: e.g. "measured h100_sxm kernels
    /// (GEMM, attention, all-reduce, MoE)" or "datasheet roofline".
    public var source: String {
        guard let m = measurements else { return "datasheet roofline" }
        var measured: [String] = [], datasheet: [String] = []
        func note(_ name: String, _ found: Bool) { if found { measured.append(name) } else { datasheet.append(name) } }
        note("GEMM", m.gemmTable(model.gemmFormat) != nil)
        note("attention", m.attentionFit(kvCacheFormat) != nil)
        if tensorParallel > 1 { note("all-reduce", m.collective(.allReduce, .nccl, gpus: tensorParallel) != nil) }
        if let moe = model.moe {
            note("MoE", m.moeTable(hidden: model.hidden, intermediate: moe.expertIntermediate, topK: moe.topK,
                                   experts: moe.experts, tensorParallel: expertParallel ? 1 : tensorParallel,
                                   expertParallel: expertParallel ? gpus : 1, format: model.gemmFormat) != nil)
        }
        guard !measured.isEmpty else { return "datasheet roofline" }
        return "measured \(m.gpu) kernels (" + measured.joined(separator: ", ") + ")"
            + (datasheet.isEmpty ? "" : "; datasheet " + datasheet.joined(separator: ", "))
    }
}
