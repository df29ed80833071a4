/// The time from "the autoscaler wants one more replica" to "it serves its first request".
///
/// Four phases, in this order: `provision` (a GPU node or slot is obtained and the pod scheduled),
/// `imagePull` (the serving image, typically 5-15 GB for vLLM/TGI, reaches the node), `weightLoad`
/// (`modelBytes / weightLoadBandwidth`, deterministic) and `engineStart` (CUDA context, memory
/// profiling, KV-cache allocation, CUDA-graph capture / compilation). Random phases are drawn from
/// the caller's stream in the order provision, imagePull, engineStart.
///
/// Defaults (SOURCE: docs/reference-numbers.md, "cold start of a model server": 30-120 s for a 7B
/// model, 2-8 minutes for large ones; the split between phases is our assumption, chosen so the totals land in those
/// ranges): provision lognormal(mean 20 s, p95 45 s), imagePull lognormal(mean 30 s, p95 60 s),
/// engineStart lognormal(mean 20 s, p95 40 s), weightLoadBandwidth 2e9 bytes/s (2 GB/s, a local
/// NVMe SSD read into GPU memory; network storage is often slower). Mean totals: a 7B model in
/// BF16 (~14 GB) 77 s; a 70B model (~140 GB) 140 s.
public struct ColdStartSpec: Sendable, Equatable {
    public var provision: DurationDistribution
    public var imagePull: DurationDistribution
    public var engineStart: DurationDistribution
    /// Bytes per second at which weights reach GPU memory.
    public var weightLoadBandwidth: Double

    public static let defaultProvision = try! DurationDistribution.lognormal(mean: 20, p95: 45)
    public static let defaultImagePull = try! DurationDistribution.lognormal(mean: 30, p95: 60)
    public static let defaultEngineStart = try! DurationDistribution.lognormal(mean: 20, p95: 40)
    public static let defaultWeightLoadBandwidth = 2e9

    public init(provision: DurationDistribution = defaultProvision,
                imagePull: DurationDistribution = defaultImagePull,
                engineStart: DurationDistribution = defaultEngineStart,
                weightLoadBandwidth: Double = defaultWeightLoadBandwidth) {
        self.provision = provision
        self.imagePull = imagePull
        self.engineStart = engineStart
        self.weightLoadBandwidth = weightLoadBandwidth
    }

    /// Phase names, in the order of `sample`'s `phases`.
    public static let phaseNames = ["provision", "imagePull", "weightLoad", "engineStart"]

    /// One cold start: total seconds and each phase's seconds (in `phaseNames` order).
    public func sample(_ rng: RandomStream, modelBytes: Double) -> (total: Double, phases: [(String, Double)]) {
        let p = provision.sample(rng)
        let i = imagePull.sample(rng)
        let e = engineStart.sample(rng)
        let w = modelBytes / weightLoadBandwidth
        let phases = [("provision", p), ("imagePull", i), ("weightLoad", w), ("engineStart", e)]
        return (p + i + w + e, phases)
    }

    /// Mean total seconds for a model of this many bytes.
    public func meanTotal(modelBytes: Double) -> Double {
        provision.mean + imagePull.mean + engineStart.mean + modelBytes / weightLoadBandwidth
    }
}

/// Pre-started standby replicas that join a pool much faster than a cold start (weights already in
/// host or GPU memory, e.g. vLLM sleep mode, or a stopped instance of an AWS EC2 Auto Scaling warm
/// pool). A replica taken from the pool is replaced in the background by a cold start.
///
/// Defaults: `startTime` lognormal(mean 5 s, p95 10 s) (our assumption: wake from sleep / reload
/// weights from host memory at tens of GB/s); `idleCostFraction` 1 (a warm replica holding a GPU
/// is billed like a busy one; use ~0 for stopped instances, which pay only for their disks).
public struct WarmPoolSpec: Sendable, Equatable {
    /// Standby replicas kept ready (>= 0).
    public var size: Int
    /// Seconds from taking a warm replica to it serving.
    public var startTime: DurationDistribution
    /// Fraction in [0, 1] of the replica's hourly price paid while it waits in the pool.
    public var idleCostFraction: Double

    public static let defaultStartTime = try! DurationDistribution.lognormal(mean: 5, p95: 10)

    public init(size: Int, startTime: DurationDistribution = defaultStartTime, idleCostFraction: Double = 1) {
        self.size = size
        self.startTime = startTime
        self.idleCostFraction = idleCostFraction
    }
}
