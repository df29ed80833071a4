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
    /// MLP intermediate size (SwiGLU: gate and up projections of this width, then down).
    public var intermediate: Int
    public var vocab: Int
    /// Bytes per weight and per KV element (2 for BF16).
    public var bytesPerParam: Double
    /// Input embedding shared with the output projection.
    public var tiedEmbeddings: Bool

    public init(name: String, layers: Int, hidden: Int, heads: Int, kvHeads: Int, headDim: Int? = nil,
                intermediate: Int, vocab: Int, bytesPerParam: Double = 2, tiedEmbeddings: Bool = false) {
        self.name = name
        self.layers = layers
        self.hidden = hidden
        self.heads = heads
        self.kvHeads = kvHeads
        self.headDim = headDim ?? hidden / heads
        self.intermediate = intermediate
        self.vocab = vocab
        self.bytesPerParam = bytesPerParam
        self.tiedEmbeddings = tiedEmbeddings
    }

    /// Weights of the transformer layers (attention projections and MLP), per layer times layers.
    /// Norm weights (a few thousand per layer) are left out.
    public var layerParameters: Double {
        let q = Double(hidden * heads * headDim), kv = Double(2 * hidden * kvHeads * headDim)
        let o = Double(heads * headDim * hidden), mlp = Double(3 * hidden * intermediate)
        return Double(layers) * (q + kv + o + mlp)
    }

    /// Output projection (lm_head) weights.
    public var headParameters: Double { Double(hidden * vocab) }

    /// All parameters: layers, lm_head and (untied) input embedding.
    public var parameters: Double { layerParameters + headParameters * (tiedEmbeddings ? 1 : 2) }

    /// Bytes of all weights held in GPU memory.
    public var weightBytes: Double { parameters * bytesPerParam }

    /// Bytes of weights read per step: layers and lm_head (embedding lookups read a few rows only).
    public var streamedWeightBytes: Double { (layerParameters + headParameters) * bytesPerParam }

    /// KV cache bytes per token: 2 (K and V) x layers x kvHeads x headDim x bytes per element.
    public var kvBytesPerToken: Double { 2 * Double(layers * kvHeads * headDim) * bytesPerParam }
}

extension ModelSpec {
    /// meta-llama/Llama-3.1-8B config.json (Hugging Face): 32 layers, hidden 4096, 32 heads,
    /// 8 KV heads, intermediate 14336, vocab 128256.
    public static let llama31_8b = ModelSpec(name: "llama-3.1-8b", layers: 32, hidden: 4096, heads: 32, kvHeads: 8,
                                             intermediate: 14336, vocab: 128_256)
    /// meta-llama/Llama-3.1-70B config.json: 80 layers, hidden 8192, 64 heads, 8 KV heads,
    /// intermediate 28672, vocab 128256.
    public static let llama31_70b = ModelSpec(name: "llama-3.1-70b", layers: 80, hidden: 8192, heads: 64, kvHeads: 8,
                                              intermediate: 28672, vocab: 128_256)
    /// mistralai/Mistral-7B-v0.1 config.json: 32 layers, hidden 4096, 32 heads, 8 KV heads,
    /// intermediate 14336, vocab 32000.
    public static let mistral7b = ModelSpec(name: "mistral-7b", layers: 32, hidden: 4096, heads: 32, kvHeads: 8,
                                            intermediate: 14336, vocab: 32000)
    /// Qwen/Qwen2.5-0.5B config.json: 24 layers, hidden 896, 14 heads, 2 KV heads, intermediate
    /// 4864, vocab 151936, tied embeddings.
    public static let qwen25_05b = ModelSpec(name: "qwen2.5-0.5b", layers: 24, hidden: 896, heads: 14, kvHeads: 2,
                                             intermediate: 4864, vocab: 151_936, tiedEmbeddings: true)
    /// meta-llama/Llama-2-7b-hf config.json: 32 layers, hidden 4096, 32 heads, no GQA (32 KV heads),
    /// intermediate 11008, vocab 32000.
    public static let llama2_7b = ModelSpec(name: "llama-2-7b", layers: 32, hidden: 4096, heads: 32, kvHeads: 32,
                                            intermediate: 11008, vocab: 32000)

    /// meta-llama/Llama-3.2-1B config.json: 16 layers, hidden 2048, 32 heads, 8 KV heads, head_dim
    /// 64, intermediate 8192, vocab 128256, tied embeddings (1.24 B parameters). Shares Llama 3.1's
    /// tokenizer, so it can draft for Llama-3.1 models (speculative decoding).
    public static let llama32_1b = ModelSpec(name: "llama-3.2-1b", layers: 16, hidden: 2048, heads: 32, kvHeads: 8,
                                             headDim: 64, intermediate: 8192, vocab: 128_256, tiedEmbeddings: true)

    public static let presets: [ModelSpec] = [llama31_8b, llama31_70b, mistral7b, qwen25_05b, llama2_7b, llama32_1b]

    public static func preset(named name: String) -> ModelSpec? { presets.first { $0.name == name } }
}
