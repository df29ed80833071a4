import ServingModel

/// Request routers (model tiers), as an admission stage: an attempt of a routed class draws its
/// tier from the router's stream; a saturated tier falls back to the first free other tier
/// (`TrafficRouter.fallbackTier`).
final class TierRouting: AdmissionStage {
    /// A router while the simulation runs: its stream and counts (attempts first sent at or after
    /// warm-up; indexed like `spec.split`).
    final class Run {
        let spec: TrafficRouter
        let stream: RandomStream
        var drawn: [Int], sent: [Int], fallbacksOut: [Int], fallbacksIn: [Int]
        /// Attempts whose drawn tier was saturated and no other tier was free.
        var blocked = 0

        init(spec: TrafficRouter, seed: UInt64) {
            self.spec = spec
            stream = RandomStream(seed: seed, name: "router/\(spec.name)")
            drawn = Array(repeating: 0, count: spec.split.count)
            sent = drawn
            fallbacksOut = drawn
            fallbacksIn = drawn
        }
    }

    private let runs: [Run]
    /// Per class: its router (-1: none).
    private let routerOfClass: [Int]

    /// Nil when the scenario has no routers.
    init?(scenario: Scenario) {
        guard !scenario.routers.isEmpty else { return nil }
        runs = scenario.routers.map { Run(spec: $0, seed: scenario.seed) }
        routerOfClass = scenario.classRouters
    }

    func steer(_ attempt: inout RequestState, _ sim: Simulation) -> Steering {
        let router = routerOfClass[Int(attempt.classIndex)]
        if router >= 0 { attempt.pool = Int32(chooseTier(runs[router], attempt, sim)) }
        return .proceed
    }

    /// One draw from the router's stream picks a tier; a saturated tier falls back to the first free
    /// other tier. Returns the tier's pool.
    private func chooseTier(_ run: Run, _ state: RequestState, _ sim: Simulation) -> Int {
        let drawn = run.spec.tier(for: run.stream.uniformPositive())
        var chosen = drawn
        let measured = state.firstArrival >= sim.scenario.warmup
        if let rule = run.spec.fallback {
            let tokens = Int(state.promptTokens + state.requestedOutput)
            var drawnSaturated = false
            chosen = TrafficRouter.fallbackTier(drawn: drawn, count: run.spec.split.count) { k in
                let full = isSaturated(run.spec.split[k].pool, rule: rule, tokens: tokens, sim)
                if k == drawn { drawnSaturated = full }
                return full
            }
            if measured && drawnSaturated && chosen == drawn { run.blocked += 1 }
        }
        if measured {
            run.drawn[drawn] += 1
            run.sent[chosen] += 1
            if chosen != drawn {
                run.fallbacksOut[drawn] += 1
                run.fallbacksIn[chosen] += 1
            }
        }
        return run.spec.split[chosen].pool
    }

    /// Whether pool `p` counts as saturated for an attempt of `tokens` prompt + output tokens: it
    /// would turn the attempt away for capacity (too long for a replica, queue at `maxQueueLength`,
    /// circuit breaker open or its half-open probe in flight), or, for `queueDepth`, `threshold` or
    /// more requests wait in it. The tenant's rate limit and the global in-flight budget do not
    /// count: they do not depend on the tier.
    private func isSaturated(_ p: Int, rule: TrafficRouter.Saturation, tokens: Int, _ sim: Simulation) -> Bool {
        if !sim.canEverServe(tokens: tokens, pool: p) || sim.isQueueFull(p)
            || !(sim.features.breakers?.admits(pool: p, at: sim.events.now) ?? true) { return true }
        if case .queueDepth(let threshold) = rule { return sim.pools[p].queued >= threshold }
        return false
    }

    /// What each router did over the measured span.
    func reports(_ sim: Simulation) -> [RouterReport] {
        runs.enumerated().map { index, run in
            let shares = run.spec.shares
            let tiers = run.spec.split.indices.map { k in
                RouterTierReport(pool: sim.scenario.pools[run.spec.split[k].pool].name, weight: run.spec.split[k].weight,
                                 share: shares[k], drawn: run.drawn[k], sent: run.sent[k],
                                 fallbacksOut: run.fallbacksOut[k], fallbacksIn: run.fallbacksIn[k])
            }
            let classes = sim.scenario.classes.indices.filter { routerOfClass[$0] == index }.map { sim.scenario.classes[$0].name }
            return RouterReport(name: run.spec.name, classes: classes, fallback: run.spec.fallback.map(RouterFallbackReport.init),
                                attempts: run.drawn.reduce(0, +), fallbacks: run.fallbacksOut.reduce(0, +),
                                fallbacksBlocked: run.blocked, tiers: tiers)
        }
    }
}
