import Foundation

/// What the autoscaler remembers between decisions.
public struct AutoscalerState: Sendable, Equatable {
    /// One past recommendation (after the [floor, maxReplicas] clamp), for scale-down stabilization.
    public struct Recommendation: Sendable, Equatable {
        public var time: Double
        public var replicas: Int
    }
    /// Recommendations younger than `scaleDownStabilization`, oldest first.
    public internal(set) var recommendations: [Recommendation] = []
    /// When the panic condition last held; nil if never.
    public internal(set) var lastPanic: Double?

    public init() {}

    /// Whether decisions at `now` are in panic mode (within `stableWindow` of the last panic).
    public func inPanic(at now: Double, spec: AutoscalerSpec) -> Bool {
        guard let lastPanic else { return false }
        return now - lastPanic < spec.stableWindow
    }
}

/// The pure decision rule of `AutoscalerSpec`; the engine calls it every `syncPeriod`.
public enum Autoscaler {
    /// Desired replicas at `now`.
    ///
    /// - Parameters:
    ///   - current: replicas now counted by the pool (ready plus starting).
    ///   - metric: `spec.metric` per ready replica, averaged over the last sync period.
    ///   - panicMetric: the same, averaged over the last `panicWindow`.
    ///   - idleSince: when the pool last had a request (arriving or in flight); nil while busy.
    ///   - forecastRate: forecast arrivals/s `leadTime` ahead (nil: no forecast).
    ///
    /// Rules, in order:
    /// 1. HPA: raw = ceil(current * metric / target), or `current` when |metric/target - 1| <=
    ///    tolerance (products within 1e-9 of an integer count as that integer).
    /// 2. Panic (Knative): if panicMetric >= panicThreshold * target, raw = max(raw,
    ///    ceil(current * panicMetric / target)) and the panic clock restarts.
    /// 3. Predictive: raw = max(raw, ceil(forecastRate / perReplicaRate)).
    /// 4. Scale to zero (KEDA): with minReplicas 0, idle for at least `scaleToZeroGrace` and no
    ///    predictive demand, the answer is 0 (bypassing stabilization, as KEDA does). Otherwise
    ///    the floor is max(minReplicas, 1); raw is clamped to [floor, maxReplicas] and recorded.
    /// 5. Scale-down stabilization (HPA): a decrease goes only to the maximum recommendation in the
    ///    last `scaleDownStabilization` seconds (entries strictly younger than the window, and this one).
    /// 6. Panic hold: no decrease within `stableWindow` of the last panic.
    /// 7. Scale-up limit: at most max(ceil(current * scaleUpFactor), current + scaleUpPods) per
    ///    call (one call per sync period); the final answer is clamped to [floor, maxReplicas].
    ///
    /// With `current == 0` there is no per-replica metric: the caller activates the pool on the
    /// first arrival (to max(minReplicas, 1)); `decide` then returns max(minReplicas, predictive
    /// demand) clamped to maxReplicas, so a forecast can wake a pool before traffic arrives.
    public static func decide(spec: AutoscalerSpec, now: Double, current: Int, metric: Double, panicMetric: Double,
                              idleSince: Double?, forecastRate: Double?, state: inout AutoscalerState) -> Int {
        var predictive = 0
        if let p = spec.predictive, let rate = forecastRate, rate > 0 {
            predictive = ceilCount(rate / p.perReplicaRate)
        }
        if current <= 0 {
            return min(spec.maxReplicas, max(spec.minReplicas, predictive))
        }
        // 1. HPA proportional rule.
        let ratio = metric / spec.target
        var raw = abs(ratio - 1) <= spec.tolerance ? current : ceilCount(Double(current) * ratio)
        // 2. Panic.
        if panicMetric >= spec.panicThreshold * spec.target {
            state.lastPanic = now
            raw = max(raw, ceilCount(Double(current) * panicMetric / spec.target))
        }
        // 3. Predictive floor.
        raw = max(raw, predictive)
        // 4. Scale to zero, else clamp and record.
        if spec.minReplicas == 0, predictive == 0, let idleSince, now - idleSince >= spec.scaleToZeroGrace,
           !state.inPanic(at: now, spec: spec) {
            state.recommendations = [.init(time: now, replicas: 0)]
            return 0
        }
        let floor = max(spec.minReplicas, 1)
        raw = min(spec.maxReplicas, max(floor, raw))
        state.recommendations.removeAll { $0.time <= now - spec.scaleDownStabilization }
        state.recommendations.append(.init(time: now, replicas: raw))
        // 5. Scale-down stabilization.
        var desired = raw
        if desired < current {
            let stabilized = state.recommendations.map(\.replicas).max() ?? raw
            desired = min(current, stabilized)
        }
        // 6. Panic hold.
        if desired < current && state.inPanic(at: now, spec: spec) { desired = current }
        // 7. Scale-up rate limit.
        if desired > current {
            let limit = max(ceilCount(Double(current) * spec.scaleUpFactor), current + spec.scaleUpPods)
            desired = min(desired, limit)
        }
        return min(spec.maxReplicas, max(floor, desired))
    }

    /// ceil(x) as a replica count, treating values within 1e-9 of an integer as that integer.
    static func ceilCount(_ x: Double) -> Int {
        guard x.isFinite, x > 0 else { return 0 }
        return Int(min((x - 1e-9).rounded(.up), 1e9))
    }
}
