import ServingModel

/// Time-series sampling, as a controller: at every interval boundary the pools' state goes to the
/// run's `TimeSeriesCollector` (which the core feeds arrivals, retries and records).
final class TimeSeriesSampler: Controller {
    private let interval: Double
    /// Per replica (global index): its busy seconds at the last sample, for the interval's utilization.
    private var busyAtLastSample: [Double]
    private var lastSampleTime = 0.0

    init(scenario: Scenario, replicaCount: Int) {
        interval = scenario.timeSeriesInterval
        busyAtLastSample = Array(repeating: 0, count: replicaCount)
    }

    func start(_ sim: Simulation) {
        sim.events.schedule(at: interval, .sample, target: 0)
    }

    func sample(_ sim: Simulation) {
        let now = sim.events.now
        sim.series.sample(at: now, pools: poolSamples(sim))
        for r in sim.replicas { busyAtLastSample[r.index] = r.busySecondsTotal(at: now) }
        lastSampleTime = now
        if sim.isActive() && !sim.series.isFull { sim.events.schedule(at: now + interval, .sample, target: 0) }
    }

    /// Closes the last interval at the run's end.
    func finish(_ sim: Simulation) {
        sim.series.finish(at: sim.endTime, pools: poolSamples(sim))
    }

    /// Each pool's replica counts by state, queue, batch and utilization since the last sample.
    private func poolSamples(_ sim: Simulation) -> [PoolSample] {
        let now = sim.events.now
        let elapsed = now - lastSampleTime
        return sim.pools.map { pool in
            let members = pool.replicas.map { sim.replicas[$0] }
            let ready = members.filter { $0.lifecycle == .ready || $0.lifecycle == .draining }
            let busy = ready.reduce(0.0) { $0 + $1.busySecondsTotal(at: now) - busyAtLastSample[$1.index] }
            return PoolSample(
                pool: pool.spec.name, ready: members.filter { $0.lifecycle == .ready }.count,
                starting: members.filter { $0.lifecycle == .starting }.count,
                warm: members.filter { $0.lifecycle == .warm }.count,
                draining: members.filter { $0.lifecycle == .draining }.count,
                failed: members.filter { $0.lifecycle == .failed }.count,
                queued: pool.queued, running: members.reduce(0) { $0 + $1.running.count },
                utilization: ready.isEmpty || elapsed <= 0 ? 0 : min(1, busy / (elapsed * Double(ready.count))))
        }
    }
}
