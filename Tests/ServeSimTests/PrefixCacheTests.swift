import Foundation
import Testing
import ServeSim

/// Prefix (KV) caching: hash chains, the per-replica LRU cache, the consistent-hash ring of
/// `prefix-affinity`, and the engine with caching on (hits skip prefill, KV pressure evicts before
/// it preempts, jump-ahead equals per-iteration, determinism), up to the Mooncake trace replay.
@Suite struct PrefixCacheTests {
    // MARK: Hash chains

    @Test func chainHashesDependOnTheWholePrefix() {
        let a = PrefixChain.hashes([7, 8, 9])
        let b = PrefixChain.hashes([7, 8, 10])
        let c = PrefixChain.hashes([1, 8, 9])
        #expect(a.count == 3)
        #expect(a[0] == b[0] && a[1] == b[1] && a[2] != b[2])  // same prefix, different last block
        #expect(zip(a, c).allSatisfy { $0 != $1 })              // a different first block changes every hash
        #expect(PrefixChain.hashes([7, 8, 9]) == a)             // stable
        #expect(Set(a).count == 3)
    }

    @Test func cacheableBlocksAndReusedTokens() {
        // 1100 tokens in 512-token blocks: 3 hash ids, 2 full blocks.
        #expect(PrefixChain.cacheableBlocks(promptTokens: 1100, blocks: 3, blockTokens: 512) == 2)
        #expect(PrefixChain.cacheableBlocks(promptTokens: 1024, blocks: 2, blockTokens: 512) == 2)
        #expect(PrefixChain.reusedTokens(hitBlocks: 2, blockTokens: 512, promptTokens: 1100) == 1024)
        // A whole-prompt hit still prefills one token.
        #expect(PrefixChain.reusedTokens(hitBlocks: 2, blockTokens: 512, promptTokens: 1024) == 1023)
        #expect(PrefixChain.reusedTokens(hitBlocks: 0, blockTokens: 512, promptTokens: 1024) == 0)
    }

    @Test func infiniteCacheReuseFollowsChains() {
        let records = [
            TraceRecord(time: 0, promptTokens: 1100, outputTokens: 1, hashIds: [1, 2, 3]),   // cold
            TraceRecord(time: 1, promptTokens: 1600, outputTokens: 1, hashIds: [1, 2, 4, 5]), // hits 1, 2
            TraceRecord(time: 2, promptTokens: 600, outputTokens: 1, hashIds: [9, 2]),        // 2 under another parent: miss
            TraceRecord(time: 3, promptTokens: 1024, outputTokens: 1, hashIds: [1, 2]),       // whole prompt: 1023
        ]
        let reuse = PrefixChain.infiniteCacheReuse(records, blockTokens: 512)
        #expect(reuse.hitTokens == 1024 + 1023)
        #expect(reuse.promptTokens == 1100 + 1600 + 600 + 1024)
        #expect(reuse.hitRequests == 2)
    }

    // MARK: LRU cache

    @Test func cacheEvictsLeastRecentlyReleasedAndNeverEntriesInUse() {
        let cache = PrefixCache()
        let a = cache.insert(1, kvBlocks: 4), b = cache.insert(2, kvBlocks: 4), c = cache.insert(3, kvBlocks: 4)
        #expect(cache.cachedBlocks == 12 && cache.evictableBlocks == 0)
        #expect(cache.evict(atLeast: 100) == 0)  // all in use
        cache.release(c)
        cache.release(a)
        #expect(cache.evictionOrder == [3, 1])
        #expect(cache.evictableBlocks == 8)
        // Acquiring an evictable entry takes it off the list; releasing it makes it the newest.
        cache.acquire(c)
        #expect(cache.evictionOrder == [1])
        cache.release(c)
        cache.release(b)
        #expect(cache.evictionOrder == [1, 3, 2])
        // Eviction frees whole entries, oldest first, until enough is free.
        #expect(cache.evict(atLeast: 5) == 8)
        #expect(cache.evictionOrder == [2])
        #expect(cache.entry(1) == nil && cache.entry(3) == nil && cache.entry(2) != nil)
        #expect(cache.cachedBlocks == 4 && cache.evictableBlocks == 4 && cache.evictedBlocks == 8)
        // A freed entry's storage is reused.
        let d = cache.insert(4, kvBlocks: 2)
        #expect(cache.count == 2 && cache.cachedBlocks == 6 && !cache.isEvictable(d))
        #expect(cache.clear() == 6)
        #expect(cache.count == 0 && cache.cachedBlocks == 0 && cache.evictionOrder.isEmpty)
    }

