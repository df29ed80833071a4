import ServingModel
import SimulationEngine
extension ReportRenderer {
    /// A planner-readable summary: requests, latency tails, SLOs with error budget and alerts,
    /// cost, pools and classes, and each feature's section (`ReportSections`).
    public static func markdown(_ report: Report) -> String {
        MarkdownSections.text(ReportSections.build(report))
    }
}
