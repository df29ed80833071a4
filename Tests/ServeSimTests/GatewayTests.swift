import Foundation
import Testing
import ServeSim

/// Response caches and the hosted endpoint in front of the pools.
@Suite struct GatewayTests {
    /// Token-level batching on the linear test model (fast), with an optional per-request overhead.
    func batching(rate: Double = 10, duration: Double = 200, overhead: Double = 0, maxQueue: Int? = nil) -> Scenario {
        Scenario(
            name: "gw", seed: 17, duration: duration,
            classes: [RequestClassSpec(name: "chat", tenant: "t", arrivals: .poisson(rate: rate),
                                       promptTokens: .uniform(min: 50, max: 3000), outputTokens: .uniform(min: 1, max: 400))],
            pools: [PoolSpec(name: "p", hardware: "test", model: "test", replicas: 2, pricePerGpuHour: 2,
                             scheduler: SchedulerConfig(maxNumSeqs: 64, maxBatchedTokens: 4096),
                             performance: .steps(LinearTestModel(), kvCapacityTokens: 200_000, requestOverhead: overhead),
                             maxQueueLength: maxQueue)])
    }

    /// One single-slot server, 1 s per request, behind a shared queue capped at `maxQueue`.
    func queue(rate: Double, duration: Double, maxQueue: Int? = nil, client: ClientSpec? = nil) -> Scenario {
        var cls = RequestClassSpec(name: "chat", tenant: "acme", arrivals: .poisson(rate: rate),
                                   promptTokens: .uniform(min: 10, max: 2000), outputTokens: .uniform(min: 1, max: 500))
        cls.client = client
        return Scenario(name: "q", seed: 5, duration: duration, classes: [cls],
                        pools: [PoolSpec(name: "p", hardware: "x", model: "y", replicas: 1, pricePerGpuHour: 1,
                                         routing: .sharedQueue, scheduler: SchedulerConfig(policy: .fcfs, maxNumSeqs: 1),
                                         performance: .service(.deterministic(mean: 1)), maxQueueLength: maxQueue)])
    }

    func hosted(share: Double = 0, overflow: Bool = false, ttft: DurationDistribution = .fixed(0.3),
                tpot: DurationDistribution = .fixed(0.01)) -> HostedEndpointSpec {
        HostedEndpointSpec(name: "api", inputPricePerMillion: 0.5, outputPricePerMillion: 1.5, ttft: ttft, tpot: tpot,
                           share: share, overflow: overflow)
    }

    func report(_ s: Scenario) -> Report { ScenarioRunner.run(s).0 }

    func conserved(_ r: SimulationResult, _ records: [RequestRecord]) -> Bool {
        r.arrived == records.count + r.inFlightAtEnd
    }

    @Test func everyHitCostsNoGPUTimeAndAnswersAtTheHitLatency() {
        // The pool's 50 ms request overhead is paid only on the way to the pool: a hit does not.
        var s = batching(overhead: 0.05)
        s.caches = [ResponseCacheSpec(name: "exact", kind: .exact, hitRatio: 1, hitLatency: .fixed(0.005))]
        let (records, result) = simulate(s)
        #expect(records.count > 1500)
        #expect(conserved(result, records))
        #expect(records.allSatisfy { $0.outcome == .completed && abs($0.ttft - 0.005) < 1e-9 && abs($0.e2e - 0.005) < 1e-9 })
        let r = report(s)
        #expect(r.pools[0].busyGpuHours == 0)
        #expect(r.cost.split.serving == 0)
        #expect(r.requests.completed == r.requests.arrived)
        #expect(r.gateway?.caches.first?.hits == r.requests.arrived)
        #expect(r.gateway?.caches.first?.misses == 0)
        #expect(r.cost.hosted == nil)
        // Hits are completions like any other: the TTFT SLI sees them.
        #expect(abs(r.latency.ttft.p95 - 0.005) < 0.005 * 0.01)
    }

    @Test func aZeroHitRatioChangesNothing() {
        // The cache draws from its own stream, so arrivals, lengths and service are those of the
        // run without it: the same report, but for the gateway section.
        for base in [batching(rate: 20), queue(rate: 0.9, duration: 500)] {
            var s = base
            s.caches = [ResponseCacheSpec(name: "sem", kind: .semantic, hitRatio: 0, hitLatency: .exponential(mean: 0.03))]
            var with = report(s)
            #expect(with.gateway?.caches.first?.hits == 0)
            #expect(with.gateway?.caches.first?.lookups == with.requests.arrived)
            with.gateway = nil
            #expect(with == report(base))
        }
        // With a request overhead, misses reach the pool through one more event at the same time:
        // everything but the event count is the same.
        var s = batching(rate: 20, overhead: 0.02)
        s.caches = [ResponseCacheSpec(name: "exact", kind: .exact, hitRatio: 0, hitLatency: .fixed(0.005))]
        let a = report(s), b = report(batching(rate: 20, overhead: 0.02))
        #expect(a.requests == b.requests)
        #expect(a.latency == b.latency)
        #expect(a.cost == b.cost)
        #expect(a.slos == b.slos)
    }

