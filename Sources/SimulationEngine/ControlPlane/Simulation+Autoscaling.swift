import ServingModel
import Foundation

/// Autoscaling: every sync period a pool's autoscaler reads its metric (averaged over the period,
/// per ready replica) and sets the desired replica count (`Autoscaler.decide`); the engine starts
/// replicas (warm-pool ones first) or drains them. A pool scaled to zero activates on the first
/// arrival (Knative's activator, KEDA's 0 -> 1) without waiting for the next sync.
extension Simulation {
    func handleAutoscale(pool p: Int) {
        guard let spec = pools[p].spec.autoscaler else { return }
        let now = events.now
        let ready = count(p, .ready)
        let current = ready + count(p, .starting)
        let period = spec.syncPeriod
        let perReplica = Double(max(ready, 1))
        let inPool = pools[p].inPool.averageAndReset(at: now, window: period)
        let queued = pools[p].queuedIntegral.averageAndReset(at: now, window: period)
        let metric: Double
        switch spec.metric {
        case .concurrency: metric = inPool / perReplica
        case .queueDepth: metric = queued / perReplica
        case .requestRate: metric = Double(pools[p].arrivalsSinceTick) / period / perReplica
        case .kvUtilization:
            let live = pools[p].replicas.map { replicas[$0] }.filter { $0.lifecycle == .ready && $0.totalBlocks > 0 }
            metric = live.isEmpty ? 0 : live.reduce(0) { $0 + 1 - Double(availableKVBlocks($1)) / Double($1.totalBlocks) } / Double(live.count)
        }
        // The panic check uses the instantaneous value (the engine samples once per sync period).
        let instantaneous: Double
        switch spec.metric {
        case .concurrency: instantaneous = pools[p].inPool.value / perReplica
        case .queueDepth: instantaneous = pools[p].queuedIntegral.value / perReplica
        default: instantaneous = metric
        }
        pools[p].previousRate = pools[p].currentRate
        pools[p].currentRate = Double(pools[p].arrivalsSinceTick) / period
        pools[p].arrivalsSinceTick = 0
        let desired = Autoscaler.decide(spec: spec, now: now, current: current, metric: metric, panicMetric: instantaneous,
                                        idleSince: pools[p].idleSince, forecastRate: forecastRate(pool: p, spec: spec),
                                        state: &pools[p].autoscalerState)
        scale(pool: p, to: desired, current: current)
        if isActive() { events.schedule(at: now + period, kind: EventKind.autoscale, target: p) }
    }

    /// Starts or drains replicas so `desired` are ready or starting.
    func scale(pool p: Int, to desired: Int, current: Int) {
        if desired > current {
            pools[p].scaleUps += 1
            for _ in current..<desired {
                // Warm-pool replicas first (they start faster), then stopped ones, by index.
                let range = pools[p].replicas
                guard let i = range.first(where: { replicas[$0].lifecycle == .warm })
                        ?? range.first(where: { replicas[$0].lifecycle == .off }) else { break }
                startReplica(replicas[i], into: .ready)
            }
            refillWarmPool(p)
        } else if desired < current {
            pools[p].scaleDowns += 1
            var excess = current - desired
            // Cancel starts first (newest first), then drain the ready replicas holding the least work.
            for i in pools[p].replicas.reversed() where excess > 0 {
                let r = replicas[i]
                if r.lifecycle == .starting && r.startsInto == .ready { stopReplica(r); excess -= 1 }
            }
            let ready = pools[p].replicas.filter { replicas[$0].lifecycle == .ready }
                .sorted { (replicas[$0].outstanding, -$0) < (replicas[$1].outstanding, -$1) }
            for i in ready.prefix(excess) { beginDrain(replicas[i]) }
        }
    }

    /// Keeps the warm pool at its size by cold-starting stopped replicas into it.
    func refillWarmPool(_ p: Int) {
        guard let size = pools[p].spec.warmPool?.size else { return }
        let warm = pools[p].replicas.filter { replicas[$0].lifecycle == .warm || (replicas[$0].lifecycle == .starting && replicas[$0].startsInto == .warm) }.count
        var missing = size - warm
        for i in pools[p].replicas where missing > 0 && replicas[i].lifecycle == .off {
            startReplica(replicas[i], into: .warm)
            missing -= 1
        }
    }

    /// Scale from zero: the first request to a pool with nothing ready or starting starts one replica.
    func activateIfNeeded(pool p: Int) {
        guard pools[p].spec.autoscaler != nil, count(p, .ready) == 0, count(p, .starting) == 0 else { return }
        scale(pool: p, to: 1, current: 0)
    }

    /// Forecast arrival rate (requests/s) of the pool's classes `leadTime` ahead, for predictive
    /// scaling: from the scenario's own rate schedule (`schedule`: what a planner knows about a
    /// daily ramp), or by extending the change of the measured rate over the last two sync periods
    /// (`trend`).
    func forecastRate(pool p: Int, spec: AutoscalerSpec) -> Double? {
        guard let predictive = spec.predictive else { return nil }
        if predictive.mode == .trend {
            let slope = (pools[p].currentRate - pools[p].previousRate) / spec.syncPeriod
            return max(0, pools[p].currentRate + slope * predictive.leadTime)
        }
        let at = events.now + predictive.leadTime
        var total = 0.0
        for (c, cls) in scenario.classes.enumerated() where scenario.classPools[c] == p {
            switch cls.arrivals {
            case .poisson(let rate), .gamma(let rate, _): total += at < scenario.duration ? rate : 0
            case .schedule(let steps): total += steps.last(where: { $0.start <= at })?.rate ?? 0
            case .trace: return nil
            }
        }
        return total
    }

    /// Whether anything is left to simulate: arrivals or retries to come, or live requests (a
    /// cancelled request still parked in a queue does not count).
    func isActive() -> Bool {
        inSystem > 0 || retryTickets.count > freeRetryTickets.count || pendingDraws.contains { $0 != nil }
    }
}
