import Foundation
import Testing
import ServeSim

/// Response caches with a content model: the store's LRU and TTL rules, and the hit ratios that
/// emerge against the independent-reference-model theory (TTL renewal formula, Che's LRU
/// approximation).
@Suite struct CacheContentTests {
    @Test func theStoreEvictsTheLeastRecentlyUsedEntry() {
        let store = ResponseCacheStore(capacity: 2, ttl: nil)
        #expect(!store.lookup(1, at: 0))  // stored
        #expect(!store.lookup(2, at: 1))  // stored
        #expect(store.lookup(1, at: 2))   // hit: 1 is now the most recent
        #expect(!store.lookup(3, at: 3))  // full: evicts 2, the least recently used
        #expect(store.lookup(1, at: 4))
        #expect(!store.lookup(2, at: 5))  // 2 was evicted; evicts 3
        #expect(store.lookup(1, at: 6) && store.lookup(2, at: 7))
        #expect(!store.lookup(3, at: 8))
        #expect(store.evictions == 3 && store.expirations == 0 && store.count == 2)
    }

    @Test func entriesExpireTTLSecondsAfterTheyWereStoredAndHitsDoNotExtendThem() {
        let store = ResponseCacheStore(capacity: nil, ttl: 10)
        #expect(!store.lookup(7, at: 0))
        #expect(store.lookup(7, at: 5))
        #expect(store.lookup(7, at: 9.999))
        #expect(!store.lookup(7, at: 10))  // 10 s after it was stored, despite the hits
        #expect(store.lookup(7, at: 19))   // stored again at 10
        #expect(!store.lookup(7, at: 20.5))
        #expect(store.expirations == 2 && store.evictions == 0 && store.count == 1)
    }

    @Test func aDrawPicksTheIndexWhoseCumulativeShareReachesIt() {
        let table = CumulativeTable(weights: [1, 0, 3])
        #expect(table.cumulative == [0.25, 0.25, 1])
        #expect(table.index(0.1) == 0 && table.index(0.25) == 0 && table.index(0.2500001) == 2 && table.index(1) == 2)
    }

    @Test func theoryAgreesWithHandComputedCases() {
        // Uniform popularity over n items that all fit: LRU always hits after warm-up.
        #expect(CacheTheory.lruHitRatio(popularity: Array(repeating: 0.25, count: 4), capacity: 4) == 1)
        // Uniform popularity over n items, capacity c: every item hits with probability c / n.
        let uniform = CacheTheory.lruHitRatio(popularity: Array(repeating: 0.01, count: 100), capacity: 30)
        #expect(abs(uniform - 0.3) < 1e-9)
        // TTL: one item looked up at 2/s with a 1 s TTL hits 2 of every 3 lookups.
        #expect(abs(CacheTheory.ttlHitRatio(popularity: [1], rate: 2, ttl: 1) - 2.0 / 3) < 1e-12)
    }

    /// Poisson lookups at `rate` per second for `duration` seconds, all through one content cache;
    /// misses go to a fast service-time pool. Returns the cache's report.
    func run(rate: Double, duration: Double, content: CacheContentModel, seed: UInt64 = 3) -> CacheReport? {
        var s = Scenario(
            name: "content", seed: seed, duration: duration, warmup: duration / 5,
            classes: [RequestClassSpec(name: "q", tenant: "t", arrivals: .poisson(rate: rate),
                                       promptTokens: .uniform(min: 10, max: 100), outputTokens: .uniform(min: 1, max: 10))],
            pools: [PoolSpec(name: "p", hardware: "x", model: "y", replicas: 64, pricePerGpuHour: 1,
                             routing: .sharedQueue, scheduler: SchedulerConfig(policy: .fcfs, maxNumSeqs: 1),
                             performance: .service(.deterministic(mean: 0.01)))])
        s.caches = [ResponseCacheSpec(name: "c", kind: .exact, hitLatency: .fixed(0.002), content: content)]
        return ScenarioRunner.run(s).0.gateway?.caches.first
    }

