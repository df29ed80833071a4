import CGSL
import Foundation
import Testing
import ServeSim

/// Issue 16: quality-proxy SLOs. Each completed answer on a pool with `quality` draws whether it
/// followed its schema and whether it was flagged; the schemaAdherence and safety SLIs count
/// completed answers only; a release rolls back on a quality threshold.
@Suite struct QualityTests {
    /// 20 req/s on 40 service-time servers (no queueing), `errorRate` of attempts failing.
    func scenario(quality: String = "quality: { schemaAdherence: 0.9, safetyFlagRate: 0.05 },", errorRate: Double = 0.2) -> String {
        """
        { version: 1, name: "quality", seed: 23, duration: "30m", warmup: "1m",
          workload: { classes: [{ name: "extract", arrivals: { process: "poisson", rate: 20 },
            promptTokens: { distribution: "fixed", value: 100 }, outputTokens: { distribution: "fixed", value: 10 } }] },
          pools: [{ name: "p", replicas: 40, pricePerGpuHour: 1, routing: "shared-queue", errorRate: \(errorRate), \(quality)
                    scheduler: { policy: "fcfs", maxNumSeqs: 1 }, performance: { model: "service", distribution: "exponential", mean: "0.5s" } }],
          slos: [{ name: "schema", sli: "schemaAdherence", objective: 0.95 }, { name: "safety", sli: "safety", objective: 0.99 },
                 { name: "availability", sli: "availability", objective: 0.99 }, { name: "ttft", sli: "ttft", threshold: "5s", objective: 0.9 }],
        }
        """
    }

