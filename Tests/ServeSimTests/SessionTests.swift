import Foundation
import Testing
import ServeSim

/// Multi-turn chat sessions (class key `sessions`) and `session-affinity` routing: the generator's
/// turns, order, growing prompts and hash chains, its streams, the context cap; the engine keeping
/// a conversation on one replica and the hit rate that buys; determinism and bad input.
@Suite struct SessionTests {
    static func sessionClass(rate: Double = 1, turns: SessionSpec.Turns = .geometric(mean: 4), think: Double = 30,
                             prompt: LengthDistribution = .uniform(min: 20, max: 400),
                             output: LengthDistribution = .uniform(min: 1, max: 200),
                             maxContext: Int = SessionSpec.defaultMaxContextTokens) -> RequestClassSpec {
        var spec = RequestClassSpec(name: "chat", tenant: "t", arrivals: .poisson(rate: rate),
                                    promptTokens: prompt, outputTokens: output)
        spec.sessions = SessionSpec(turns: turns, thinkTime: think, maxContextTokens: maxContext, blockTokens: 16)
        return spec
    }

    static func drain(_ arrivals: ClassArrivals) -> [ArrivalDraw] {
        var out: [ArrivalDraw] = []
        while let d = arrivals.next() { out.append(d) }
        return out
    }

    /// Draws grouped by session index, each in send order.
    static func bySession(_ draws: [ArrivalDraw]) -> [[ArrivalDraw]] {
        var groups: [[ArrivalDraw]] = []
        for d in draws {
            let s = d.session!.index
            while groups.count <= s { groups.append([]) }
            groups[s].append(d)
        }
        return groups
    }

    // MARK: Generator

    @Test func turnsPerSessionFollowTheDistribution() {
        // Think times of 1 s and sessions started 100 s before the end: no session is cut short.
        let duration = 2_000.0
        for turns in [SessionSpec.Turns.distribution(.uniform(min: 2, max: 5)), .geometric(mean: 4)] {
            let draws = Self.drain(ClassArrivals(spec: Self.sessionClass(turns: turns, think: 1), seed: 5, duration: duration))
            let sessions = Self.bySession(draws).filter { $0[0].time < duration - 100 }
            #expect(sessions.count > 1_700)
            let counts = sessions.map(\.count)
            let n = Double(counts.count)
            switch turns {
            case .distribution:
                #expect(counts.allSatisfy { (2...5).contains($0) })
                for k in 2...5 {
                    let share = Double(counts.filter { $0 == k }.count) / n
                    #expect(abs(share - 0.25) < 0.05, "\(k) turns: \(share)")
                }
            case .geometric:
                let mean = Double(counts.reduce(0, +)) / n
                #expect(abs(mean - 4) < 0.35, "mean turns \(mean)")
                let single = Double(counts.filter { $0 == 1 }.count) / n
                #expect(abs(single - 0.25) < 0.05, "one-turn share \(single)")  // P(1) = 1 / mean
            }
        }
    }

    @Test func geometricInversionHasTheRightMean() {
        // Deterministic quadrature of the inversion over u: the mean of 1 + floor(log u / log(1 - p)).
        let steps = 200_000
        var sum = 0.0
        for i in 0..<steps { sum += Double(SessionSpec.geometric(mean: 3, uniform: (Double(i) + 0.5) / Double(steps))) }
        #expect(abs(sum / Double(steps) - 3) < 0.01)
        #expect(SessionSpec.geometric(mean: 3, uniform: 0.999) == 1)
    }

