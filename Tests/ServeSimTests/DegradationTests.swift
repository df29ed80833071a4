import Foundation
import Testing
import ServeSim

/// The escalation rule of a ladder, on its own.
@Suite struct LadderStateTests {
    let thresholds = [10.0, 20, 40]

    @Test func escalatesAtOnceAndReleasesOneStepPerRecoveryPeriod() {
        var s = LadderState()
        #expect(s.update(signal: 5, at: 0, thresholds: thresholds, recoverAfter: 30) == 0)
        // A jump engages every step it crosses in one check.
        #expect(s.update(signal: 45, at: 10, thresholds: thresholds, recoverAfter: 30) == 3)
        // Below every threshold from t = 20: nothing is released before 30 s have passed...
        #expect(s.update(signal: 0, at: 20, thresholds: thresholds, recoverAfter: 30) == 3)
        #expect(s.update(signal: 0, at: 40, thresholds: thresholds, recoverAfter: 30) == 3)
        // ...then one step, and the next only after another 30 s.
        #expect(s.update(signal: 0, at: 50, thresholds: thresholds, recoverAfter: 30) == 2)
        #expect(s.update(signal: 0, at: 70, thresholds: thresholds, recoverAfter: 30) == 2)
        #expect(s.update(signal: 0, at: 80, thresholds: thresholds, recoverAfter: 30) == 1)
        #expect(s.update(signal: 0, at: 110, thresholds: thresholds, recoverAfter: 30) == 0)
        #expect(s.belowSince == nil)
    }

    @Test func aSignalBackAtTheLevelRestartsTheRecoveryClock() {
        var s = LadderState()
        _ = s.update(signal: 25, at: 0, thresholds: thresholds, recoverAfter: 30)
        _ = s.update(signal: 5, at: 10, thresholds: thresholds, recoverAfter: 30)
        _ = s.update(signal: 22, at: 30, thresholds: thresholds, recoverAfter: 30)  // back above 20
        #expect(s.update(signal: 5, at: 40, thresholds: thresholds, recoverAfter: 30) == 2)
        #expect(s.update(signal: 5, at: 60, thresholds: thresholds, recoverAfter: 30) == 2)
        #expect(s.update(signal: 5, at: 70, thresholds: thresholds, recoverAfter: 30) == 1)
        // A threshold is inclusive.
        var t = LadderState()
        #expect(t.update(signal: 10, at: 0, thresholds: thresholds, recoverAfter: 30) == 1)
    }

    @Test func slidingCountsForgetBucketsOlderThanTheWindow() {
        var w = SlidingGoodBad(window: 60, bucket: 10)
        for t in stride(from: 0.5, to: 60, by: 1) { w.add(good: t < 30, at: t) }  // 30 good then 30 bad
        #expect(w.counts(at: 60) == (good: 30, bad: 30))
        #expect(abs(w.burnRate(at: 60, objective: 0.9) - 5) < 1e-12)  // 50% bad / 10% budget
        // 30 s later the good half has left the window.
        #expect(w.counts(at: 90) == (good: 0, bad: 30))
        // A bucket reused by the ring starts from zero.
        w.add(good: true, at: 95)
        #expect(w.counts(at: 100) == (good: 1, bad: 20))
        #expect(SlidingGoodBad(window: 60, bucket: 10).burnRate(at: 10, objective: 0.99) == 0)
    }
}

/// Ladders in the engine: a flash crowd on a pool of 1-second single-slot servers.
@Suite struct DegradationEngineTests {
    /// 2 req/s, then 12 req/s from 200 s to 400 s, then 2 req/s until 800 s, on `big` (4 servers)
    /// with `small` (4 servers) beside it.
    func crowd(ladder: [DegradationLadder.Step]? = nil, signal: DegradationLadder.Signal = .queueDepth,
               retry: RetryPolicy? = nil) -> Scenario {
        var cls = RequestClassSpec(
            name: "chat", tenant: "acme",
            arrivals: .schedule(steps: [RateStep(start: 0, rate: 2), RateStep(start: 200, rate: 12), RateStep(start: 400, rate: 2)]),
            promptTokens: .fixed(100), outputTokens: .fixed(10))
        if let retry { cls.client = ClientSpec(timeout: nil, retry: retry) }
        func pool(_ name: String) -> PoolSpec {
            PoolSpec(name: name, hardware: "x", model: name, replicas: 4, pricePerGpuHour: 1, routing: .sharedQueue,
                     scheduler: SchedulerConfig(policy: .fcfs, maxNumSeqs: 1), performance: .service(.deterministic(mean: 1)))
        }
        var s = Scenario(name: "crowd", seed: 5, duration: 800, classes: [cls], pools: [pool("big"), pool("small")],
                         slos: [SLOSpec(name: "ttft", sli: .ttft, threshold: 5, objective: 0.9, window: 86400)])
        if let ladder {
            s.degradation = [DegradationLadder(pool: 0, signal: signal, steps: ladder, checkInterval: 5, recoverAfter: 30)]
        }
        return s
    }