    @Test func sharedEntriesStayUntilTheLastReaderReleases() {
        let cache = PrefixCache()
        let e = cache.insert(42, kvBlocks: 32)
        cache.acquire(e)  // a second sequence reads it
        cache.release(e)
        #expect(!cache.isEvictable(e) && cache.evict(atLeast: 1) == 0)
        cache.release(e)
        #expect(cache.isEvictable(e) && cache.evictableBlocks == 32)
    }

    // MARK: Consistent-hash ring

    @Test func addingAReplicaRemapsAboutOneNthOfTheKeys() {
        let ring = ConsistentHashRing(slots: 10, virtualNodes: 64, name: "affinity/test")
        let keys = (0..<20_000).map { fnv1a64(Array("key-\($0)".utf8)) }
        let nine = keys.map { ring.owner(of: $0) { $0 < 9 }! }
        let ten = keys.map { ring.owner(of: $0) { _ in true }! }
        var moved = 0
        for k in keys.indices where nine[k] != ten[k] {
            moved += 1
            #expect(ten[k] == 9)  // keys only move to the new replica
        }
        let fraction = Double(moved) / Double(keys.count)
        #expect(fraction > 0.06 && fraction < 0.14, "moved \(fraction)")
        // Every slot owns a share near 1/10.
        for s in 0..<10 {
            let share = Double(ten.filter { $0 == s }.count) / Double(keys.count)
            #expect(share > 0.05 && share < 0.15, "slot \(s) owns \(share)")
        }
        #expect(ring.owner(of: keys[0]) { _ in false } == nil)
    }

    @Test func boundedLoadCapsAHotKey() {
        let ring = ConsistentHashRing(slots: 8, virtualNodes: 64, name: "affinity/hot")
        var loads = [Int](repeating: 0, count: 8)
        let ready = [Bool](repeating: true, count: 8)
        let hot = fnv1a64(Array("hot".utf8))
        let owner = ring.owner(of: hot) { _ in true }!
        for _ in 0..<800 {
            let capacity = ConsistentHashRing.capacity(loads: loads, ready: ready, epsilon: 0.25)
            let s = ring.boundedOwner(of: hot, loads: loads, ready: ready, epsilon: 0.25)!
            #expect(loads[s] + 1 <= capacity)
            loads[s] += 1
        }
        #expect(loads.max()! <= Int((1.25 * 800 / 8).rounded(.up)))
        #expect(loads[owner] == loads.max()!)
        // The hot key spilled over along the ring: about 8 / 1.25 replicas fill to the cap.
        #expect(loads.filter { $0 > 0 }.count >= 6)
        // Not-ready replicas get nothing; none ready gives nil.
        var someReady = ready
        someReady[owner] = false
        #expect(ring.boundedOwner(of: hot, loads: loads, ready: someReady, epsilon: 100) != owner)
        #expect(ring.boundedOwner(of: hot, loads: loads, ready: [Bool](repeating: false, count: 8), epsilon: 0.25) == nil)
    }

    // MARK: Synthetic shared prefixes

    @Test func sharedPrefixAddsTokensWithoutMovingOtherStreams() {
        var plain = RequestClassSpec(name: "chat", tenant: "t", arrivals: .poisson(rate: 5),
                                     promptTokens: .uniform(min: 10, max: 500), outputTokens: .uniform(min: 1, max: 50))
        var prefixed = plain
        prefixed.sharedPrefix = SharedPrefixSpec(tokens: 1000, count: 4, skew: 1.5, blockTokens: 16)
        plain.sharedPrefix = nil
        let a = ClassArrivals(spec: plain, seed: 3, duration: 200)
        let b = ClassArrivals(spec: prefixed, seed: 3, duration: 200)
        var firstBlocks: [Int: Int] = [:]
        var n = 0
        while let x = a.next(), let y = b.next() {
            n += 1
            #expect(x.time == y.time && x.outputTokens == y.outputTokens)
            #expect(y.promptTokens == x.promptTokens + 1000)
            #expect(x.hashIds.isEmpty && y.hashIds.count == 1000 / 16)
            firstBlocks[y.hashIds[0], default: 0] += 1
        }
        #expect(n > 800)
        #expect(firstBlocks.count == 4)
        // Zipf skew 1.5: the most popular prefix takes about 1 / (1 + 2^-1.5 + 3^-1.5 + 4^-1.5) = 58%.
        let top = Double(firstBlocks.values.max()!) / Double(n)
        #expect(top > 0.5 && top < 0.66, "top share \(top)")
    }

    // MARK: Engine

