/// What a finished simulation hands to the report: metrics, pool usage and run counters.
public struct SimulationResult {
    public let metrics: MetricsCollector
    public let pools: [PoolUsage]
    /// Events processed (a measure of simulation work, not of wall time).
    public let events: Int
    /// Simulated seconds from 0 to the last event (at least the scenario duration).
    public let endTime: Double
    /// Requests that arrived at or after warm-up.
    public let arrived: Int
    /// Of those, requests still in the system when the simulation stopped (drain timeout).
    public let inFlightAtEnd: Int
    /// Per class: arrivals at or after warm-up, and those still in flight at the end.
    public let arrivedByClass: [Int]
    public let inFlightByClass: [Int]
    /// Preemptions by recompute, all pools.
    public let preemptions: Int
    /// Engine steps (or service completions), all pools.
    public let steps: Int
    /// Time-average number of requests in the system over [0, endTime] (from event times).
    public let meanInSystem: Double
}

extension Simulation {
    func makeResult() -> SimulationResult {
        let span = max(0, endTime - scenario.warmup)
        let usage = pools.map { pool in
            let members = pool.replicas.map { replicas[$0] }
            return PoolUsage(
                name: pool.spec.name, hardware: pool.spec.hardware, replicas: pool.spec.replicas,
                gpusPerReplica: pool.spec.gpusPerReplica,
                provisionedGpuSeconds: span * Double(pool.spec.replicas * pool.spec.gpusPerReplica),
                busyGpuSeconds: members.reduce(0) { $0 + $1.busySeconds } * Double(pool.spec.gpusPerReplica),
                pricePerGpuHour: pool.spec.pricePerGpuHour)
        }
        return SimulationResult(
            metrics: metrics, pools: usage, events: events.processed, endTime: endTime,
            arrived: measuredArrived, inFlightAtEnd: measuredInFlight,
            arrivedByClass: measuredArrivedByClass, inFlightByClass: measuredInFlightByClass,
            preemptions: replicas.reduce(0) { $0 + $1.preemptions }, steps: replicas.reduce(0) { $0 + $1.steps },
            meanInSystem: (inSystemArea + Double(inSystem) * (endTime - inSystemSince)) / max(endTime, 1e-300))
    }
}
