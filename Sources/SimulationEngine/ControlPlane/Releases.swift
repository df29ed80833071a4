import ServingModel

/// Canary and blue/green releases: as an admission stage, which pool a stable-bound attempt goes to;
/// as a controller, the analyses (housekeeping: they never extend the run); as an attempt observer,
/// the candidate's analysis window; as a record sink, the error budget the candidate cost.
final class Releases: Controller, AdmissionStage, AttemptObserver, RecordSink {
    /// Where a release stands.
    enum State: String {
        case running, rolledBack, promoted
    }

    /// A release while the simulation runs.
    final class Run {
        let spec: ReleaseSpec
        /// Canary draws (stream `release/<name>`; blue/green draws nothing).
        let stream: RandomStream
        var state = State.running
        var window = AttemptWindow()
        var rolledBackAt: Double?, promotedAt: Double?
        var reason: RollbackReason?
        var analyses = 0
        /// Promotions the enforced budget policy held back (freeze), and when the first was.
        var promotionsDeferred = 0
        var firstDeferredAt: Double?
        /// Attempts sent to the candidate by the release, and attempts ended on the candidate by
        /// outcome (indexed by `Outcome.rawValue`), whole run.
        var sent = 0
        var ended = Array(repeating: 0, count: Outcome.allCases.count)
        /// Per SLO: measured requests it covers whose final attempt ended on the candidate, and on
        /// the stable pool, and how many of those were bad.
        let covers: [[Bool]]
        var candidateTotal: [Int], candidateBad: [Int], stableTotal: [Int], stableBad: [Int]
        let tallies: [SLOTally]

        init(spec: ReleaseSpec, scenario: Scenario) {
            self.spec = spec
            stream = RandomStream(seed: scenario.seed, name: "release/\(spec.name)")
            tallies = scenario.slos.map(SLOTally.init(spec:))
            covers = scenario.slos.map { slo in scenario.classes.map { slo.covers($0.name) } }
            candidateTotal = Array(repeating: 0, count: scenario.slos.count)
            candidateBad = candidateTotal
            stableTotal = candidateTotal
            stableBad = candidateTotal
        }

        /// Whether stable-bound attempts may go to the candidate at `time`.
        func isActive(at time: Double) -> Bool { time >= spec.start && state != .rolledBack }
    }

    private let runs: [Run]
    /// Per pool: its release as stable, and as candidate, or -1.
    private let releaseOfStable: [Int], releaseOfCandidate: [Int]

    /// Nil when the scenario has no releases.
    init?(scenario: Scenario) {
        guard !scenario.releases.isEmpty else { return nil }
        runs = scenario.releases.map { Run(spec: $0, scenario: scenario) }
        releaseOfStable = scenario.pools.indices.map { p in scenario.releases.firstIndex { $0.stable == p } ?? -1 }
        releaseOfCandidate = scenario.pools.indices.map { p in scenario.releases.firstIndex { $0.candidate == p } ?? -1 }
    }

    /// The first analysis of each release at `start + window`, and its promotion at `start + promoteAfter`.
    func start(_ sim: Simulation) {
        for (i, run) in runs.enumerated() {
            sim.events.schedule(at: run.spec.start + run.spec.analysis.window, .releaseAnalysis, target: i)
            if let after = run.spec.promoteAfter { sim.events.schedule(at: run.spec.start + after, .releasePromotion, target: i) }
        }
    }

    /// An attempt bound for a release's stable pool goes to the candidate: with the canary's
    /// probability (one draw), always for blue/green or once promoted; never before the start or
    /// after a rollback.
    func steer(_ attempt: inout RequestState, _ sim: Simulation) -> Steering {
        let release = releaseOfStable[Int(attempt.pool)]
        guard release >= 0 else { return .proceed }
        let run = runs[release]
        guard run.isActive(at: sim.events.now) else { return .proceed }
        let toCandidate = run.state == .promoted || run.spec.strategy == .blueGreen || run.stream.chance(run.spec.fraction)
        if toCandidate {
            run.sent += 1
            attempt.pool = Int32(run.spec.candidate)
        }
        return .proceed
    }

    /// An attempt ended on (or was rejected by) a candidate pool: it joins the analysis window.
    func attemptEnded(_ slot: Int32, _ outcome: Outcome, _ sim: Simulation) -> Outcome {
        let r = sim.requests.slots[Int(slot)]
        let release = releaseOfCandidate[Int(r.pool)]
        guard release >= 0 else { return outcome }
        let run = runs[release]
        run.ended[outcome.rawValue] += 1
        let now = sim.events.now
        if run.state == .running && now >= run.spec.start {
            let completed = outcome == .completed
            run.window.add(end: now, ttft: completed ? r.firstToken - r.arrival : nil,
                           schemaViolation: completed && r.schemaViolation, safetyFlag: completed && r.safetyFlag)
        }
        return outcome
    }

