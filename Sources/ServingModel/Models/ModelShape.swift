/// A decoder-only transformer's shape, enough to count FLOPs and bytes per step.
///
/// Invariant: `heads * headDim` is the attention width; `kvHeads` divides `heads` (GQA).
public struct ModelSpec: Sendable, Equatable {
    public var name: String
    public var layers: Int
    public var hidden: Int
    public var heads: Int
    public var kvHeads: Int
    public var headDim: Int
    /// MLP intermediate size (SwiGLU: gate and up projections of this width, then down). With
    /// `moe`, the width of the leading dense layers' MLP only.
    public var intermediate: Int
    public var vocab: Int
    /// Bytes per stored weight (2 for BF16, 1 for FP8).
    public var bytesPerParam: Double
    /// Bytes per KV cache element (2 for BF16, 1 for an FP8 cache).
    public var kvBytesPerElement: Double
    /// The GEMM kernels the weights run on (BF16, or FP8 with its own peak and tables).
    public var gemmFormat: GEMMFormat
    /// Input embedding shared with the output projection.
    public var tiedEmbeddings: Bool
    /// The mixture-of-experts MLP (nil: dense).
    public var moe: MoESpec?

    /// `kvBytesPerElement` defaults to `bytesPerParam` (one dtype for both, as before formats
    /// were separate); `gemmFormat` to BF16.
    public init(name: String, layers: Int, hidden: Int, heads: Int, kvHeads: Int, headDim: Int? = nil,
                intermediate: Int, vocab: Int, bytesPerParam: Double = 2, kvBytesPerElement: Double? = nil,
                gemmFormat: GEMMFormat = .bf16, tiedEmbeddings: Bool = false, moe: MoESpec? = nil) {
        self.name = name
        self.layers = layers
        self.hidden = hidden
        self.heads = heads
        self.kvHeads = kvHeads
        self.headDim = headDim ?? hidden / heads
        self.intermediate = intermediate
        self.vocab = vocab
        self.bytesPerParam = bytesPerParam
        self.kvBytesPerElement = kvBytesPerElement ?? bytesPerParam
        self.gemmFormat = gemmFormat
        self.tiedEmbeddings = tiedEmbeddings
        self.moe = moe
    }

    /// The same model with its weights in `format` (vLLM `--quantization fp8`: FP8 weights and
    /// FP8 GEMMs).
    public func withWeights(_ format: GEMMFormat) -> ModelSpec {
        var m = self
        m.gemmFormat = format
        m.bytesPerParam = format.bytesPerWeight
        return m
    }

    /// The same model with its KV cache in `format` (vLLM `--kv-cache-dtype`).
    public func withKVCache(_ format: KVCacheFormat) -> ModelSpec {
        var m = self
        m.kvBytesPerElement = format.bytesPerElement
        return m
    }

    /// Attention projections of one layer: Q, K, V and O.
    public var attentionParametersPerLayer: Double {
        let q = Double(hidden * heads * headDim), kv = Double(2 * hidden * kvHeads * headDim)
        let o = Double(heads * headDim * hidden)
        return q + kv + o
    }

    /// A dense SwiGLU MLP of `intermediate` width.
    public var denseMLPParametersPerLayer: Double { Double(3 * hidden * intermediate) }

    /// Layers with a dense MLP (all of them without `moe`).
    public var denseMLPLayers: Int { moe.map { $0.denseLayers } ?? layers }

    /// Layers with an MoE MLP.
    public var moeLayers: Int { layers - denseMLPLayers }

    /// Weights of the transformer layers (attention projections and MLP, every expert), per layer
    /// times layers. Norm weights (a few thousand per layer) are left out.
    public var layerParameters: Double {
        guard let moe else { return Double(layers) * (attentionParametersPerLayer + denseMLPParametersPerLayer) }
        return Double(layers) * attentionParametersPerLayer + Double(denseMLPLayers) * denseMLPParametersPerLayer
            + Double(moeLayers) * (Double(moe.experts) * moe.expertParameters(hidden: hidden) + moe.alwaysOnParameters(hidden: hidden))
    }

    /// Layer weights each token multiplies (a dense model's are all of them; an MoE token uses
    /// its `topK` experts, the router and the shared experts): FLOPs per token = 2 x this.
    public var activeLayerParameters: Double {
        guard let moe else { return layerParameters }
        return Double(layers) * attentionParametersPerLayer + Double(denseMLPLayers) * denseMLPParametersPerLayer
            + Double(moeLayers) * (Double(moe.topK) * moe.expertParameters(hidden: hidden) + moe.alwaysOnParameters(hidden: hidden))
    }

    /// Output projection (lm_head) weights.
    public var headParameters: Double { Double(hidden * vocab) }

    /// All parameters: layers, lm_head and (untied) input embedding.
    public var parameters: Double { layerParameters + headParameters * (tiedEmbeddings ? 1 : 2) }

    /// Bytes of all weights held in GPU memory.
    public var weightBytes: Double { parameters * bytesPerParam }

    /// Bytes of weights read per step by a dense model: layers and lm_head (embedding lookups
    /// read a few rows only). For an MoE model, the bytes when every expert is touched.
    public var streamedWeightBytes: Double { (layerParameters + headParameters) * bytesPerParam }

    /// Bytes of weights a step over `tokens` tokens reads: all of a dense model's; an MoE model's
    /// attention, router, shared experts and lm_head plus the experts its tokens touch
    /// (`MoESpec.expertsTouched`).
    public func streamedWeightBytes(tokens: Int) -> Double {
        guard let moe else { return streamedWeightBytes }
        let perLayerExperts = moe.expertsTouched(tokens: tokens) * moe.expertParameters(hidden: hidden)
        let layerBytes = Double(layers) * attentionParametersPerLayer + Double(denseMLPLayers) * denseMLPParametersPerLayer
            + Double(moeLayers) * (perLayerExperts + moe.alwaysOnParameters(hidden: hidden))
        return (layerBytes + headParameters) * bytesPerParam
    }

    /// KV cache bytes per token: 2 (K and V) x layers x kvHeads x headDim x bytes per element.
    public var kvBytesPerToken: Double { 2 * Double(layers * kvHeads * headDim) * kvBytesPerElement }
}