    /// One replica of a linear test model serving a class whose requests share `count` prefixes.
    static func sharedPrefixScenario(caching: Bool, rate: Double = 2, count: Int = 1, kvTokens: Int = 1_000_000,
                                     replicas: Int = 1, duration: Double = 120, perIteration: Bool = false,
                                     model: any StepTimeModel = LinearTestModel(),
                                     routing: RoutingPolicy = .leastOutstanding) -> Scenario {
        var chat = RequestClassSpec(name: "chat", tenant: "t", arrivals: .poisson(rate: rate),
                                    promptTokens: .uniform(min: 20, max: 400), outputTokens: .uniform(min: 1, max: 200))
        chat.sharedPrefix = SharedPrefixSpec(tokens: 2048, count: count, blockTokens: 16)
        var pool = PoolSpec(name: "p", hardware: "test", model: "test", replicas: replicas, pricePerGpuHour: 2,
                            routing: routing, scheduler: SchedulerConfig(maxNumSeqs: 64, maxBatchedTokens: 2048),
                            performance: .steps(model, kvCapacityTokens: kvTokens, requestOverhead: 0))
        pool.prefixCaching = caching
        return Scenario(name: "prefix", seed: 9, duration: duration, classes: [chat], pools: [pool], perIteration: perIteration)
    }

    static func meanTTFT(_ records: [RequestRecord]) -> Double {
        let done = records.filter { $0.outcome == .completed }
        return done.reduce(0) { $0 + $1.ttft } / Double(done.count)
    }

    @Test func identicalPrefixesHitAndCutTTFT() {
        let on = simulate(Self.sharedPrefixScenario(caching: true))
        let off = simulate(Self.sharedPrefixScenario(caching: false))
        let cache = on.result.pools[0].prefixCache!
        #expect(off.result.pools[0].prefixCache == nil)
        #expect(cache.lookups == on.records.count && cache.lookups > 200)
        // Only the very first request misses: the 2048-token prefix is cached from then on.
        #expect(cache.hitRequests == cache.lookups - 1)
        #expect(cache.hitTokens == 2048 * (cache.lookups - 1))
        #expect(cache.hitRate > 0.8)
        #expect(cache.evictedBlocks == 0)
        #expect(Self.meanTTFT(on.records) < 0.6 * Self.meanTTFT(off.records))
        // Same requests either way.
        let byArrival = { (r: [RequestRecord]) in r.sorted { $0.arrival < $1.arrival }.map(\.promptTokens) }
        #expect(byArrival(on.records) == byArrival(off.records))
    }

    @Test func cachingOffIgnoresHashesEntirely() {
        // A pool without caching serves a prefix-carrying class exactly as one without hashes.
        let withHashes = Self.sharedPrefixScenario(caching: false, rate: 6, count: 3, kvTokens: 15_000)
        var without = withHashes
        without.classes[0].sharedPrefix = nil
        without.classes[0].promptTokens = .uniform(min: 20 + 2048, max: 400 + 2048)
        let a = simulate(withHashes), b = simulate(without)
        #expect(a.records.count > 500)
        #expect(a.records == b.records)
        #expect(a.result.preemptions == b.result.preemptions && a.result.preemptions > 0)
        #expect(a.result.pools[0].prefixCache == nil)
    }

    @Test func kvPressureEvictsBeforePreempting() {
        // 12k tokens of KV; 200 prefixes of 2048 tokens mostly miss, so the cache fills with old
        // prefixes and every admission must evict. One request at a time always fits, so nothing
        // is ever preempted, and every request completes.
        let scenario = Self.sharedPrefixScenario(caching: true, rate: 1, count: 200, kvTokens: 12_000, duration: 300)
        let sim = Simulation(scenario: scenario)
        var records: [RequestRecord] = []
        sim.recordObserver = { records.append($0) }
        let result = sim.run()
        let cache = result.pools[0].prefixCache!
        #expect(records.count > 250 && records.allSatisfy { $0.outcome == .completed })
        #expect(cache.evictedBlocks > 0)
        #expect(result.preemptions == 0)
        #expect(sim.kvAccountingHolds)
    }

