import Foundation
import Testing
import ServeSim

/// The rollback rule and the budget arithmetic on their own.
@Suite struct ReleaseRuleTests {
    let rule = ReleaseAnalysis(window: 120, interval: 30, minRequests: 50, maxTtftP95: 1.5, maxErrorRate: 0.02)

    @Test func aWindowFailsOnlyAboveAThresholdWithEnoughAttempts() {
        #expect(rule.verdict(WindowStats(attempts: 49, errors: 49, ttftP95: 9)) == nil)  // too few
        #expect(rule.verdict(WindowStats(attempts: 100, errors: 2, ttftP95: 1.5)) == nil)  // at the limits
        let errors = rule.verdict(WindowStats(attempts: 100, errors: 3, ttftP95: 9))
        #expect(errors?.metric == "errorRate" && errors?.observed == 0.03 && errors?.threshold == 0.02)  // checked first
        let slow = rule.verdict(WindowStats(attempts: 100, errors: 0, ttftP95: 1.6))
        #expect(slow?.metric == "ttftP95" && slow?.observed == 1.6 && slow?.attempts == 100)
        // All failed: no TTFT, the error rate decides.
        #expect(ReleaseAnalysis(window: 60, interval: 10, minRequests: 1, maxTtftP95: 1).verdict(
            WindowStats(attempts: 5, errors: 5, ttftP95: nil)) == nil)
    }

    @Test func budgetCountsTheCandidatesBadRequestsBeyondTheStableRate() {
        #expect(ReleaseBudget.attributable(candidateBad: 0, candidateRequests: 500, stableBad: 10, stableRequests: 1000) == 0)
        #expect(ReleaseBudget.attributable(candidateBad: 30, candidateRequests: 500, stableBad: 10, stableRequests: 1000) == 25)
        #expect(ReleaseBudget.attributable(candidateBad: 3, candidateRequests: 500, stableBad: 10, stableRequests: 1000) == 0)
        #expect(ReleaseBudget.attributable(candidateBad: 7, candidateRequests: 10, stableBad: 0, stableRequests: 0) == 7)
        // 25 bad of a 1% budget over 5000 requests (50 requests) is half of it.
        #expect(abs(ReleaseBudget.consumed(attributable: 25, sloTotal: 5000, objective: 0.99) - 0.5) < 1e-12)
        #expect(ReleaseBudget.consumed(attributable: 3, sloTotal: 0, objective: 0.99) == 0)
    }
}

/// Releases in the engine: 10 req/s of chat on "v1" (0.5 s per request), a candidate "v2".
@Suite struct ReleaseEngineTests {
    func scenario(strategy: String = "canary", errorRate: Double = 0, candidateService: String = "0.5s",
                  promote: String = "", analysis: String = "maxTtftP95: \"1.5s\", maxErrorRate: 0.05",
                  release: String = "", withRelease: Bool = true) -> String {
        let releases = """
          releases: [{ name: "v2-rollout", stable: "v1", candidate: "v2", strategy: "\(strategy)", start: "5m",
            \(strategy == "canary" ? "canary: { fraction: 0.2 }," : "")
            analysis: { window: "2m", interval: "30s", minRequests: 50, \(analysis) } \(promote) \(release) }],
        """
        return """
        { version: 1, name: "release", seed: 17, duration: "20m", warmup: "1m",
          workload: { classes: [{ name: "chat", arrivals: { process: "poisson", rate: 10 },
            promptTokens: { distribution: "fixed", value: 100 }, outputTokens: { distribution: "fixed", value: 10 } }] },
          pools: [
            { name: "v1", classes: ["chat"], replicas: 20, pricePerGpuHour: 1, routing: "shared-queue",
              scheduler: { policy: "fcfs", maxNumSeqs: 1 }, performance: { model: "service", distribution: "deterministic", mean: "0.5s" } },
            { name: "v2", replicas: 40, pricePerGpuHour: 1, routing: "shared-queue", errorRate: \(errorRate),
              scheduler: { policy: "fcfs", maxNumSeqs: 1 }, performance: { model: "service", distribution: "deterministic", mean: "\(candidateService)" } },
          ],
        \(withRelease ? releases : "")
          slos: [{ name: "availability", sli: "availability", objective: 0.99 },
                 { name: "ttft", sli: "ttft", threshold: "1s", objective: 0.95 }],
        }
        """
    }

