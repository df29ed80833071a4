import ServingModel
import SimulationEngine
/// The simulation report (JSON contract: camelCase keys, seconds, USD; README, "Reports": keys are
/// added, never renamed or removed without a version bump). Nothing in it depends on wall-clock time.
///
/// Statistics cover the measured span: requests that arrived at or after warmup, and cost of the
/// GPUs provisioned from warmup to the simulated end. Every number is finite: a statistic with no
/// samples (a latency of zero completed requests, cost per request with none completed) is 0,
/// and its `count` (or the request counts) says so. The only nulls are an alert's `firstFiredAt`
/// and a degradation step's `firstEngagedAt` when it never fired or engaged.
public struct Report: Codable, Sendable, Equatable {
    /// Scenario name.
    public var scenario: String
    public var description: String
    public var seed: UInt64
    public var requests: RequestCounts
    public var latency: LatencyReport
    public var throughput: Throughput
    public var slos: [SLOReport]
    public var cost: CostReport
    /// Number of events the simulation processed.
    public var events: Int
    /// Simulated end time (last event), seconds from the start.
    public var simulatedSeconds: Double
    /// Warmup, seconds: statistics start here.
    public var warmupSeconds: Double
    /// Measured span `simulatedSeconds - warmupSeconds`, the denominator of rates.
    public var measuredSeconds: Double
    public var classes: [ClassReport]
    public var pools: [PoolReport]
    /// Counts of the run's events (scaling, failures, preemptions, retries), whole run.
    public var counts: EventCounts = EventCounts()
    /// One row per interval from time 0 (warmup included); empty when not sampled.
    public var timeSeries: [TimeSeriesRow] = []
    /// What each degradation ladder did (whole run); empty without ladders.
    public var degradation: [DegradationReport] = []
    /// What the response caches and the hosted endpoint did; absent when the scenario has neither.
    public var gateway: GatewayReport? = nil
    /// Per prefill/decode pair, its KV transfers and link; absent when the scenario pairs no pools.
    public var disaggregation: [DisaggregationReport]? = nil
    /// Per tenant (sorted by name): requests, latency and cost of its classes together.
    public var tenants: [TenantReport] = []
    /// What each request router did; absent without routers.
    public var routers: [RouterReport]? = nil
    /// What each release did and cost; absent without releases.
    public var releases: [ReleaseReport]? = nil
    /// Per pool with `quality`: its answers' schema adherence and safety flags; absent when no
    /// pool models quality.
    public var quality: [QualityReport]? = nil
    /// What the enforced error-budget policy did; absent when the scenario only reports it.
    public var budgetPolicy: BudgetPolicyReport? = nil
    /// Per region, in the scenario's order; absent when the scenario has no regions.
    public var regions: [RegionReport]? = nil
    /// Per step of each class's rate schedule (requests by the step they were first sent in);
    /// absent when no class has a schedule of two or more steps.
    public var stages: [StageReport]? = nil
    /// The simulator that wrote the report (`servesim --version`); absent in reports read from
    /// files written before 0.15.0. Not a metric: `check` does not compare it.
    public var servesimVersion: String? = ServeSimVersion.current
}

extension EventCounts {
    /// "Events: 3 cold starts, 12 retries." listing the non-zero counts; nil when all are zero.
    public var sentence: String? {
        let events = [(coldStarts, "cold starts"), (warmStarts, "warm starts"), (scaleUps, "scale-ups"),
                      (scaleDowns, "scale-downs"), (replicaFailures, "replica failures"),
                      (preemptions, "preemptions"), (spotPreemptions, "spot preemptions"), (retries, "retries"),
                      (rejections, "rejections"), (timeouts, "timeouts")].filter { $0.0 != 0 }
        if events.isEmpty { return nil }
        return "Events: " + events.map { "\($0.0) \($0.1)" }.joined(separator: ", ") + "."
    }
}

/// Request counts over the measured span.
public struct RequestCounts: Codable, Sendable, Equatable {
    /// Requests that arrived at or after warmup (overall: as given to `makeReport`; per class:
    /// see `makeReport`).
    public var arrived: Int
    public var completed: Int
    public var rejected: Int
    public var timedOut: Int
    public var failed: Int
    /// Arrived but not ended when the simulation stopped.
    public var inFlightAtEnd: Int
    /// Requests that arrived before warmup and were left out of every statistic.
    public var warmupExcluded: Int
}

/// Rates over the measured span.
public struct Throughput: Codable, Sendable, Equatable {
    /// Completed requests per second.
    public var requestsPerSecond: Double
    /// Output tokens of completed requests per second.
    public var outputTokensPerSecond: Double
    /// Prompt tokens of completed requests per second.
    public var promptTokensPerSecond: Double
}

