import ServingModel
import SimulationEngine

/// The sections of a run's report, in the order both the Markdown report and the HTML page show
/// them. A section builder returns no section when the report has nothing for it. Adding a section:
/// a builder in its own file, its line here, and a test (see ARCHITECTURE.md, "A new report section").
public enum ReportSections {
    /// The builders, in report order.
    static let all: [@Sendable (Report) -> [ReportSection]] = [
        SummarySections.header,
        SummarySections.requests,
        SummarySections.latency,
        SummarySections.stages,
        SummarySections.slos,
        BudgetPolicySections.budgetPolicy,
        SummarySections.cost,
        QualitySections.quality,
        TrafficSections.gateway,
        TrafficSections.disaggregation,
        TrafficSections.regions,
        PoolSections.pools,
        PoolSections.speculation,
        TrafficSections.tenants,
        TrafficSections.routers,
        TrafficSections.releases,
        PoolSections.prefixCache,
        DegradationSections.ladders,
        ClassSections.classes,
        ClassSections.sessions,
    ]

    /// Every section of `report`, title first.
    public static func build(_ report: Report) -> [ReportSection] { all.flatMap { $0(report) } }
}
