import ServingModel
import SimulationEngine
/// Requests that ended, by outcome (measured span).
public struct OutcomeCounts: Codable, Sendable, Equatable {
    /// completed + rejected + timedOut + failed.
    public var ended: Int
    public var completed: Int
    public var rejected: Int
    public var timedOut: Int
    public var failed: Int

    public init(_ m: ClassMetrics) {
        ended = m.finished
        completed = m.count(.completed)
        rejected = m.count(.rejected)
        timedOut = m.count(.timedOut)
        failed = m.count(.failed)
    }
}

/// One tenant over the measured span: its classes' requests and latencies together, and its cost
/// (`CostReport.byTenant`: the GPU cost by share of tokens processed, plus its hosted bill).
public struct TenantReport: Codable, Sendable, Equatable {
    public var tenant: String
    /// Its classes, in scenario order.
    public var classes: [String]
    public var requests: RequestCounts
    public var latency: LatencyReport
    public var promptTokens: Int
    public var outputTokens: Int
    /// USD.
    public var cost: Double
    /// cost / completed requests (0 with none).
    public var costPerRequest: Double
}

/// Per-pool and per-tenant views of the run's records.
///
/// A request belongs to the pool of its final attempt (`RequestRecord.pool`): the pool a router,
/// release or degradation ladder chose for that attempt, or its class's pool; a cache hit, or a
/// request the hosted endpoint served, counts under the pool its class would have used. So the
/// pools' `requests.ended` sum to the overall completed + rejected + timedOut + failed.
enum TrafficBreakdown {
    /// Pool `p`'s outcome counts and latencies.
    static func pool(_ collector: MetricsCollector, _ p: Int) -> (OutcomeCounts, LatencyReport) {
        let m = collector.pool(p)
        return (OutcomeCounts(m), LatencyReport(m.latency))
    }

    /// One report per tenant, sorted by tenant name; counts sum the tenant's classes (arrived and
    /// in flight as given per class, else as in `makeReport`).
    static func tenants(_ collector: MetricsCollector, classes: [ClassReport], costs: [TenantCost]) -> [TenantReport] {
        let names = Array(Set(collector.classes.map(\.tenant))).sorted()
        return names.map { tenant in
            let members = collector.classes.indices.filter { collector.classes[$0].tenant == tenant }
            let merged = members.reduce(into: ClassMetrics()) { $0.merge(collector.perClass[$1]) }
            var counts = RequestCounts(arrived: 0, completed: 0, rejected: 0, timedOut: 0, failed: 0,
                                       inFlightAtEnd: 0, warmupExcluded: 0)
            for i in members {
                let q = classes[i].requests
                counts.arrived += q.arrived
                counts.completed += q.completed
                counts.rejected += q.rejected
                counts.timedOut += q.timedOut
                counts.failed += q.failed
                counts.inFlightAtEnd += q.inFlightAtEnd
            }
            let cost = costs.first { $0.tenant == tenant }?.cost ?? 0
            return TenantReport(tenant: tenant, classes: members.map { collector.classes[$0].name }, requests: counts,
                                latency: LatencyReport(merged.latency), promptTokens: merged.promptTokens,
                                outputTokens: merged.outputTokens, cost: cost,
                                costPerRequest: ratio(cost, Double(merged.completed)))
        }
    }
}
