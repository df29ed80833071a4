import ServingModel

/// Degradation ladders: every `checkInterval` a ladder reads its signal (the guarded pool's queue
/// depth, or an SLO's burn rate over a trailing window) and engages or releases steps
/// (`LadderState`); as an admission stage it applies the engaged steps to each new attempt for its
/// pool; as a record sink it feeds the burn-rate windows.
final class Ladders: Controller, AdmissionStage, RecordSink {
    /// A ladder while the simulation runs: its state, what it did, and its random stream (for
    /// fractional fallback and shedding).
    final class Run {
        let spec: DegradationLadder
        var state = LadderState()
        let stream: RandomStream
        /// Requests ended in the trailing window, judged by the ladder's SLO (burn-rate signal only).
        var window: SlidingGoodBad?
        let slo: SLOTally?
        /// For the burn-rate SLO: whether it covers each class.
        let covers: [Bool]
        var affected: [Int]
        var engagements: [Int]
        var firstEngagedAt: [Double?]
        var engagedSeconds: [Double]
        var engagedSince: [Double]
        var transitions: [LadderTransition] = []

        init(spec: DegradationLadder, scenario: Scenario) {
            self.spec = spec
            stream = RandomStream(seed: scenario.seed, name: "degradation/\(scenario.pools[spec.pool].name)")
            let n = spec.steps.count
            affected = Array(repeating: 0, count: n)
            engagements = affected
            firstEngagedAt = Array(repeating: nil, count: n)
            engagedSeconds = Array(repeating: 0, count: n)
            engagedSince = engagedSeconds
            if case .burnRate(let s, let w) = spec.signal {
                let sloSpec = scenario.slos[s]
                slo = SLOTally(spec: sloSpec)
                covers = scenario.classes.map { sloSpec.covers($0.name) }
                window = SlidingGoodBad(window: w, bucket: spec.checkInterval)
            } else {
                slo = nil
                covers = []
            }
        }
    }

    private let runs: [Run]
    /// Per pool: the ladder guarding it (nil: none).
    private let ladderOfPool: [Int?]

    /// Nil when the scenario has no ladders.
    init?(scenario: Scenario) {
        guard !scenario.degradation.isEmpty else { return nil }
        runs = scenario.degradation.map { Run(spec: $0, scenario: scenario) }
        ladderOfPool = scenario.pools.indices.map { p in scenario.degradation.firstIndex { $0.pool == p } }
    }

    func start(_ sim: Simulation) {
        for (l, run) in runs.enumerated() { sim.events.schedule(at: run.spec.checkInterval, .ladderCheck, target: l) }
    }

    /// Reads ladder `l`'s signal, engages or releases steps, and schedules the next check.
    func check(_ l: Int, _ sim: Simulation) {
        let run = runs[l]
        let now = sim.events.now
        let signal: Double
        switch run.spec.signal {
        case .queueDepth:
            signal = Double(sim.pools[run.spec.pool].queued)
        case .burnRate(let s, _):
            signal = run.window!.burnRate(at: now, objective: sim.scenario.slos[s].objective)
        case .budgetPolicy:
            signal = Double(sim.features.budgetPolicy?.state.level ?? 0)
        }
        let before = run.state.level
        let after = run.state.update(signal: signal, at: now, thresholds: run.spec.steps.map(\.threshold),
                                     recoverAfter: run.spec.recoverAfter)
        for k in before..<max(before, after) {
            run.engagements[k] += 1
            if run.firstEngagedAt[k] == nil { run.firstEngagedAt[k] = now }
            run.engagedSince[k] = now
            run.transitions.append(LadderTransition(time: now, step: run.spec.steps[k].name, engaged: true,
                                                    level: k + 1, signal: signal))
        }
        for k in stride(from: before - 1, through: after, by: -1) {
            run.engagedSeconds[k] += now - run.engagedSince[k]
            run.transitions.append(LadderTransition(time: now, step: run.spec.steps[k].name, engaged: false,
                                                    level: k, signal: signal))
        }
        if after != before { changedSpeculation(run, from: before, to: after, sim) }
        sim.events.schedule(at: now + run.spec.checkInterval, .ladderCheck, target: l)
    }

    /// Applies the engaged steps of the ladder guarding the attempt's pool: shed first (the attempt
    /// is rejected), then fall back to the other pool, then cap the output.
    func steer(_ attempt: inout RequestState, _ sim: Simulation) -> Steering {
        guard let l = ladderOfPool[Int(attempt.pool)] else { return .proceed }
        let run = runs[l]
        let engaged = 0..<run.state.level
        for k in engaged {
            if case .shed(let fraction) = run.spec.steps[k].action, run.stream.chance(fraction) {
                run.affected[k] += 1
                return .reject(.shed)
            }
        }
        for k in engaged {
            switch run.spec.steps[k].action {
            case .fallback(let pool, let fraction):
                if run.stream.chance(fraction) {
                    attempt.pool = Int32(pool)
                    run.affected[k] += 1
                }
            case .limitOutput(let cap):
                if attempt.outputTokens > cap {
                    attempt.outputTokens = Int32(cap)
                    run.affected[k] += 1
                }
            case .shed, .disableSpeculation:
                break
            }
        }
        return .proceed
    }

    /// Feeds an ended request to the burn-rate ladders whose SLO covers its class.
    func record(_ record: RequestRecord, of request: RequestState, _ sim: Simulation) {
        for run in runs {
            guard let slo = run.slo, run.covers[record.classIndex], slo.counts(record) else { continue }
            run.window!.add(good: slo.isGood(record), at: record.end)
        }
    }

    /// After a ladder moved from `before` to `after` engaged steps: speculation is off while any
    /// engaged step is `disableSpeculation`.
    private func changedSpeculation(_ run: Run, from before: Int, to after: Int, _ sim: Simulation) {
        func off(_ level: Int) -> Bool { run.spec.steps.prefix(level).contains { $0.action == .disableSpeculation } }
        if off(before) != off(after) { sim.features.speculation?.setEnabled(!off(after), pool: run.spec.pool, sim) }
    }

    /// What each ladder did, with engaged time closed at `end`.
    func reports(until end: Double, _ sim: Simulation) -> [DegradationReport] {
        runs.map { run in
            let steps = run.spec.steps.enumerated().map { k, step in
                let open = k < run.state.level ? end - run.engagedSince[k] : 0
                return DegradationStepReport(
                    name: step.name, action: step.action.name, threshold: step.threshold,
                    engagements: run.engagements[k], firstEngagedAt: run.firstEngagedAt[k],
                    engagedSeconds: run.engagedSeconds[k] + open, requestsAffected: run.affected[k])
            }
            let signal: String
            switch run.spec.signal {
            case .queueDepth: signal = "queueDepth"
            case .burnRate(let s, _): signal = "burnRate(\(sim.scenario.slos[s].name))"
            case .budgetPolicy: signal = "budgetPolicy"
            }
            return DegradationReport(pool: sim.scenario.pools[run.spec.pool].name, signal: signal, steps: steps,
                                     transitions: run.transitions)
        }
    }
}
