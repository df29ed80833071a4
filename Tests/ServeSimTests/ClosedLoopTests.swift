import Testing
import ServeSim

/// Closed-loop clients (`arrivals: { process: "closed-loop" }`) and per-stage reports.
@Suite struct ClosedLoopTests {
    func closedLoop(concurrency: Int, requests: Int, think: DurationDistribution, engine: EnginePipeline = .none,
                    overhead: Double = 0, duration: Double = 100_000) -> Scenario {
        var pool = PoolSpec(name: "p", hardware: "test", model: "test", replicas: 2, pricePerGpuHour: 1,
                            routing: .leastOutstanding, scheduler: SchedulerConfig(maxNumSeqs: 64, maxBatchedTokens: 2048),
                            performance: .steps(LinearTestModel(), kvCapacityTokens: 1_000_000, requestOverhead: overhead))
        pool.engine = engine
        return Scenario(name: "closed", seed: 11, duration: duration,
                        classes: [RequestClassSpec(name: "bench", tenant: "t",
                                                   arrivals: .closedLoop(ClosedLoopSpec(concurrency: concurrency, requests: requests,
                                                                                        thinkTime: think)),
                                                   promptTokens: .uniform(min: 50, max: 3000), outputTokens: .uniform(min: 1, max: 400))],
                        pools: [pool])
    }

    @Test func concurrencyNKeepsExactlyNRequestsInTheSystem() {
        let n = 12
        let records = simulate(closedLoop(concurrency: n, requests: 3000, think: .fixed(0))).records
        #expect(records.count == 3000)
        #expect(records.allSatisfy { $0.outcome == .completed })
        // Every request is sent when another ends (think 0, no overhead): at any time between the
        // first sends and the last ones, exactly n are in flight.
        let lastSend = records.map(\.arrival).max()!
        var inSystem = Set<Int>()
        for k in 1..<400 {
            let t = lastSend * Double(k) / 400
            let count = records.filter { $0.arrival <= t && t < $0.end }.count
            inSystem.insert(count)
        }
        #expect(inSystem == [n], "\(inSystem)")
    }

    @Test(arguments: [(8, 2.0), (32, 0.5)])
    func throughputObeysTheResponseTimeLaw(concurrency n: Int, meanThink z: Double) {
        // X = N / (R + Z): with the vLLM V1 pipeline and a request overhead, R is what the client
        // sees (send to last token). Operational law: exact over a whole busy cycle up to the
        // edges; 6000 requests make the edges small.
        let scenario = closedLoop(concurrency: n, requests: 6000, think: .exponential(mean: z), engine: .vllmV1, overhead: 0.017)
        let records = simulate(scenario).records
        #expect(records.count == 6000)
        let r = records.map(\.e2e).reduce(0, +) / Double(records.count)
        let span = records.map(\.end).max()!
        let x = Double(records.count) / span
        let law = Double(n) / (r + z)
        #expect(abs(x - law) / law < 0.01, "X \(x) vs N / (R + Z) \(law)")
    }

    @Test func sendsStopAtTheRequestCountOrTheDuration() {
        let counted = simulate(closedLoop(concurrency: 4, requests: 10, think: .fixed(1))).records
        #expect(counted.count == 10)
        let timed = simulate(closedLoop(concurrency: 4, requests: 1_000_000, think: .fixed(1), duration: 30)).records
        #expect(timed.allSatisfy { $0.arrival < 30 })
        #expect(timed.count > 20)
    }

    @Test func scenarioFormatParsesClosedLoopAndRejectsItsMistakes() {
        func with(_ arrivals: String) -> String {
            CLI.smallScenario.replacingOccurrences(of: "arrivals: { process: \"poisson\", rate: 5 }", with: "arrivals: \(arrivals)")
        }
        let (ok, errors) = parseScenario(with("{ process: \"closed-loop\", concurrency: 16, requests: 640, thinkTime: \"1s\" }"))
        #expect(errors.isEmpty, "\(errors)")
        #expect(ok?.classes[0].arrivals.closedLoop == ClosedLoopSpec(concurrency: 16, requests: 640, thinkTime: .fixed(1)))
        for (bad, path) in [("{ process: \"closed-loop\", concurrency: 0, requests: 10 }", "arrivals.concurrency"),
                            ("{ process: \"closed-loop\", concurrency: 4 }", "arrivals.requests"),
                            ("{ process: \"closed-loop\", concurrency: 4, requests: 10, rate: 5 }", "arrivals.rate")] {
            let (s, e) = parseScenario(with(bad))
            #expect(s == nil)
            #expect(e.contains { $0.contains(path) }, "\(e)")
        }
    }

    @Test func stagedScheduleReportsEachStage() throws {
        let text = CLI.smallScenario.replacingOccurrences(
            of: "arrivals: { process: \"poisson\", rate: 5 }",
            with: "arrivals: { process: \"schedule\", steps: [{ at: \"0s\", rate: 2 }, { at: \"1m\", rate: 20 }] }")
        let (scenario, errors) = parseScenario(text)
        #expect(errors.isEmpty, "\(errors)")
        let (records, result) = simulate(try #require(scenario))
        let stages = try #require(result.stages)
        #expect(stages.count == 2 && stages[0].end == 60 && stages[1].start == 60 && stages[1].end == 120)
        // Each stage holds exactly the completed requests sent in it.
        for stage in stages {
            let sent = records.filter { $0.outcome == .completed && $0.arrival >= stage.start && $0.arrival < stage.end }
            #expect(stage.completed == sent.count)
            #expect(stage.latency.ttft.count == sent.count)
        }
        // Ten times the rate: the second stage's tail is the loaded one.
        #expect(stages[1].completed > 5 * stages[0].completed)
        #expect(stages[1].latency.ttft.p95 > stages[0].latency.ttft.p95)
    }
}