    func run(_ text: String) throws -> Report {
        let (parsed, errors) = parseScenario(text)
        #expect(errors.isEmpty, "\(errors)")
        return ScenarioRunner.run(try #require(parsed)).0
    }

    /// Whether `k` of `n` is inside the two-sided 1e-6 tails of Binomial(n, p) (GSL's CDFs).
    func withinBinomialBounds(_ k: Int, of n: Int, p: Double) -> Bool {
        gsl_cdf_binomial_P(UInt32(k), p, UInt32(n)) >= 1e-6 && (k == 0 || gsl_cdf_binomial_Q(UInt32(k - 1), p, UInt32(n)) >= 1e-6)
    }

    @Test func qualityOutcomesFollowTheConfiguredRatesAndCountCompletedAnswersOnly() throws {
        let report = try run(scenario())
        let q = try #require(report.quality?.first)
        let completed = report.requests.completed
        #expect(q.answers == completed && completed > 25_000)
        #expect(withinBinomialBounds(q.schemaViolations, of: q.answers, p: 0.1), "\(q.schemaViolations) of \(q.answers)")
        #expect(withinBinomialBounds(q.safetyFlags, of: q.answers, p: 0.05), "\(q.safetyFlags) of \(q.answers)")
        // The SLIs count the answers only: the failed attempts (errorRate) are availability's.
        let schema = try #require(report.slos.first { $0.name == "schema" })
        let safety = try #require(report.slos.first { $0.name == "safety" })
        let availability = try #require(report.slos.first { $0.name == "availability" })
        #expect(schema.total == completed && safety.total == completed)
        #expect(schema.good == completed - q.schemaViolations && safety.good == completed - q.safetyFlags)
        #expect(availability.total == report.requests.arrived && availability.good == completed && report.requests.failed > 0)
    }

    @Test func answerQualityDrawsOnItsOwnStreamAndLeavesEverythingElseAlone() throws {
        let with = try run(scenario())
        let without = try run(scenario(quality: ""))
        #expect(without.quality == nil)
        #expect(with.latency == without.latency && with.requests == without.requests && with.cost == without.cost)
        // Without quality every answer is good for the quality SLIs.
        let schema = try #require(without.slos.first { $0.name == "schema" })
        #expect(schema.good == schema.total && schema.total == without.requests.completed)
        // Perfect rates draw nothing wrong.
        let perfect = try run(scenario(quality: "quality: {},"))
        #expect(perfect.quality?.first?.schemaViolations == 0 && perfect.quality?.first?.safetyFlags == 0)
    }

    @Test func qualityKeysAreValidated() {
        let threshold = parseScenario(scenario().replacingOccurrences(of: #"sli: "schemaAdherence","#, with: #"sli: "schemaAdherence", threshold: "1s","#)).1
        #expect(threshold.contains { $0.contains("slos.0.threshold: not allowed for sli \"schemaAdherence\"") }, "\(threshold)")
        let range = parseScenario(scenario(quality: "quality: { schemaAdherence: 1.5 },")).1
        #expect(range.contains { $0.contains("pools.0.quality.schemaAdherence") }, "\(range)")
        let unknown = parseScenario(scenario(quality: "quality: { adherence: 0.9 },")).1
        #expect(unknown.contains { $0.contains("pools.0.quality.adherence: unknown key") }, "\(unknown)")
    }
}

/// A canary whose answers are worse (and nothing else): the quality trigger, and only it, rolls it back.
@Suite struct QualityReleaseTests {
    func scenario(candidateAdherence: Double, analysis: String = "maxTtftP95: \"1.5s\", maxErrorRate: 0.05, minSchemaAdherence: 0.97",
                  candidateQuality: Bool = true) -> String {
        """
        { version: 1, name: "release", seed: 17, duration: "20m", warmup: "1m",
          workload: { classes: [{ name: "chat", arrivals: { process: "poisson", rate: 10 },
            promptTokens: { distribution: "fixed", value: 100 }, outputTokens: { distribution: "fixed", value: 10 } }] },
          pools: [
            { name: "v1", classes: ["chat"], replicas: 20, pricePerGpuHour: 1, routing: "shared-queue",
              quality: { schemaAdherence: 0.995 },
              scheduler: { policy: "fcfs", maxNumSeqs: 1 }, performance: { model: "service", distribution: "deterministic", mean: "0.5s" } },
            { name: "v2", replicas: 40, pricePerGpuHour: 1, routing: "shared-queue",
              \(candidateQuality ? "quality: { schemaAdherence: \(candidateAdherence) }," : "")
              scheduler: { policy: "fcfs", maxNumSeqs: 1 }, performance: { model: "service", distribution: "deterministic", mean: "0.5s" } },
          ],
          releases: [{ name: "v2-rollout", stable: "v1", candidate: "v2", strategy: "canary", start: "5m", canary: { fraction: 0.2 },
            analysis: { window: "2m", interval: "30s", minRequests: 50, \(analysis) }, promoteAfter: "10m" }],
          slos: [{ name: "schema", sli: "schemaAdherence", objective: 0.98 }],
        }
        """
    }

    func release(_ text: String) throws -> ReleaseReport {
        let (parsed, errors) = parseScenario(text)
        #expect(errors.isEmpty, "\(errors)")
        let scenario = try #require(parsed)
        return try #require(ScenarioRunner.run(scenario).0.releases?.first)
    }

    @Test func aCanaryWithWorseAnswersRollsBackOnTheQualityTriggerOnly() throws {
        let worse = try release(scenario(candidateAdherence: 0.9))
        #expect(worse.outcome == "rolledBack" && worse.reason?.metric == "schemaAdherence", "\(worse)")
        let observed = try #require(worse.reason?.observed)
        #expect(observed < 0.97 && observed > 0.8 && worse.reason?.threshold == 0.97)
        #expect(worse.candidateFailures == 0)  // not errors, not latency
        let rolledBack = try #require(worse.rolledBackAt)
        #expect(rolledBack >= 300 + 120 && rolledBack <= 300 + 120 + 30)  // the first analysis already sees it
        // Its schema budget: the candidate's violations beyond the stable rate are charged to it.
        let schema = try #require(worse.budget.first)
        #expect(schema.attributableBad > 0 && schema.candidateRequests == worse.candidateCompleted)

        // The same candidate without the quality threshold passes every analysis and is promoted;
        // so does one as good as stable with it.
        let blind = try release(scenario(candidateAdherence: 0.9, analysis: "maxTtftP95: \"1.5s\", maxErrorRate: 0.05"))
        #expect(blind.outcome == "promoted", "\(blind)")
        let good = try release(scenario(candidateAdherence: 0.995))
        #expect(good.outcome == "promoted", "\(good)")
    }

    @Test func aQualityTriggerNeedsTheCandidatesQuality() {
        let errors = parseScenario(scenario(candidateAdherence: 1, candidateQuality: false)).1
        #expect(errors.contains { $0.contains("releases.0.analysis: a quality threshold on candidate \"v2\", which has no quality") }, "\(errors)")
    }

    @Test func verdictChecksQualityAfterErrorsAndLatency() {
        let rule = ReleaseAnalysis(window: 60, interval: 10, minRequests: 10, maxErrorRate: 0.1, minSchemaAdherence: 0.95, maxSafetyFlagRate: 0.01)
        #expect(rule.verdict(WindowStats(attempts: 100, errors: 0, ttftP95: 1, schemaViolations: 5, safetyFlags: 1)) == nil)  // at the limits
        #expect(rule.verdict(WindowStats(attempts: 100, errors: 0, ttftP95: 1, schemaViolations: 6))?.metric == "schemaAdherence")
        #expect(rule.verdict(WindowStats(attempts: 100, errors: 0, ttftP95: 1, safetyFlags: 2))?.metric == "safetyFlagRate")
        #expect(rule.verdict(WindowStats(attempts: 100, errors: 20, ttftP95: 1, schemaViolations: 50))?.metric == "errorRate")
        // Quality rates are over completed attempts: 4 violations of 90 answers is 95.6%, 5 is 94.4%.
        #expect(rule.verdict(WindowStats(attempts: 100, errors: 10, ttftP95: 1, schemaViolations: 4)) == nil)
        #expect(rule.verdict(WindowStats(attempts: 100, errors: 10, ttftP95: 1, schemaViolations: 5))?.metric == "schemaAdherence")
        #expect(rule.verdict(WindowStats(attempts: 10, errors: 10, ttftP95: nil))?.metric == "errorRate")
    }
}