    @Test func arrivalsAreOrderedAndEachTurnExtendsTheConversation() {
        let draws = Self.drain(ClassArrivals(spec: Self.sessionClass(rate: 2, think: 20), seed: 11, duration: 600))
        #expect(draws.count > 2_000)
        for k in 1..<draws.count { #expect(draws[k - 1].time <= draws[k].time) }
        let sessions = Self.bySession(draws)
        #expect(sessions.filter { $0.count >= 3 }.count > 100)
        var firstBlocks = Set<Int>()
        for session in sessions {
            #expect(session.map { $0.session!.turn } == Array(0..<session.count))
            #expect(firstBlocks.insert(session[0].hashIds[0]).inserted)  // each conversation its own chain
            for d in session { #expect(d.hashIds.count == (d.promptTokens + 15) / 16) }
            for t in 1..<max(1, session.count) {
                let a = session[t - 1], b = session[t]
                #expect(a.session!.key == b.session!.key)
                // The whole earlier conversation, then at least one new token (own part: 20...400).
                let own = b.promptTokens - a.promptTokens - a.outputTokens
                #expect(own >= 20 && own <= 400)
                #expect(Array(b.hashIds.prefix(a.hashIds.count)) == a.hashIds)
                let chainA = PrefixChain.hashes(a.hashIds), chainB = PrefixChain.hashes(b.hashIds)
                #expect(Array(chainB.prefix(chainA.count)) == chainA)
            }
        }
    }

    @Test func fixedLengthsGiveTheExactConversation() {
        // Prompt of turn t = t x (100 + 10) + 100: every earlier own part and answer, then its own.
        let spec = Self.sessionClass(turns: .distribution(.fixed(6)), think: 5, prompt: .fixed(100), output: .fixed(10))
        let sessions = Self.bySession(Self.drain(ClassArrivals(spec: spec, seed: 2, duration: 300)))
        #expect(sessions.count > 250)
        // Sessions started 150 s before the end are never cut by it (5 think times of mean 5 s).
        for session in sessions where session[0].time < 150 {
            #expect(session.map(\.promptTokens) == (0..<6).map { $0 * 110 + 100 })
        }
    }

    @Test func contextCapEndsSessions() {
        // 300-token turns and 100-token answers: turn 2 would need 1100 > 1000 tokens.
        let spec = Self.sessionClass(turns: .distribution(.fixed(5)), think: 1, prompt: .fixed(300), output: .fixed(100),
                                     maxContext: 1_000)
        let arrivals = ClassArrivals(spec: spec, seed: 4, duration: 200)
        let sessions = Self.bySession(Self.drain(arrivals))
        #expect(sessions.allSatisfy { $0.count <= 2 && $0.allSatisfy { $0.promptTokens <= 1_000 } })
        #expect(sessions.filter { $0[0].time < 150 }.allSatisfy { $0.map(\.promptTokens) == [300, 700] })
        let counts = arrivals.sessionCounts!
        #expect(counts.started == sessions.count && counts.turns == sessions.reduce(0) { $0 + $1.count })
        #expect(counts.capped > 150)
    }

    @Test func newSessionRateAndStartTimesComeFromTheArrivalsStream() {
        let duration = 3_000.0
        let spec = Self.sessionClass(rate: 2, think: 10)
        var plain = spec
        plain.sessions = nil
        let starts = Self.drain(ClassArrivals(spec: spec, seed: 8, duration: duration)).filter { $0.session!.turn == 0 }.map(\.time)
        let plainTimes = Self.drain(ClassArrivals(spec: plain, seed: 8, duration: duration)).map(\.time)
        // Session starts are exactly the class's arrival process (stream arrivals/<class>).
        #expect(starts == plainTimes)
        let rate = Double(starts.count) / duration
        #expect(abs(rate - 2) < 0.1, "new sessions per second \(rate)")
    }

    @Test func classesWithoutSessionsDrawExactlyAsBefore() {
        var other = RequestClassSpec(name: "batch", tenant: "t", arrivals: .gamma(rate: 3, cv: 2),
                                     promptTokens: .lognormal(mu: 6, sigma: 0.5), outputTokens: .uniform(min: 1, max: 100))
        other.sharedPrefix = nil
        let withSessions = Self.sessionClass(rate: 1)
        var without = withSessions
        without.sessions = nil
        let a = WorkloadArrivals(specs: [withSessions, other], seed: 21, duration: 500)
        let b = WorkloadArrivals(specs: [without, other], seed: 21, duration: 500)
        var otherA: [ArrivalDraw] = [], otherB: [ArrivalDraw] = []
        var sessionTurns = 0
        while let (c, d) = a.next() { if c == 1 { otherA.append(d) } else { sessionTurns += 1; #expect(d.session != nil) } }
        while let (c, d) = b.next() { if c == 1 { otherB.append(d) } else { #expect(d.session == nil && d.hashIds.isEmpty) } }
        #expect(otherA.count > 1_000 && otherA == otherB)
        #expect(otherA.allSatisfy { $0.session == nil && $0.hashIds.isEmpty })
        #expect(sessionTurns > 1_000)
    }

    @Test func sameSeedSameSessions() {
        let spec = Self.sessionClass(rate: 3, think: 15)
        let a = Self.drain(ClassArrivals(spec: spec, seed: 1, duration: 300))
        let b = Self.drain(ClassArrivals(spec: spec, seed: 1, duration: 300))
        let c = Self.drain(ClassArrivals(spec: spec, seed: 2, duration: 300))
        #expect(a == b && a != c)
    }

    // MARK: Engine

    /// `replicas` replicas of a linear test model with caching on, serving one session class.
    static func engineScenario(routing: RoutingPolicy, caching: Bool = true, epsilon: Double = AffinitySpec.defaultEpsilon,
                               rate: Double = 0.5, replicas: Int = 4, duration: Double = 600,
                               classes: [RequestClassSpec]? = nil) -> Scenario {
        var pool = PoolSpec(name: "p", hardware: "test", model: "test", replicas: replicas, pricePerGpuHour: 2,
                            routing: routing, scheduler: SchedulerConfig(maxNumSeqs: 64, maxBatchedTokens: 2048),
                            performance: .steps(LinearTestModel(), kvCapacityTokens: 10_000_000, requestOverhead: 0))
        pool.prefixCaching = caching
        pool.affinity = AffinitySpec(epsilon: epsilon)
        return Scenario(name: "sessions", seed: 3, duration: duration,
                        classes: classes ?? [sessionClass(rate: rate, think: 30)], pools: [pool])
    }

    /// The most any cache and routing can reuse of these turns: each follow-up turn's previous
    /// turn's full prompt blocks (its answer's blocks were never cached), at most its prompt - 1.
    static func reuseBound(_ draws: [ArrivalDraw]) -> (hit: Int, prompt: Int) {
        var hit = 0, prompt = 0
        for session in bySession(draws) {
            for t in session.indices {
                prompt += session[t].promptTokens
                if t > 0 {
                    hit += min(session[t - 1].promptTokens / 16 * 16, session[t].promptTokens - 1)
                }
            }
        }
        return (hit, prompt)
    }

    @Test func sessionAffinityKeepsAConversationOnOneReplica() {
        let scenario = Self.engineScenario(routing: .sessionAffinity, epsilon: 1_000)
        let draws = Self.drain(ClassArrivals(spec: scenario.classes[0], seed: scenario.seed, duration: scenario.duration))
        let bound = Self.reuseBound(draws)
        let run = simulate(scenario)
        let cache = run.result.pools[0].prefixCache!
        #expect(cache.lookups == draws.count && cache.promptTokens == bound.prompt)
        #expect(cache.hitTokens <= bound.hit)
        // Every follow-up turn found its previous turn's blocks: it met the same replica (a turn
        // sent while its predecessor was still prefilling may find fewer).
        #expect(Double(cache.hitTokens) > 0.99 * Double(bound.hit), "\(cache.hitTokens) of \(bound.hit)")
        #expect(cache.evictedBlocks == 0)
    }

    @Test(arguments: [0.5, 2.0])
    func sessionAffinityRaisesTheHitRate(rate: Double) {
        // With the default load bound (epsilon 0.25), which at these small loads moves a turn off
        // its replica whenever that replica holds one request more than the mean allows.
        let rates = [RoutingPolicy.sessionAffinity, .roundRobin, .leastOutstanding].map {
            simulate(Self.engineScenario(routing: $0, rate: rate)).result.pools[0].prefixCache!.hitRate
        }
        let (affinity, rr, lo) = (rates[0], rates[1], rates[2])
        #expect(affinity > rr + 0.1 && affinity > lo + 0.05,
                "session-affinity \(affinity), round-robin \(rr), least-outstanding \(lo)")
    }

    @Test func sessionsWithASharedSystemPrompt() {
        // Each session draws one of 3 prefixes of 1000 tokens (62 full 16-token blocks) at its start.
        var spec = Self.sessionClass(rate: 1, think: 10)
        spec.sharedPrefix = SharedPrefixSpec(tokens: 1000, count: 3, blockTokens: 16)
        let sessions = Self.bySession(Self.drain(ClassArrivals(spec: spec, seed: 6, duration: 400)))
        var prefixes = Set<[Int]>()
        for session in sessions {
            let prefix = Array(session[0].hashIds.prefix(62))
            prefixes.insert(prefix)
            #expect(session[0].promptTokens >= 1000 + 20 && session[0].promptTokens <= 1000 + 400)
            for t in session.indices {
                let d = session[t]
                #expect(Array(d.hashIds.prefix(62)) == prefix)  // one prefix for the whole session
                #expect(d.hashIds.count == 62 + (d.promptTokens - 62 * 16 + 15) / 16)
                if t > 0 {
                    let a = session[t - 1]
                    let own = d.promptTokens - a.promptTokens - a.outputTokens
                    #expect(own >= 20 && own <= 400)
                    #expect(Array(d.hashIds.prefix(a.hashIds.count)) == a.hashIds)
                }
            }
        }
        #expect(prefixes.count == 3 && sessions.count > 300)
        // Prefix-affinity keyed on the first block sends every session of a prefix to one
        // replica until the load bound spills them; session-affinity spreads sessions.
        var scenario = Self.engineScenario(routing: .sessionAffinity, rate: 2)
        scenario.classes[0].sharedPrefix = SharedPrefixSpec(tokens: 1000, count: 3, blockTokens: 16)
        let session = simulate(scenario).result.pools[0].prefixCache!
        scenario.pools[0].routing = .roundRobin
        let rr = simulate(scenario).result.pools[0].prefixCache!
        #expect(session.lookups == rr.lookups && session.promptTokens == rr.promptTokens)
        #expect(session.hitRate > rr.hitRate + 0.05, "session-affinity \(session.hitRate), round-robin \(rr.hitRate)")
    }

    @Test func requestsWithoutASessionGoToLeastOutstanding() {
        // A class without sessions: session-affinity routes it exactly as least-outstanding does.
        let plain = RequestClassSpec(name: "plain", tenant: "t", arrivals: .poisson(rate: 20),
                                     promptTokens: .uniform(min: 50, max: 2000), outputTokens: .uniform(min: 1, max: 300))
        let a = simulate(Self.engineScenario(routing: .sessionAffinity, caching: false, duration: 120, classes: [plain]))
        let b = simulate(Self.engineScenario(routing: .leastOutstanding, caching: false, duration: 120, classes: [plain]))
        #expect(a.records.count > 2_000)
        #expect(a.records == b.records)
    }

    @Test func sameSeedGivesByteIdenticalJSON() {
        let scenario = Self.engineScenario(routing: .sessionAffinity, rate: 2, duration: 300)
        let first = ReportRenderer.render(ScenarioRunner.run(scenario).0, format: "json")
        let second = ReportRenderer.render(ScenarioRunner.run(scenario).0, format: "json")
        #expect(first == second)
        #expect(String(decoding: first, as: UTF8.self).contains("\"prefixCache\""))
    }

    @Test func reportCountsSessionsAndTurns() throws {
        let scenario = Self.engineScenario(routing: .sessionAffinity, rate: 2, duration: 300)
        let draws = Self.drain(ClassArrivals(spec: scenario.classes[0], seed: scenario.seed, duration: scenario.duration))
        let report = ScenarioRunner.run(scenario).0
        let sessions = try #require(report.classes[0].sessions)
        let started = Self.bySession(draws).count
        #expect(sessions.started == started && sessions.turns == draws.count)
        #expect(sessions.meanTurns == Double(draws.count) / Double(started))
        #expect(sessions.cappedByContext == 0)
        #expect(String(decoding: ReportRenderer.render(report, format: "json"), as: UTF8.self).contains("\"sessions\" : {"))
        let markdown = String(decoding: ReportRenderer.render(report, format: "md"), as: UTF8.self)
        #expect(markdown.contains("## Sessions") && markdown.contains("| chat | \(started) | \(draws.count) |"))
        // A class without sessions has no sessions key.
        let plain = RequestClassSpec(name: "plain", tenant: "t", arrivals: .poisson(rate: 2),
                                     promptTokens: .fixed(100), outputTokens: .fixed(10))
        let other = ScenarioRunner.run(Self.engineScenario(routing: .leastOutstanding, duration: 60, classes: [plain])).0
        #expect(other.classes[0].sessions == nil)
        #expect(!String(decoding: ReportRenderer.render(other, format: "json"), as: UTF8.self).contains("\"sessions\" : {"))
    }

    // MARK: Scenario keys

    static let base = """
    { version: 1, name: "s", duration: "60s",
      workload: { classes: [{ name: "chat", arrivals: { process: "poisson", rate: 1 },
                              promptTokens: { distribution: "fixed", value: 100 }, outputTokens: { distribution: "fixed", value: 10 },
                              CLASS }] },
      pools: [{ name: "gpu", hardware: "H100-SXM-80GB", model: "llama-3.1-8b", replicas: 2, performance: { model: "roofline" }, POOL }] }
    """

    static func errors(pool: String = "", klass: String) -> [String] {
        parseScenario(base.replacingOccurrences(of: "POOL", with: pool).replacingOccurrences(of: "CLASS", with: klass)).1
    }

    @Test func scenarioKeysParse() throws {
        let text = Self.base
            .replacingOccurrences(of: "POOL", with: #"prefixCaching: true, routing: "session-affinity", affinity: { epsilon: 0.5, virtualNodes: 16 }"#)
            .replacingOccurrences(of: "CLASS", with: #"sessions: { turns: 3.5, thinkTime: "45s", maxContextTokens: 8000, blockTokens: 32 }"#)
        let (scenario, errors) = parseScenario(text)
        #expect(errors.isEmpty)
        let pool = try #require(scenario?.pools.first)
        #expect(pool.routing == .sessionAffinity && pool.affinity == AffinitySpec(epsilon: 0.5, virtualNodes: 16))
        #expect(scenario?.classes[0].sessions == SessionSpec(turns: .geometric(mean: 3.5), thinkTime: 45, maxContextTokens: 8000,
                                                             blockTokens: 32))
        #expect(scenario?.classes[0].prefixBlockTokens == 32)
        let uniform = parseScenario(Self.base.replacingOccurrences(of: "POOL", with: "")
            .replacingOccurrences(of: "CLASS", with: #"sessions: { turns: { distribution: "uniform", min: 2, max: 6 }, thinkTime: 30 }"#)).0
        #expect(uniform?.classes[0].sessions == SessionSpec(turns: .distribution(.uniform(min: 2, max: 6)), thinkTime: 30))
        let prefixed = parseScenario(Self.base.replacingOccurrences(of: "POOL", with: "")
            .replacingOccurrences(of: "CLASS", with: #"sessions: { turns: 2, thinkTime: 30 }, sharedPrefix: { tokens: 640, count: 2, blockTokens: 32 }"#)).0
        #expect(prefixed?.classes[0].sessions?.blockTokens == 32)
    }

    @Test func badKeysAreReportedWithTheirPath() {
        #expect(Self.errors(klass: "sessions: { turns: 4 }") == [
            "s.json5: workload.classes.0.sessions.thinkTime: is missing (a mean duration > 0 between turns, e.g. \"30s\")"])
        #expect(Self.errors(klass: #"sessions: { turns: 0.5, thinkTime: "30s" }"#) == [
            "s.json5: workload.classes.0.sessions.turns: 0.5 is out of range (a number from 1 to 1000000)"])
        #expect(Self.errors(klass: #"sessions: { turns: "4", thinkTime: "30s" }"#) == [
            "s.json5: workload.classes.0.sessions.turns: expected a number or an object, got a string (a mean number of turns >= 1, or a length distribution)"])
        #expect(Self.errors(klass: #"sessions: { turns: 4, thinkTime: "30s", think: 1 }"#) == [
            "s.json5: workload.classes.0.sessions.think: unknown key (did you mean thinkTime? known keys: blockTokens, maxContextTokens, thinkTime, turns)"])
        #expect(Self.errors(klass: #"sessions: { turns: 4, thinkTime: 0 }"#).count == 1)
        #expect(Self.errors(klass: #"sessions: { turns: 4, thinkTime: "30s", blockTokens: 16 }, sharedPrefix: { tokens: 64, count: 2, blockTokens: 32 }"#) == [
            "s.json5: workload.classes.0.sessions.blockTokens: 16 differs from sharedPrefix.blockTokens 32 (remove it: with a shared prefix, sessions use the prefix's blocks)"])
        #expect(Self.errors(pool: "prefixCaching: true", klass: #"sessions: { turns: 4, thinkTime: "30s", blockTokens: 24 }"#) == [
            "s.json5: pools.0.prefixCaching: class \"chat\" has 24-token hash blocks, not a multiple of the KV block size 16 (a scheduler.blockSize that divides the class's blockTokens)"])
        #expect(Self.errors(pool: #"routing: "session-affinity", affinity: { keyBlocks: 2 }"#, klass: "") == [
            "s.json5: pools.0.affinity.keyBlocks: is only for routing prefix-affinity (session-affinity routes on the session) (remove it)"])
        #expect(Self.errors(pool: "affinity: { epsilon: 1 }", klass: "") == [
            "s.json5: pools.0.affinity: is only for routing prefix-affinity or session-affinity (routing is least-outstanding) (remove it, or set routing: \"prefix-affinity\" or \"session-affinity\")"])
        let azure = CLI.sharedData.appendingPathComponent("azure_llm_2023_conv.csv").path
        let trace = """
        { version: 1, name: "t", duration: "60s",
          workload: { classes: [{ name: "replay", arrivals: { process: "trace", file: "\(azure)", format: "azure" },
                                  sessions: { turns: 4, thinkTime: "30s" } }] },
          pools: [{ name: "gpu", hardware: "H100-SXM-80GB", model: "llama-3.1-8b", replicas: 1, performance: { model: "roofline" } }] }
        """
        #expect(parseScenario(trace).1 == [
            "s.json5: workload.classes.0.sessions: not allowed with trace arrivals (remove it: a trace gives each request)"])
    }
}
