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

    /// The serving loop's seconds per step beyond what the kernel grid predicts: `requests`
    /// requests from `concurrency` closed-loop clients (no think time, so the replica never
    /// idles) with validate's lengths, served on `kernel` by the real loop; (wall time - the
    /// profile's kernel-only prediction of the same steps) / steps. It holds what the grid's
    /// isolated, warmed-up steps miss: the loop's own work between kernel calls (the scheduler's
    /// decision, batch assembly, recording tokens) and the kernel's extra time inside a live loop
    /// (caches cold after the scheduler ran, KV growing, mixed prefill and decode steps).
    /// `calibrate` stores it in the profile as `loopOverhead`. Never negative.
    public static func loopOverhead(profile: CalibratedProfile, kernel: TransformerKernel, requests: Int = 48,
                                    concurrency: Int = 8, seed: UInt64 = 1) -> Double {
        var kernelOnly = profile
        kernelOnly.loopOverhead = nil
        var options = Options()
        options.seed = seed
        var scenario = scenario(profile: kernelOnly, options: options)
        scenario.classes[0].arrivals = .closedLoop(ClosedLoopSpec(concurrency: concurrency, requests: requests))
        scenario.duration = 86_400
        let executor = KernelExecutor(kernel: kernel, model: ProfileStepModel(profile: kernelOnly))
        let result = Simulation(scenario: scenario, executor: executor).run()
        guard executor.steps > 0 else { return 0 }
        return max(0, result.endTime - executor.predictedSeconds) / Double(executor.steps)
    }

    /// A quick re-measure of the profile's reference step on this machine: its decode sample
    /// nearest the middle of the measured batch sizes (median of 5 runs after 2 warm-up ones).
    public struct Drift: Sendable {
        public var sample: CalibratedProfile.DecodeSample
        /// Seconds measured now.
        public var measured: Double
        /// measured / the profile's - 1.
        public var change: Double { measured / sample.seconds - 1 }
    }

    /// `Drift` of the profile on its own kernel preset (its BLAS thread count); nil when the
    /// profile's model is not a kernel preset or it has no decode samples.
    public static func drift(profile: CalibratedProfile) -> Drift? {
        guard let config = KernelConfig.preset(named: profile.model.name) else { return nil }
        openblas_set_num_threads(Int32(profile.threads))
        return drift(profile: profile, kernel: TransformerKernel(config: config, seed: 1))
    }

    /// Reference-step changes larger than this (either way) make `validate` warn (10%).
    public static let driftWarningThreshold = 0.10

    /// `Drift` of the profile on `kernel`; nil when the profile has no decode samples.
    public static func drift(profile: CalibratedProfile, kernel: TransformerKernel) -> Drift? {
        let batches = Set(profile.decodeSamples.map(\.batch)).sorted()
        guard !batches.isEmpty else { return nil }
        let batch = batches[batches.count / 2]
        let samples = profile.decodeSamples.filter { $0.batch == batch }.sorted { $0.context < $1.context }
        let sample = samples[samples.count / 2]
        let perSequence = sample.context / batch
        for s in 0..<batch { kernel.synthesizeContext(seqId: s, length: perSequence) }
        let tokens = (0..<batch).map { (seqId: $0, token: Int32($0 % kernel.config.vocab)) }
        // As `calibrate` timed the sample: its median and clock.
        let measured = Calibration.median(warmup: 2, repetitions: 5) {
            let start = Calibration.now()
            _ = kernel.decode(batch: tokens)
            let elapsed = Calibration.now() - start
            for s in 0..<batch { kernel.truncate(seqId: s, to: perSequence) }
            return elapsed
        }
        for s in 0..<batch { kernel.release(seqId: s) }
        return Drift(sample: sample, measured: measured)
    }
}
