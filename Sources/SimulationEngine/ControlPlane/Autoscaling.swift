import ServingModel

/// Autoscaling: every sync period a pool's autoscaler reads its metric (averaged over the period,
/// per ready replica) and sets the desired replica count (`Autoscaler.decide`); replicas start
/// (warm-pool ones first) or drain. A pool scaled to zero activates on the first arrival
/// (Knative's activator, KEDA's 0 -> 1) without waiting for the next sync.
final class Autoscaling: Controller {
    /// Per pool: the autoscaler's state, attempts routed to it since the last sync, the arrival rate
    /// (requests/s) over the last two sync periods (for trend forecasts), and scaling decisions.
    private var states: [AutoscalerState]
    private var arrivalsSinceSync: [Int]
    private var currentRate: [Double], previousRate: [Double]
    private(set) var scaleUps: [Int], scaleDowns: [Int]

    /// Nil when no pool autoscales.
    init?(scenario: Scenario) {
        guard scenario.pools.contains(where: { $0.autoscaler != nil }) else { return nil }
        let n = scenario.pools.count
        states = Array(repeating: AutoscalerState(), count: n)
        arrivalsSinceSync = Array(repeating: 0, count: n)
        currentRate = Array(repeating: 0, count: n)
        previousRate = currentRate
        scaleUps = arrivalsSinceSync
        scaleDowns = arrivalsSinceSync
    }

    func start(_ sim: Simulation) {
        for (p, pool) in sim.pools.enumerated() {
            if let autoscaler = pool.spec.autoscaler { sim.events.schedule(at: autoscaler.syncPeriod, .autoscale, target: p) }
        }
    }

    /// An attempt was routed to pool `p` (for the request-rate metric and trend forecasts).
    @inline(__always) func noteArrival(pool p: Int) { arrivalsSinceSync[p] += 1 }

    func sync(pool p: Int, _ sim: Simulation) {
        guard let spec = sim.pools[p].spec.autoscaler else { return }
        let now = sim.events.now
        let ready = sim.count(p, .ready)
        let current = ready + sim.count(p, .starting)
        let period = spec.syncPeriod
        let perReplica = Double(max(ready, 1))
        let inPool = sim.pools[p].inPool.averageAndReset(at: now, window: period)
        let queued = sim.pools[p].queuedIntegral.averageAndReset(at: now, window: period)
        let metric: Double
        switch spec.metric {
        case .concurrency: metric = inPool / perReplica
        case .queueDepth: metric = queued / perReplica
        case .requestRate: metric = Double(arrivalsSinceSync[p]) / period / perReplica
        case .kvUtilization:
            let live = sim.pools[p].replicas.map { sim.replicas[$0] }.filter { $0.lifecycle == .ready && $0.totalBlocks > 0 }
            metric = live.isEmpty ? 0
                : live.reduce(0) { $0 + 1 - Double(sim.availableKVBlocks($1)) / Double($1.totalBlocks) } / Double(live.count)
        }
        // The panic check uses the instantaneous value (the engine samples once per sync period).
        let instantaneous: Double
        switch spec.metric {
        case .concurrency: instantaneous = sim.pools[p].inPool.value / perReplica
        case .queueDepth: instantaneous = sim.pools[p].queuedIntegral.value / perReplica
        default: instantaneous = metric
        }
        previousRate[p] = currentRate[p]
        currentRate[p] = Double(arrivalsSinceSync[p]) / period
        arrivalsSinceSync[p] = 0
        let desired = Autoscaler.decide(spec: spec, now: now, current: current, metric: metric, panicMetric: instantaneous,
                                        idleSince: sim.pools[p].idleSince, forecastRate: forecastRate(pool: p, spec: spec, sim),
                                        state: &states[p])
        scale(pool: p, to: desired, current: current, sim)
        if sim.isActive() { sim.events.schedule(at: now + period, .autoscale, target: p) }
    }

    /// Starts or drains replicas so `desired` are ready or starting.
    func scale(pool p: Int, to desired: Int, current: Int, _ sim: Simulation) {
        if desired > current {
            scaleUps[p] += 1
            for _ in current..<desired {
                // Warm-pool replicas first (they start faster), then stopped ones, by index.
                let range = sim.pools[p].replicas
                guard let i = range.first(where: { sim.replicas[$0].lifecycle == .warm })
                        ?? range.first(where: { sim.replicas[$0].lifecycle == .off }) else { break }
                sim.startReplica(sim.replicas[i], into: .ready)
            }
            refillWarmPool(p, sim)
        } else if desired < current {
            scaleDowns[p] += 1
            var excess = current - desired
            // Cancel starts first (newest first), then drain the ready replicas holding the least work.
            for i in sim.pools[p].replicas.reversed() where excess > 0 {
                let r = sim.replicas[i]
                if r.lifecycle == .starting && r.startsInto == .ready { sim.stopReplica(r); excess -= 1 }
            }
            let ready = sim.pools[p].replicas.filter { sim.replicas[$0].lifecycle == .ready }
                .sorted { (sim.replicas[$0].outstanding, -$0) < (sim.replicas[$1].outstanding, -$1) }
            for i in ready.prefix(excess) { sim.beginDrain(sim.replicas[i]) }
        }
    }

    /// Keeps the warm pool at its size by cold-starting stopped replicas into it.
    private func refillWarmPool(_ p: Int, _ sim: Simulation) {
        guard let size = sim.pools[p].spec.warmPool?.size else { return }
        let warm = sim.pools[p].replicas.filter {
            sim.replicas[$0].lifecycle == .warm || (sim.replicas[$0].lifecycle == .starting && sim.replicas[$0].startsInto == .warm)
        }.count
        var missing = size - warm
        for i in sim.pools[p].replicas where missing > 0 && sim.replicas[i].lifecycle == .off {
            sim.startReplica(sim.replicas[i], into: .warm)
            missing -= 1
        }
    }

    /// Scale from zero: the first request to a pool with nothing ready or starting starts one replica.
    func activateIfNeeded(pool p: Int, _ sim: Simulation) {
        guard sim.pools[p].spec.autoscaler != nil, sim.count(p, .ready) == 0, sim.count(p, .starting) == 0 else { return }
        scale(pool: p, to: 1, current: 0, sim)
    }

    /// Forecast arrival rate (requests/s) of the pool's classes `leadTime` ahead, for predictive
    /// scaling: from the scenario's own rate schedule (`schedule`: what a planner knows about a
    /// daily ramp), or by extending the change of the measured rate over the last two sync periods
    /// (`trend`). Nil (no forecast) with a trace or a closed loop, whose rate is not given ahead.
    private func forecastRate(pool p: Int, spec: AutoscalerSpec, _ sim: Simulation) -> Double? {
        guard let predictive = spec.predictive else { return nil }
        if predictive.mode == .trend {
            let slope = (currentRate[p] - previousRate[p]) / spec.syncPeriod
            return max(0, currentRate[p] + slope * predictive.leadTime)
        }
        let at = sim.events.now + predictive.leadTime
        var total = 0.0
        for (c, cls) in sim.scenario.classes.enumerated() where sim.scenario.classPools[c] == p {
            switch cls.arrivals {
            case .poisson(let rate), .gamma(let rate, _): total += at < sim.scenario.duration ? rate : 0
            case .schedule(let steps): total += steps.last(where: { $0.start <= at })?.rate ?? 0
            case .trace, .closedLoop: return nil  // no rate known ahead
            }
        }
        return total
    }
}
