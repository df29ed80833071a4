import Testing
import ServeSim

/// The serving engine's pipeline (`EnginePipeline`): async scheduling lag, CPU work per step and
/// delivery to the client, checked against timelines worked out by hand.
@Suite struct EnginePipelineTests {
    /// Every step takes exactly `step` seconds, whatever it holds.
    static let step = 0.010
    static let constantSteps = LinearTestModel(base: step, perToken: 0, perContext: 0, perPair: 0)
    static let overhead = 0.017

    /// Request A (t = 0, 100 prompt tokens, 1000 output tokens) keeps a decode running; request B
    /// is sent at `bSend` with 2 output tokens. One replica, the given engine.
    /// One replica of constant-time steps and `engine`, serving `trace`; records by send time.
    func serve(_ trace: [TraceRecord], engine: EnginePipeline, overhead: Double = overhead,
               perIteration: Bool = false) -> [RequestRecord] {
        var pool = PoolSpec(name: "p", hardware: "test", model: "test", replicas: 1, pricePerGpuHour: 1,
                            routing: .leastOutstanding, scheduler: SchedulerConfig(maxNumSeqs: 8, maxBatchedTokens: 2048),
                            performance: .steps(Self.constantSteps, kvCapacityTokens: 100_000, requestOverhead: overhead))
        pool.engine = engine
        let scenario = Scenario(name: "pipeline", seed: 1, duration: 60,
                                classes: [RequestClassSpec(name: "c", tenant: "t", arrivals: .trace(TraceSpec(file: "-", format: .csv)),
                                                           promptTokens: .fixed(1), outputTokens: .fixed(1))],
                                pools: [pool], perIteration: perIteration, traces: [trace])
        return simulate(scenario).records.sorted { $0.arrival < $1.arrival }
    }

    func twoRequests(_ engine: EnginePipeline, bSend: Double, perIteration: Bool = false) -> [RequestRecord] {
        serve([TraceRecord(time: 0, promptTokens: 100, outputTokens: 1000), TraceRecord(time: bSend, promptTokens: 100, outputTokens: 2)],
              engine: engine, perIteration: perIteration)
    }

    @Test func isolatedRequestOnAnIdleEngine() {
        // A alone: it reaches the scheduler after the request overhead, its prefill step runs at
        // once, and the client sees the first token the step's CPU work plus streaming later.
        let engine = EnginePipeline(asyncScheduling: true, cpuPerStep: 0.001, cpuPerSequence: 0, streamingDelay: 0.002)
        let a = twoRequests(engine, bSend: 50)[0]
        #expect(abs(a.ttft - (0.017 + 0.010 + 0.001 + 0.002)) < 1e-12, "\(a.ttft)")
    }

    @Test func asyncSchedulingWaitsForTheRunningStepAndOneMore() {
        // Async, CPU 1 ms per step (under the 10 ms GPU step, so steps stay 10 ms), streaming 2 ms.
        // A reaches the scheduler at 0.017; steps run [0.017 + 0.01 k, 0.017 + 0.01 (k + 1)].
        // B is sent at 0.0555 and reaches the scheduler at 0.0725, during step [0.067, 0.077].
        // That step ends at 0.077, when step [0.077, 0.087] is already planned (planned when
        // 0.067's step started, before B arrived); B is scheduled at 0.087 into [0.087, 0.097] and
        // its first token reaches the client at 0.097 + 0.001 + 0.002 = 0.100.
        let engine = EnginePipeline(asyncScheduling: true, cpuPerStep: 0.001, cpuPerSequence: 0, streamingDelay: 0.002)
        for perIteration in [false, true] {
            let b = twoRequests(engine, bSend: 0.0555, perIteration: perIteration)[1]
            let byHand = Self.overhead          // request overhead
                + (0.077 - 0.0725)               // rest of the running step
                + Self.step                      // the step planned before B arrived
                + Self.step                      // B's prefill step
                + 0.001 + 0.002                  // output processing and streaming
            #expect(abs(b.ttft - byHand) < 1e-9, "perIteration \(perIteration): \(b.ttft) vs \(byHand)")
            #expect(abs(b.ttft - 0.0445) < 1e-9)
        }
    }

