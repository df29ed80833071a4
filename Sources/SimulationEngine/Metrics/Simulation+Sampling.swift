import ServingModel
/// Time-series sampling: at every interval boundary the pools' state goes to the collector.
extension Simulation {
    func takeSample() {
        let now = events.now
        series.sample(at: now, pools: poolSamples())
        for r in replicas { r.busyAtLastSample = r.busySecondsTotal(at: now) }
        lastSampleTime = now
        if isActive() { events.schedule(at: now + scenario.timeSeriesInterval, kind: EventKind.sample, target: 0) }
    }

    /// Each pool's replica counts by state, queue, batch and utilization since the last sample.
    func poolSamples() -> [PoolSample] {
        let now = events.now
        let elapsed = now - lastSampleTime
        return pools.map { pool in
            let members = pool.replicas.map { replicas[$0] }
            let ready = members.filter { $0.lifecycle == .ready || $0.lifecycle == .draining }
            let busy = ready.reduce(0.0) { $0 + $1.busySecondsTotal(at: now) - $1.busyAtLastSample }
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
