import ServingModel
import SimulationEngine

/// Builds the report of one run.
///
/// - Parameters:
///   - scenario, description: the scenario's name and description.
///   - seed: the scenario seed actually used.
///   - collector: the run's metrics (its `warmup` starts the measured span).
///   - pools: usage of each pool over the measured span, in scenario order.
///   - arrived: requests that arrived at or after warmup.
///   - inFlightAtEnd: of those, requests that had not ended when the run stopped.
///   - arrivedByClass: the same per class (indexed like `collector.classes`); when nil, a class's
///     `arrived` is the number of its requests that ended and its `inFlightAtEnd` is 0.
///   - inFlightByClass: in-flight requests per class; when nil, 0 for every class.
///   - events: events processed.
///   - end: simulated end time, seconds.
///   - counts: event counts of the run (default all 0).
///   - timeSeries: the run's time series (`TimeSeriesCollector.rows`; default none).
///   - degradation: what the degradation ladders did (default none).
///   - gateway: what the response caches and the hosted endpoint did (default none).
///   - gatewayClasses: per class (like `collector.classes`), tokens served without a GPU (cache
///     hits, hosted) and hosted cost; nil: none.
///
/// Cost covers the measured span only, like every count and latency: total = sum over pools of
/// provisioned GPU-hours x price (idle included; warm-pool GPUs at their price fraction when a pool
/// gives a split, see `PoolUsage`), split per pool and overall into serving, idle, cold start and
/// warm pool; per request = total / completed requests;
/// tenants and classes get the total in proportion to the tokens they had processed (prompt +
/// output of completed requests). With a gateway: total adds the hosted endpoint's cost
/// (`cost.hosted`); a class gets the GPU cost in proportion to the tokens GPUs processed for it
/// (cache hits and hosted requests excluded) plus its own hosted cost.
/// SLO budget consumption uses the measured span `end - warmup`.
public func makeReport(scenario: String, description: String, seed: UInt64, collector: MetricsCollector,
                       pools: [PoolUsage], arrived: Int, inFlightAtEnd: Int,
                       arrivedByClass: [Int]? = nil, inFlightByClass: [Int]? = nil,
                       events: Int, end: Double, counts: EventCounts = EventCounts(),
                       timeSeries: [TimeSeriesRow] = [], degradation: [DegradationReport] = [],
                       gateway: GatewayReport? = nil, gatewayClasses: [GatewayClassUsage]? = nil) -> Report {
    let span = Swift.max(0, end - collector.warmup)
    let overall = collector.overall

    // Cost.
    var poolReports = pools.map { p -> PoolReport in
        let hours = finite(p.provisionedGpuSeconds / 3600)
        let (split, cost) = p.costSplit
        return PoolReport(name: p.name, hardware: p.hardware, replicas: p.replicas,
                          gpus: p.replicas * p.gpusPerReplica, pricePerGpuHour: finite(p.pricePerGpuHour),
                          gpuHours: hours, busyGpuHours: finite(p.busyGpuSeconds / 3600),
                          utilization: ratio(p.busyGpuSeconds, p.provisionedGpuSeconds),
                          cost: cost, split: split, speculative: p.speculative,
                          prefixCache: p.prefixCache, timing: p.timing, pipeline: p.pipeline)
    }
    if collector.poolCount == poolReports.count {
        for p in poolReports.indices { (poolReports[p].requests, poolReports[p].latency) = TrafficBreakdown.pool(collector, p) }
    }
    let gpuCost = poolReports.reduce(0) { $0 + $1.cost }
    let hostedCost = gateway?.hosted?.cost
    let total = gpuCost + (hostedCost ?? 0)
    let gpuHours = poolReports.reduce(0) { $0 + $1.gpuHours }
    let classTokens = collector.perClass.map { $0.promptTokens + $0.outputTokens }
    // GPU cost by share of the tokens GPUs processed; hosted cost to the classes it served.
    let gpuTokens = classTokens.indices.map { classTokens[$0] - (gatewayClasses?[$0].offGpuTokens ?? 0) }
    let allGpuTokens = gpuTokens.reduce(0, +)
    // GPUs that processed nothing (everything cached or hosted) are shared by all tokens.
    let shareTokens = allGpuTokens > 0 ? gpuTokens : classTokens
    let allShareTokens = allGpuTokens > 0 ? allGpuTokens : classTokens.reduce(0, +)
    let classCosts = shareTokens.indices.map {
        ratio(Double(shareTokens[$0]), Double(allShareTokens)) * gpuCost + (gatewayClasses?[$0].hostedCost ?? 0)
    }
    var tenants: [String: (cost: Double, tokens: Int)] = [:]
    for (i, c) in collector.classes.enumerated() {
        let t = tenants[c.tenant] ?? (0, 0)
        tenants[c.tenant] = (t.cost + classCosts[i], t.tokens + classTokens[i])
    }
    let cost = CostReport(
        total: total,
        perRequest: ratio(total, Double(overall.completed)),
        perMillionOutputTokens: ratio(total * 1e6, Double(overall.outputTokens)),
        gpuHours: gpuHours,
        byPool: poolReports.map { PoolCost(pool: $0.name, cost: $0.cost, gpuHours: $0.gpuHours) },
        byTenant: tenants.keys.sorted().map { TenantCost(tenant: $0, cost: tenants[$0]!.cost, tokens: tenants[$0]!.tokens) },
        byClass: collector.classes.indices.map {
            ClassCost(name: collector.classes[$0].name, tenant: collector.classes[$0].tenant,
                      cost: classCosts[$0], tokens: classTokens[$0])
        },
        split: poolReports.reduce(into: CostSplit()) { s, p in
            s.serving += p.split.serving
            s.idle += p.split.idle
            s.coldStart += p.split.coldStart
            s.warmPool += p.split.warmPool
        },
        hosted: hostedCost)

    // Requests and classes.
    func requestCounts(_ m: ClassMetrics, arrived: Int, inFlight: Int) -> RequestCounts {
        RequestCounts(arrived: arrived, completed: m.count(.completed), rejected: m.count(.rejected),
                      timedOut: m.count(.timedOut), failed: m.count(.failed), inFlightAtEnd: inFlight,
                      warmupExcluded: 0)
    }
    var requests = requestCounts(overall, arrived: arrived, inFlight: inFlightAtEnd)
    requests.warmupExcluded = collector.warmupExcluded
    let classes = collector.classes.indices.map { i -> ClassReport in
        let m = collector.perClass[i]
        let inFlight = inFlightByClass?[i] ?? 0
        return ClassReport(name: collector.classes[i].name, tenant: collector.classes[i].tenant,
                           requests: requestCounts(m, arrived: arrivedByClass?[i] ?? m.finished + inFlight, inFlight: inFlight),
                           latency: LatencyReport(m.latency), promptTokens: m.promptTokens,
                           outputTokens: m.outputTokens, cost: classCosts[i])
    }

    // SLOs.
    let slos = collector.slos.indices.map { i -> SLOReport in
        let tally = collector.slos[i], spec = tally.spec
        let compliance = ErrorBudget.compliance(good: tally.good, total: tally.total)
        let burn = finite(ErrorBudget.burnRate(compliance: compliance, objective: spec.objective))
        let projected = ErrorBudget.projectedBudgetConsumed(burnRate: burn)
        return SLOReport(name: spec.name, sli: spec.sli.rawValue,
                         threshold: spec.sli.isLatency ? finite(spec.threshold) : 0,
                         objective: spec.objective, target: spec.objective, window: spec.window,
                         classes: spec.classes, good: tally.good, total: tally.total, compliance: compliance,
                         burnRate: burn,
                         errorBudgetConsumed: finite(ErrorBudget.budgetConsumed(burnRate: burn, span: span, window: spec.window)),
                         errorBudgetConsumedProjected: projected,
                         met: ErrorBudget.met(compliance: compliance, objective: spec.objective),
                         policy: ErrorBudget.policy(consumed: projected),
                         alerts: collector.alerts(sloIndex: i))
    }

    var report = Report(
        scenario: scenario, description: description, seed: seed, requests: requests,
        latency: LatencyReport(overall.latency),
        throughput: Throughput(requestsPerSecond: ratio(Double(overall.completed), span),
                               outputTokensPerSecond: ratio(Double(overall.outputTokens), span),
                               promptTokensPerSecond: ratio(Double(overall.promptTokens), span)),
        slos: slos, cost: cost, events: events, simulatedSeconds: finite(end),
        warmupSeconds: collector.warmup, measuredSeconds: span, classes: classes, pools: poolReports,
        counts: counts, timeSeries: timeSeries, degradation: degradation, gateway: gateway)
    report.tenants = TrafficBreakdown.tenants(collector, classes: classes, costs: cost.byTenant)
    return report
}
