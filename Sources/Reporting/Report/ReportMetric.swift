import ServingModel
import SimulationEngine
/// A number read from a report, with its unit and which direction is better: the rows of
/// `compare` and `sweep` tables and the metrics `check` guards.
public struct ReportMetric: Sendable {
    public enum Unit: String, Sendable {
        case seconds, usd, fraction, hours, count, perSecond
    }

    /// Stable key, e.g. `ttft.p95`, `cost.perRequest`, `slo.ttft-p95.compliance`.
    public let key: String
    /// Human label, e.g. "TTFT p95".
    public let label: String
    public let unit: Unit
    /// True when a smaller value is better (latency, cost); false when larger is (compliance).
    public let lowerIsBetter: Bool
    public let value: @Sendable (Report) -> Double
    /// Whether the report has the number at all: false for a percentile of no samples or a cost
    /// per request with none completed, which reports hold as 0 and tables show as an empty cell.
    public let defined: @Sendable (Report) -> Bool

    public init(key: String, label: String, unit: Unit, lowerIsBetter: Bool,
                defined: @escaping @Sendable (Report) -> Bool = { _ in true }, value: @escaping @Sendable (Report) -> Double) {
        self.key = key
        self.label = label
        self.unit = unit
        self.lowerIsBetter = lowerIsBetter
        self.defined = defined
        self.value = value
    }

    /// Latency percentiles of completed requests: TTFT and E2E at p50, p95 and p99, TPOT p95.
    public static let latency: [ReportMetric] = {
        var metrics: [ReportMetric] = []
        let sets: [(String, String, @Sendable (Report) -> LatencySummary)] = [
            ("ttft", "TTFT", { $0.latency.ttft }), ("e2e", "E2E", { $0.latency.e2e }),
        ]
        for (key, label, summary) in sets {
            let sampled: @Sendable (Report) -> Bool = { summary($0).count > 0 }
            metrics.append(.init(key: "\(key).p50", label: "\(label) p50", unit: .seconds, lowerIsBetter: true, defined: sampled) { summary($0).p50 })
            metrics.append(.init(key: "\(key).p95", label: "\(label) p95", unit: .seconds, lowerIsBetter: true, defined: sampled) { summary($0).p95 })
            metrics.append(.init(key: "\(key).p99", label: "\(label) p99", unit: .seconds, lowerIsBetter: true, defined: sampled) { summary($0).p99 })
        }
        metrics.append(.init(key: "tpot.p95", label: "TPOT p95", unit: .seconds, lowerIsBetter: true,
                             defined: { $0.latency.tpot.count > 0 }) { $0.latency.tpot.p95 })
        return metrics
    }()

    /// Outcomes: completed requests, and those that did not complete (rejected, timed out, failed).
    public static let outcomes: [ReportMetric] = [
        .init(key: "requests.completed", label: "completed requests", unit: .count, lowerIsBetter: false) {
            Double($0.requests.completed)
        },
        .init(key: "requests.notCompleted", label: "rejected, timed out or failed", unit: .count, lowerIsBetter: true) {
            Double($0.requests.rejected + $0.requests.timedOut + $0.requests.failed)
        },
    ]

    /// Cost: per request, per million output tokens, total, and GPU-hours.
    public static let cost: [ReportMetric] = [
        .init(key: "cost.perRequest", label: "cost per request", unit: .usd, lowerIsBetter: true,
              defined: { $0.requests.completed > 0 }) { $0.cost.perRequest },
        .init(key: "cost.perMillionOutputTokens", label: "cost per 1M output tokens", unit: .usd, lowerIsBetter: true,
              defined: { $0.requests.completed > 0 }) { $0.cost.perMillionOutputTokens },
        .init(key: "cost.total", label: "cost total", unit: .usd, lowerIsBetter: true) { $0.cost.total },
        .init(key: "cost.gpuHours", label: "GPU-hours", unit: .hours, lowerIsBetter: true) { $0.cost.gpuHours },
    ]

    /// Per SLO (by name): compliance, whether it is met (1 or 0), and the projected share of the
    /// error budget consumed. A report without the SLO reads 0 for each.
    public static func slo(_ name: String) -> [ReportMetric] {
        @Sendable func find(_ r: Report) -> SLOReport? { r.slos.first { $0.name == name } }
        return [
            .init(key: "slo.\(name).compliance", label: "\(name) compliance", unit: .fraction, lowerIsBetter: false) {
                find($0)?.compliance ?? 0
            },
            .init(key: "slo.\(name).met", label: "\(name) met", unit: .count, lowerIsBetter: false) {
                find($0)?.met == true ? 1 : 0
            },
            .init(key: "slo.\(name).budgetConsumed", label: "\(name) budget consumed", unit: .fraction, lowerIsBetter: true) {
                find($0)?.errorBudgetConsumedProjected ?? 0
            },
        ]
    }

    /// Every standard metric of a set of reports: latency, each SLO any report has (in first-seen
    /// order), then cost.
    public static func standard(for reports: [Report]) -> [ReportMetric] {
        var names: [String] = []
        for r in reports { for s in r.slos where !names.contains(s.name) { names.append(s.name) } }
        let caching = reports.contains { r in r.pools.contains { $0.prefixCache != nil } }
        return latency + names.flatMap(slo) + cost + (caching ? prefixCache : [])
    }

    /// Prefix caching (only for reports where some pool caches prefixes): the share of prompt
    /// tokens whose prefill a cache skipped (all pools; 0 without caching), and the GPU-hours spent
    /// running steps (what the skipped prefill saves).
    public static let prefixCache: [ReportMetric] = [
        .init(key: "prefixCache.hitRate", label: "prefix-cache hit rate (tokens)", unit: .fraction, lowerIsBetter: false) { r in
            let caches = r.pools.compactMap(\.prefixCache)
            let prompt = caches.reduce(0) { $0 + $1.promptTokens }
            return prompt > 0 ? Double(caches.reduce(0) { $0 + $1.hitTokens }) / Double(prompt) : 0
        },
        .init(key: "pools.busyGpuHours", label: "busy GPU-hours", unit: .hours, lowerIsBetter: true) { r in
            r.pools.reduce(0) { $0 + $1.busyGpuHours }
        },
    ]
}
