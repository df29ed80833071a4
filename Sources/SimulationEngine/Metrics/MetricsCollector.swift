import ServingModel
/// A request class as the metrics see it.
public struct MetricsClass: Sendable, Equatable {
    public var name: String
    public var tenant: String
    public init(name: String, tenant: String) { self.name = name; self.tenant = tenant }
    public init(_ spec: RequestClassSpec) { self.init(name: spec.name, tenant: spec.tenant) }
}

/// Accumulates per-request records into counts, latency histograms and SLO tallies, with memory
/// independent of the number of requests (the SLO time buckets grow with simulated time only).
///
/// Requests that arrived before `warmup` (seconds) are ignored entirely and only counted in
/// `warmupExcluded`. Latency histograms hold completed requests only. See `SLOTally` for the SLI
/// rules. Not thread-safe: one collector per simulation.
public final class MetricsCollector {
    public let classes: [MetricsClass]
    /// Seconds; requests arriving earlier are excluded. Also the origin of the SLO time buckets.
    public let warmup: Double
    /// Width of the SLO time buckets (burn-rate evaluation step), seconds.
    public let burnWindowBucket: Double
    /// All classes together, merged from `perClass` on each access (the hot path records each
    /// request once, per class; merging is exact because all histograms share one bucket layout).
    public var overall: ClassMetrics {
        perClass.reduce(into: ClassMetrics()) { $0.merge($1) }
    }
    /// Indexed like `classes`.
    public private(set) var perClass: [ClassMetrics]
    /// Per pool (by `RequestRecord.pool`), kept only with two or more pools: with one, every record
    /// is its pool's and `pool(0)` is `overall` (the hot path then records each request once).
    private var perPool: [ClassMetrics]
    /// Pools given at init.
    public let poolCount: Int
    /// Indexed like the `slos` given at init.
    public private(set) var slos: [SLOTally]
    /// Requests that arrived before warmup (recorded but ignored).
    public private(set) var warmupExcluded = 0
    /// Latest end time recorded (after warmup), seconds; `warmup` when none.
    public private(set) var lastEnd: Double
    /// For each SLO, whether it covers each class (by index).
    private let covers: [[Bool]]
    private let inverseBucket: Double

    /// - Parameters:
    ///   - classes: request classes, indexed by `RequestRecord.classIndex`.
    ///   - slos: SLOs; a class name in `SLOSpec.classes` that is not in `classes` matches nothing.
    ///   - warmup: seconds, >= 0.
    ///   - burnWindowBucket: seconds, > 0.
    ///   - pools: pools the records name (`RequestRecord.pool` in 0..<pools).
    public init(classes: [MetricsClass], slos: [SLOSpec], warmup: Double, burnWindowBucket: Double = 60, pools: Int = 1) {
        precondition(burnWindowBucket > 0 && burnWindowBucket.isFinite, "burnWindowBucket must be > 0")
        self.classes = classes
        self.warmup = Swift.max(0, warmup)
        self.burnWindowBucket = burnWindowBucket
        self.inverseBucket = 1 / burnWindowBucket
        self.perClass = Array(repeating: ClassMetrics(), count: classes.count)
        self.poolCount = Swift.max(1, pools)
        self.perPool = pools > 1 ? Array(repeating: ClassMetrics(), count: pools) : []
        self.slos = slos.map(SLOTally.init(spec:))
        self.covers = slos.map { slo in classes.map { slo.covers($0.name) } }
        self.lastEnd = self.warmup
    }

    /// Records one ended request (any outcome). Hot path: no allocation except when the SLO time
    /// buckets grow.
    public func record(_ r: RequestRecord) {
        if r.arrival < warmup { warmupExcluded += 1; return }
        precondition(r.classIndex >= 0 && r.classIndex < perClass.count, "classIndex out of range")
        perClass[r.classIndex].add(r)
        if !perPool.isEmpty { perPool[r.pool].add(r) }
        if r.end > lastEnd { lastEnd = r.end }
        if slos.isEmpty { return }
        let k = Swift.max(0, Int((r.end - warmup) * inverseBucket))
        for i in slos.indices where covers[i][r.classIndex] {
            slos[i].add(r, bucket: k)
        }
    }

    /// The requests whose final attempt ended on pool `p` (0..<poolCount).
    public func pool(_ p: Int) -> ClassMetrics {
        perPool.isEmpty ? overall : perPool[p]
    }

    /// Burn-rate alert results for SLO `index`, evaluated at every bucket boundary.
    public func alerts(sloIndex index: Int,
                       rules: [BurnRateAlertRule] = BurnRateAlertRule.sreWorkbook) -> [BurnRateAlertResult] {
        let tally = slos[index]
        return BurnRateAlerts.evaluate(good: tally.goodBuckets, bad: tally.badBuckets, bucket: burnWindowBucket,
                                       origin: warmup, objective: tally.spec.objective, rules: rules)
    }
}
