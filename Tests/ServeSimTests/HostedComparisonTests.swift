import Foundation
import Testing
import ServeSim

/// Issue 16: hosted API vs self-hosted (`plan --hosted`): both monthly costs at the scenario's
/// load, and the load at which self-hosting starts to pay off, each checked against runs made
/// outside the planner.
@Suite struct HostedComparisonTests {
    /// The M/M/c queue of `CapacityPlanTests` (1 prompt and 1 output token per request, $1 per
    /// server-hour) against a hosted API at $170 per million tokens of either kind: $12.24 per
    /// hour at 10 req/s, under the ~13 servers the queue needs, but over the fleet at 4x (servers
    /// per Erlang fall with the load).
    @Test func hostedIsCheaperAtTheScenarioLoadAndSelfHostingPaysOffWhereThePlanSays() throws {
        let path = try CapacityPlanTests.queueScenario()
        var request = PlanRequest(path: path, maxReplicas: 80, recheckSeeds: 0, jobs: 2)
        request.hosted = HostedPrices(name: "api", inputPerMillion: 170, outputPerMillion: 170)
        let plan = try CapacityPlanner.plan(request)
        let h = try #require(plan.hosted)
        let n = try #require(plan.options.first?.replicas)
        #expect(h.selfHostedReplicas == n && h.selfHostedOption == plan.cheapest)

        func scenario(replicas: Int, load: Double) throws -> Scenario {
            try ScenarioLoader.load(path: path, overrides: [ScenarioOverride.parse("pools.0.replicas=\(replicas)")!]).scalingLoad(by: load)
        }
        func perHour(_ r: Report) -> Double { r.cost.total / r.measuredSeconds * 3600 }
        // At the scenario's load: the answer's own run, priced by hand.
        let atLoad = ScenarioRunner.run(try scenario(replicas: n, load: 1)).0
        let hostedPerHour = (atLoad.throughput.promptTokensPerSecond * 170 + atLoad.throughput.outputTokensPerSecond * 170) / 1e6 * 3600
        #expect(abs(h.hostedPerMonth - hostedPerHour * 730) <= 1e-9 * h.hostedPerMonth)
        #expect(abs(h.selfHostedPerMonth - perHour(atLoad) * 730) <= 1e-9 * h.selfHostedPerMonth)
        #expect(h.cheaper == "hosted" && h.hostedPerMonth < h.selfHostedPerMonth, "\(h)")

        // The crossover: bracketed within a factor 2^(1/16) above the scenario's load; there the
        // fleet the plan names meets every SLO, one replica fewer does not, and it costs at most
        // the hosted bill at that load.
        let c = try #require(h.crossover, "\(h)")
        #expect(c.loadFactor > 1 && c.loadFactor <= 4 && c.below < c.loadFactor && c.loadFactor / c.below <= pow(2, 1.0 / 16) * (1 + 1e-9), "\(c)")
        let there = ScenarioRunner.run(try scenario(replicas: c.replicas, load: c.loadFactor)).0
        #expect(there.slos.allSatisfy { $0.met })
        let fewer = try scenario(replicas: c.replicas - 1, load: c.loadFactor)
        #expect(!ScenarioRunner.run(fewer).0.slos.allSatisfy { $0.met })
        #expect(perHour(there) <= hostedPerHour * c.loadFactor && abs(c.selfHostedPerMonth - perHour(there) * 730) <= 1e-9 * c.selfHostedPerMonth)
        #expect(abs(c.hostedPerMonth - hostedPerHour * c.loadFactor * 730) <= 1e-9 * c.hostedPerMonth)

        let md = ReportRenderer.markdown(plan)
        #expect(md.contains("## Hosted API or self-hosted") && md.contains("Cheaper at this load: **hosted**"), "\(md)")
    }

    @Test func cheapHostedPricesNeverCross() throws {
        let path = try CapacityPlanTests.queueScenario()
        var request = PlanRequest(path: path, maxReplicas: 80, recheckSeeds: 0, jobs: 2)
        request.hosted = HostedPrices(name: "api", inputPerMillion: 1, outputPerMillion: 1)  // $0.07 per hour
        let h = try #require(try CapacityPlanner.plan(request).hosted)
        #expect(h.cheaper == "hosted" && h.crossover == nil && h.noCrossover == "hosted")
    }

    @Test func hostedOptionIsValidated() throws {
        let path = try CapacityPlanTests.queueScenario()
        for bad in ["scenario", "1", "a,b", "-1,2", "0,0"] {
            let r = try CLI.run(["plan", path, "--hosted", bad, "--quiet"])
            #expect(r.code == 2 && r.stderr.contains("servesim plan: --hosted:"), "\(bad): \(r.stderr)")
        }
        let r = try CLI.run(["plan", "scenarios/hosted-overflow.json5", "--hosted", "scenario", "--max-replicas", "8", "--recheck-seeds", "0", "--quiet"])
        #expect(r.code == 0 && r.stdout.contains("## Hosted API or self-hosted"), "\(r.stderr)")
    }
}
