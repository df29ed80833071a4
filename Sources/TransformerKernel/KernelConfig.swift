/// Shape of the small decoder-only transformer that the calibration kernel runs (Llama-style:
/// RMSNorm, grouped-query attention with RoPE, SwiGLU MLP, untied output projection).
///
/// All sizes are counts of elements (float32 everywhere); byte figures are computed from them.
public struct KernelConfig: Sendable, Equatable, Codable {
    /// Preset name ("tiny", "small", "base") or "custom".
    public var name: String
    /// Vocabulary size (rows of the embedding table, columns of the logits).
    public var vocab: Int
    /// Model width (residual stream size).
    public var hidden: Int
    public var layers: Int
    /// Query heads.
    public var heads: Int
    /// Key/value heads (grouped-query attention: `heads` must be a multiple of `kvHeads`).
    public var kvHeads: Int
    /// Size of one head (must be even, for RoPE).
    public var headDim: Int
    /// Inner size of the SwiGLU MLP.
    public var ffn: Int
    /// RoPE base frequency.
    public var ropeTheta: Double
    /// RMSNorm epsilon.
    public var normEps: Float

    public init(name: String = "custom", vocab: Int, hidden: Int, layers: Int, heads: Int, kvHeads: Int,
                headDim: Int, ffn: Int, ropeTheta: Double = 10_000, normEps: Float = 1e-5) {
        precondition(vocab > 0 && hidden > 0 && layers > 0 && ffn > 0, "sizes must be positive")
        precondition(heads > 0 && kvHeads > 0 && heads % kvHeads == 0, "heads must be a multiple of kvHeads")
        precondition(headDim > 0 && headDim % 2 == 0, "headDim must be even (RoPE rotates pairs)")
        self.name = name; self.vocab = vocab; self.hidden = hidden; self.layers = layers
        self.heads = heads; self.kvHeads = kvHeads; self.headDim = headDim; self.ffn = ffn
        self.ropeTheta = ropeTheta; self.normEps = normEps
    }

    /// For tests: 2 layers, hidden 64, 4 query heads over 2 KV heads (~0.1M parameters).
    public static let tiny = KernelConfig(name: "tiny", vocab: 256, hidden: 64, layers: 2, heads: 4,
                                          kvHeads: 2, headDim: 16, ffn: 176)
    /// About 25M parameters.
    public static let small = KernelConfig(name: "small", vocab: 8192, hidden: 512, layers: 6, heads: 8,
                                           kvHeads: 2, headDim: 64, ffn: 1408)
    /// The calibration default, about 63M parameters (batch-1 decode step ~19 ms on 2 shared EPYC
    /// cores with OpenBLAS 0.3.21; "small" is ~10 ms).
    public static let base = KernelConfig(name: "base", vocab: 8192, hidden: 768, layers: 8, heads: 12,
                                          kvHeads: 4, headDim: 64, ffn: 2048)

    public static let presets: [KernelConfig] = [.tiny, .small, .base]
    public static func preset(named name: String) -> KernelConfig? { presets.first { $0.name == name } }

    /// Width of the query projection output (`heads * headDim`).
    public var qWidth: Int { heads * headDim }
    /// Width of one K (or V) row in the cache (`kvHeads * headDim`).
    public var kvWidth: Int { kvHeads * headDim }
    /// Width of the fused QKV projection output.
    public var qkvWidth: Int { qWidth + 2 * kvWidth }

    /// Parameters of one layer's dense matrices (QKV, output, gate+up, down), without norms.
    public var denseParametersPerLayer: Int { hidden * qkvWidth + qWidth * hidden + 3 * hidden * ffn }
    /// All parameters: embedding, layers (dense + 2 norms), final norm, output projection.
    public var parameterCount: Int {
        2 * vocab * hidden + layers * (denseParametersPerLayer + 2 * hidden) + hidden
    }
    /// Bytes of weights (float32).
    public var weightBytes: Int { 4 * parameterCount }
    /// KV cache bytes per token: 2 (K and V) x layers x kvHeads x headDim x 4 bytes.
    public var kvBytesPerToken: Int { 2 * layers * kvWidth * 4 }

    /// Floating-point operations (multiply-add = 2) of one step: `rows` token rows through the dense
    /// layers, `attentionPairs` (query, key) pairs in every layer, `logitRows` rows of the output
    /// projection.
    public func stepFlops(rows: Int, attentionPairs: Double, logitRows: Int) -> Double {
        let dense = 2.0 * Double(layers * denseParametersPerLayer) * Double(rows)
        let attention = 4.0 * Double(layers * qWidth) * attentionPairs  // QK^T and PV
        let head = 2.0 * Double(vocab * hidden) * Double(logitRows)
        return dense + attention + head
    }
}
