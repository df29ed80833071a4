import Foundation
import ServeSim
import Testing

/// Every issue-7 mechanism in one scenario: regions with geo routing and an outage, a router with a
/// release behind it, prefill/decode disaggregation with speculative decoding on the decode side,
/// prefix caching with prefix-affinity routing, a response cache, a hosted endpoint, a degradation
/// ladder, timeouts and retries. Each mechanism has its own tests; this one checks that they
/// compose: the books balance, the jump-ahead engine equals the per-iteration reference request
/// by request, and the report is byte-identical across runs.
@Suite struct ComposedTopologyTests {
    static let scenarioText = #"""
{
  version: 1, name: "combo", seed: 5, duration: "8m", warmup: "1m",
  regions: [
    { name: "us", rtt: { us: "10ms", eu: "90ms" } },
    { name: "eu", rtt: { eu: "10ms" } },
  ],
  workload: { classes: [
    { name: "geo", tenant: "a", origins: [{ region: "us", fraction: 0.6 }, { region: "eu", fraction: 0.4 }], pools: ["us-prefill", "eu-mixed"],
      arrivals: { process: "gamma", rate: 12, cv: 2 },
      promptTokens: { distribution: "lognormal", mu: 6.9276, sigma: 0.8433 },
      outputTokens: { distribution: "lognormal", mu: 4.8598, sigma: 0.7609 },
      sharedPrefix: { tokens: 512, count: 4, skew: 1.0 },
      client: { timeout: "20s", retry: { maxAttempts: 3, baseBackoff: "1s", maxBackoff: "5s" } } },
    { name: "routed", tenant: "b", origin: "eu",
      arrivals: { process: "poisson", rate: 6 },
      promptTokens: { distribution: "lognormal", mu: 6.9276, sigma: 0.8433 },
      outputTokens: { distribution: "lognormal", mu: 4.8598, sigma: 0.7609 },
      client: { timeout: "20s", retry: { maxAttempts: 2, baseBackoff: "1s", maxBackoff: "5s" } } },
  ] },
  pools: [
    { name: "us-prefill", region: "us", hardware: "H100-SXM-80GB", model: "llama-3.1-8b", replicas: 1, pricePerGpuHour: 3,
      performance: { model: "roofline" }, prefixCaching: true },
    { name: "us-decode", region: "us", hardware: "H100-SXM-80GB", model: "llama-3.1-8b", replicas: 1, pricePerGpuHour: 3,
      performance: { model: "roofline" }, speculative: { draftTokens: 3, acceptance: 0.6, draftCostRatio: 0.1, disableAboveBatch: 64 } },
    { name: "eu-mixed", region: "eu", hardware: "H100-SXM-80GB", model: "llama-3.1-8b", replicas: 2, pricePerGpuHour: 3,
      performance: { model: "roofline" }, prefixCaching: true, routing: "prefix-affinity", maxQueueLength: 40 },
    { name: "small", region: "eu", hardware: "L4", model: "llama-3.1-8b", replicas: 2, pricePerGpuHour: 0.8,
      performance: { model: "roofline" }, maxQueueLength: 20 },
    { name: "small-v2", region: "eu", hardware: "L4", model: "llama-3.1-8b", replicas: 2, pricePerGpuHour: 0.8,
      performance: { model: "roofline" }, errorRate: 0.1 },
  ],
  routers: [{ name: "tiers", classes: ["routed"], split: [{ pool: "small", weight: 60 }, { pool: "eu-mixed", weight: 40 }],
              fallback: { when: "wouldReject" } }],
  releases: [{ name: "v2", stable: "small", candidate: "small-v2", strategy: "canary", start: "2m", canary: { fraction: 0.2 },
               analysis: { window: "1m", minRequests: 10, maxErrorRate: 0.05 } }],
  disaggregation: [{ prefill: "us-prefill", decode: "us-decode", link: { bandwidth: "50GB/s", latency: "20us" } }],
  caches: [{ name: "exact", kind: "exact", hitRatio: 0.1, hitLatency: "5ms" }],
  hosted: { name: "api", share: 0.05, overflow: true, ttft: "400ms", tpot: "12ms", inputPricePerMillion: 0.2, outputPricePerMillion: 0.6 },
  degradation: [{ pool: "eu-mixed", signal: "queueDepth", steps: [{ when: 20, action: "limitOutput", maxOutputTokens: 64 }] }],
  faults: { outages: [{ at: "3m", duration: "2m", pools: ["us-prefill"] }], inFlight: "fail" },
  slos: [ { name: "ttft", sli: "ttft", threshold: "2s", objective: 0.95 }, { name: "avail", sli: "availability", objective: 0.99 } ],
}
"""#

    func scenario(perIteration: Bool = false) throws -> Scenario {
        var s = try ScenarioLoader.parse(data: Data(Self.scenarioText.utf8), file: "combo.json5", baseDirectory: ".")
        s.perIteration = perIteration
        return s
    }

    func run(_ scenario: Scenario) -> (records: [RequestRecord], result: SimulationResult, kvBalanced: Bool) {
        var out: [RequestRecord] = []
        let sim = Simulation(scenario: scenario)
        sim.recordObserver = { out.append($0) }
        let result = sim.run()
        return (out, result, sim.kvAccountingHolds && (0..<scenario.pools.count).allSatisfy { sim.kvBlocksInUse(pool: $0) == 0 || scenario.pools[$0].prefixCaching })
    }

    @Test func theMechanismsComposeAndBalance() throws {
        let (report, _) = ScenarioRunner.run(try scenario())
        let r = report.requests
        #expect(r.arrived == r.completed + r.rejected + r.timedOut + r.failed + r.inFlightAtEnd)
        // Every measured request ended on exactly one pool.
        #expect(report.pools.reduce(0) { $0 + ($1.requests?.ended ?? 0) } == r.completed + r.rejected + r.timedOut + r.failed)
        // Each mechanism did something, so the checks above cover it.
        #expect(report.releases?.first?.outcome == "rolledBack")
        #expect((report.regions ?? []).contains { $0.failoversOut > 0 })
        #expect((report.disaggregation?.first?.transfers ?? 0) > 0)
        #expect(report.pools.contains { ($0.prefixCache?.hitRate ?? 0) > 0 })
        #expect(report.pools.contains { ($0.speculative?.speculativeTokens ?? 0) > 0 })
        #expect((report.routers?.first?.attempts ?? 0) > 0)
        #expect(report.gateway != nil)
        #expect(r.timedOut > 0 && report.counts.retries > 0)
        let again = ScenarioRunner.run(try scenario()).0
        #expect(try ReportRenderer.json(report) == ReportRenderer.json(again))
    }

    @Test func jumpAheadEqualsPerIterationWithEverythingOn() throws {
        let fast = run(try scenario())
        let slow = run(try scenario(perIteration: true))
        #expect(fast.records.count > 1000)
        // Every KV block is free (or the prefix caches') once the run has drained, in both modes.
        #expect(fast.kvBalanced && slow.kvBalanced)
        #expect(fast.records == slow.records)
        #expect(fast.result.preemptions == slow.result.preemptions)
        #expect(fast.result.steps == slow.result.steps)
        #expect(fast.result.events < slow.result.events)
    }
}
