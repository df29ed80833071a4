import ServingModel
import SimulationEngine
import TransformerKernel
import CGSL

/// Serves a real workload on the transformer kernel and simulates the same one.
///
/// Requests arrive on a seeded Poisson schedule in real time; the simulator's own scheduler
/// (continuous batching, chunked prefill, KV blocks) decides every step and the kernel executes
/// it, so the "real" run differs from the simulation only in where step times come from: the
/// wall clock versus the calibrated profile. Both runs see exactly the same arrivals and token
/// lengths (same seed, same streams).
public enum KernelValidation {
    public struct Options: Sendable {
        public var requests: Int = 60
        /// Requests per second.
        public var rate: Double = 1.5
        public var promptTokens: LengthDistribution = .uniform(min: 32, max: 256)
        public var outputTokens: LengthDistribution = .uniform(min: 8, max: 64)
        public var maxNumSeqs: Int = 16
        public var maxBatchedTokens: Int = 512
        public var seed: UInt64 = 1
        public init() {}
    }

    public struct Outcome: Sendable {
        public var comparisons: [MetricComparison]
        /// Share of the real run's wall time spent computing steps.
        public var utilization: Double
        public var wallSeconds: Double
        public var steps: Int
    }

    /// The scenario both runs share: one replica, the profile's step model, Poisson arrivals for
    /// about `requests / rate` seconds.
    public static func scenario(profile: CalibratedProfile, options: Options) -> Scenario {
        Scenario(
            name: "kernel-validate", seed: options.seed, duration: Double(options.requests) / options.rate,
            classes: [RequestClassSpec(name: "validate", tenant: "local", arrivals: .poisson(rate: options.rate),
                                       promptTokens: options.promptTokens, outputTokens: options.outputTokens)],
            pools: [PoolSpec(name: "cpu", hardware: profile.machine.cpuModel, model: profile.model.name, replicas: 1,
                             pricePerGpuHour: 0, routing: .roundRobin,
                             scheduler: SchedulerConfig(policy: .continuous, maxNumSeqs: options.maxNumSeqs,
                                                        maxBatchedTokens: options.maxBatchedTokens, chunkedPrefill: true),
                             performance: .steps(ProfileStepModel(profile: profile), kvCapacityTokens: profile.kvCapacityTokens,
                                                 requestOverhead: 0))])
    }

    /// Runs the real serving loop on the profile's kernel (its model size, seed 1, its BLAS thread
    /// count), then the simulation, and compares them. Nil when the profile's model is not a
    /// kernel preset.
    public static func run(profile: CalibratedProfile, options: Options) -> Outcome? {
        guard let config = KernelConfig.preset(named: profile.model.name) else { return nil }
        openblas_set_num_threads(Int32(profile.threads))
        return run(profile: profile, kernel: TransformerKernel(config: config, seed: 1), options: options)
    }

    /// Runs the real serving loop on `kernel`, then the simulation, and compares them.
    public static func run(profile: CalibratedProfile, kernel: TransformerKernel, options: Options) -> Outcome {
        let shared = scenario(profile: profile, options: options)
        let executor = KernelExecutor(kernel: kernel)
        var real: [RequestRecord] = [], simulated: [RequestRecord] = []
        let live = Simulation(scenario: shared, executor: executor)
        live.recordObserver = { real.append($0) }
        let liveResult = live.run()
        let sim = Simulation(scenario: shared)
        sim.recordObserver = { simulated.append($0) }
        _ = sim.run()

        func pick(_ records: [RequestRecord], _ value: (RequestRecord) -> Double, multiToken: Bool = false) -> [Double] {
            records.filter { $0.outcome == .completed && (!multiToken || $0.outputTokens > 1) }.map(value)
        }
        let rows = [
            MetricComparison(metric: "ttft", measured: pick(real, \.ttft), simulated: pick(simulated, \.ttft)),
            MetricComparison(metric: "tpot", measured: pick(real, \.tpot, multiToken: true), simulated: pick(simulated, \.tpot, multiToken: true)),
            MetricComparison(metric: "e2e", measured: pick(real, \.e2e), simulated: pick(simulated, \.e2e)),
            MetricComparison(metric: "queueWait", measured: pick(real, \.queueWait), simulated: pick(simulated, \.queueWait)),
        ]
        return Outcome(comparisons: rows, utilization: executor.busySeconds / max(liveResult.endTime, 1e-9),
                       wallSeconds: liveResult.endTime, steps: executor.steps)
    }
}
