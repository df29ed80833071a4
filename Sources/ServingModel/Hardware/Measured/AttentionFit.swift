/// Attention kernel time of one layer on one GPU, fitted (GSL weighted least squares, relative
/// residuals, non-negative coefficients) to vLLM's FlashAttention timings of many shapes; per KV
/// cache format. Features are per GPU: `heads` and `kvHeads` are the ones a GPU holds (total / TP).
///
///     prefill = prefillConstant + prefillPerFlop * 4 headDim heads pairs
///               + prefillPerTokenWidth * tokens heads headDim
///     decode  = decodeConstant + decodePerKVByte * contextTokens 2 kvHeads headDim bytesPerElement
///               + decodePerSequenceWidth * sequences heads headDim
///
/// (`pairs` as in `StepShape.prefillAttentionPairs`; decode reads every cached K and V once.)
public struct AttentionFit: Sendable, Equatable {
    public var kvFormat: KVCacheFormat
    public var prefillConstant: Double
    public var prefillPerFlop: Double
    public var prefillPerTokenWidth: Double
    public var decodeConstant: Double
    public var decodePerKVByte: Double
    public var decodePerSequenceWidth: Double
    public var prefillQuality: FitQuality
    public var decodeQuality: FitQuality

    public init(kvFormat: KVCacheFormat, prefillConstant: Double, prefillPerFlop: Double, prefillPerTokenWidth: Double,
                decodeConstant: Double, decodePerKVByte: Double, decodePerSequenceWidth: Double,
                prefillQuality: FitQuality, decodeQuality: FitQuality) {
        self.kvFormat = kvFormat
        self.prefillConstant = prefillConstant
        self.prefillPerFlop = prefillPerFlop
        self.prefillPerTokenWidth = prefillPerTokenWidth
        self.decodeConstant = decodeConstant
        self.decodePerKVByte = decodePerKVByte
        self.decodePerSequenceWidth = decodePerSequenceWidth
        self.prefillQuality = prefillQuality
        self.decodeQuality = decodeQuality
    }

    /// One layer's prefill attention for `sequences` prompts of `tokens` tokens each from an empty
    /// cache (the benchmark's shape), seconds.
    public func prefill(sequences: Int, tokens: Int, heads: Int, headDim: Int) -> Double {
        let pairs = Double(sequences) * StepShape.attentionPairs(chunk: tokens, cached: 0)
        return prefillConstant + prefillPerFlop * 4 * Double(headDim * heads) * pairs
            + prefillPerTokenWidth * Double(sequences * tokens) * Double(heads * headDim)
    }

    /// One layer's decode attention for `sequences` sequences of `context` cached tokens each.
    public func decode(sequences: Int, context: Int, heads: Int, kvHeads: Int, headDim: Int) -> Double {
        let kvBytes = Double(sequences) * Double(context) * 2 * Double(kvHeads * headDim) * kvFormat.bytesPerElement
        return decodeConstant + decodePerKVByte * kvBytes + decodePerSequenceWidth * Double(sequences * heads * headDim)
    }
}