    @Test func hitsFollowTheHitRatioWithinFourSigma() {
        for h in [0.05, 0.3, 0.8] {
            var s = queue(rate: 40, duration: 250)
            s.caches = [ResponseCacheSpec(name: "exact", kind: .exact, hitRatio: h, hitLatency: .fixed(0.005)),
                        ResponseCacheSpec(name: "sem", kind: .semantic, hitRatio: 0.5, hitLatency: .fixed(0.03))]
            let (records, result) = simulate(s)
            #expect(conserved(result, records))
            let r = report(s)
            let c = r.gateway!.caches
            let n = Double(r.requests.arrived)
            #expect(n > 9000)
            #expect(abs(Double(c[0].hits) / n - h) <= 4 * (h * (1 - h) / n).squareRoot())
            // The second cache sees only the first one's misses.
            #expect(c[1].lookups == c[0].misses)
            let m = Double(c[1].lookups)
            #expect(abs(Double(c[1].hits) / m - 0.5) <= 4 * (0.25 / m).squareRoot())
            // Hits at the two latencies, exactly as counted.
            #expect(records.filter { abs($0.e2e - 0.005) < 1e-9 }.count == c[0].hits)
            #expect(records.filter { abs($0.e2e - 0.03) < 1e-9 }.count == c[1].hits)
        }
    }

