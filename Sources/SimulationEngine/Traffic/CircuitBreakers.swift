import ServingModel

/// Per-pool circuit breakers (pool key `circuitBreaker`), as the last admission check: an open
/// breaker fails attempts fast; what the client saw of each routed attempt (and, with regions, of
/// each delivered response) feeds it.
final class CircuitBreakers: AdmissionStage {
    /// Per pool: its breaker's state (nil: none).
    private var breakers: [CircuitBreaker?]

    /// Nil when no pool has a breaker.
    init?(scenario: Scenario) {
        guard scenario.pools.contains(where: { $0.circuitBreaker != nil }) else { return nil }
        breakers = scenario.pools.map(\.circuitBreaker)
    }

    /// Asked last, so that a half-open breaker's single probe goes to an attempt that is then sent
    /// (asked first, a probe taken by an attempt rejected for another reason would never report
    /// back and leave the breaker half-open for good). An open breaker fails the attempt at once.
    func check(_ slot: Int32, pool p: Int, _ sim: Simulation) -> Rejection? {
        guard breakers[p] != nil else { return nil }
        return breakers[p]!.allow(at: sim.events.now) ? nil : .circuitOpen
    }

    /// Records whether an attempt on pool `p` succeeded, as its client saw it.
    func record(pool p: Int, success: Bool, at time: Double) {
        if breakers[p] != nil { breakers[p]!.record(success: success, at: time) }
    }

    /// Whether pool `p`'s breaker would let an attempt through at `time` (without taking a probe).
    func admits(pool p: Int, at time: Double) -> Bool { breakers[p]?.admits(at: time) ?? true }

    /// Whether pool `p`'s breaker is open at `time` (before its probe time).
    func isOpen(pool p: Int, at time: Double) -> Bool { breakers[p]?.isOpen(at: time) ?? false }
}
