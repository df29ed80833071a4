import ServingModel

/// Clients (class key `client`): timeouts and retries with backoff. Retries are new attempts of the
/// same request: they load the pools like new arrivals (a retry storm shows in the time series and
/// counts) but the request is recorded once, with its final outcome, from its first send.
final class Clients {
    /// Per class: its client's timeout (seconds, nil: none) and retry policy (nil: none), and the
    /// stream of its backoff jitter.
    private let timeouts: [Double?]
    private let retryPolicies: [RetryPolicy?]
    private let streams: [RandomStream]
    private(set) var retries = 0, timedOut = 0

    /// Nil when no class has a client with a timeout or retries.
    init?(scenario: Scenario) {
        guard scenario.classes.contains(where: { $0.client?.timeout != nil || $0.client?.retry != nil }) else { return nil }
        timeouts = scenario.classes.map { $0.client?.timeout }
        retryPolicies = scenario.classes.map { $0.client?.retry }
        streams = scenario.classes.map { RandomStream(seed: scenario.seed, name: "retry/\($0.name)") }
    }

    /// Starts the client's timeout of the attempt that just entered the system: from the send
    /// (plus the pool's overhead), so the outbound half RTT counts against it.
    @inline(__always) func armTimeout(_ slot: Int32, _ sim: Simulation) {
        let r = sim.requests.slots[Int(slot)]
        guard let timeout = timeouts[Int(r.classIndex)] else { return }
        let now = sim.events.now
        sim.events.schedule(at: max(now, now + timeout - sim.halfRTT(r)), .timeout, target: Int(slot), stamp: r.generation)
    }

    /// The client gave up waiting. The request is recorded (or retried) now; the replica or queue
    /// holding it drops it at its next step boundary.
    func timedOut(slot: Int32, generation: UInt32, _ sim: Simulation) {
        let r = sim.requests.slots[Int(slot)]
        guard r.generation == generation, !r.cancelled else { return }
        // A timeout is housekeeping until it ends a request: then the run lasts at least this long.
        sim.endTime = max(sim.endTime, sim.events.now)
        timedOut += 1
        sim.finish(slot, .timedOut, holdSlot: true)
        if r.replica >= 0 {
            let replica = sim.replicas[Int(r.replica)]
            // A decode stretch must end at the next step so the batch drops the request.
            if replica.work == .decode && replica.running.contains(slot) { sim.interrupt(replica, newcomer: false) }
        }
    }

    /// Sends a new attempt of the request whose attempt `r` did not complete, when its class's
    /// retry policy allows one more; false when it does not (the request ends).
    func retryIfAllowed(_ r: RequestState, _ sim: Simulation) -> Bool {
        let c = Int(r.classIndex)
        guard let retry = retryPolicies[c], Int(r.attempt) < retry.maxAttempts else { return false }
        let backoff = retry.backoff(attempt: Int(r.attempt), rng: streams[c])
        let now = sim.events.now
        var next = r
        next.attempt += 1
        next.arrival = now + backoff
        next.generated = 0
        next.prefilled = 0
        next.prefillTarget = next.promptTokens
        next.heldBlocks = 0
        next.chunkInFlight = 0
        next.firstScheduled = -1
        next.firstToken = -1
        next.replica = -1
        next.routed = false
        next.cancelled = false
        next.home = -1  // the geo router routes each attempt afresh
        retries += 1
        sim.series.retry(at: now)
        let overhead = sim.features.regions != nil ? 0 : sim.pools[sim.scenario.classPools[c]].requestOverhead
        sim.forward(next, at: next.arrival + overhead)
        return true
    }
}
