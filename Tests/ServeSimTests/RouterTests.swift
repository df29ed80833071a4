import Foundation
import Testing
import ServeSim

/// Tier choice and fallback on their own.
@Suite struct TrafficRouterRuleTests {
    @Test func aDrawPicksTheTierWhoseCumulativeShareExceedsIt() {
        let r = TrafficRouter(name: "r", split: [.init(pool: 0, weight: 70), .init(pool: 1, weight: 0), .init(pool: 2, weight: 30)])
        #expect(r.tier(for: 0.0001) == 0)
        #expect(r.tier(for: 0.6999) == 0)
        #expect(r.tier(for: 0.7001) == 2)  // a weight-0 tier is never drawn
        #expect(r.tier(for: 0.9999) == 2)
        #expect(r.shares == [0.7, 0, 0.3])
    }

    @Test func fallbackTakesTheFirstFreeOtherTierAndOnlyWhenTheDrawnOneIsSaturated() {
        var asked: [Int] = []
        let free = TrafficRouter.fallbackTier(drawn: 1, count: 3) { asked.append($0); return false }
        #expect(free == 1)
        #expect(asked == [1])  // others are not even looked at
        #expect(TrafficRouter.fallbackTier(drawn: 0, count: 3) { $0 != 2 } == 2)
        #expect(TrafficRouter.fallbackTier(drawn: 2, count: 3) { $0 == 2 } == 0)
        // Everything saturated: stay.
        #expect(TrafficRouter.fallbackTier(drawn: 1, count: 3) { _ in true } == 1)
    }
}

/// Routers in the engine, on pools of single-slot servers with fixed service times.
@Suite struct RouterEngineTests {
    /// Class "chat" at `rate` req/s through router "tiers" over "small" and "large".
    func scenario(rate: Double = 10, duration: Int = 600, smallServers: Int = 20, largeServers: Int = 20,
                  smallService: String = "0.5s", queueCap: String = "", fallback: String = "",
                  retry: String = "", extra: String = "") -> String {
        """
        { version: 1, name: "tiers", seed: 11, duration: \(duration), timeSeriesInterval: "1s",
          workload: { classes: [{ name: "chat", tenant: "acme", arrivals: { process: "poisson", rate: \(rate) },
            promptTokens: { distribution: "fixed", value: 100 }, outputTokens: { distribution: "fixed", value: 10 } \(retry) },
            { name: "batch", tenant: "beta", arrivals: { process: "poisson", rate: 1 },
              promptTokens: { distribution: "fixed", value: 100 }, outputTokens: { distribution: "fixed", value: 10 } }] },
          pools: [
            { name: "small", replicas: \(smallServers), pricePerGpuHour: 1, routing: "shared-queue", \(queueCap)
              scheduler: { policy: "fcfs", maxNumSeqs: 1 }, performance: { model: "service", distribution: "deterministic", mean: "\(smallService)" } },
            { name: "large", replicas: \(largeServers), pricePerGpuHour: 4, routing: "shared-queue", \(queueCap) classes: ["batch"],
              scheduler: { policy: "fcfs", maxNumSeqs: 1 }, performance: { model: "service", distribution: "deterministic", mean: "1s" } },
          ],
          routers: [{ name: "tiers", classes: ["chat"], split: [{ pool: "small", weight: 7 }, { pool: "large", weight: 3 }] \(fallback) }],
          slos: [{ name: "availability", sli: "availability", objective: 0.99 }],
          \(extra)
        }
        """
    }

