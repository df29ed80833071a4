import ServingModel
/// One sequence's share of an engine step: how many new tokens it feeds and how many it already
/// has in its KV cache.
public struct SequenceWork: Sendable, Equatable {
    /// Stable identity of the sequence while it is in flight (the simulator's request slot).
    public var sequence: Int
    /// Tokens fed in this step: a prefill chunk, or 1 when decoding.
    public var newTokens: Int
    /// Tokens already in the sequence's KV cache before the step.
    public var cachedTokens: Int
    public var isDecode: Bool

    public init(sequence: Int, newTokens: Int, cachedTokens: Int, isDecode: Bool) {
        self.sequence = sequence
        self.newTokens = newTokens
        self.cachedTokens = cachedTokens
        self.isDecode = isDecode
    }
}

/// Runs engine steps for real (a serving loop): the simulator's scheduler decides each batch, the
/// executor computes it and reports how long it took. Used by `servesim validate` to serve real
/// requests on the transformer kernel with the same scheduler code the simulation uses.
public protocol StepExecutor: AnyObject {
    /// Runs one step; returns its wall duration in seconds.
    func execute(_ work: [SequenceWork]) -> Double
    /// Frees a sequence's KV cache (it finished, or was preempted and will be recomputed).
    func release(sequence: Int)
}