    func run(_ text: String) throws -> Report {
        let (parsed, errors) = parseScenario(text)
        #expect(errors.isEmpty, "\(errors)")
        return ScenarioRunner.run(try #require(parsed)).0
    }

    @Test func aCanaryWithABadVersionIsRolledBackAndOneWithAGoodVersionIsNot() throws {
        let bad = try #require(try run(scenario(errorRate: 0.2)).releases?.first)
        #expect(bad.outcome == "rolledBack")
        let at = try #require(bad.rolledBackAt)
        #expect(at >= 300 + 120)  // no analysis before a full window
        #expect(bad.reason?.metric == "errorRate")
        #expect((bad.reason?.observed ?? 0) > 0.05 && bad.reason?.threshold == 0.05)
        #expect(bad.injectedErrors > 0 && bad.candidateFailures == bad.injectedErrors)
        // After the rollback nothing more went to the candidate: about 2 req/s from 5 m until then.
        #expect(Double(bad.candidateAttempts) < 2 * (at - 300) * 1.3)

        let good = try #require(try run(scenario(errorRate: 0)).releases?.first)
        #expect(good.outcome == "stillRunning" && good.rolledBackAt == nil && good.reason == nil)
        #expect(good.candidateFailures == 0)
        // 20% of a 10 req/s Poisson stream for the 15 minutes after the start is Poisson with mean
        // 1800: within 4 standard deviations.
        let expected = 0.2 * 10 * 900.0
        #expect(abs(Double(good.candidateAttempts) - expected) < 4 * expected.squareRoot())
        #expect(good.analyses == 1 + Int((1200.0 - 420) / 30))
    }

    @Test func aMuchSlowerCanaryIsRolledBackOnItsTtft() throws {
        let slow = try #require(try run(scenario(candidateService: "3s")).releases?.first)
        #expect(slow.outcome == "rolledBack" && slow.reason?.metric == "ttftP95")
        #expect(slow.reason?.observed ?? 0 >= 2.99 && slow.reason?.threshold == 1.5)
        #expect(slow.rolledBackAt ?? 0 >= 420)
    }

    @Test func aHealthyCanaryIsPromotedAndThenTakesAllTheTraffic() throws {
        let text = scenario(promote: ", promoteAfter: \"8m\"")
        let release = try #require(try run(text).releases?.first)
        #expect(release.outcome == "promoted" && release.promotedAt == 300 + 480)
        // Requests sent after the promotion all end on v2; before the start all on v1.
        let records = simulate(try #require(parseScenario(text).0)).records
        #expect(records.filter { $0.arrival > 780 }.allSatisfy { $0.pool == 1 })
        #expect(records.filter { $0.arrival < 300 }.allSatisfy { $0.pool == 0 })
        let between = records.filter { $0.arrival >= 300 && $0.arrival <= 780 }
        let share = Double(between.filter { $0.pool == 1 }.count) / Double(between.count)
        #expect(abs(share - 0.2) < 4 * (0.2 * 0.8 / Double(between.count)).squareRoot())
        // A bad canary with the same promotion time is rolled back instead.
        let bad = try #require(try run(scenario(errorRate: 0.2, promote: ", promoteAfter: \"8m\"")).releases?.first)
        #expect(bad.outcome == "rolledBack" && bad.promotedAt == nil)
    }

    @Test func blueGreenWithABadGreenRollsBack() throws {
        let report = try run(scenario(strategy: "blue-green", errorRate: 0.1))
        let release = try #require(report.releases?.first)
        #expect(release.outcome == "rolledBack" && release.rolledBackAt == 420 && release.fraction == 1)
        // Everything from 5 m to the rollback went to green: about 10 req/s for 2 minutes.
        #expect(abs(Double(release.candidateAttempts) - 1200) < 4 * 1200.0.squareRoot())
        let good = try #require(try run(scenario(strategy: "blue-green")).releases?.first)
        #expect(good.outcome == "stillRunning")
    }

    @Test func theBudgetCostIsZeroWithoutCandidateFailuresAndPositiveWithThem() throws {
        let good = try #require(try run(scenario(errorRate: 0)).releases?.first)
        #expect(good.budget.map(\.slo) == ["availability", "ttft"])
        #expect(good.budget[0].candidateBad == 0 && good.budget[0].consumed == 0 && good.budget[0].candidateRequests > 0)
        let report = try run(scenario(errorRate: 0.2))
        let bad = try #require(report.releases?.first).budget[0]
        #expect(bad.candidateBad > 0 && bad.consumed > 0)
        // The stable pool never fails: every bad request is the candidate's, against 1% of all requests.
        #expect(bad.stableBad == 0 && bad.attributableBad == Double(bad.candidateBad))
        let slo = report.slos[0]
        #expect(abs(bad.consumed - Double(bad.candidateBad) / (0.01 * Double(slo.total))) < 1e-9)
        #expect(slo.total - slo.good == bad.candidateBad)
    }

    @Test func sameScenarioSameBytesAndAnUnusedReleaseStreamLeavesArrivalsAlone() throws {
        let text = scenario(errorRate: 0.2)
        #expect(try ReportRenderer.json(try run(text)) == (try ReportRenderer.json(try run(text))))
        // Before the start nothing differs from the scenario without the release.
        let late = try run(scenario().replacingOccurrences(of: "start: \"5m\"", with: "start: \"1h\""))
        #expect(late.releases?.first?.outcome == "notStarted")
        let plain = try run(scenario(withRelease: false))
        #expect(late.latency == plain.latency && late.requests == plain.requests)
    }

    @Test func badReleasesAreReportedByField() {
        let cases: [(String, String, String)] = [
            ("candidate: \"v2\"", "candidate: \"v1\"", "s.json5: releases.0.candidate: is the stable pool (another pool)"),
            ("candidate: \"v2\"", "candidate: \"v3\"", "s.json5: releases.0.candidate: unknown pool \"v3\" (v1, v2)"),
            ("canary: { fraction: 0.2 },", "", "s.json5: releases.0.canary: is missing ({ fraction } of the stable pool's traffic)"),
            ("fraction: 0.2", "fraction: 0", "s.json5: releases.0.canary.fraction: 0 is out of range (a share in (0, 1])"),
            ("strategy: \"canary\"", "strategy: \"linear\"", "s.json5: releases.0.strategy: \"linear\" is not supported (canary, blue-green)"),
            ("window: \"2m\"", "window: \"0s\"", "s.json5: releases.0.analysis.window: duration 0s is out of range (greater than 0s)"),
        ]
        for (from, to, message) in cases {
            let (_, errors) = parseScenario(scenario().replacingOccurrences(of: from, with: to))
            #expect(errors.contains(message), "\(errors)")
        }
        var (_, errors) = parseScenario(scenario(analysis: ""))
        #expect(errors.contains("s.json5: releases.0.analysis.maxErrorRate: is missing (at least one of maxTtftP95, maxErrorRate, minSchemaAdherence, maxSafetyFlagRate)"), "\(errors)")
        (_, errors) = parseScenario(scenario(strategy: "blue-green", release: ", canary: { fraction: 0.5 }"))
        #expect(errors.contains("s.json5: releases.0.canary: applies only to strategy \"canary\" (remove it, or set strategy: \"canary\")"), "\(errors)")
        (_, errors) = parseScenario(scenario(release: ", rollout: 1"))
        #expect(errors.contains { $0.hasPrefix("s.json5: releases.0.rollout: unknown key") }, "\(errors)")
    }
}
