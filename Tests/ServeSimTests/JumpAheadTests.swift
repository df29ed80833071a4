import Testing
import ServeSim

/// The jump-ahead engine must reproduce the per-iteration reference exactly, request by request.
@Suite struct JumpAheadTests {
    func records(_ scenario: Scenario) -> (records: [RequestRecord], result: SimulationResult) {
        var out: [RequestRecord] = []
        let sim = Simulation(scenario: scenario)
        sim.recordObserver = { out.append($0) }
        let result = sim.run()
        return (out, result)
    }

    @Test(arguments: [
        // (rate, replicas, kv tokens, routing): ample KV; KV-bound with preemptions; shared queue
        (8.0, 2, 1_000_000, RoutingPolicy.leastOutstanding),
        (12.0, 1, 30_000, RoutingPolicy.roundRobin),
        (10.0, 3, 20_000, RoutingPolicy.sharedQueue),
    ])
    func jumpAheadEqualsPerIteration(rate: Double, replicas: Int, kv: Int, routing: RoutingPolicy) {
        for model in [LinearTestModel() as any StepTimeModel, TwoLineTestModel()] {
            let fast = records(TestScenarios.batching(rate: rate, replicas: replicas, kvTokens: kv, duration: 120,
                                                      seed: 5, perIteration: false, model: model, routing: routing))
            let slow = records(TestScenarios.batching(rate: rate, replicas: replicas, kvTokens: kv, duration: 120,
                                                      seed: 5, perIteration: true, model: model, routing: routing))
            #expect(fast.records.count > 500)
            #expect(fast.records == slow.records)
            #expect(fast.result.preemptions == slow.result.preemptions)
            #expect(fast.result.steps == slow.result.steps)
            // Jumping must save events: many times over with ample KV; KV-bound batches re-plan
            // whenever a block boundary is near, so the saving is smaller there.
            #expect(fast.result.events * (kv >= 1_000_000 ? 5 : 1) < slow.result.events)
        }
    }

    @Test func kvBoundRunPreempts() {
        let run = records(TestScenarios.batching(rate: 12, replicas: 1, kvTokens: 30_000, duration: 120, seed: 5,
                                                 perIteration: false))
        #expect(run.result.preemptions > 0)
    }
}
