import Foundation
import Testing
import ServeSim

/// Prefill/decode disaggregation: the transfer arithmetic, the engine's bookkeeping, the latency
/// model it implies, the report section and the scenario errors.
@Suite struct DisaggregationTests {
    // MARK: Helpers

    /// A prefill pool and a decode pool on a test step model, paired by a link. Classes go to pool 0.
    static func paired(rate: Double = 6, prefill: Int = 1, decode: Int = 2, prefillKV: Int = 1_000_000,
                       decodeKV: Int = 1_000_000, bandwidth: Double = 5e9, latency: Double = 0.002,
                       bytesPerToken: Double = 131_072, duration: Double = 120, seed: UInt64 = 5,
                       perIteration: Bool = false, model: any StepTimeModel = LinearTestModel(),
                       prompt: LengthDistribution = .uniform(min: 50, max: 3000),
                       output: LengthDistribution = .uniform(min: 1, max: 400)) -> Scenario {
        let scheduler = SchedulerConfig(maxNumSeqs: 64, maxBatchedTokens: 2048)
        var s = Scenario(
            name: "pd", seed: seed, duration: duration,
            classes: [RequestClassSpec(name: "rag", tenant: "t", arrivals: .poisson(rate: rate),
                                       promptTokens: prompt, outputTokens: output)],
            pools: [
                PoolSpec(name: "prefill", hardware: "test", model: "test", replicas: prefill, pricePerGpuHour: 2,
                         scheduler: scheduler, performance: .steps(model, kvCapacityTokens: prefillKV, requestOverhead: 0)),
                PoolSpec(name: "decode", hardware: "test", model: "test", replicas: decode, pricePerGpuHour: 2,
                         scheduler: scheduler, performance: .steps(model, kvCapacityTokens: decodeKV, requestOverhead: 0)),
            ],
            perIteration: perIteration)
        s.disaggregation = [DisaggregationPair(prefillPool: 0, decodePool: 1,
                                               link: KVLink(bandwidth: bandwidth, latency: latency),
                                               kvBytesPerToken: bytesPerToken)]
        return s
    }

    /// The same arrivals on one colocated pool of `replicas` replicas.
    static func colocated(_ s: Scenario, replicas: Int) -> Scenario {
        var c = s
        c.disaggregation = []
        c.pools = [s.pools[1]]
        c.pools[0].replicas = replicas
        return c
    }

    struct Run {
        var records: [RequestRecord]
        var transfers: [KVTransferTrace]
        var result: SimulationResult
        var blocksInUse: [Int]
    }

    static func run(_ s: Scenario) -> Run {
        var records: [RequestRecord] = []
        var transfers: [KVTransferTrace] = []
        let sim = Simulation(scenario: s)
        sim.recordObserver = { records.append($0) }
        sim.observeTransfers { transfers.append($0) }
        let result = sim.run()
        return Run(records: records, transfers: transfers, result: result,
                   blocksInUse: s.pools.indices.map { sim.kvBlocksInUse(pool: $0) })
    }

    /// A roofline scenario (Llama-3.1-8B on H100s) with long prompts: `pools` and `pairs` as JSON5.
    static func rooflineText(pools: String, pairs: String, rate: Double = 10, duration: String = "4m",
                             name: String = "pd-roofline") -> String {
        """
        { version: 1, name: "\(name)", seed: 3, duration: "\(duration)", warmup: "30s",
          workload: { classes: [{ name: "rag", arrivals: { process: "poisson", rate: \(rate) },
            promptTokens: { distribution: "lognormal", mean: 6000, p95: 12000 },
            outputTokens: { distribution: "lognormal", mean: 200, p95: 450 } }] },
          pools: [\(pools)],
          disaggregation: [\(pairs)],
          slos: [{ name: "tpot-p99", sli: "tpot", threshold: "40ms", objective: 0.99 }] }
        """
    }

    static func h100Pool(_ name: String, replicas: Int, extra: String = "") -> String {
        """
        { name: "\(name)", hardware: "H100-SXM-80GB", model: "llama-3.1-8b", replicas: \(replicas),
          scheduler: { maxNumSeqs: 256, maxBatchedTokens: 8192 }, performance: { model: "roofline" }\(extra) }
        """
    }

