import ServingModel
/// Canary and blue/green releases while the simulation runs: which pool a stable-bound attempt goes
/// to (`releaseTarget`), the analyses (event `releaseCheck`, housekeeping: it never extends the
/// run), and the error budget the candidate cost (`tallyReleases`, from final records).
extension Simulation {
    /// Where a release stands.
    enum ReleaseState: String {
        case running, rolledBack, promoted
    }

    /// A release while the simulation runs.
    final class ReleaseRun {
        let spec: ReleaseSpec
        /// Canary draws (stream `release/<name>`; blue/green draws nothing).
        let stream: RandomStream
        var state = ReleaseState.running
        var window = AttemptWindow()
        var rolledBackAt: Double?, promotedAt: Double?
        var reason: RollbackReason?
        var analyses = 0
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

        /// An attempt ended on the candidate pool at `time` (`ttft`: send to first token, completed only).
        func attemptEnded(at time: Double, outcome: Outcome, ttft: Double?) {
            ended[outcome.rawValue] += 1
            if state == .running && time >= spec.start { window.add(end: time, ttft: ttft) }
        }

        /// Whether stable-bound attempts may go to the candidate at `time`.
        func isActive(at time: Double) -> Bool { time >= spec.start && state != .rolledBack }
    }

    /// The pool an attempt bound for release's stable pool goes to now.
    func releaseTarget(_ run: ReleaseRun, stable p: Int) -> Int {
        guard run.isActive(at: events.now) else { return p }
        let toCandidate = run.state == .promoted || run.spec.strategy == .blueGreen || run.stream.chance(run.spec.fraction)
        if !toCandidate { return p }
        run.sent += 1
        return run.spec.candidate
    }

    /// The first analysis of each release at `start + window`, and its promotion at `start + promoteAfter`.
    func scheduleReleaseChecks() {
        guard let traffic else { return }
        for (i, run) in traffic.releases.enumerated() {
            events.schedule(at: run.spec.start + run.spec.analysis.window, kind: EventKind.releaseCheck, target: i, stamp: 0)
            if let after = run.spec.promoteAfter {
                events.schedule(at: run.spec.start + after, kind: EventKind.releaseCheck, target: i, stamp: 1)
            }
        }
    }

    /// Analyses release `i`'s window (rolling back when it fails), then promotes it when `promote`
    /// and it passed; otherwise schedules the next analysis.
    func checkRelease(_ i: Int, promote: Bool) {
        let run = traffic!.releases[i]
        guard run.state == .running else { return }
        let now = events.now
        let stats = run.window.stats(at: now, window: run.spec.analysis.window)
        run.analyses += 1
        if let reason = run.spec.analysis.verdict(stats) {
            run.state = .rolledBack
            run.rolledBackAt = now
            run.reason = reason
        } else if promote {
            run.state = .promoted
            run.promotedAt = now
        } else {
            events.schedule(at: now + run.spec.analysis.interval, kind: EventKind.releaseCheck, target: i, stamp: 0)
        }
    }

    /// Counts a final record against the releases whose stable or candidate pool ended it (measured
    /// requests, per SLO covering its class).
    func tallyReleases(_ record: RequestRecord) {
        guard record.arrival >= scenario.warmup else { return }
        for run in traffic!.releases where record.pool == run.spec.candidate || record.pool == run.spec.stable {
            let candidate = record.pool == run.spec.candidate
            for s in run.tallies.indices where run.covers[s][record.classIndex] {
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

    /// What each release did and cost; nil without releases.
    package func releaseReports() -> [ReleaseReport]? {
        guard let traffic, !traffic.releases.isEmpty else { return nil }
        return traffic.releases.map { run in
            let outcome: String
            switch run.state {
            case .rolledBack: outcome = "rolledBack"
            case .promoted: outcome = "promoted"
            case .running: outcome = run.spec.start > endTime ? "notStarted" : "stillRunning"
            }
            let budget = scenario.slos.indices.map { s in
                let attributable = ReleaseBudget.attributable(
                    candidateBad: run.candidateBad[s], candidateRequests: run.candidateTotal[s],
                    stableBad: run.stableBad[s], stableRequests: run.stableTotal[s])
                let total = metrics.slos[s].total
                return ReleaseBudgetReport(
                    slo: scenario.slos[s].name, candidateRequests: run.candidateTotal[s], candidateBad: run.candidateBad[s],
                    stableRequests: run.stableTotal[s], stableBad: run.stableBad[s], attributableBad: attributable,
                    errorBudget: (1 - scenario.slos[s].objective) * Double(total),
                    consumed: ReleaseBudget.consumed(attributable: attributable, sloTotal: total,
                                                     objective: scenario.slos[s].objective))
            }
            let e = run.ended
            return ReleaseReport(
                name: run.spec.name, strategy: run.spec.strategy.rawValue, stable: scenario.pools[run.spec.stable].name,
                candidate: scenario.pools[run.spec.candidate].name, fraction: run.spec.fraction, start: run.spec.start,
                outcome: outcome, rolledBackAt: run.rolledBackAt, promotedAt: run.promotedAt, reason: run.reason,
                analyses: run.analyses, candidateAttempts: run.sent,
                candidateEnded: e.reduce(0, +), candidateCompleted: e[Outcome.completed.rawValue],
                candidateFailures: e.reduce(0, +) - e[Outcome.completed.rawValue],
                injectedErrors: traffic.injected[run.spec.candidate], budget: budget)
        }
    }
}
