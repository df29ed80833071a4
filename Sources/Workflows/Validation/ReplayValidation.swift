import ServingModel
import SimulationEngine
/// Replays a recorded real run through the simulator: the same arrivals and exact token counts,
/// the run's model, parallelism, formats, `max_num_seqs`, `max_num_batched_tokens` and KV capacity
/// as its config states them (or overridden), one replica of its GPU; then compares the simulated
/// TTFT, TPOT and E2E distributions with the measured ones.
public enum ReplayValidation {
    /// What a replay may set differently from the run's own config.
    public struct Overrides: Sendable {
        /// A model preset instead of the run's model.
        public var model: ModelSpec?
        /// A hardware preset instead of the run's GPU.
        public var hardware: HardwareSpec?
        public var tensorParallel: Int?
        /// The engine pipeline (default: vLLM V1 for runs of vLLM >= 0.14, whose async scheduling
        /// is on by default, else synchronous; no streaming delay, as the run's timestamps are the
        /// engine's own).
        public var engine: EnginePipeline?
        public init(model: ModelSpec? = nil, hardware: HardwareSpec? = nil, tensorParallel: Int? = nil, engine: EnginePipeline? = nil) {
            self.model = model
            self.hardware = hardware
            self.tensorParallel = tensorParallel
            self.engine = engine
        }
    }

    /// The engine pipeline of a recorded run's vLLM version: async scheduling from 0.14 on (vLLM
    /// PR #27614 made it the default), the V1 CPU costs, no streaming delay (the recorded
    /// first-token and last-token times are the engine's, before the response is streamed).
    public static func engine(forVersion version: String) -> EnginePipeline {
        var engine = EnginePipeline.vllmV1
        let parts = version.split(separator: ".").compactMap { Int($0) }
        engine.asyncScheduling = parts.count >= 2 && (parts[0] > 0 || parts[1] >= 14)
        engine.streamingDelay = 0
        return engine
    }

    /// The scenario that replays `run` with the given step-time model (default: the run's GPU and
    /// model, parallelism and formats as its config states them, timed like a scenario's
    /// `roofline` pool: measured kernels where the GPU has tables, else the datasheet roofline).
    public static func scenario(for run: RecordedRun, model: (any StepTimeModel)? = nil, overrides: Overrides = Overrides()) throws -> Scenario {
        guard let hardware = overrides.hardware ?? run.hardwarePreset else {
            throw InputError(file: run.name, "no hardware preset for GPU \"\(run.gpu)\"",
                             allowed: "RTXPRO6000, RTX4090, H100, A100, a ServeSim preset, --hardware, or a profile")
        }
        guard let shape = overrides.model ?? run.modelPreset else {
            throw InputError(file: run.name, "no model preset for \"\(run.modelName)\"",
                             allowed: ModelSpec.presets.map(\.name).joined(separator: ", ") + ", --model, or a profile")
        }
        let tp = overrides.tensorParallel ?? run.tensorParallel
        let gpus = tp * run.dataParallel
        var timing = "profile"
        var stepModel: any StepTimeModel
        if let model {
            stepModel = model
        } else if let tables = hardware.measurements.flatMap(KernelMeasurements.named) {
            let kernel = KernelStepModel(costs: KernelCosts(hardware: hardware, model: shape, tensorParallel: tp,
                                                            dataParallel: run.dataParallel, expertParallel: run.expertParallel,
                                                            measurements: tables))
            stepModel = kernel
            timing = kernel.source
        } else {
            // The recorded arrival is queued_ts, after tokenisation: no request overhead in a replay.
            stepModel = RooflineModel(hardware: hardware, model: shape, tensorParallel: tp, requestOverhead: 0)
            timing = "datasheet roofline"
        }
        var memory = hardware
        if run.gpuMemoryBytes > 0 { memory.memoryBytes = run.gpuMemoryBytes }
        let kvTokens = run.kvCacheTokens
            ?? KVCapacity.tokens(hardware: memory, model: shape, gpus: gpus, tensorParallel: tp, utilization: run.gpuMemoryUtilization,
                                 maxBatchedTokens: run.maxBatchedTokens)
        let records = run.requests.map {
            TraceRecord(time: $0.arrival, promptTokens: $0.promptTokens, outputTokens: $0.outputTokens)
        }
        let duration = (run.requests.last?.arrival ?? 0) + 1
        var pool = PoolSpec(name: run.gpu, hardware: hardware.name, model: shape.name, gpusPerReplica: gpus, replicas: 1,
                            pricePerGpuHour: hardware.pricePerGpuHour, routing: .roundRobin,
                            scheduler: SchedulerConfig(policy: .continuous, maxNumSeqs: run.maxNumSeqs,
                                                       maxBatchedTokens: run.maxBatchedTokens, chunkedPrefill: true),
                            performance: .steps(stepModel, kvCapacityTokens: kvTokens, requestOverhead: 0))
        pool.engine = overrides.engine ?? engine(forVersion: run.vllmVersion)
        pool.timing = timing
        return Scenario(
            name: "replay-\(run.name)", seed: 1, duration: duration,
            classes: [RequestClassSpec(name: "replay", tenant: "replay",
                                       arrivals: .trace(TraceSpec(file: run.name, format: .csv)),
                                       promptTokens: .fixed(1), outputTokens: .fixed(1))],
            pools: [pool], traces: [records])
    }

    /// Simulates the replay and compares TTFT, TPOT and E2E with the measurements.
    public static func compare(_ run: RecordedRun, model: (any StepTimeModel)? = nil,
                               overrides: Overrides = Overrides()) throws -> [MetricComparison] {
        let sim = Simulation(scenario: try scenario(for: run, model: model, overrides: overrides))
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