/// One SLO's result over the measured span.
public struct SLOReport: Codable, Sendable, Equatable {
    public var name: String
    /// `ttft`, `tpot`, `e2e`, `queueWait` or `availability`.
    public var sli: String
    /// Seconds; 0 for availability.
    public var threshold: Double
    public var objective: Double
    /// Same as `objective` (the contract's name).
    public var target: Double
    /// SLO window, seconds.
    public var window: Double
    /// Classes it covers; empty = all.
    public var classes: [String]
    public var good: Int
    public var total: Int
    /// good / total (1 when total is 0).
    public var compliance: Double
    /// (1 - compliance) / (1 - objective).
    public var burnRate: Double
    /// Fraction of the window's error budget the measured span used: burnRate * span / window.
    public var errorBudgetConsumed: Double
    /// Fraction of the budget consumed if this behaviour held for the whole window (= burnRate).
    public var errorBudgetConsumedProjected: Double
    public var met: Bool
    /// `ok`, `freeze` (> 25% projected consumed) or `rollback` (> 50%).
    public var policy: BudgetPolicy
    public var alerts: [BurnRateAlertResult]
}

/// Cost in USD over the measured span.
public struct CostReport: Codable, Sendable, Equatable {
    /// Sum over pools of their cost: provisioned GPU-hours x price (idle GPUs included), warm-pool
    /// GPUs at the pool's warm-pool fraction of the price when the pool gives a split; plus
    /// `hosted` when the scenario has a hosted endpoint.
    public var total: Double
    /// total / completed requests (0 when none completed; cache hits and hosted requests count).
    public var perRequest: Double
    /// total / output tokens of completed requests x 1e6 (0 when none).
    public var perMillionOutputTokens: Double
    /// Provisioned GPU-hours.
    public var gpuHours: Double
    public var byPool: [PoolCost]
    /// Allocated by share of tokens processed (prompt + output of completed requests); sorted
    /// by tenant.
    public var byTenant: [TenantCost]
    /// Allocated like `byTenant`; in class order.
    public var byClass: [ClassCost]
    /// The GPU part of `total` (total - hosted) split by what the GPUs were doing: the sum of the
    /// pools' splits.
    public var split: CostSplit
    /// USD paid to the hosted endpoint for the requests it completed (tokens x prices); absent
    /// without a hosted endpoint. Not in `byPool`, `gpuHours` or `split`.
    public var hosted: Double? = nil
}

public struct PoolCost: Codable, Sendable, Equatable {
    public var pool: String
    public var cost: Double
    public var gpuHours: Double
}

public struct TenantCost: Codable, Sendable, Equatable {
    public var tenant: String
    public var cost: Double
    /// Prompt + output tokens of its completed requests.
    public var tokens: Int
}

public struct ClassCost: Codable, Sendable, Equatable {
    public var name: String
    public var tenant: String
    public var cost: Double
    public var tokens: Int
}

/// One request class over the measured span.
public struct ClassReport: Codable, Sendable, Equatable {
    public var name: String
    public var tenant: String
    public var requests: RequestCounts
    public var latency: LatencyReport
    public var promptTokens: Int
    public var outputTokens: Int
    /// USD, allocated by token share (see `CostReport.byClass`).
    public var cost: Double
    /// What its multi-turn sessions generated (absent for a class without `sessions`).
    public var sessions: SessionReport? = nil
}

/// One pool over the measured span.
public struct PoolReport: Codable, Sendable, Equatable {
    public var name: String
    public var hardware: String
    public var replicas: Int
    /// replicas x GPUs per replica.
    public var gpus: Int
    public var pricePerGpuHour: Double
    /// Provisioned GPU-hours.
    public var gpuHours: Double
    /// GPU-hours spent running steps.
    public var busyGpuHours: Double
    /// busy / provisioned (0 when nothing was provisioned).
    public var utilization: Double
    /// USD.
    public var cost: Double
    /// `cost` split by what the GPUs were doing (see `makeReport`).
    public var split: CostSplit
    /// What speculative decoding did; absent when the pool does not speculate.
    public var speculative: SpeculativeReport? = nil
    /// Measured requests whose final attempt ended on this pool, by outcome, and their latencies
    /// (see `PoolTraffic`).
    public var requests: OutcomeCounts? = nil
    public var latency: LatencyReport? = nil
    /// Prefix-cache statistics (absent when the pool has no `prefixCaching`).
    public var prefixCache: PrefixCacheReport? = nil
    /// What timed its steps ("measured h100_sxm kernels (GEMM, attention, all-reduce)", "datasheet
    /// roofline", "profile", ...) and the engine pipeline in words; absent for service-time pools.
    public var timing: String? = nil
    public var pipeline: String? = nil
}
