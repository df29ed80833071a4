/// The work in one engine step (one forward pass over a batch), in tokens.
///
/// A step holds prefill chunks of some sequences and one decode token for each of the others.
public struct StepShape: Sendable, Equatable {
    /// Prompt tokens processed in this step (sum of chunk lengths).
    public var prefillTokens: Int
    /// Attention work of the prefill chunks in token pairs: for a chunk of `c` tokens that starts
    /// after `p` cached tokens, `c * p + c * (c + 1) / 2` (each new token attends to all before it).
    public var prefillAttentionPairs: Double
    /// Number of sequences with a prefill chunk in this step.
    public var prefillSeqs: Int
    /// Number of sequences decoding one token in this step.
    public var decodeSeqs: Int
    /// Sum over decoding sequences of their context length (tokens already in the KV cache).
    public var decodeContext: Int

    public init(prefillTokens: Int = 0, prefillAttentionPairs: Double = 0, prefillSeqs: Int = 0,
                decodeSeqs: Int = 0, decodeContext: Int = 0) {
        self.prefillTokens = prefillTokens
        self.prefillAttentionPairs = prefillAttentionPairs
        self.prefillSeqs = prefillSeqs
        self.decodeSeqs = decodeSeqs
        self.decodeContext = decodeContext
    }

    /// Attention pairs for a chunk of `chunk` tokens after `cached` tokens already in the cache.
    @inline(__always)
    public static func attentionPairs(chunk: Int, cached: Int) -> Double {
        let c = Double(chunk)
        return c * Double(cached) + c * (c + 1) / 2
    }
}

/// Decode step time as a function of the batch's total context `S` for a fixed batch size:
/// `t(S) = max(floor, a1 + b1 * S, a2 + b2 * S)` seconds (a roofline's compute and memory lines,
/// each already including the per-step overhead; a linear fit has both lines equal; `floor` is
/// the least a step can take, e.g. the engine's CPU work overlapped with it, 0 when none).
///
/// Invariant: b1, b2 >= 0 and t(S) > 0 for S >= 0. This shape is what makes jumping over many
/// decode steps in closed form possible (see `DecodeStretch`).
public struct DecodeCost: Sendable, Equatable {
    public var a1: Double, b1: Double, a2: Double, b2: Double
    public var floor: Double
    public init(a1: Double, b1: Double, a2: Double, b2: Double, floor: Double = 0) {
        self.a1 = a1; self.b1 = b1; self.a2 = a2; self.b2 = b2; self.floor = floor
    }
    /// A single line (both branches equal).
    public init(a: Double, b: Double) { self.init(a1: a, b1: b, a2: a, b2: b) }

    @inline(__always) public func time(context s: Double) -> Double { max(floor, a1 + b1 * s, a2 + b2 * s) }

    /// The two lines alone, without the floor.
    @inline(__always) public func lines(context s: Double) -> Double { max(a1 + b1 * s, a2 + b2 * s) }
}

/// How long an engine step takes on one replica (seconds).
///
/// Implementations: the roofline model (hardware x model shape), a calibrated profile (fitted to
/// measured kernel or GPU timings). Both must agree with themselves:
/// `stepTime(decode-only shape with B seqs and context S) == decodeCost(batch: B).time(context: S)`.
public protocol StepTimeModel: Sendable {
    /// Time of one step with the given work, in seconds (> 0 for any non-empty step).
    func stepTime(_ shape: StepShape) -> Double
    /// The decode-only step time of a batch of `batch` sequences as a function of total context.
    func decodeCost(batch: Int) -> DecodeCost
}
