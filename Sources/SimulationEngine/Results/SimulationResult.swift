import ServingModel
/// What a finished simulation hands to the report: metrics, pool usage and run counters.
public struct SimulationResult {
    public let metrics: MetricsCollector
    public let pools: [PoolUsage]
    /// Events processed (a measure of simulation work, not of wall time).
    public let events: Int
    /// Simulated seconds from 0 to the last event (at least the scenario duration).
    public let endTime: Double
    /// Requests that arrived at or after warm-up.
    public let arrived: Int
    /// Of those, requests still in the system when the simulation stopped (drain timeout).
    public let inFlightAtEnd: Int
    /// Per class: arrivals at or after warm-up, and those still in flight at the end.
    public let arrivedByClass: [Int]
    public let inFlightByClass: [Int]
    /// Preemptions by recompute, all pools.
    public let preemptions: Int
    /// Engine steps (or service completions), all pools.
    public let steps: Int
    /// Time-average number of requests in the system over [0, endTime] (from event times).
    public let meanInSystem: Double
    /// Cold starts, scaling actions, preemptions, rejections ... over the run.
    public let counts: EventCounts
    /// One row per time-series interval.
    public let timeSeries: [TimeSeriesRow]
    /// What each degradation ladder did.
    public let degradation: [DegradationReport]
    /// What the caches and the hosted endpoint did (nil: the scenario has neither), and per class
    /// the tokens they served and the hosted cost (for cost allocation).
    public var gateway: GatewayReport? = nil
    public var gatewayClasses: [GatewayClassUsage]? = nil
    /// Per prefill/decode pair, what its KV links did (nil: the scenario pairs no pools).
    public var disaggregation: [DisaggregationReport]? = nil
    /// Per region (nil without regions): see `RegionReport`.
    public var regions: [RegionReport]? = nil
    /// Per class, what its sessions generated (nil for a class without `sessions`).
    public var sessions: [SessionReport?] = []
    /// What each request router did, and each release (nil: the scenario has none).
    public var routers: [RouterReport]? = nil
    public var releases: [ReleaseReport]? = nil
    /// Per pool with `quality`, its answers' quality (nil: no pool models quality).
    public var quality: [QualityReport]? = nil
    /// What the enforced error-budget policy did (nil: not enforced).
    public var budgetPolicy: BudgetPolicyReport? = nil
    /// Per step of each class's rate schedule (nil: no class has one of two or more steps).
    public var stages: [StageReport]? = nil
}

extension Simulation {
    /// The run's statistics, each feature's from its component.
    func makeResult() -> SimulationResult {
        let f = features
        let usage = pools.indices.map { p in
            let pool = pools[p]
            let members = pool.replicas.map { replicas[$0] }
            let gpus = Double(pool.spec.gpusPerReplica)
            func seconds(_ state: Replica.Lifecycle) -> Double { members.reduce(0) { $0 + $1.secondsIn[state.rawValue] } * gpus }
            let busy = members.reduce(0) { $0 + $1.busySeconds } * gpus
            let serving = seconds(.ready) + seconds(.draining)
            // Provisioned: every second a replica held its GPUs (warm-pool ones included; they are
            // billed at the warm pool's cost fraction).
            var usage = PoolUsage(
                name: pool.spec.name, hardware: pool.spec.hardware, replicas: pool.spec.replicas,
                gpusPerReplica: pool.spec.gpusPerReplica,
                provisionedGpuSeconds: serving + seconds(.starting) + seconds(.warm),
                busyGpuSeconds: busy, pricePerGpuHour: pool.spec.pricePerGpuHour,
                servingGpuSeconds: min(busy, serving), idleGpuSeconds: max(0, serving - busy),
                coldStartGpuSeconds: seconds(.starting), warmPoolGpuSeconds: seconds(.warm),
                warmPoolCostFraction: pool.spec.warmPool?.idleCostFraction ?? 1)
            usage.speculative = f.speculation?.report(pool: p, self)
            usage.prefixCache = f.prefixCaching?.report(pool: p, self)
            if pool.spec.isTokenLevel {
                usage.timing = pool.spec.timing.isEmpty ? nil : pool.spec.timing
                usage.pipeline = pool.spec.engine.summary
            }
            return usage
        }
        let counts = EventCounts(
            coldStarts: pools.reduce(0) { $0 + $1.coldStarts }, warmStarts: pools.reduce(0) { $0 + $1.warmStarts },
            scaleUps: f.autoscaling?.scaleUps.reduce(0, +) ?? 0, scaleDowns: f.autoscaling?.scaleDowns.reduce(0, +) ?? 0,
            replicaFailures: f.faults?.replicaFailures ?? 0, preemptions: replicas.reduce(0) { $0 + $1.preemptions },
            spotPreemptions: f.faults?.spotPreemptions ?? 0, retries: f.clients?.retries ?? 0,
            rejections: pools.reduce(0) { $0 + $1.rejected }, timeouts: f.clients?.timedOut ?? 0)
        var result = SimulationResult(
            metrics: metrics, pools: usage, events: events.processed, endTime: endTime,
            arrived: measuredArrived, inFlightAtEnd: measuredInFlight,
            arrivedByClass: measuredArrivedByClass, inFlightByClass: measuredInFlightByClass,
            preemptions: replicas.reduce(0) { $0 + $1.preemptions }, steps: replicas.reduce(0) { $0 + $1.steps },
            meanInSystem: (inSystemArea + Double(inSystem) * (endTime - inSystemSince)) / max(endTime, 1e-300),
            counts: counts, timeSeries: series.rows, degradation: f.ladders?.reports(until: endTime, self) ?? [])
        result.disaggregation = f.disaggregation?.reports(self)
        result.sessions = arrivalSources.map { source in
            source.sessionCounts.map { SessionReport(started: $0.started, turns: $0.turns, cappedByContext: $0.capped) }
        }
        result.regions = f.regions?.reports(usage: usage, self)
        result.stages = f.loadStages?.reports(self)
        if let (report, classes) = f.gateway?.report(self) {
            result.gateway = report
            result.gatewayClasses = classes
        }
        result.routers = f.tiers?.reports(self)
        result.releases = f.releases?.reports(self)
        result.quality = f.quality?.reports(self)
        result.budgetPolicy = f.budgetPolicy?.report(until: endTime, self)
        return result
    }

    /// After a run: every replica's KV accounting adds up (see `PrefixCaching.accountingHolds`), and
    /// no cached block is still held by a sequence unless one is still running.
    public var kvAccountingHolds: Bool {
        let caching = features.prefixCaching
        return replicas.allSatisfy { r in
            let cache = caching?.cache(of: r)
            return (caching?.accountingHolds(r, self) ?? true)
                && (cache == nil || !r.running.isEmpty || cache!.evictableBlocks == cache!.cachedBlocks)
                && (cache != nil || r.totalBlocks == 0 || !r.running.isEmpty || r.freeBlocks == r.totalBlocks)
        }
    }
}