    @Test(arguments: [(16.0, 12_000, 2, 20), (4.0, 1_000_000, 1, 5)])
    func jumpAheadEqualsPerIterationWithCaching(rate: Double, kv: Int, replicas: Int, prefixes: Int) {
        for model in [LinearTestModel() as any StepTimeModel, TwoLineTestModel()] {
            let fast = simulate(Self.sharedPrefixScenario(caching: true, rate: rate, count: prefixes, kvTokens: kv,
                                                          replicas: replicas, perIteration: false, model: model))
            let slow = simulate(Self.sharedPrefixScenario(caching: true, rate: rate, count: prefixes, kvTokens: kv,
                                                          replicas: replicas, perIteration: true, model: model))
            #expect(fast.records.count > 300)
            #expect(fast.records == slow.records)
            #expect(fast.result.preemptions == slow.result.preemptions)
            #expect(fast.result.steps == slow.result.steps)
            #expect(fast.result.pools[0].prefixCache == slow.result.pools[0].prefixCache)
            #expect(fast.result.pools[0].prefixCache!.hitTokens > 0)
            if kv < 100_000 {
                #expect(fast.result.pools[0].prefixCache!.evictedBlocks > 0)
                #expect(fast.result.preemptions > 0)
            }
        }
    }

    @Test func sameSeedGivesByteIdenticalJSON() {
        let scenario = Self.sharedPrefixScenario(caching: true, rate: 6, count: 5, kvTokens: 20_000, replicas: 3,
                                                 routing: .prefixAffinity)
        let first = ReportRenderer.render(ScenarioRunner.run(scenario).0, format: "json")
        let second = ReportRenderer.render(ScenarioRunner.run(scenario).0, format: "json")
        #expect(first == second)
        let text = String(decoding: first, as: UTF8.self)
        #expect(text.contains("\"prefixCache\""))
    }

    // MARK: Mooncake trace

    static let mooncakePath = CLI.sharedData.appendingPathComponent("mooncake_conversation.jsonl").path

    static func mooncake(routing: RoutingPolicy, records: [TraceRecord], kvTokens: Int? = nil,
                         epsilon: Double = AffinitySpec.defaultEpsilon) -> Scenario {
        let spec = TraceSpec(file: mooncakePath, format: .mooncake)
        let conversation = RequestClassSpec(name: "conversation", tenant: "mooncake", arrivals: .trace(spec),
                                            promptTokens: .fixed(1), outputTokens: .fixed(1))
        let hardware = HardwareSpec.h100
        let model = ModelSpec.llama31_8b
        let roofline = RooflineModel(hardware: hardware, model: model)
        let kv = kvTokens ?? Int((hardware.memoryBytes * 0.9 - model.weightBytes) / model.kvBytesPerToken)
        var pool = PoolSpec(name: "h100", hardware: hardware.name, model: model.name, replicas: 8, pricePerGpuHour: 3,
                            routing: routing,
                            performance: .steps(roofline, kvCapacityTokens: kv, requestOverhead: roofline.requestOverhead))
        pool.prefixCaching = true
        pool.affinity = AffinitySpec(keyBlocks: 2, epsilon: epsilon)
        return Scenario(name: "mooncake", seed: 1, duration: 3600, classes: [conversation], pools: [pool], traces: [records])
    }

    @Test func affinityRoutingRaisesTheMooncakeHitRateOverRoundRobin() throws {
        let records = try TraceReader.read(path: Self.mooncakePath, format: .mooncake)
        let bound = PrefixChain.infiniteCacheReuse(records, blockTokens: 512)
        let boundRate = Double(bound.hitTokens) / Double(bound.promptTokens)
        #expect(boundRate > 0.3 && boundRate < 0.45, "trace bound \(boundRate)")

        let rr = ScenarioRunner.run(Self.mooncake(routing: .roundRobin, records: records)).0.pools[0].prefixCache!
        let affinity = ScenarioRunner.run(Self.mooncake(routing: .prefixAffinity, records: records)).0.pools[0].prefixCache!
        for cache in [rr, affinity] {
            #expect(cache.lookups == records.count)
            #expect(cache.promptTokens == bound.promptTokens)
            #expect(cache.hitTokens <= bound.hitTokens)
        }
        #expect(affinity.hitRate > 1.3 * rr.hitRate, "affinity \(affinity.hitRate) vs round-robin \(rr.hitRate)")

        // With caches too large to evict and no load bound, affinity keeps every conversation on
        // one replica, which then reuses all the trace has to offer.
        let ideal = ScenarioRunner.run(Self.mooncake(routing: .prefixAffinity, records: records, kvTokens: 100_000_000,
                                                     epsilon: 1_000)).0.pools[0].prefixCache!
        #expect(ideal.evictedBlocks == 0)
        #expect(ideal.hitTokens <= bound.hitTokens)
        #expect(Double(ideal.hitTokens) > 0.99 * Double(bound.hitTokens))
    }

    // MARK: Scenario keys

