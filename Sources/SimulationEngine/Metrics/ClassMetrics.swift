import ServingModel
/// Latency histograms of completed requests, seconds.
public struct LatencyHistograms: Sendable, Equatable {
    public var ttft = LogHistogram()
    /// Only requests with more than one output token (TPOT is undefined otherwise).
    public var tpot = LogHistogram()
    public var e2e = LogHistogram()
    public var queueWait = LogHistogram()

    public init() {}

    @inline(__always)
    mutating func add(_ r: RequestRecord) {
        ttft.add(r.ttft)
        if r.outputTokens > 1 { tpot.add(r.tpot) }
        e2e.add(r.e2e)
        queueWait.add(r.queueWait)
    }

    public mutating func merge(_ other: LatencyHistograms) {
        ttft.merge(other.ttft)
        tpot.merge(other.tpot)
        e2e.merge(other.e2e)
        queueWait.merge(other.queueWait)
    }
}

/// What the collector knows about one set of requests (one class, or all of them) that arrived
/// after warmup and have ended.
public struct ClassMetrics: Sendable, Equatable {
    /// Requests per outcome, indexed by `Outcome.rawValue`.
    public private(set) var outcomes = [Int](repeating: 0, count: Outcome.allCases.count)
    /// Latency histograms of completed requests.
    public var latency = LatencyHistograms()
    /// Prompt and output tokens of completed requests (the tokens actually processed; a rejected,
    /// timed-out or failed request carries no reliable count of what it consumed).
    public private(set) var promptTokens = 0
    public private(set) var outputTokens = 0

    public init() {}

    public func count(_ outcome: Outcome) -> Int { outcomes[outcome.rawValue] }
    /// Requests that ended, whatever the outcome.
    public var finished: Int { outcomes.reduce(0, +) }
    public var completed: Int { count(.completed) }

    /// Adds everything `other` counted.
    public mutating func merge(_ other: ClassMetrics) {
        for i in outcomes.indices { outcomes[i] += other.outcomes[i] }
        latency.merge(other.latency)
        promptTokens += other.promptTokens
        outputTokens += other.outputTokens
    }

    @inline(__always)
    mutating func add(_ r: RequestRecord) {
        outcomes[r.outcome.rawValue] += 1
        guard r.outcome == .completed else { return }
        latency.add(r)
        promptTokens += r.promptTokens
        outputTokens += r.outputTokens
    }
}
