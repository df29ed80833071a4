import Foundation
import Testing
import ServeSim

/// Issue 16: an error-budget policy that acts (`errorBudgetPolicy`): freeze holds promotions
/// back, rollback rolls releases back, a `budgetPolicy` ladder follows the state, and every
/// transition is reported.
@Suite struct BudgetPolicyTests {
    /// 40 req/s on a stable pool "v1" failing `stableErrors` of its attempts; from 5 m a 30% canary
    /// to "v2" failing `candidateErrors` (below the analysis's 20% threshold), promoted at 15 m.
    func scenario(stableErrors: Double = 0, candidateErrors: Double = 0, policy: String = "errorBudgetPolicy: { interval: \"1m\", minRequests: 2000 },",
                  objective: Double = 0.999, ladder: String = "") -> String {
        """
        { version: 1, name: "policy", seed: 29, duration: "30m", warmup: "1m",
          workload: { classes: [{ name: "chat", arrivals: { process: "poisson", rate: 40 },
            promptTokens: { distribution: "fixed", value: 100 }, outputTokens: { distribution: "fixed", value: 10 } }] },
          pools: [
            { name: "v1", classes: ["chat"], replicas: 60, pricePerGpuHour: 1, routing: "shared-queue", errorRate: \(stableErrors),
              scheduler: { policy: "fcfs", maxNumSeqs: 1 }, performance: { model: "service", distribution: "deterministic", mean: "0.5s" } },
            { name: "v2", replicas: 60, pricePerGpuHour: 1, routing: "shared-queue", errorRate: \(candidateErrors),
              scheduler: { policy: "fcfs", maxNumSeqs: 1 }, performance: { model: "service", distribution: "deterministic", mean: "0.5s" } },
          ],
          releases: [{ name: "v2-rollout", stable: "v1", candidate: "v2", strategy: "canary", start: "5m", canary: { fraction: 0.3 },
            analysis: { window: "2m", interval: "30s", minRequests: 50, maxErrorRate: 0.2 }, promoteAfter: "10m" }],
          \(policy)
          \(ladder)
          slos: [{ name: "availability", sli: "availability", objective: \(objective) }],
        }
        """
    }

    func run(_ text: String) throws -> Report {
        let (parsed, errors) = parseScenario(text)
        #expect(errors.isEmpty, "\(errors)")
        let scenario = try #require(parsed)
        return ScenarioRunner.run(scenario).0
    }