    @Test func synchronousEngineAddsItsCPUToEveryStep() {
        // Sync, CPU 1 ms: steps are 11 ms, [0.017 + 0.011 k, ...]; B reaches the scheduler at
        // 0.0725 during [0.072, 0.083] and is scheduled when it ends, into [0.083, 0.094]; the
        // step's output processing is already in it, so only streaming (2 ms) follows.
        let engine = EnginePipeline(asyncScheduling: false, cpuPerStep: 0.001, cpuPerSequence: 0, streamingDelay: 0.002)
        let records = twoRequests(engine, bSend: 0.0555)
        let byHand = Self.overhead + (0.083 - 0.0725) + (Self.step + 0.001) + 0.002
        #expect(abs(records[1].ttft - byHand) < 1e-9, "\(records[1].ttft) vs \(byHand)")
        // A: 1000 tokens, one per 11 ms step after its prefill step, seen 2 ms after its last step
        // (B's two steps share A's steps, so they cost A nothing here).
        #expect(abs(records[0].e2e - (Self.overhead + 1000 * 0.011 + 0.002)) < 1e-9, "\(records[0].e2e)")
    }

    @Test func noEngineCostsTimesAsBeforeThePipeline() {
        // `.none`: B is scheduled as soon as the running step ends and seen when its step ends.
        let b = twoRequests(.none, bSend: 0.0555)[1]
        #expect(abs(b.ttft - (Self.overhead + (0.077 - 0.0725) + Self.step)) < 1e-9, "\(b.ttft)")
    }

    @Test func zeroCostSynchronousEngineIsTheNoneEngine() throws {
        // The scenario format's `servingEngine` with everything off parses to `.none`, and the
        // pre-pipeline simulation is what runs (the committed reports of the previous release
        // were reproduced byte for byte this way before the default changed).
        let text = CLI.smallScenario.replacingOccurrences(
            of: "performance: { model: \"roofline\" }",
            with: "performance: { model: \"roofline\" }, servingEngine: { asyncScheduling: false, cpuPerStep: \"0s\", cpuPerSequence: \"0s\", streamingDelay: \"0s\" }")
        let (scenario, errors) = parseScenario(text)
        #expect(errors.isEmpty, "\(errors)")
        #expect(scenario?.pools[0].engine == EnginePipeline.none)
    }

    @Test func defaultEngineIsVLLMV1() {
        let (scenario, errors) = parseScenario(CLI.smallScenario)
        #expect(errors.isEmpty)
        #expect(scenario?.pools[0].engine == EnginePipeline.vllmV1)
        #expect(EnginePipeline.vllmV1.asyncScheduling)
    }

    @Test(arguments: [
        // (engine, step model): the vLLM V1 default; a CPU floor above every GPU step (async);
        // a synchronous engine with per-sequence CPU.
        (EnginePipeline.vllmV1, false),
        (EnginePipeline(asyncScheduling: true, cpuPerStep: 0.004, cpuPerSequence: 0.0002), false),
        (EnginePipeline(asyncScheduling: true, cpuPerStep: 0.004, cpuPerSequence: 0.0002), true),
        (EnginePipeline(asyncScheduling: false, cpuPerStep: 0.0005, cpuPerSequence: 0.00003, streamingDelay: 0.001), true),
    ])
    func jumpAheadEqualsPerIterationWithThePipeline(engine: EnginePipeline, twoLines: Bool) {
        let model: any StepTimeModel = twoLines ? TwoLineTestModel() : LinearTestModel()
        func run(_ perIteration: Bool) -> (records: [RequestRecord], result: SimulationResult) {
            var scenario = TestScenarios.batching(rate: 10, replicas: 2, kvTokens: 60_000, duration: 120, seed: 3,
                                                  perIteration: perIteration, model: model)
            scenario.pools[0].engine = engine
            return simulate(scenario)
        }
        let fast = run(false), slow = run(true)
        #expect(fast.records.count > 500)
        #expect(fast.records == slow.records)
        #expect(fast.result.steps == slow.result.steps)
        #expect(fast.result.events < slow.result.events)
    }

    @Test func cpuFloorBoundsAsyncDecodeSteps() {
        // With async scheduling a step lasts max(GPU, CPU): a 20 ms CPU floor over a 10 ms GPU
        // step makes a lone request's 50 tokens take 50 steps of 20 ms.
        let r = serve([TraceRecord(time: 0, promptTokens: 10, outputTokens: 50)],
                      engine: EnginePipeline(asyncScheduling: true, cpuPerStep: 0.020), overhead: 0)[0]
        #expect(abs(r.e2e - (50 * 0.020 + 0.020)) < 1e-9, "\(r.e2e)")   // 50 steps, then delivery
    }
}
