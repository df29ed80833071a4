import ServingModel

/// The quality of each completed answer (`AnswerQuality`): as an attempt observer, after injected
/// errors (a failed attempt has no answer) and before releases (their analysis reads it), it draws
/// whether the answer broke its schema and whether it was flagged; as a record sink, it counts the
/// measured answers per pool for the report.
final class QualityOutcomes: AttemptObserver, RecordSink {
    /// Per pool: its quality and stream `quality/<pool>` (nil: not modelled, nothing drawn).
    private let rates: [AnswerQuality?]
    private let streams: [RandomStream?]
    /// Per pool, over measured requests that completed there: answers, schema violations, flags.
    private(set) var answers: [Int], violations: [Int], flags: [Int]

    /// Nil when no pool models quality.
    init?(scenario: Scenario) {
        guard scenario.pools.contains(where: { $0.quality != nil }) else { return nil }
        rates = scenario.pools.map(\.quality)
        streams = scenario.pools.map { $0.quality == nil ? nil : RandomStream(seed: scenario.seed, name: "quality/\($0.name)") }
        answers = Array(repeating: 0, count: scenario.pools.count)
        violations = answers
        flags = answers
    }

    /// Per completed attempt on a pool with quality: one draw for adherence, then one for the
    /// flag (`chance` draws nothing for a probability of 1).
    func attemptEnded(_ slot: Int32, _ outcome: Outcome, _ sim: Simulation) -> Outcome {
        let p = Int(sim.requests.slots[Int(slot)].pool)
        guard outcome == .completed, let quality = rates[p], let stream = streams[p] else { return outcome }
        sim.requests.slots[Int(slot)].schemaViolation = !stream.chance(quality.schemaAdherence)
        sim.requests.slots[Int(slot)].safetyFlag = stream.chance(quality.safetyFlagRate)
        return outcome
    }

    func record(_ record: RequestRecord, of request: RequestState, _ sim: Simulation) {
        guard record.outcome == .completed, record.arrival >= sim.scenario.warmup else { return }
        answers[record.pool] += 1
        if record.schemaViolation { violations[record.pool] += 1 }
        if record.safetyFlag { flags[record.pool] += 1 }
    }

    /// Per pool with quality: what was configured and what the measured answers showed.
    func reports(_ sim: Simulation) -> [QualityReport] {
        sim.scenario.pools.indices.compactMap { p in
            guard let q = rates[p] else { return nil }
            let n = answers[p]
            return QualityReport(pool: sim.scenario.pools[p].name, schemaAdherenceRate: q.schemaAdherence,
                                 safetyFlagRateConfigured: q.safetyFlagRate, answers: n, schemaViolations: violations[p],
                                 safetyFlags: flags[p],
                                 schemaAdherence: n == 0 ? nil : Double(n - violations[p]) / Double(n),
                                 safetyFlagRate: n == 0 ? nil : Double(flags[p]) / Double(n))
        }
    }
}
