import Foundation
import Testing
import ServeSim

/// Autoscaling, cold starts and warm pools in the engine.
@Suite struct ControlPlaneEngineTests {
    /// One H100 pool of Llama-3.1-8B with an autoscaler; fixed cold starts make times exact.
    func elasticScenario(steps: [RateStep], duration: Double, replicas: Int, min: Int, max: Int,
                         coldStart: Double, warmPool: WarmPoolSpec? = nil, interval: Double = 5) -> Scenario {
        var pool = PoolSpec(name: "h100", hardware: "H100", model: "llama-3.1-8b", replicas: replicas, pricePerGpuHour: 3,
                            scheduler: SchedulerConfig(maxNumSeqs: 256, maxBatchedTokens: 8192),
                            performance: .steps(RooflineModel(hardware: .h100, model: .llama31_8b), kvCapacityTokens: 400_000,
                                                requestOverhead: 0))
        pool.autoscaler = AutoscalerSpec(minReplicas: min, maxReplicas: max, metric: .concurrency, target: 16)
        pool.coldStart = ColdStartSpec(provision: .fixed(coldStart), imagePull: .fixed(0), engineStart: .fixed(0),
                                       weightLoadBandwidth: 1e30)
        pool.warmPool = warmPool
        var s = Scenario(name: "elastic", seed: 5, duration: duration,
                         classes: [RequestClassSpec(name: "chat", tenant: "t", arrivals: .schedule(steps: steps),
                                                    promptTokens: .fixed(500), outputTokens: .fixed(100))],
                         pools: [pool])
        s.timeSeriesInterval = interval
        return s
    }

    func run(_ s: Scenario) -> (records: [RequestRecord], result: SimulationResult) { simulate(s) }

    @Test func aStepInLoadScalesUpWithinSyncPeriodsPlusColdStart() {
        let s = elasticScenario(steps: [RateStep(start: 0, rate: 2), RateStep(start: 600, rate: 40)], duration: 1200,
                                replicas: 1, min: 1, max: 8, coldStart: 60)
        let (_, result) = run(s)
        let firstScaled = result.timeSeries.first { $0.pools[0].ready > 1 }
        #expect(result.timeSeries.filter { $0.end <= 600 }.allSatisfy { $0.pools[0].ready == 1 })
        // Metric averaged over one sync period (15 s) after the step, decided at the next sync, plus
        // the 60 s cold start; rows are 5 s long.
        #expect(firstScaled != nil && firstScaled!.end <= 600 + 2 * 15 + 60 + 5, "\(String(describing: firstScaled?.end))")
        #expect(firstScaled!.end >= 600 + 60)
        #expect(result.counts.coldStarts >= 1 && result.counts.scaleUps >= 1)
        #expect(result.arrived == result.timeSeries.reduce(0) { $0 + $1.completed } + result.inFlightAtEnd)
    }

    @Test func theFirstRequestAfterScaleFromZeroWaitsForAColdStart() {
        // Traffic, a quiet stretch long enough to scale to zero, then traffic again.
        let s = elasticScenario(steps: [RateStep(start: 0, rate: 2), RateStep(start: 300, rate: 0), RateStep(start: 1500, rate: 2)],
                                duration: 1800, replicas: 0, min: 0, max: 4, coldStart: 90)
        let (records, result) = run(s)
        let sorted = records.sorted { $0.arrival < $1.arrival }
        #expect(sorted.first!.ttft >= 90)                       // from zero at the start
        let afterQuiet = sorted.first { $0.arrival >= 1500 }!
        #expect(afterQuiet.ttft >= 90, "ttft \(afterQuiet.ttft)")  // scaled to zero in the quiet stretch
        #expect(result.timeSeries.contains { $0.start >= 900 && $0.end <= 1500 && $0.pools[0].ready == 0 })
        #expect(result.counts.coldStarts >= 2)
        #expect(records.allSatisfy { $0.outcome == .completed })
    }

    @Test func aWarmPoolStartsFasterThanAColdStart() {
        let steps = [RateStep(start: 0, rate: 1), RateStep(start: 300, rate: 40)]
        let cold = run(elasticScenario(steps: steps, duration: 900, replicas: 1, min: 1, max: 6, coldStart: 120))
        let warm = run(elasticScenario(steps: steps, duration: 900, replicas: 1, min: 1, max: 6, coldStart: 120,
                                       warmPool: WarmPoolSpec(size: 2, startTime: .fixed(5), idleCostFraction: 0.5)))
        func firstScaled(_ r: SimulationResult) -> Double { r.timeSeries.first { $0.pools[0].ready > 1 }!.end }
        #expect(firstScaled(warm.result) + 100 <= firstScaled(cold.result))
        #expect(warm.result.counts.warmStarts >= 2)
        let warmCost = warm.result.pools[0], coldCost = cold.result.pools[0]
        #expect(warmCost.warmPoolGpuSeconds > 0 && coldCost.warmPoolGpuSeconds == 0)
    }

    @Test func committedRampScenariosShowTheWarmPoolTradeOff() throws {
        let folder = CLI.repoRoot.appendingPathComponent("scenarios").path
        let warm = ScenarioRunner.run(try ScenarioLoader.load(path: folder + "/morning-ramp-warm-pool.json5")).0
        let zero = ScenarioRunner.run(try ScenarioLoader.load(path: folder + "/morning-ramp-scale-to-zero.json5")).0
        // Same requests (common random numbers), so the comparison is of the topologies alone.
        #expect(warm.requests.arrived == zero.requests.arrived)
        #expect(warm.latency.ttft.p95 < zero.latency.ttft.p95)
        #expect(warm.latency.ttft.max < zero.latency.ttft.max)
        #expect(warm.cost.split.warmPool > 0 && zero.cost.split.warmPool == 0)
        #expect(warm.cost.perRequest > zero.cost.perRequest)
        for r in [warm, zero] {
            let n = r.requests
            #expect(n.arrived == n.completed + n.rejected + n.timedOut + n.failed + n.inFlightAtEnd)
            #expect(abs(r.cost.total - r.cost.split.total) < 1e-9)
        }
    }

    @Test func elasticRunsAreDeterministic() {
        let s = elasticScenario(steps: [RateStep(start: 0, rate: 2), RateStep(start: 300, rate: 30)], duration: 900,
                                replicas: 1, min: 1, max: 8, coldStart: 45)
        #expect(run(s).records == run(s).records)
    }
}
