/// A validated scenario: defaults applied, durations in seconds, presets resolved.
///
/// Produced only by `ScenarioLoader`, so every value here has been range-checked.
public struct Scenario: Sendable {
    public var name: String
    public var description: String
    /// Master seed; every random stream derives from it and its own name.
    public var seed: UInt64
    /// Arrivals are generated on [0, duration) seconds; in-flight work then drains.
    public var duration: Double
    /// Requests arriving before this many seconds are simulated but excluded from statistics.
    public var warmup: Double
    /// Stop draining this many seconds after `duration` (nil: until the last request ends, at most
    /// `drainLimit`).
    public var drainTimeout: Double?

    /// Longest drain when `drainTimeout` is not given: the run's duration or one day, whichever is
    /// longer. A backlog that needs more (a 136-year cold start, a pool that never starts) is cut
    /// there and counted in flight at the end, instead of simulating years of idle timers.
    public var drainLimit: Double { drainTimeout ?? Swift.max(duration, Self.minimumDrainLimit) }
    /// Seconds: one day.
    public static let minimumDrainLimit = 86_400.0
    public var classes: [RequestClassSpec]
    /// Pool index serving each class (parallel to `classes`).
    public var classPools: [Int]
    public var pools: [PoolSpec]
    public var slos: [SLOSpec]
    /// Simulate every decode step as its own event (the reference for the jump-ahead mode).
    public var perIteration: Bool
    /// Trace records of trace-replay classes (parallel to `classes`; empty for other classes).
    public var traces: [[TraceRecord]]
    /// Folder of the scenario file, for resolving relative paths.
    public var baseDirectory: String
    /// Time-series sampling interval, seconds (default 60).
    public var timeSeriesInterval: Double = 60
    /// Admission control in front of all pools.
    public var admission = Admission()
    /// Replica failures, spot preemptions and outages (nil: none).
    public var faults: FaultSpec?
    /// Degradation ladders, at most one per pool (none by default).
    public var degradation: [DegradationLadder] = []
    /// Response caches in front of the pools, looked up in order (none by default).
    public var caches: [ResponseCacheSpec] = []
    /// A hosted API taking a share of the traffic and/or the pools' overflow (nil: none).
    public var hosted: HostedEndpointSpec?
    /// Request routers splitting classes over pools (model tiers), and per class the router that
    /// serves it (-1: its pool in `classPools`; empty: no routers).
    public var routers: [TrafficRouter] = []
    public var classRouters: [Int] = []
    /// Canary and blue/green releases (none by default).
    public var releases: [ReleaseSpec] = []
    /// The error-budget policy enforced during the run (nil: only reported).
    public var budgetPolicy: ErrorBudgetPolicy?
    /// Regions, RTTs, the pools' regions and the classes' origins and geo routing (nil: no
    /// regions; no network time is modelled).
    public var regions: RegionTopology?
    /// Prefill/decode pool pairs with their KV link (none by default).
    public var disaggregation: [DisaggregationPair] = []

    public init(name: String, description: String = "", seed: UInt64 = 1, duration: Double,
                warmup: Double = 0, drainTimeout: Double? = nil, classes: [RequestClassSpec],
                classPools: [Int]? = nil, pools: [PoolSpec], slos: [SLOSpec] = [],
                perIteration: Bool = false, traces: [[TraceRecord]]? = nil, baseDirectory: String = ".") {
        self.name = name
        self.description = description
        self.seed = seed
        self.duration = duration
        self.warmup = warmup
        self.drainTimeout = drainTimeout
        self.classes = classes
        self.classPools = classPools ?? Array(repeating: 0, count: classes.count)
        self.pools = pools
        self.slos = slos
        self.perIteration = perIteration
        self.traces = traces ?? Array(repeating: [], count: classes.count)
        self.baseDirectory = baseDirectory
    }
}

/// A pool of identical replicas.
public struct PoolSpec: Sendable {
    public var name: String
    /// Hardware name (preset or explicit), for reports.
    public var hardware: String
    /// Model name, for reports.
    public var model: String
    /// GPUs per replica (tensor-parallel degree).
    public var gpusPerReplica: Int
    public var replicas: Int
    /// USD per GPU-hour, idle time included.
    public var pricePerGpuHour: Double
    public var routing: RoutingPolicy
    public var scheduler: SchedulerConfig
    public var performance: PerformanceModel
    /// Requests waiting in the pool (shared queue or all replicas' queues) beyond which new
    /// arrivals are rejected; nil = unbounded.
    public var maxQueueLength: Int?
    /// Scales `replicas` (the initial count) between its min and max; nil = fixed size.
    public var autoscaler: AutoscalerSpec?
    /// How long a replica takes to start from nothing.
    public var coldStart: ColdStartSpec?
    /// Provisioned idle replicas that start faster than a cold start.
    public var warmPool: WarmPoolSpec?
    /// Bytes of model weights a cold start loads (for its weight-load phase).
    public var modelBytes: Double = 0
    /// Fails requests fast while the pool keeps failing them (nil: none).
    public var circuitBreaker: CircuitBreaker?
    /// Per replica slot weights for `weighted-round-robin` (nil: all 1); ignored by other policies.
    public var routingWeights: [Int]?
    /// KV cache bytes per token of the pool's model (nil when the pool names no model).
    public var kvBytesPerToken: Double?
    /// Fraction of the attempts that would complete on the pool that fail instead, at completion
    /// (after using their GPU time), drawn from the stream `errors/<pool>` (0: none, no stream).
    public var errorRate: Double = 0
    /// Quality of its completed answers (schema adherence, safety flags); nil: not modelled, every
    /// answer adheres and none is flagged, and nothing is drawn.
    public var quality: AnswerQuality?
    /// Replicas keep prompt prefixes' KV blocks for reuse (automatic prefix caching; default off).
    public var prefixCaching = false
    /// Settings of `prefix-affinity` and `session-affinity` routing (ignored by other policies).
    public var affinity = AffinitySpec()
    /// The engine around the GPU steps (scheduling lag, CPU work, streaming); `.none` times steps
    /// alone and shows tokens when their step ends.
    public var engine = EnginePipeline.none
    /// What times the steps, for reports ("measured h100_sxm kernels (...)", "datasheet roofline").
    public var timing = ""

    /// Replica objects the pool owns: the autoscaler's maximum (or `replicas`) plus the warm pool.
    public var replicaSlots: Int { max(replicas, autoscaler?.maxReplicas ?? 0) + (warmPool?.size ?? 0) }

    /// Whether its replicas run token-level engine steps (not service times).
    public var isTokenLevel: Bool {
        if case .steps = performance { return true }
        return false
    }

    public init(name: String, hardware: String, model: String, gpusPerReplica: Int = 1, replicas: Int,
                pricePerGpuHour: Double, routing: RoutingPolicy = .leastOutstanding,
                scheduler: SchedulerConfig = SchedulerConfig(), performance: PerformanceModel,
                maxQueueLength: Int? = nil) {
        self.name = name
        self.hardware = hardware
        self.model = model
        self.gpusPerReplica = gpusPerReplica
        self.replicas = replicas
        self.pricePerGpuHour = pricePerGpuHour
        self.routing = routing
        self.scheduler = scheduler
        self.performance = performance
        self.maxQueueLength = maxQueueLength
    }
}