    /// Analyses release `i`'s window (rolling back when it fails), then promotes it when `promote`
    /// and it passed; otherwise schedules the next analysis.
    func analyse(_ i: Int, promote: Bool, _ sim: Simulation) {
        let run = runs[i]
        guard run.state == .running else { return }
        let now = sim.events.now
        let stats = run.window.stats(at: now, window: run.spec.analysis.window)
        run.analyses += 1
        if let reason = run.spec.analysis.verdict(stats) {
            run.state = .rolledBack
            run.rolledBackAt = now
            run.reason = reason
        } else if promote, let policy = sim.features.budgetPolicy, policy.state != .ok {
            // Frozen: the promotion waits for the policy to return to ok.
            run.promotionsDeferred += 1
            if run.firstDeferredAt == nil { run.firstDeferredAt = now }
            sim.events.schedule(at: now + run.spec.analysis.interval, .releasePromotion, target: i)
        } else if promote {
            run.state = .promoted
            run.promotedAt = now
        } else {
            sim.events.schedule(at: now + run.spec.analysis.interval, .releaseAnalysis, target: i)
        }
    }

    /// The enforced budget policy entered rollback: every started release still running, or
    /// promoted, goes back to its stable pool (attempts already on the candidate finish there).
    func rollBack(reason: RollbackReason, _ sim: Simulation) {
        let now = sim.events.now
        for run in runs where run.state != .rolledBack && now >= run.spec.start {
            run.state = .rolledBack
            run.rolledBackAt = now
            run.reason = reason
        }
    }

    /// Counts a final record against the releases whose stable or candidate pool ended it (measured
    /// requests, per SLO covering its class).
    func record(_ record: RequestRecord, of request: RequestState, _ sim: Simulation) {
        guard record.arrival >= sim.scenario.warmup else { return }
        for run in runs where record.pool == run.spec.candidate || record.pool == run.spec.stable {
            let candidate = record.pool == run.spec.candidate
            for s in run.tallies.indices where run.covers[s][record.classIndex] && run.tallies[s].counts(record) {
                let bad = !run.tallies[s].isGood(record)
                if candidate {
                    run.candidateTotal[s] += 1
                    if bad { run.candidateBad[s] += 1 }
                } else {
                    run.stableTotal[s] += 1
                    if bad { run.stableBad[s] += 1 }
                }
            }
        }
    }

    /// What each release did and cost.
    func reports(_ sim: Simulation) -> [ReleaseReport] {
        runs.map { run in
            let outcome: String
            switch run.state {
            case .rolledBack: outcome = "rolledBack"
            case .promoted: outcome = "promoted"
            case .running: outcome = run.spec.start > sim.endTime ? "notStarted" : "stillRunning"
            }
            let slos = sim.scenario.slos
            let budget = slos.indices.map { s in
                let attributable = ReleaseBudget.attributable(
                    candidateBad: run.candidateBad[s], candidateRequests: run.candidateTotal[s],
                    stableBad: run.stableBad[s], stableRequests: run.stableTotal[s])
                let total = sim.metrics.slos[s].total
                return ReleaseBudgetReport(
                    slo: slos[s].name, candidateRequests: run.candidateTotal[s], candidateBad: run.candidateBad[s],
                    stableRequests: run.stableTotal[s], stableBad: run.stableBad[s], attributableBad: attributable,
                    errorBudget: (1 - slos[s].objective) * Double(total),
                    consumed: ReleaseBudget.consumed(attributable: attributable, sloTotal: total, objective: slos[s].objective))
            }
            let e = run.ended
            return ReleaseReport(
                name: run.spec.name, strategy: run.spec.strategy.rawValue, stable: sim.scenario.pools[run.spec.stable].name,
                candidate: sim.scenario.pools[run.spec.candidate].name, fraction: run.spec.fraction, start: run.spec.start,
                outcome: outcome, rolledBackAt: run.rolledBackAt, promotedAt: run.promotedAt, reason: run.reason,
                analyses: run.analyses, candidateAttempts: run.sent,
                candidateEnded: e.reduce(0, +), candidateCompleted: e[Outcome.completed.rawValue],
                candidateFailures: e.reduce(0, +) - e[Outcome.completed.rawValue],
                injectedErrors: sim.features.errors?.injected[run.spec.candidate] ?? 0, budget: budget,
                promotionsDeferred: sim.features.budgetPolicy == nil ? nil : run.promotionsDeferred,
                firstDeferredAt: run.firstDeferredAt)
        }
    }
}