    @Test func aFullShareSendsEverythingToTheHostedEndpointAtItsPrice() {
        var s = batching()
        s.hosted = hosted(share: 1)
        let (records, result) = simulate(s)
        #expect(conserved(result, records))
        #expect(records.allSatisfy {
            $0.outcome == .completed && abs($0.ttft - 0.3) < 1e-9 && abs($0.e2e - (0.3 + 0.01 * Double($0.outputTokens - 1))) < 1e-9
        })
        let r = report(s)
        let prompt = records.reduce(0) { $0 + $1.promptTokens }, output = records.reduce(0) { $0 + $1.outputTokens }
        let expected = Double(prompt) * 0.5 / 1e6 + Double(output) * 1.5 / 1e6
        #expect(r.gateway?.hosted?.requests == records.count)
        #expect(r.gateway?.hosted?.shared == records.count)
        #expect(r.gateway?.hosted?.promptTokens == prompt)
        #expect(r.gateway?.hosted?.outputTokens == output)
        #expect(r.cost.hosted == expected)
        #expect(r.gateway?.hosted?.cost == expected)
        #expect(r.pools[0].busyGpuHours == 0)
        // The idle GPUs are still paid; the total adds the hosted bill.
        #expect(r.cost.total == r.cost.byPool[0].cost + expected)
        #expect(r.cost.perRequest == r.cost.total / Double(r.requests.completed))
        // The class pays the GPUs (it is the only one) and its hosted bill.
        #expect(abs(r.classes[0].cost - r.cost.total) < 1e-12)
    }

    @Test func overflowTurnsCapacityRejectionsIntoHostedCompletions() {
        // 3 req/s on one 1-second server with a queue of 1: most requests are rejected.
        let base = queue(rate: 3, duration: 300, maxQueue: 1)
        let rejected = report(base)
        #expect(rejected.requests.rejected > 400)
        var s = base
        s.hosted = hosted(overflow: true)
        let (records, result) = simulate(s)
        #expect(conserved(result, records))
        let r = report(s)
        #expect(r.requests.rejected == 0)
        #expect(r.requests.completed == r.requests.arrived)
        #expect(r.slos.isEmpty)
        // Rejected attempts never touched the pool, so the pool did exactly the same work and
        // every request it rejected went to the endpoint (the run, and so the provisioned GPU
        // time, lasts until the last hosted request ends).
        #expect(r.gateway?.hosted?.overflowed == rejected.requests.rejected)
        #expect(r.gateway?.hosted?.overflowedBy.queueFull == rejected.requests.rejected)
        #expect(r.gateway?.hosted?.requests == rejected.requests.rejected)
        #expect(r.pools[0].busyGpuHours == rejected.pools[0].busyGpuHours)
        let hostedCost = r.gateway!.hosted!.cost
        #expect(hostedCost > 0)
        #expect(r.cost.hosted == hostedCost)
        #expect(r.cost.total == r.pools[0].cost + hostedCost)
        // Without overflow (share 0) the endpoint takes nothing: the same outcome as no endpoint.
        var off = base
        off.hosted = hosted(overflow: false)
        #expect(report(off).requests == rejected.requests)
    }

    @Test func overflowAlsoTakesInFlightBudgetRejectionsButNotRateLimits() {
        var s = batching(rate: 20, duration: 100)
        s.admission.maxInFlightTokens = 8000
        s.hosted = hosted(overflow: true)
        let r = report(s)
        #expect(r.requests.rejected == 0)
        #expect((r.gateway?.hosted?.overflowedBy.inFlightBudget ?? 0) > 0)
        var limited = batching(rate: 20, duration: 100)
        limited.admission.tenants = [Admission.TenantLimit(tenant: "t", rate: 5, burst: 5, unit: .requests)]
        limited.hosted = hosted(overflow: true)
        let l = report(limited)
        #expect(l.requests.rejected > 0)
        #expect(l.gateway?.hosted?.overflowed == 0)
    }

    @Test func aClientTimeoutAbandonsASlowHostedRequest() {
        // Hosted TTFT 5 s against a 2 s client timeout: every request times out, none is billed.
        var s = queue(rate: 2, duration: 100, client: ClientSpec(timeout: 2))
        s.hosted = hosted(share: 1, ttft: .fixed(5))
        let (records, result) = simulate(s)
        #expect(conserved(result, records))
        #expect(records.allSatisfy { $0.outcome == .timedOut })
        let r = report(s)
        #expect(r.gateway?.hosted?.requests == 0)
        #expect(r.cost.hosted == 0)
    }

    func load(_ gateway: String) -> (Scenario?, [String]) {
        let text = """
            { version: 1, name: "g", duration: 60,
              workload: { classes: [{ name: "c", arrivals: { process: "poisson", rate: 1 },
                promptTokens: { distribution: "fixed", value: 10 }, outputTokens: { distribution: "fixed", value: 10 } }] },
              pools: [{ name: "p", replicas: 1, pricePerGpuHour: 1, performance: { model: "service", distribution: "exponential", mean: 1 } }],
              \(gateway) }
            """
        return parseScenario(text, file: "s.json5")
    }

    @Test func readsCachesAndTheHostedEndpoint() {
        let (s, errors) = load("""
            caches: [{ kind: "exact", hitRatio: "20%", hitLatency: "5ms" },
                     { name: "sem", kind: "semantic", hitRatio: 0.1, classes: ["c"],
                       hitLatency: { distribution: "uniform", min: "20ms", max: "40ms" } }],
            hosted: { inputPricePerMillion: 0.2, outputPricePerMillion: 0.6, ttft: "400ms", tpot: "10ms", overflow: true },
            """)
        #expect(errors == [])
        #expect(s?.caches == [ResponseCacheSpec(name: "exact", kind: .exact, hitRatio: 0.2, hitLatency: .fixed(0.005)),
                              ResponseCacheSpec(name: "sem", kind: .semantic, hitRatio: 0.1,
                                                hitLatency: .uniform(min: 0.02, max: 0.04), classes: ["c"])])
        #expect(s?.hosted == HostedEndpointSpec(name: "hosted", inputPricePerMillion: 0.2, outputPricePerMillion: 0.6,
                                                ttft: .fixed(0.4), tpot: .fixed(0.01), share: 0, overflow: true))
    }

    @Test func badGatewayKeysAreReportedWithPathAndWhatIsAllowed() {
        let (s, errors) = load("""
            caches: [{ kind: "fuzzy", hitRatio: 1.5, hitLatency: "5ms", ttl: "1h" },
                     { kind: "exact", hitRatio: 0.2, hitLatency: "5ms", classes: ["nope"] }],
            hosted: { inputPricePerMillion: -1, outputPricePerMillion: 0.6, ttft: "400ms", share: 0.1 },
            """)
        #expect(s == nil)
        #expect(errors == [
            "s.json5: caches.0.kind: \"fuzzy\" is not supported (exact, semantic)",
            "s.json5: caches.0.hitRatio: 1.5 is out of range (between 0 and 1)",
            "s.json5: caches.0.ttl: unknown key (known keys: classes, content, hitLatency, hitRatio, kind, name)",
            "s.json5: caches.1.classes.0: no request class named \"nope\" (c)",
            "s.json5: hosted.inputPricePerMillion: -1 is out of range (a number >= 0)",
            "s.json5: hosted.tpot: is missing (seconds per output token: a duration or a duration distribution)",
        ])
    }
}