    static let base = """
    { version: 1, name: "p", duration: "60s",
      workload: { classes: [{ name: "chat", arrivals: { process: "poisson", rate: 1 },
                              promptTokens: { distribution: "fixed", value: 100 }, outputTokens: { distribution: "fixed", value: 10 },
                              CLASS }] },
      pools: [{ name: "gpu", hardware: "H100-SXM-80GB", model: "llama-3.1-8b", replicas: 2, performance: { model: "roofline" }, POOL }] }
    """

    static func errors(pool: String = "", klass: String = "") -> [String] {
        parseScenario(base.replacingOccurrences(of: "POOL", with: pool).replacingOccurrences(of: "CLASS", with: klass)).1
    }

    @Test func scenarioKeysParse() throws {
        let text = Self.base
            .replacingOccurrences(of: "POOL", with: #"prefixCaching: { enabled: true }, routing: "prefix-affinity", affinity: { keyBlocks: 2, epsilon: 0.5, virtualNodes: 16 }"#)
            .replacingOccurrences(of: "CLASS", with: "sharedPrefix: { tokens: 1024, count: 8, skew: 1, blockTokens: 32 }")
        let (scenario, errors) = parseScenario(text)
        #expect(errors.isEmpty)
        let pool = try #require(scenario?.pools.first)
        #expect(pool.prefixCaching && pool.routing == .prefixAffinity)
        #expect(pool.affinity == AffinitySpec(keyBlocks: 2, epsilon: 0.5, virtualNodes: 16))
        #expect(scenario?.classes[0].sharedPrefix == SharedPrefixSpec(tokens: 1024, count: 8, skew: 1, blockTokens: 32))
        #expect(parseScenario(Self.base.replacingOccurrences(of: "POOL", with: "prefixCaching: true")
            .replacingOccurrences(of: "CLASS", with: "")).0?.pools[0].prefixCaching == true)
        #expect(parseScenario(Self.base.replacingOccurrences(of: "POOL", with: "")
            .replacingOccurrences(of: "CLASS", with: "")).0?.pools[0].prefixCaching == false)
    }

    @Test func badKeysAreReportedWithTheirPath() {
        #expect(Self.errors(pool: "prefixCaching: { enable: true }") == [
            "s.json5: pools.0.prefixCaching.enabled: is missing (true or false)",
            "s.json5: pools.0.prefixCaching.enable: unknown key (did you mean enabled? known keys: enabled)"])
        #expect(Self.errors(pool: "prefixCaching: 1") == [
            "s.json5: pools.0.prefixCaching: expected true, false or an object, got a number (true, false or { enabled: true })"])
        #expect(Self.errors(pool: "affinity: { keyBlocks: 2 }") == [
            "s.json5: pools.0.affinity: is only for routing prefix-affinity or session-affinity (routing is least-outstanding) (remove it, or set routing: \"prefix-affinity\" or \"session-affinity\")"])
        #expect(Self.errors(pool: #"routing: "prefix-affinity", affinity: { keyBlocks: 0 }"#) == [
            "s.json5: pools.0.affinity.keyBlocks: 0 is out of range (an integer from 1 to 1000000)"])
        #expect(Self.errors(klass: "sharedPrefix: { tokens: 8, count: 2 }") == [
            "s.json5: workload.classes.0.sharedPrefix: a 8-token prefix has no full 16-token block (blockTokens <= tokens)"])
        #expect(Self.errors(klass: "sharedPrefix: { tokens: 64, count: 2, blockTokens: 24 }", ).isEmpty)
        #expect(Self.errors(pool: "prefixCaching: true", klass: "sharedPrefix: { tokens: 64, count: 2, blockTokens: 24 }") == [
            "s.json5: pools.0.prefixCaching: class \"chat\" has 24-token hash blocks, not a multiple of the KV block size 16 (a scheduler.blockSize that divides the class's blockTokens)"])
        // Trace classes: blockTokens only for mooncake; no synthetic prefix.
        let azure = CLI.sharedData.appendingPathComponent("azure_llm_2023_conv.csv").path
        let trace = """
        { version: 1, name: "t", duration: "60s",
          workload: { classes: [{ name: "replay", arrivals: { process: "trace", file: "\(azure)", format: "azure", blockTokens: 512 },
                                  sharedPrefix: { tokens: 64, count: 2 } }] },
          pools: [{ name: "gpu", hardware: "H100-SXM-80GB", model: "llama-3.1-8b", replicas: 1, performance: { model: "roofline" } }] }
        """
        #expect(parseScenario(trace).1 == [
            "s.json5: workload.classes.0.arrivals.blockTokens: is only for format mooncake (its hash_ids) (remove it)",
            "s.json5: workload.classes.0.sharedPrefix: not allowed with trace arrivals (remove it: a Mooncake trace gives each request's block hashes)"])
    }
}