    @Test func rollbackRollsBackAReleaseWhoseOwnAnalysisPasses() throws {
        // 30% x 2% of all requests fail: six times the 0.1% budget's pace, while the canary's
        // analysis (20%) passes.
        let enforced = try run(scenario(candidateErrors: 0.02))
        let policy = try #require(enforced.budgetPolicy)
        let release = try #require(enforced.releases?.first)
        #expect(release.outcome == "rolledBack" && release.reason?.metric == "errorBudget", "\(release)")
        let toRollback = try #require(policy.transitions.first { $0.state == "rollback" })
        #expect(release.rolledBackAt == toRollback.time && toRollback.consumed > 0.5 && toRollback.slo == "availability")
        #expect(release.reason?.observed == toRollback.consumed && release.reason?.threshold == 0.5)
        // Evaluations run every minute from warm-up.
        for t in policy.transitions { #expect((t.time - 60).truncatingRemainder(dividingBy: 60) == 0, "\(t)") }
        #expect(policy.evaluations >= 29 && policy.secondsRollback > 0)

        // Only reported (as before this policy existed): the same canary is promoted at 15 m and
        // the availability SLO is missed; with the policy it is met.
        let reported = try run(scenario(candidateErrors: 0.02, policy: ""))
        #expect(reported.budgetPolicy == nil && reported.releases?.first?.outcome == "promoted")
        #expect(reported.releases?.first?.promotionsDeferred == nil)
        #expect(reported.slos[0].met == false && enforced.slos[0].compliance > reported.slos[0].compliance)
    }

    @Test func freezeHoldsPromotionBackAndABudgetPolicyLadderFollowsTheState() throws {
        // The stable pool fails 3.75% against a 90% objective: 37.5% of the budget, freeze (within
        // 4 standard deviations of the binomial count at 2000 requests).
        let ladder = """
        degradation: [{ pool: "v1", signal: "budgetPolicy", checkInterval: "10s", recoverAfter: "1m",
                        steps: [{ when: 1, action: "shed", fraction: 0.01 }] }],
        """
        let frozen = try run(scenario(stableErrors: 0.0375, objective: 0.9, ladder: ladder))
        let policy = try #require(frozen.budgetPolicy)
        #expect(policy.transitions.map(\.state) == ["freeze"], "\(policy.transitions)")
        let release = try #require(frozen.releases?.first)
        #expect(release.outcome == "stillRunning", "\(release)")
        #expect(release.firstDeferredAt == 300 + 600 && (release.promotionsDeferred ?? 0) >= 30)  // every 30 s to the end
        // The ladder engaged at its first check after the policy froze, and never released.
        let freezeAt = policy.transitions[0].time
        let engaged = try #require(frozen.degradation.first?.transitions.first)
        #expect(engaged.engaged && engaged.time >= freezeAt && engaged.time < freezeAt + 10 && frozen.degradation[0].transitions.count == 1)
        #expect(frozen.degradation[0].signal == "budgetPolicy")

        // The same release without the stable pool's errors is promoted on time.
        let healthy = try run(scenario(objective: 0.9))
        #expect(healthy.releases?.first?.outcome == "promoted" && healthy.releases?.first?.promotedAt == 900)
        #expect(healthy.releases?.first?.promotionsDeferred == 0 && healthy.budgetPolicy?.transitions.isEmpty == true)
    }

    @Test func evaluateTakesTheWorstWatchedSLOWithEnoughRequests() {
        let policy = ErrorBudgetPolicy(slos: [0, 1], interval: 60, minRequests: 100)
        // 0.2% bad of 99.9% -> 2 (rollback); 3% bad of 90% -> 0.3 (freeze); SLO 2 is not watched.
        let tallies = [(good: 998, total: 1000, objective: 0.999), (good: 970, total: 1000, objective: 0.9),
                       (good: 0, total: 1000, objective: 0.5)]
        let worst = policy.evaluate(tallies)
        #expect(worst.state == .rollback && worst.slo == 0 && abs(worst.consumed - 2) < 1e-9)
        #expect(ErrorBudgetPolicy(slos: [1], minRequests: 100).evaluate(tallies).state == .freeze)
        // Too few requests: no say.
        let few = ErrorBudgetPolicy(slos: [0], minRequests: 1001).evaluate(tallies)
        #expect(few.state == .ok && few.slo == nil && few.consumed == 0)
        #expect(BudgetPolicy.ok.level == 0 && BudgetPolicy.freeze.level == 1 && BudgetPolicy.rollback.level == 2)
    }

    @Test func policyKeysAreValidated() {
        let noSLO = parseScenario(scenario(policy: "errorBudgetPolicy: { slos: [\"latency\"] },")).1
        #expect(noSLO.contains { $0.contains("errorBudgetPolicy.slos.0: no SLO named \"latency\"") }, "\(noSLO)")
        let ladder = parseScenario(scenario(policy: "", ladder: """
            degradation: [{ pool: "v1", signal: "budgetPolicy", steps: [{ when: 1, action: "shed", fraction: 0.1 }] }],
            """)).1
        #expect(ladder.contains { $0.contains("degradation.0.signal: \"budgetPolicy\" without an errorBudgetPolicy") }, "\(ladder)")
        let unknown = parseScenario(scenario(policy: "errorBudgetPolicy: { freezeAt: 0.3 },")).1
        #expect(unknown.contains { $0.contains("errorBudgetPolicy.freezeAt: unknown key") }, "\(unknown)")
    }
}
