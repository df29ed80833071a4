import ServingModel

/// Injected errors (pool key `errorRate`), as an attempt observer: an attempt about to complete on
/// such a pool fails instead with that probability (it has used its GPU time), drawn from the
/// stream `errors/<pool>`.
final class ErrorInjection: AttemptObserver {
    /// Per pool: the stream of its injected errors (nil: errorRate 0).
    private let streams: [RandomStream?]
    private let rates: [Double]
    /// Per pool: injected failures (whole run).
    private(set) var injected: [Int]

    /// Nil when no pool has an error rate.
    init?(scenario: Scenario) {
        guard scenario.pools.contains(where: { $0.errorRate > 0 }) else { return nil }
        streams = scenario.pools.map { $0.errorRate > 0 ? RandomStream(seed: scenario.seed, name: "errors/\($0.name)") : nil }
        rates = scenario.pools.map(\.errorRate)
        injected = Array(repeating: 0, count: scenario.pools.count)
    }

    func attemptEnded(_ slot: Int32, _ outcome: Outcome, _ sim: Simulation) -> Outcome {
        let p = Int(sim.requests.slots[Int(slot)].pool)
        guard outcome == .completed, let stream = streams[p], stream.chance(rates[p]) else { return outcome }
        injected[p] += 1
        return .failed
    }
}