    func run(_ text: String) throws -> Report {
        let (parsed, errors) = parseScenario(text)
        #expect(errors.isEmpty, "\(errors)")
        return ScenarioRunner.run(try #require(parsed)).0
    }

    @Test func theSplitFollowsTheWeightsWithinBinomialTolerance() throws {
        let report = try run(scenario(rate: 20, duration: 1000))
        let router = try #require(report.routers?.first)
        let n = Double(router.attempts)
        #expect(n > 15_000)
        let small = Double(router.tiers[0].drawn)
        // 4 standard deviations of a binomial(n, 0.7) share.
        #expect(abs(small / n - 0.7) <= 4 * (0.7 * 0.3 / n).squareRoot())
        #expect(router.fallbacks == 0 && router.tiers.map(\.sent) == router.tiers.map(\.drawn))
        // Every attempt ended where it was sent: small holds chat only, large chat plus batch.
        #expect(report.pools[0].requests?.ended == router.tiers[0].sent)
        #expect(report.pools[1].requests?.ended == router.tiers[1].sent + report.classes[1].requests.arrived)
    }

    @Test func perPoolCountsSumToTheTotalsAndTenantsToTheirClasses() throws {
        let report = try run(scenario(rate: 20, duration: 300, smallServers: 3, queueCap: "maxQueueLength: 5,"))
        let ended = report.pools.compactMap(\.requests).map(\.ended).reduce(0, +)
        let r = report.requests
        #expect(r.rejected > 0)
        #expect(ended == r.completed + r.rejected + r.timedOut + r.failed)
        #expect(report.pools.compactMap(\.requests).map(\.rejected).reduce(0, +) == r.rejected)
        #expect(report.pools.compactMap(\.latency).map(\.ttft.count).reduce(0, +) == report.latency.ttft.count)
        #expect(report.tenants.map(\.tenant) == ["acme", "beta"])
        for (tenant, k) in zip(report.tenants, report.classes) {
            #expect(tenant.requests == k.requests && tenant.cost == k.cost && tenant.latency == k.latency)
        }
    }

    @Test func aQueueDepthFallbackCapsTheDrawnTiersQueueAndMovesOnlyItsOverflow() throws {
        // 14 req/s of chat drawn for small, which serves 4 req/s: without fallback its queue grows.
        let base = scenario(rate: 20, duration: 300, smallServers: 2, largeServers: 40)
        let without = try run(base)
        let maxSmallQueue = { (r: Report) in r.timeSeries.map { $0.pools[0].queued }.max() ?? 0 }
        #expect(maxSmallQueue(without) > 100)
        let with = try run(scenario(rate: 20, duration: 300, smallServers: 2, largeServers: 40,
                                    fallback: ", fallback: { when: \"queueDepth\", threshold: 8 }"))
        let router = try #require(with.routers?.first)
        // An attempt joins small only while fewer than 8 wait there; the large tier is never saturated.
        #expect(maxSmallQueue(with) <= 8)
        #expect(router.fallbacks > 0 && router.fallbacksBlocked == 0)
        #expect(router.tiers[0].fallbacksOut == router.fallbacks && router.tiers[1].fallbacksIn == router.fallbacks)
        // Same draws as without the fallback (one per attempt, own stream).
        #expect(router.tiers.map(\.drawn) == without.routers!.first!.tiers.map(\.drawn))
        // Light load: the threshold is never reached, nothing moves, and the run is the same.
        let calm = try run(scenario(rate: 4, duration: 300, fallback: ", fallback: { when: \"queueDepth\", threshold: 8 }"))
        let calmBase = try run(scenario(rate: 4, duration: 300))
        #expect(calm.routers!.first!.fallbacks == 0)
        #expect(calm.latency == calmBase.latency && calm.requests == calmBase.requests)
    }

    @Test func aWouldRejectFallbackNeverSendsAnAttemptToATierThatRejectsIt() throws {
        // Both tiers small with 3-request queues and overloaded: each rejection is an attempt whose
        // drawn tier was full while the other was full too.
        let text = scenario(rate: 20, duration: 300, smallServers: 2, largeServers: 3, queueCap: "maxQueueLength: 3,",
                            fallback: ", fallback: { when: \"wouldReject\" }")
        let report = try run(text)
        let router = try #require(report.routers?.first)
        #expect(router.fallbacks > 0 && router.fallbacksBlocked > 0)
        // Chat's rejections are exactly the blocked attempts (batch's go straight to large).
        let batchRejected = report.classes[1].requests.rejected
        #expect(report.requests.rejected - batchRejected == router.fallbacksBlocked)
        let noFallback = try run(scenario(rate: 20, duration: 300, smallServers: 2, largeServers: 3, queueCap: "maxQueueLength: 3,"))
        #expect(noFallback.classes[0].requests.rejected > report.classes[0].requests.rejected)
    }

    @Test func theChosenTiersLadderAppliesAfterTheRouter() throws {
        // The router sends all chat to small (large has weight 0); small's ladder moves attempts to
        // large while 5 or more wait in small.
        let text = scenario(rate: 20, duration: 300, smallServers: 2)
            .replacingOccurrences(of: "weight: 3 }", with: "weight: 0 }")
            .replacingOccurrences(of: "slos: [", with: """
                degradation: [{ pool: "small", checkInterval: "5s",
                  steps: [{ when: 5, action: "fallback", pool: "large", fraction: 1 }] }],
                slos: [
                """)
        let report = try run(text)
        let router = try #require(report.routers?.first)
        #expect(router.tiers[1].sent == 0)
        let movedByLadder = report.degradation[0].steps[0].requestsAffected
        #expect(movedByLadder > 0)
        // Large ended batch's requests plus the chat attempts the ladder moved (no retries, no warm-up).
        #expect(report.pools[1].requests!.ended == report.classes[1].requests.arrived + movedByLadder)
    }

    @Test func retriesDrawTheirTierAgain() throws {
        // Small fails every attempt; with up to 3 attempts a request ends on large unless all three draw small.
        let text = scenario(rate: 10, duration: 600, retry: ", client: { retry: { maxAttempts: 3, baseBackoff: \"1s\" } }")
            .replacingOccurrences(of: "name: \"small\", replicas: 20,", with: "name: \"small\", replicas: 20, errorRate: 1,")
        let report = try run(text)
        let chat = report.classes[0].requests
        let failedShare = Double(chat.failed) / Double(chat.arrived)
        #expect(abs(failedShare - 0.343) < 0.03)  // 0.7^3
        #expect(report.routers!.first!.attempts > chat.arrived)
    }

    @Test func sameScenarioSameBytes() throws {
        let text = scenario(rate: 20, duration: 200, smallServers: 2, fallback: ", fallback: { when: \"queueDepth\", threshold: 4 }")
        let a = try ReportRenderer.json(try run(text)), b = try ReportRenderer.json(try run(text))
        #expect(a == b)
    }

    @Test func badRoutersAreReportedByField() {
        let cases: [(String, String)] = [
            (", fallback: { when: \"soon\" }", "s.json5: routers.0.fallback.when: \"soon\" is not supported (wouldReject, queueDepth)"),
            (", fallback: { when: \"queueDepth\" }", "s.json5: routers.0.fallback.threshold: is missing (waiting requests, an integer >= 1)"),
            (", fallback: { when: \"wouldReject\", threshold: 3 }", "s.json5: routers.0.fallback.threshold: applies only to when: \"queueDepth\" (remove it, or set when: \"queueDepth\")"),
            (", extra: 1", "s.json5: routers.0.extra: unknown key (known keys: classes, fallback, name, split)"),
        ]
        for (fallback, message) in cases {
            let (_, errors) = parseScenario(scenario(fallback: fallback))
            #expect(errors.contains(message), "\(errors)")
        }
        let replaced: [(String, String, String)] = [
            ("{ pool: \"large\", weight: 3 }", "{ pool: \"huge\", weight: 3 }", "s.json5: routers.0.split.1.pool: unknown pool \"huge\" (small, large)"),
            ("{ pool: \"large\", weight: 3 }", "{ pool: \"small\", weight: 3 }", "s.json5: routers.0.split.1.pool: pool \"small\" appears twice (each pool once per router)"),
            ("weight: 7 }, { pool: \"large\", weight: 3", "weight: 0 }, { pool: \"large\", weight: 0", "s.json5: routers.0.split: all weights are 0 (at least one weight > 0)"),
            ("weight: 7", "weight: -1", "s.json5: routers.0.split.0.weight: -1 is out of range (a number >= 0)"),
            ("name: \"tiers\", classes", "name: \"small\", classes", "s.json5: routers.0.name: duplicate name \"small\" (names unique across pools and routers)"),
            ("classes: [\"chat\"], split", "classes: [\"batch\"], split", "s.json5: routers.0.classes: class \"batch\" is already served by pool \"large\" (each class served by one pool or one router)"),
            ("classes: [\"chat\"], split", "classes: [\"chit\"], split", "s.json5: routers.0.classes: no request class named \"chit\" (chat, batch)"),
        ]
        for (from, to, message) in replaced {
            let (_, errors) = parseScenario(scenario().replacingOccurrences(of: from, with: to))
            #expect(errors.contains(message), "\(errors)")
        }
        let (_, errors) = parseScenario(scenario().replacingOccurrences(of: "name: \"small\", replicas: 20,", with: "name: \"small\", replicas: 20, errorRate: 2,"))
        #expect(errors.contains("s.json5: pools.0.errorRate: 2 is out of range (between 0 and 1)"), "\(errors)")
    }
}