    static func report(_ text: String) throws -> Report {
        let (scenario, errors) = parseScenario(text)
        #expect(errors.isEmpty, "\(errors)")
        return ScenarioRunner.run(try #require(scenario)).0
    }

    // MARK: Pure functions

    @Test func kvBytesAndTransferTimeMatchHandComputedValues() {
        // Llama-3.1-8B: 2 (K, V) x 32 layers x 8 KV heads x 128 head dim x 2 bytes = 131,072 bytes/token.
        let perToken = ModelSpec.llama31_8b.kvBytesPerToken
        #expect(perToken == 131_072)
        #expect(ModelSpec.llama31_70b.kvBytesPerToken == 327_680)  // 2 x 80 x 8 x 128 x 2
        // A 4,096-token prompt: 536,870,912 bytes (512 MiB).
        let bytes = KVTransfer.bytes(tokens: 4096, bytesPerToken: perToken)
        #expect(bytes == 536_870_912)
        // Over 100 Gbps = 12.5e9 bytes/s with 20 us latency: 0.04294967296 + 0.00002 s.
        let link = KVLink(bandwidth: 12.5e9, latency: 20e-6)
        let t = KVTransfer.transferSeconds(tokens: 4096, bytesPerToken: perToken, link: link, lanes: 1)
        #expect(abs(t - 0.04296967296) < 1e-15)
        // Two lanes (TP 2 on both sides, each GPU sends its shard): half the serialization.
        let t2 = KVTransfer.transferSeconds(tokens: 4096, bytesPerToken: perToken, link: link, lanes: 2)
        #expect(abs(t2 - (0.02147483648 + 20e-6)) < 1e-15)
        #expect(KVTransfer.lanes(prefillTensorParallel: 2, decodeTensorParallel: 4) == 2)
        #expect(KVTransfer.lanes(prefillTensorParallel: 8, decodeTensorParallel: 1) == 1)
        // FIFO: a transfer enqueued at 1 s on a link busy until 3 s starts at 3, leaves it at 5, lands at 5.5.
        let f = KVTransfer.schedule(now: 1, freeAt: 3, serialization: 2, latency: 0.5)
        #expect(f.start == 3 && f.freeAt == 5 && f.lands == 5.5)
        let idle = KVTransfer.schedule(now: 4, freeAt: 3, serialization: 2, latency: 0.5)
        #expect(idle.start == 4 && idle.freeAt == 6 && idle.lands == 6.5)
    }

    @Test func bandwidthUnits() {
        #expect(LinkBandwidth.bytesPerSecond("50GB/s") == 50e9)
        #expect(LinkBandwidth.bytesPerSecond("400Gbps") == 50e9)
        #expect(LinkBandwidth.bytesPerSecond("100 Gbps") == 12.5e9)
        #expect(LinkBandwidth.bytesPerSecond("450GB/s") == 450e9)
        #expect(LinkBandwidth.bytesPerSecond("64GiB/s") == Double(64 * 1_073_741_824))
        #expect(LinkBandwidth.bytesPerSecond("1.6Tbps") == 200e9)
        #expect(LinkBandwidth.bytesPerSecond("25Gb/s") == 3.125e9)
        for bad in ["fast", "50", "50GB", "-5GB/s", "0Gbps", "GB/s", "50 furlongs/s"] {
            #expect(LinkBandwidth.bytesPerSecond(bad) == nil, "\(bad)")
        }
    }

    // MARK: Engine bookkeeping

    @Test func everyArrivalEndsOnceAndKVBlocksAreFreeAtTheEnd() {
        // Ample KV, and a KV-bound decode pool that preempts (recomputing locally).
        for decodeKV in [1_000_000, 12_000] {
            let run = Self.run(Self.paired(rate: 8, decodeKV: decodeKV))
            let r = run.result
            #expect(r.arrived > 800)
            #expect(run.records.count == r.arrived && r.inFlightAtEnd == 0)
            #expect(run.records.allSatisfy { $0.outcome == .completed })
            #expect(run.blocksInUse == [0, 0], "blocks held at the end: \(run.blocksInUse)")
            // Single-token answers end at the prefill pool; all others cross the link once and
            // end at the decode pool.
            let decoded = run.records.filter { $0.outputTokens > 1 }
            #expect(run.records.filter { $0.outputTokens == 1 }.allSatisfy { $0.pool == 0 })
            #expect(decoded.allSatisfy { $0.pool == 1 })
            #expect(run.transfers.count == decoded.count)
            #expect(Set(run.transfers.map(\.firstArrival)).count == run.transfers.count)
            let report = r.disaggregation?.first
            #expect(report?.transfers == decoded.count && report?.lost == 0)
            #expect(report?.bytes == run.transfers.reduce(0) { $0 + $1.bytes })
            if decodeKV < 100_000 { #expect(r.preemptions > 0) }
        }
    }

    @Test func conservationHoldsWithTimeoutsRetriesAndReplicaFailures() {
        var s = Self.paired(rate: 10, prefill: 2, decode: 2, decodeKV: 40_000, bandwidth: 1e9, latency: 0.01,
                            duration: 300)
        s.classes[0].client = ClientSpec(timeout: 4, retry: RetryPolicy(maxAttempts: 3, baseBackoff: 0.5, maxBackoff: 2))
        s.faults = FaultSpec(replicaFailures: .init(timeToFailure: .exponential(mean: 40), timeToRepair: .fixed(5)))
        var lost = 0
        for inFlight in [FaultSpec.InFlight.fail, .retry] {
            s.faults?.inFlight = inFlight
            let run = Self.run(s)
            let r = run.result
            lost += r.disaggregation![0].lost
            #expect(r.counts.replicaFailures > 5)
            #expect(r.counts.timeouts > 0)
            #expect(run.records.count == r.arrived && r.inFlightAtEnd == 0)
            #expect(Set(run.records.map(\.arrival)).count == run.records.count)  // each request once
            #expect(run.blocksInUse == [0, 0], "blocks held at the end: \(run.blocksInUse)")
            #expect(run.records.contains { $0.outcome == .completed && $0.pool == 1 })
        }
        #expect(lost > 0)  // some failures hit a prefill replica while its link was sending
    }

    // MARK: Latency model

    @Test func firstTokenComesFromThePrefillPoolBeforeTheTransfer() {
        // A slow link (1 GB/s + 0.5 s) must not move any TTFT (ample KV: the prefill pool never
        // waits for blocks), and each decoded request's E2E covers its transfer and its decode steps.
        let fast = Self.run(Self.paired(bandwidth: 1e12, latency: 0))
        let slow = Self.run(Self.paired(bandwidth: 1e9, latency: 0.5))
        #expect(fast.records.count == slow.records.count && fast.records.count > 500)
        let byArrival = { (rs: [RequestRecord]) in rs.sorted { $0.arrival < $1.arrival } }
        let a = byArrival(fast.records), b = byArrival(slow.records)
        #expect(zip(a, b).allSatisfy { $0.ttft == $1.ttft })
        let base = LinearTestModel().base
        var checked = 0
        let transfers = Dictionary(uniqueKeysWithValues: slow.transfers.map { ($0.firstArrival, $0) })
        for r in b where r.outputTokens > 1 {
            let t = transfers[r.arrival]!
            #expect(t.handedOff == r.arrival + r.ttft)  // the first token is emitted as it leaves
            #expect(t.tokens == r.promptTokens)
            let minimum = 0.5 + Double(r.promptTokens) * 131_072 / 1e9
            #expect(t.landed - t.handedOff >= minimum - 1e-12)
            // At least one decode step per further output token, each at least the step base.
            #expect(r.e2e >= r.ttft + minimum + Double(r.outputTokens - 1) * base - 1e-9)
            checked += 1
        }
        #expect(checked > 500)
    }

    @Test func anIsolatedRequestTakesColocatedTimePlusItsTransfer() {
        // At a load where requests rarely overlap, a request alone in the system sees the same
        // prefill and decode steps disaggregated as colocated: E2E differs by exactly its transfer.
        let link = KVLink(bandwidth: 2e9, latency: 0.005)
        let s = Self.paired(rate: 0.05, prefill: 1, decode: 1, bandwidth: link.bandwidth, latency: link.latency,
                            duration: 4000)
        let pd = Self.run(s), co = Self.run(Self.colocated(s, replicas: 1))
        let c = co.records.sorted { $0.arrival < $1.arrival }, d = pd.records.sorted { $0.arrival < $1.arrival }
        #expect(c.count == d.count && c.count > 150)
        var isolated = 0
        for k in c.indices {
            let before = k > 0 ? max(c[k - 1].end, d[k - 1].end) : 0
            let after = k + 1 < c.count ? c[k + 1].arrival : .infinity
            guard before < c[k].arrival, max(c[k].end, d[k].end) < after else { continue }
            isolated += 1
            #expect(c[k].ttft == d[k].ttft)
            let transfer = c[k].outputTokens > 1
                ? KVTransfer.transferSeconds(tokens: c[k].promptTokens, bytesPerToken: 131_072, link: link, lanes: 1) : 0
            #expect(abs(d[k].e2e - (c[k].e2e + transfer)) < 1e-9, "request \(k)")
        }
        #expect(isolated > 100)
    }

    @Test func aSlowerLinkRaisesTPOTAndE2E() {
        var tpot: [Double] = [], e2e: [Double] = [], transfer: [Double] = []
        for bandwidth in [1e13, 50e9, 2e9, 0.5e9] {
            let r = Self.run(Self.paired(rate: 8, bandwidth: bandwidth, latency: 0)).result
            tpot.append(r.metrics.overall.latency.tpot.mean)
            e2e.append(r.metrics.overall.latency.e2e.mean)
            transfer.append(r.disaggregation![0].transferSeconds.mean)
        }
        #expect(tpot == tpot.sorted() && Set(tpot).count == tpot.count, "\(tpot)")
        #expect(e2e == e2e.sorted() && Set(e2e).count == e2e.count, "\(e2e)")
        #expect(transfer[0] < 1e-4)  // a practically infinite link: transfers cost nothing
        // At 0.5 GB/s a mean ~1,500-token prompt (197 MB) takes ~0.4 s and the link queues.
        #expect(transfer[3] > 0.3)
    }

    @Test func disaggregationLowersDecodeTPOTTailAtTheSameGPUCount() throws {
        // Long prompts (mean 6k tokens) on 4 H100s: a colocated replica's decode steps share the
        // GPU with 8k-token prefill chunks; a decode pool's never do.
        let pd = try Self.report(Self.rooflineText(
            pools: Self.h100Pool("prefill", replicas: 2, extra: ", classes: [\"rag\"]") + "," + Self.h100Pool("decode", replicas: 2),
            pairs: "{ prefill: \"prefill\", decode: \"decode\", link: { bandwidth: \"450GB/s\", latency: \"10us\" } }"))
        let co = try Self.report(Self.rooflineText(pools: Self.h100Pool("mixed", replicas: 4), pairs: ""))
        #expect(pd.requests.completed == co.requests.completed)
        #expect(pd.latency.tpot.p99 < 0.75 * co.latency.tpot.p99, "pd \(pd.latency.tpot.p99) colocated \(co.latency.tpot.p99)")
        #expect(pd.latency.tpot.p50 < co.latency.tpot.p50)
        // The report section is there only when pools are paired.
        #expect(pd.disaggregation?.first?.transfers == pd.requests.completed)
        #expect(co.disaggregation == nil)
    }

    // MARK: Modes and determinism

    @Test func jumpAheadEqualsPerIteration() {
        for model in [LinearTestModel() as any StepTimeModel, TwoLineTestModel()] {
            for decodeKV in [1_000_000, 12_000] {
                let fast = Self.run(Self.paired(rate: 8, decodeKV: decodeKV, latency: 0.003, model: model))
                let slow = Self.run(Self.paired(rate: 8, decodeKV: decodeKV, latency: 0.003, perIteration: true, model: model))
                #expect(fast.records.count > 800)
                #expect(fast.records == slow.records)
                #expect(fast.transfers == slow.transfers)
                #expect(fast.result.preemptions == slow.result.preemptions)
                #expect(fast.result.steps == slow.result.steps)
                #expect(fast.result.events < slow.result.events)
                if decodeKV < 100_000 { #expect(fast.result.preemptions > 0) }
            }
        }
    }

    @Test func sameScenarioGivesByteIdenticalJSON() throws {
        let text = Self.rooflineText(
            pools: Self.h100Pool("prefill", replicas: 1, extra: ", classes: [\"rag\"]") + "," + Self.h100Pool("decode", replicas: 2),
            pairs: "{ prefill: \"prefill\", decode: \"decode\", link: { bandwidth: \"100Gbps\", latency: \"20us\" } }",
            rate: 4, duration: "2m")
        let a = try ReportRenderer.json(Self.report(text)), b = try ReportRenderer.json(Self.report(text))
        #expect(a == b)
        let json = String(decoding: a, as: UTF8.self)
        #expect(json.contains("\"disaggregation\"") && json.contains("\"linkUtilization\""))
        let md = ReportRenderer.markdown(try Self.report(text))
        #expect(md.contains("## Disaggregation (prefill -> decode)"))
    }

    // MARK: Input errors

    @Test func badInputIsReportedPerField() {
        func errors(_ pairs: String, pools: String? = nil) -> [String] {
            let text = Self.rooflineText(
                pools: pools ?? (Self.h100Pool("p", replicas: 1) + "," + Self.h100Pool("d", replicas: 1) + ","
                    + Self.h100Pool("d70", replicas: 1).replacingOccurrences(of: "llama-3.1-8b", with: "llama-3.1-70b")
                        .replacingOccurrences(of: "H100-SXM-80GB\"", with: "H100-SXM-80GB\", tensorParallel: 2")
                    + ", { name: \"svc\", hardware: \"H100-SXM-80GB\", model: \"llama-3.1-8b\", replicas: 1, "
                    + "performance: { model: \"service\", distribution: \"exponential\", mean: \"1s\" } }"),
                pairs: pairs)
            let (scenario, errors) = parseScenario(text)
            #expect(scenario == nil)
            return errors
        }
        let link = "link: { bandwidth: \"50GB/s\" }"
        #expect(errors("{ prefill: \"nope\", decode: \"d\", \(link) }")
            == ["s.json5: disaggregation.0.prefill: no pool named \"nope\" (p, d, d70, svc)"])
        #expect(errors("{ prefill: \"p\", decode: \"p\", \(link) }")
            == ["s.json5: disaggregation.0.decode: pool \"p\" is both the prefill and the decode pool (each pool in at most one pair, prefill and decode different)"])
        #expect(errors("{ prefill: \"p\", decode: \"d\", \(link) }, { prefill: \"d\", decode: \"svc\", \(link) }")
            == ["s.json5: disaggregation.1.prefill: pool \"d\" is already in pair 0 (each pool in at most one pair, prefill and decode different)",
                "s.json5: disaggregation.1.decode: pool \"svc\" is a service-time pool (no tokens, no KV cache) (a token-level pool: performance roofline or profile)"])
        #expect(errors("{ prefill: \"p\", decode: \"d70\", \(link) }")
            == ["s.json5: disaggregation.0.decode: pool \"d70\" serves llama-3.1-70b but pool \"p\" serves llama-3.1-8b (a decode pool serving the prefill pool's model (its KV cache is reused as is))"])
        #expect(errors("{ prefill: \"p\", decode: \"d\", link: { bandwidth: \"fast\", latncy: \"1ms\" } }")
            == ["s.json5: disaggregation.0.link.bandwidth: \"fast\" is not a bandwidth (\(LinkBandwidth.allowed))",
                "s.json5: disaggregation.0.link.latncy: unknown key (did you mean latency? known keys: bandwidth, latency)"])
        #expect(errors("{ prefill: \"p\", decode: \"d\", link: { bandwidth: -1, latency: \"-2s\" }, extra: 1 }")
            == ["s.json5: disaggregation.0.link.bandwidth: -1 is out of range (a number greater than 0)",
                "s.json5: disaggregation.0.link.latency: duration -2s is out of range (at least 0s)",
                "s.json5: disaggregation.0.extra: unknown key (known keys: decode, link, prefill)"])
        #expect(errors("{ prefill: \"p\", decode: \"d\" }")
            == ["s.json5: disaggregation.0.link: is missing ({ bandwidth, latency })"])
    }

    @Test func aRequestTooLongForTheDecodePoolIsRejectedOnArrival() {
        // The decode pool's KV holds 2,000 tokens: longer requests can never decode there.
        let run = Self.run(Self.paired(rate: 4, decodeKV: 2000, duration: 60))
        let rejected = run.records.filter { $0.outcome == .rejected }
        #expect(!rejected.isEmpty)
        #expect(rejected.allSatisfy { $0.promptTokens + $0.outputTokens > 2000 })
        #expect(run.records.filter { $0.outcome == .completed }.allSatisfy { $0.promptTokens + $0.outputTokens <= 2000 })
        #expect(run.blocksInUse == [0, 0])
    }
}
