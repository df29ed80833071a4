import ServingModel

/// Where the money went, USD; the parts sum to the cost they split.
public struct CostSplit: Codable, Sendable, Equatable {
    /// GPUs running steps.
    public var serving: Double
    /// GPUs ready but not running steps.
    public var idle: Double
    /// GPUs of replicas starting (cold start).
    public var coldStart: Double
    /// GPUs kept in the warm pool (at the pool's warm-pool price fraction).
    public var warmPool: Double

    public init(serving: Double = 0, idle: Double = 0, coldStart: Double = 0, warmPool: Double = 0) {
        self.serving = serving
        self.idle = idle
        self.coldStart = coldStart
        self.warmPool = warmPool
    }

    /// serving + idle + coldStart + warmPool.
    public var total: Double { serving + idle + coldStart + warmPool }
}

/// What one pool provisioned and used over the measured span `[warmup, end]`.
///
/// For a fixed pool, `provisionedGpuSeconds = replicas * gpusPerReplica * (end - warmup)`; an
/// autoscaled pool counts each replica's provisioned time (cold start included) inside that span.
public struct PoolUsage: Sendable, Equatable {
    public var name: String
    public var hardware: String
    /// Replicas at the end (or the configured count for a fixed pool).
    public var replicas: Int
    public var gpusPerReplica: Int
    /// GPU-seconds provisioned (paid for) in the measured span.
    public var provisionedGpuSeconds: Double
    /// GPU-seconds spent running steps in the measured span (<= provisioned).
    public var busyGpuSeconds: Double
    /// USD per GPU-hour.
    public var pricePerGpuHour: Double
    /// Optional split of the measured span's GPU-seconds by state: running steps, ready but idle,
    /// starting (cold start), kept in the warm pool. All 0 (the default) means no split given:
    /// the report then counts busy time as serving and the rest of the provisioned time as idle.
    /// When given, serving + idle + coldStart + warmPool should equal `provisionedGpuSeconds`.
    public var servingGpuSeconds: Double
    public var idleGpuSeconds: Double
    public var coldStartGpuSeconds: Double
    public var warmPoolGpuSeconds: Double
    /// Fraction of the GPU price paid for warm-pool GPUs, 0...1 (default 1).
    public var warmPoolCostFraction: Double
    /// Speculative decoding on the pool (nil: it does not speculate).
    public var speculative: SpeculativeReport? = nil
    /// Prefix-cache statistics of the pool's replicas (nil: caching off).
    public var prefixCache: PrefixCacheReport? = nil
    /// What timed its steps (`PoolSpec.timing`) and its engine pipeline in words (nil: not said).
    public var timing: String? = nil
    public var pipeline: String? = nil

    public init(name: String, hardware: String, replicas: Int, gpusPerReplica: Int,
                provisionedGpuSeconds: Double, busyGpuSeconds: Double, pricePerGpuHour: Double,
                servingGpuSeconds: Double = 0, idleGpuSeconds: Double = 0, coldStartGpuSeconds: Double = 0,
                warmPoolGpuSeconds: Double = 0, warmPoolCostFraction: Double = 1) {
        self.name = name
        self.hardware = hardware
        self.replicas = replicas
        self.gpusPerReplica = gpusPerReplica
        self.provisionedGpuSeconds = provisionedGpuSeconds
        self.busyGpuSeconds = busyGpuSeconds
        self.pricePerGpuHour = pricePerGpuHour
        self.servingGpuSeconds = servingGpuSeconds
        self.idleGpuSeconds = idleGpuSeconds
        self.coldStartGpuSeconds = coldStartGpuSeconds
        self.warmPoolGpuSeconds = warmPoolGpuSeconds
        self.warmPoolCostFraction = warmPoolCostFraction
    }

    /// Whether the caller split the GPU-seconds by state.
    var hasSplit: Bool {
        servingGpuSeconds != 0 || idleGpuSeconds != 0 || coldStartGpuSeconds != 0 || warmPoolGpuSeconds != 0
    }

    /// Cost split in USD, and the pool's cost (the split's sum). Without a split: cost =
    /// provisioned GPU-hours x price as always, serving = busy GPU-hours x price, idle = the rest.
    /// With one: each part = its GPU-hours x price, warm pool at `warmPoolCostFraction` of it.
    package var costSplit: (split: CostSplit, cost: Double) {
        let perSecond = pricePerGpuHour / 3600
        guard hasSplit else {
            let cost = finite(provisionedGpuSeconds / 3600 * pricePerGpuHour)
            let serving = finite(busyGpuSeconds * perSecond)
            return (CostSplit(serving: serving, idle: cost - serving), cost)
        }
        let split = CostSplit(serving: finite(servingGpuSeconds * perSecond), idle: finite(idleGpuSeconds * perSecond),
                              coldStart: finite(coldStartGpuSeconds * perSecond),
                              warmPool: finite(warmPoolGpuSeconds * perSecond * warmPoolCostFraction))
        return (split, split.total)
    }
}