    @Test func aTTLCacheHitsAsTheRenewalFormulaPredicts() throws {
        let model = CacheContentModel(distinct: 20_000, skew: 0.8, ttl: 60)
        let c = try #require(run(rate: 50, duration: 2500, content: model))
        let theory = CacheTheory.ttlHitRatio(popularity: model.popularity, rate: 50, ttl: 60)
        // About 100k measured lookups: binomial noise about 0.0016; the formula is exact in steady state.
        #expect(c.lookups > 90_000)
        #expect(abs(c.measuredHitRatio - theory) < 0.01, "measured \(c.measuredHitRatio), theory \(theory)")
        #expect(theory > 0.3 && theory < 0.8)  // a case where the TTL matters
        #expect(c.content?.expirations ?? 0 > 1000 && c.content?.evictions == 0)
    }

    @Test func anLRUCacheHitsAsChesApproximationPredicts() throws {
        let model = CacheContentModel(distinct: 50_000, skew: 0.9, capacity: 2_000)
        let c = try #require(run(rate: 50, duration: 2500, content: model))
        let theory = CacheTheory.lruHitRatio(popularity: model.popularity, capacity: 2_000)
        #expect(c.lookups > 90_000)
        #expect(abs(c.measuredHitRatio - theory) < 0.01, "measured \(c.measuredHitRatio), theory \(theory)")
        #expect(theory > 0.3 && theory < 0.8)
        #expect(c.content?.evictions ?? 0 > 1000 && c.content?.entriesAtEnd == 2_000)
        // More room, more hits: the capacity is what limits it here.
        let bigger = try #require(run(rate: 50, duration: 2500, content: CacheContentModel(distinct: 50_000, skew: 0.9, capacity: 8_000)))
        #expect(bigger.measuredHitRatio > c.measuredHitRatio + 0.05)
    }

    @Test func contentKeysParseAndBadOnesAreReported() throws {
        func load(_ caches: String) throws -> Scenario {
            let text = """
                { version: 1, name: "s", duration: "1m",
                  workload: { classes: [{ name: "c", arrivals: { process: "poisson", rate: 1 },
                    promptTokens: { distribution: "fixed", value: 10 }, outputTokens: { distribution: "fixed", value: 5 } }] },
                  pools: [{ name: "p", hardware: "H100-SXM-80GB", model: "llama-3.1-8b", replicas: 1, pricePerGpuHour: 3,
                            performance: { model: "roofline" } }],
                  caches: \(caches) }
                """
            return try ScenarioLoader.parse(data: Data(text.utf8), file: "s.json5", baseDirectory: ".")
        }
        let s = try load(#"[{ kind: "exact", hitLatency: "5ms", content: { distinct: 1000, capacity: 100, ttl: "10m" } }]"#)
        #expect(s.caches == [ResponseCacheSpec(name: "exact", kind: .exact, hitLatency: .fixed(0.005),
                                               content: CacheContentModel(distinct: 1000, skew: 0.8, capacity: 100, ttl: 600))])
        func errors(_ caches: String) -> [String] {
            do { _ = try load(caches); return [] } catch let e as InputError { return e.diagnostics.map(\.withoutPosition.description) } catch { return ["\(error)"] }
        }
        #expect(errors(#"[{ kind: "exact", hitLatency: "5ms" }]"#)
            == [#"s.json5: caches.0.hitRatio: is missing (either hitRatio (a fraction in [0, 1], e.g. 0.2 or "20%") or content { distinct, skew, capacity, ttl })"#])
        #expect(errors(#"[{ kind: "exact", hitLatency: "5ms", hitRatio: 0.2, content: { distinct: 10 } }]"#)
            == [#"s.json5: caches.0.content: is given with content (either hitRatio (a fraction in [0, 1], e.g. 0.2 or "20%") or content { distinct, skew, capacity, ttl })"#])
        let bad = errors(#"[{ kind: "exact", hitLatency: "5ms", content: { distinct: 0, capacity: 0, ttl: "0s", size: 3 } }]"#)
        #expect(bad.count == 4, "\(bad)")
        #expect(bad.allSatisfy { $0.hasPrefix("s.json5: caches.0.content.") })
    }
}
