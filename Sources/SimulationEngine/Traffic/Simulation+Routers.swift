import ServingModel
/// Routers (model tiers), releases and injected errors on the engine's side. `admit` asks `steer`
/// for an attempt's pool when the scenario has any of them (`traffic` is nil otherwise, so plain
/// scenarios pay one nil test per attempt): the class's router first (tier draw, then fallback),
/// then the release of the chosen pool (canary or blue/green), then that pool's degradation ladder
/// (in `admit`). `finish` passes every ending attempt through `attemptEnded` (injected errors, the
/// release analyses' windows) and every final record through `tallyReleases`.
extension Simulation {
    /// A router while the simulation runs: its stream and counts (attempts first sent at or after
    /// warm-up; indexed like `spec.split`).
    final class RouterRun {
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

    /// Routers, releases and error injection of one run; nil when the scenario has none of them.
    final class TrafficRun {
        let routers: [RouterRun]
        let releases: [ReleaseRun]
        /// Per pool: its release (as stable or candidate), or -1.
        let releaseOfStable: [Int], releaseOfCandidate: [Int]
        /// Per pool: the stream of its injected errors (nil: errorRate 0).
        let errorStreams: [RandomStream?]
        /// Per pool: injected failures (whole run).
        var injected: [Int]

        init?(scenario: Scenario) {
            let hasErrors = scenario.pools.contains { $0.errorRate > 0 }
            guard !scenario.routers.isEmpty || !scenario.releases.isEmpty || hasErrors else { return nil }
            routers = scenario.routers.map { RouterRun(spec: $0, seed: scenario.seed) }
            releases = scenario.releases.map { ReleaseRun(spec: $0, scenario: scenario) }
            releaseOfStable = scenario.pools.indices.map { p in scenario.releases.firstIndex { $0.stable == p } ?? -1 }
            releaseOfCandidate = scenario.pools.indices.map { p in scenario.releases.firstIndex { $0.candidate == p } ?? -1 }
            errorStreams = scenario.pools.map { $0.errorRate > 0 ? RandomStream(seed: scenario.seed, name: "errors/\($0.name)") : nil }
            injected = Array(repeating: 0, count: scenario.pools.count)
        }
    }

    /// The pool an attempt goes to before its ladder: its class's pool (or the pool the geo router
    /// chose, with regions), or its router's choice; then the release of that pool may send it to
    /// the candidate.
    func steer(_ state: RequestState) -> Int {
        let traffic = traffic!
        let c = Int(state.classIndex)
        var p = state.home >= 0 ? Int(state.home) : scenario.classPools[c]
        if !scenario.classRouters.isEmpty, scenario.classRouters[c] >= 0 {
            p = chooseTier(traffic.routers[scenario.classRouters[c]], state)
        }
        let release = traffic.releaseOfStable[p]
        if release >= 0 { p = releaseTarget(traffic.releases[release], stable: p) }
        return p
    }

    /// One draw from the router's stream picks a tier; a saturated tier falls back to the first free
    /// other tier (`TrafficRouter.fallbackTier`).
    func chooseTier(_ run: RouterRun, _ state: RequestState) -> Int {
        let drawn = run.spec.tier(for: run.stream.uniformPositive())
        var chosen = drawn
        if let rule = run.spec.fallback {
            let tokens = Int(state.promptTokens + state.requestedOutput)
            var drawnSaturated = false
            chosen = TrafficRouter.fallbackTier(drawn: drawn, count: run.spec.split.count) { k in
                let full = isSaturated(run.spec.split[k].pool, rule: rule, tokens: tokens)
                if k == drawn { drawnSaturated = full }
                return full
            }
            if state.firstArrival >= scenario.warmup && drawnSaturated && chosen == drawn { run.blocked += 1 }
        }
        if state.firstArrival >= scenario.warmup {
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
    func isSaturated(_ p: Int, rule: TrafficRouter.Saturation, tokens: Int) -> Bool {
        if !canEverServe(tokens: tokens, pool: p) || isQueueFull(p) || !(pools[p].breaker?.admits(at: events.now) ?? true) { return true }
        if case .queueDepth(let threshold) = rule { return pools[p].queued >= threshold }
        return false
    }

    /// Ends an attempt for the routers' and releases' sake (called by `finish` for every attempt
    /// when `traffic` is set): an attempt about to complete on a pool with an `errorRate` fails
    /// instead with that probability (it has used its GPU time); the ending attempt joins its
    /// release's analysis window if it ran on (or was rejected by) a candidate. Returns the outcome.
    func attemptEnded(_ slot: Int32, _ outcome: Outcome) -> Outcome {
        let traffic = traffic!
        let r = requests.slots[Int(slot)]
        guard r.routed || outcome == .rejected else { return outcome }  // gateway-served: no pool
        let p = Int(r.pool)
        var outcome = outcome
        if outcome == .completed, let stream = traffic.errorStreams[p], stream.chance(scenario.pools[p].errorRate) {
            traffic.injected[p] += 1
            outcome = .failed
        }
        let release = traffic.releaseOfCandidate[p]
        if release >= 0 {
            traffic.releases[release].attemptEnded(at: events.now, outcome: outcome,
                                                   ttft: outcome == .completed ? r.firstToken - r.arrival : nil)
        }
        return outcome
    }

    /// What each router did over the measured span; nil without routers.
    package func routerReports() -> [RouterReport]? {
        guard let traffic, !traffic.routers.isEmpty else { return nil }
        return traffic.routers.enumerated().map { index, run in
            let shares = run.spec.shares
            let tiers = run.spec.split.indices.map { k in
                RouterTierReport(pool: scenario.pools[run.spec.split[k].pool].name, weight: run.spec.split[k].weight,
                                 share: shares[k], drawn: run.drawn[k], sent: run.sent[k],
                                 fallbacksOut: run.fallbacksOut[k], fallbacksIn: run.fallbacksIn[k])
            }
            let classes = scenario.classes.indices.filter { scenario.classRouters[$0] == index }.map { scenario.classes[$0].name }
            return RouterReport(name: run.spec.name, classes: classes, fallback: run.spec.fallback.map(RouterFallbackReport.init),
                                attempts: run.drawn.reduce(0, +), fallbacks: run.fallbacksOut.reduce(0, +),
                                fallbacksBlocked: run.blocked, tiers: tiers)
        }
    }
}
