import ServingModel
/// One region over the measured span (requests first sent at or after warm-up): what its pools
/// served, what the geo router moved in and out, what its pools cost, and what its clients saw.
/// Present in a report (`regions`, in the scenario's region order) only when the scenario has regions.
public struct RegionReport: Codable, Sendable, Equatable {
    public var name: String
    /// Its pools, in scenario order.
    public var pools: [String]
    /// Requests whose final attempt the geo router sent to a pool of this region, by outcome (a
    /// request its pool overflowed to the hosted endpoint counts here too).
    public var served: RegionOutcomes
    /// Client-visible latencies (RTT included) of the completed requests in `served`, seconds.
    public var latency: RegionLatency
    /// Attempts (retries included) sent here although the nearest candidate region of their
    /// class was another one, unavailable at the send; and attempts sent away from this region
    /// because it was the nearest and unavailable.
    public var failoversIn: Int
    public var failoversOut: Int
    /// Provisioned GPU-hours and USD of its pools (the sum of their `pools[].gpuHours` and `cost`).
    public var gpuHours: Double
    public var cost: Double
    /// Requests sent by clients in this region (wherever they were served), and their latencies.
    public var clients: RegionClients
}

/// Requests by final outcome.
public struct RegionOutcomes: Codable, Sendable, Equatable {
    public var completed: Int
    public var rejected: Int
    public var timedOut: Int
    public var failed: Int

    public init(_ m: ClassMetrics) {
        completed = m.completed
        rejected = m.count(.rejected)
        timedOut = m.count(.timedOut)
        failed = m.count(.failed)
    }
}

/// TTFT and E2E of completed requests, seconds (all 0 with none).
public struct RegionLatency: Codable, Sendable, Equatable {
    public var ttft: LatencySummary
    public var e2e: LatencySummary

    public init(_ m: ClassMetrics) {
        ttft = LatencySummary(m.latency.ttft)
        e2e = LatencySummary(m.latency.e2e)
    }
}

/// What the clients of one origin region saw.
public struct RegionClients: Codable, Sendable, Equatable {
    public var requests: RegionOutcomes
    public var latency: RegionLatency
}