    let fullLadder = [
        DegradationLadder.Step(name: "fallback", threshold: 20, action: .fallback(pool: 1, fraction: 0.5)),
        DegradationLadder.Step(name: "short", threshold: 60, action: .limitOutput(maxOutputTokens: 5)),
        DegradationLadder.Step(name: "shed", threshold: 150, action: .shed(fraction: 1)),
    ]

    /// Intervals during which each step was engaged, from the report's transitions.
    func engagedIntervals(_ report: DegradationReport, end: Double) -> [String: [ClosedRange<Double>]] {
        var open: [String: Double] = [:]
        var intervals: [String: [ClosedRange<Double>]] = [:]
        for t in report.transitions {
            if t.engaged { open[t.step] = t.time } else {
                intervals[t.step, default: []].append(open[t.step]!...t.time)
                open[t.step] = nil
            }
        }
        for (step, start) in open { intervals[step, default: []].append(start...end) }
        return intervals
    }

    @Test func stepsEngageInOrderActOnlyWhileEngagedAndAllReleaseAfterTheCrowd() throws {
        let (records, result) = simulate(crowd(ladder: fullLadder))
        let ladder = try #require(result.degradation.first)
        let steps = ladder.steps
        #expect(steps.map(\.name) == ["fallback", "short", "shed"])
        // Every step fired, in ladder order, and only after the crowd began.
        let first = steps.map { $0.firstEngagedAt ?? .infinity }
        #expect(first[0] >= 200 && first[0] <= first[1] && first[1] <= first[2] && first[2] < 400)
        // After the crowd the ladder winds down completely.
        #expect(ladder.transitions.last?.level == 0)
        #expect(ladder.transitions.last!.time > 400)
        #expect(steps.allSatisfy { $0.engagements >= 1 })

        // Each action touched exactly the requests the report says, and only while engaged.
        let intervals = engagedIntervals(ladder, end: result.endTime)
        func during(_ step: String, _ t: Double) -> Bool { intervals[step, default: []].contains { $0.contains(t) } }
        let moved = records.filter { $0.pool == 1 }
        let capped = records.filter { $0.outputTokens == 5 }
        let shed = records.filter { $0.outcome == .rejected }
        #expect(moved.count == steps[0].requestsAffected && moved.count > 100)
        #expect(capped.count == steps[1].requestsAffected && capped.count > 0)
        #expect(shed.count == steps[2].requestsAffected && shed.count > 0)
        #expect(moved.allSatisfy { during("fallback", $0.arrival) })
        #expect(capped.allSatisfy { during("short", $0.arrival) })
        #expect(shed.allSatisfy { during("shed", $0.arrival) && $0.pool == 0 })
        // Half the attempts seen while the fallback was engaged (and not shed) moved, give or take.
        let eligible = records.filter { during("fallback", $0.arrival) && $0.outcome != .rejected }
        let share = Double(moved.count) / Double(eligible.count)
        #expect(abs(share - 0.5) < 0.05, "moved share \(share)")
        #expect(result.arrived == records.count + result.inFlightAtEnd)
    }

    @Test func theLadderCutsTailLatencyAgainstTheSameArrivals() {
        let without = simulate(crowd()).records
        let with = simulate(crowd(ladder: fullLadder)).records
        // Common random numbers: the same requests arrive in both runs.
        #expect(without.map(\.arrival).sorted() == with.map(\.arrival).sorted())
        func p95(_ r: [RequestRecord]) -> Double {
            let ttft = r.filter { $0.outcome == .completed }.map(\.ttft).sorted()
            return ttft[Int(0.95 * Double(ttft.count))]
        }
        #expect(p95(with) < p95(without) / 2, "with \(p95(with)), without \(p95(without))")
        #expect(!without.contains { $0.outcome == .rejected || $0.pool != 0 })
    }

    @Test func aBurnRateLadderShedsWhileTheSLOBurns() throws {
        // Bad = TTFT over 5 s against a 10% budget; shed everything at burn rate 3 (30% bad).
        let shed = [DegradationLadder.Step(name: "shed", threshold: 3, action: .shed(fraction: 0.5))]
        let (records, result) = simulate(crowd(ladder: shed, signal: .burnRate(slo: 0, window: 60)))
        let ladder = try #require(result.degradation.first)
        #expect(ladder.signal == "burnRate(ttft)")
        let engaged = ladder.transitions.filter(\.engaged)
        #expect(!engaged.isEmpty)
        // Engaged only on a reading at or above the threshold, and only once requests went bad
        // (the queue needs tens of seconds past 200 s before TTFTs exceed 5 s).
        #expect(engaged.allSatisfy { $0.signal >= 3 && $0.time > 200 })
        #expect(records.filter { $0.outcome == .rejected }.count == ladder.steps[0].requestsAffected)
        // Without a crowd the SLO never burns and the ladder never moves.
        var calm = crowd(ladder: shed, signal: .burnRate(slo: 0, window: 60))
        calm.classes[0].arrivals = .poisson(rate: 2)
        #expect(simulate(calm).result.degradation[0].transitions.isEmpty)
    }

