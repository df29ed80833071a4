import ServingModel
import SimulationEngine
/// Replays a recorded real run through the simulator: the same arrivals and exact token counts,
/// the run's `max_num_seqs`, `max_num_batched_tokens` and KV capacity, one replica of its GPU; then
/// compares the simulated TTFT, TPOT and E2E distributions with the measured ones.
public enum ReplayValidation {
    /// The scenario that replays `run` with the given step-time model (default: the roofline of the
    /// run's GPU with Llama-3.1-8B and its fitted defaults).
    public static func scenario(for run: RecordedRun, model: (any StepTimeModel)? = nil) throws -> Scenario {
        guard let hardware = run.hardwarePreset else {
            throw InputError(file: run.name, "no hardware preset for GPU \"\(run.gpu)\"",
                             allowed: "RTXPRO6000, RTX4090, H100, A100, or a profile")
        }
        let llama = ModelSpec.llama31_8b
        // The recorded arrival is queued_ts, after tokenisation: no request overhead in a replay.
        let stepModel = model ?? RooflineModel(hardware: hardware, model: llama, requestOverhead: 0)
        let kvTokens = run.kvCacheTokens
            ?? Int((run.gpuMemoryBytes * run.gpuMemoryUtilization - llama.weightBytes) / llama.kvBytesPerToken)
        let records = run.requests.map {
            TraceRecord(time: $0.arrival, promptTokens: $0.promptTokens, outputTokens: $0.outputTokens)
        }
        let duration = (run.requests.last?.arrival ?? 0) + 1
        return Scenario(
            name: "replay-\(run.name)", seed: 1, duration: duration,
            classes: [RequestClassSpec(name: "replay", tenant: "replay",
                                       arrivals: .trace(TraceSpec(file: run.name, format: .csv)),
                                       promptTokens: .fixed(1), outputTokens: .fixed(1))],
            pools: [PoolSpec(name: run.gpu, hardware: hardware.name, model: llama.name, replicas: 1,
                             pricePerGpuHour: hardware.pricePerGpuHour, routing: .roundRobin,
                             scheduler: SchedulerConfig(policy: .continuous, maxNumSeqs: run.maxNumSeqs,
                                                        maxBatchedTokens: run.maxBatchedTokens, chunkedPrefill: true),
                             performance: .steps(stepModel, kvCapacityTokens: kvTokens, requestOverhead: 0))],
            traces: [records])
    }

    /// Simulates the replay and compares TTFT, TPOT and E2E with the measurements.
    public static func compare(_ run: RecordedRun, model: (any StepTimeModel)? = nil) throws -> [MetricComparison] {
        let sim = Simulation(scenario: try scenario(for: run, model: model))
        var simulated: [RequestRecord] = []
        sim.recordObserver = { simulated.append($0) }
        _ = sim.run()
        let done = simulated.filter { $0.outcome == .completed }
        return [
            MetricComparison(metric: "ttft", measured: run.requests.map(\.ttft), simulated: done.map(\.ttft)),
            MetricComparison(metric: "tpot", measured: run.requests.filter { $0.outputTokens > 1 }.map(\.tpot),
                             simulated: done.filter { $0.outputTokens > 1 }.map(\.tpot)),
            MetricComparison(metric: "e2e", measured: run.requests.map(\.e2e), simulated: done.map(\.e2e)),
        ]
    }
}
