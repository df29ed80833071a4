import ServingModel
/// How a request ended.
public enum Outcome: Int, Sendable, CaseIterable {
    case completed, rejected, timedOut, failed
}

/// What the metrics see of one finished request. Times are seconds of simulated time.
///
/// Invariants for completed requests: `0 <= queueWait < ttft <= e2e`; `tpot == (e2e - ttft) / (outputTokens - 1)` when `outputTokens > 1`, else 0.
public struct RequestRecord: Sendable, Equatable {
    public var classIndex: Int
    public var outcome: Outcome
    /// When the request arrived.
    public var arrival: Double
    /// When it ended (completion, rejection, timeout or failure).
    public var end: Double
    /// From reaching its pool (arrival plus the pool's request overhead) to the start of its first
    /// scheduled step: time spent in the scheduler's queue.
    public var queueWait: Double
    /// From arrival to the end of the step that produced the first output token.
    public var ttft: Double
    /// Mean time per output token after the first.
    public var tpot: Double
    /// From arrival to the last output token.
    public var e2e: Double
    public var promptTokens: Int
    /// Output tokens of the final attempt (a degradation ladder may have capped them).
    public var outputTokens: Int
    /// Index of the pool that ended its final attempt (a degradation ladder may have moved it off
    /// its class's pool).
    public var pool: Int
    /// A completed answer that broke its output schema, or that the safety classifier flagged
    /// (`AnswerQuality`; always false for other outcomes and for pools without quality).
    public var schemaViolation = false
    public var safetyFlag = false

    public init(classIndex: Int, outcome: Outcome, arrival: Double, end: Double, queueWait: Double,
                ttft: Double, tpot: Double, e2e: Double, promptTokens: Int, outputTokens: Int, pool: Int = 0) {
        self.classIndex = classIndex
        self.outcome = outcome
        self.arrival = arrival
        self.end = end
        self.queueWait = queueWait
        self.ttft = ttft
        self.tpot = tpot
        self.e2e = e2e
        self.promptTokens = promptTokens
        self.outputTokens = outputTokens
        self.pool = pool
    }
}