    @Test func aRetriedAttemptPassesTheLadderAgain() {
        // Shed attempts are retried 1 s later (up to 3 attempts): retries are shed too while the
        // step is engaged, and a request's final record keeps its full output once the ladder lets
        // it through uncapped.
        let retry = RetryPolicy(maxAttempts: 3, baseBackoff: 1, maxBackoff: 1, multiplier: 1, jitter: .none)
        let (records, result) = simulate(crowd(ladder: fullLadder, retry: retry))
        #expect(result.counts.retries > 0)
        let shedAttempts = result.degradation[0].steps[2].requestsAffected
        #expect(shedAttempts > records.filter { $0.outcome == .rejected }.count)
        #expect(records.allSatisfy { $0.outputTokens == 10 || $0.outputTokens == 5 })
        #expect(result.arrived == records.count + result.inFlightAtEnd)
    }
}

/// Scenario-file checks of `degradation`.
@Suite struct DegradationParsingTests {
    func load(_ degradation: String) -> (Scenario?, [String]) {
        let text = """
            { version: 1, name: "d", duration: 60,
              workload: { classes: [{ name: "c", arrivals: { process: "poisson", rate: 1 },
                promptTokens: { distribution: "fixed", value: 10 }, outputTokens: { distribution: "fixed", value: 10 } }] },
              pools: [
                { name: "big", replicas: 1, pricePerGpuHour: 1, performance: { model: "service", distribution: "exponential", mean: 1 } },
                { name: "small", replicas: 1, pricePerGpuHour: 1, performance: { model: "service", distribution: "exponential", mean: 1 } },
              ],
              slos: [{ name: "ttft-p95", sli: "ttft", threshold: "2s", objective: 0.95 }],
              degradation: \(degradation) }
            """
        return parseScenario(text, file: "s.json5")
    }

    @Test func readsEveryKeyWithDefaults() throws {
        let (s, errors) = load("""
            [{ pool: "big", signal: "burnRate", slo: "ttft-p95", window: "2m", recoverAfter: "3m",
               steps: [{ when: 2, action: "fallback", pool: "small", fraction: "25%" },
                       { name: "cap", when: 5, action: "limitOutput", maxOutputTokens: 64 },
                       { when: 10, action: "shed" }] }]
            """)
        #expect(errors == [])
        let ladder = try #require(s?.degradation.first)
        #expect(ladder == DegradationLadder(pool: 0, signal: .burnRate(slo: 0, window: 120), steps: [
            .init(name: "fallback", threshold: 2, action: .fallback(pool: 1, fraction: 0.25)),
            .init(name: "cap", threshold: 5, action: .limitOutput(maxOutputTokens: 64)),
            .init(name: "shed", threshold: 10, action: .shed(fraction: 1)),
        ], checkInterval: 10, recoverAfter: 180))
    }

    @Test func reportsEachProblemAtItsPath() {
        let (s, errors) = load("""
            [{ pool: "big", slo: "ttft-p95",
               steps: [{ when: 50, action: "fallback", pool: "small" },
                       { when: 40, action: "shed", fraction: 2 },
                       { when: 45, action: "shed", maxOutputTokens: 3 },
                       { when: 70, action: "panic" },
                       { when: 80, action: "limitOutput", maxOutputTokens: 1 },
                       { when: 90, action: "limitOutput", maxOutputTokens: 2 }] },
             { pool: "huge", signal: "burnRate", steps: [] },
             { pool: "small", steps: [{ when: 1, action: "fallback", pool: "small" }] }]
            """)
        #expect(s == nil)
        #expect(errors == [
            "s.json5: degradation.0.slo: applies only to signal \"burnRate\" (remove it, or set signal: \"burnRate\")",
            "s.json5: degradation.0.steps.1.fraction: 2 is out of range (between 0 and 1)",
            "s.json5: degradation.0.steps.2.maxOutputTokens: unknown key (known keys: action, fraction, name, when)",
            "s.json5: degradation.0.steps.2.when: 45 is not above the previous step's 50 (thresholds strictly increasing along the ladder)",
            "s.json5: degradation.0.steps.3.action: \"panic\" is not supported (fallback, limitOutput, shed, disableSpeculation)",
            "s.json5: degradation.0.steps.5.action: \"limitOutput\" appears twice (each action once per ladder)",
            "s.json5: degradation.1.pool: unknown pool \"huge\" (big, small)",
            "s.json5: degradation.1.slo: is missing (the name of an SLO in slos)",
            "s.json5: degradation.1.steps: has 0 entries (at least 1)",
            "s.json5: degradation.2.steps.0.pool: falls back to the pool it guards (another pool)",
        ])
    }
}
