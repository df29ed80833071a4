import ServingModel

/// Latency tails per load stage, as benchmark tools report a stepped load: for every class whose
/// arrivals follow a rate schedule of two or more steps, the requests first sent during each step
/// (warm-up included: a stage is the unit here), by outcome, with their latencies.
final class StageMetrics: RecordSink {
    private struct Stage {
        let classIndex: Int
        let start: Double
        let end: Double
        let rate: Double
        var metrics = ClassMetrics()
    }

    /// Per class: the index of its first stage in `stages` (-1: not staged).
    private let firstStage: [Int]
    private var stages: [Stage] = []

    /// Nil when no class has a schedule of two or more steps.
    init?(scenario: Scenario) {
        var first = [Int](repeating: -1, count: scenario.classes.count)
        var stages: [Stage] = []
        for (c, spec) in scenario.classes.enumerated() {
            guard case .schedule(let steps) = spec.arrivals, steps.count >= 2 else { continue }
            first[c] = stages.count
            for (i, step) in steps.enumerated() {
                let end = i + 1 < steps.count ? steps[i + 1].start : scenario.duration
                stages.append(Stage(classIndex: c, start: step.start, end: max(step.start, end), rate: step.rate))
            }
        }
        guard !stages.isEmpty else { return nil }
        firstStage = first
        self.stages = stages
    }

    func record(_ record: RequestRecord, of request: RequestState, _ sim: Simulation) {
        var s = firstStage[record.classIndex]
        guard s >= 0 else { return }
        while s + 1 < stages.count && stages[s + 1].classIndex == record.classIndex && stages[s + 1].start <= record.arrival { s += 1 }
        stages[s].metrics.add(record)
    }

    func reports(_ sim: Simulation) -> [StageReport] {
        stages.map { s in
            StageReport(className: sim.scenario.classes[s.classIndex].name, start: s.start, end: s.end, rate: s.rate,
                        completed: s.metrics.completed, rejected: s.metrics.count(.rejected), timedOut: s.metrics.count(.timedOut),
                        failed: s.metrics.count(.failed), latency: LatencyReport(s.metrics.latency))
        }
    }
}

/// One step of a class's rate schedule: the requests first sent in [start, end), by outcome, and
/// the latencies of the completed ones. Times in seconds, rate in requests per second.
public struct StageReport: Codable, Sendable, Equatable {
    public var className: String
    public var start: Double
    public var end: Double
    public var rate: Double
    public var completed: Int
    public var rejected: Int
    public var timedOut: Int
    public var failed: Int
    public var latency: LatencyReport
}
