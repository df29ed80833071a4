extension ArrivalSpec {
    /// The same process with `factor` times the request rate (factor > 0): rates multiply, and a
    /// trace replays `factor` times faster (its inter-arrival times divide by it). The shape
    /// (CV, schedule step times, trace order and lengths) is unchanged. A closed loop gets
    /// `factor` times the clients and the requests (rounded, at least 1 each).
    public func scaled(by factor: Double) -> ArrivalSpec {
        switch self {
        case .poisson(let rate): return .poisson(rate: rate * factor)
        case .gamma(let rate, let cv): return .gamma(rate: rate * factor, cv: cv)
        case .schedule(let steps): return .schedule(steps: steps.map { RateStep(start: $0.start, rate: $0.rate * factor) })
        case .trace(var spec):
            spec.timeScale /= factor
            return .trace(spec)
        case .closedLoop(var spec):
            spec.concurrency = max(1, Int((Double(spec.concurrency) * factor).rounded()))
            spec.requests = max(1, Int((Double(spec.requests) * factor).rounded()))
            return .closedLoop(spec)
        }
    }
}

extension Scenario {
    /// The scenario with every class's arrival rate multiplied by `factor` (see `ArrivalSpec.scaled`).
    public func scalingLoad(by factor: Double) -> Scenario {
        var s = self
        for i in s.classes.indices { s.classes[i].arrivals = s.classes[i].arrivals.scaled(by: factor) }
        return s
    }
}
