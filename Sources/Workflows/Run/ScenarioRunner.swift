import ServingModel
import SimulationEngine
import Reporting
import Foundation

/// Runs a validated scenario and turns the result into a report: the one entry point the CLI uses.
public enum ScenarioRunner {
    /// `progress`: see `Simulation.progress` (it does not change the result).
    public static func run(_ scenario: Scenario, progress: ((Double) -> Void)? = nil) -> (Report, SimulationResult) {
        let simulation = Simulation(scenario: scenario)
        simulation.progress = progress
        let result = simulation.run()
        var report = makeReport(
            scenario: scenario.name, description: scenario.description, seed: scenario.seed,
            collector: result.metrics, pools: result.pools, arrived: result.arrived, inFlightAtEnd: result.inFlightAtEnd,
            arrivedByClass: result.arrivedByClass, inFlightByClass: result.inFlightByClass,
            events: result.events, end: result.endTime, counts: result.counts, timeSeries: result.timeSeries,
            degradation: result.degradation, gateway: result.gateway, gatewayClasses: result.gatewayClasses)
        report.disaggregation = result.disaggregation
        report.routers = result.routers
        report.releases = result.releases
        report.quality = result.quality
        report.budgetPolicy = result.budgetPolicy
        report.regions = result.regions
        report.stages = result.stages
        for (i, sessions) in result.sessions.enumerated() where i < report.classes.count {
            report.classes[i].sessions = sessions
        }
        return (report, result)
    }
}

extension ReportRenderer {
    /// Formats the CLI can write. `series` is the time series as CSV (`TimeSeriesCSV`; the CLI
    /// names it `<name>.series.csv`).
    public static let formats = ["json", "md", "csv", "series"]

    /// Renders a report in one of `formats` (anything else: Markdown).
    public static func render(_ report: Report, format: String) -> Data {
        switch format {
        case "json": (try? json(report)) ?? Data()
        case "csv": Data(csv(report).utf8)
        case "series": Data(TimeSeriesCSV.render(report.timeSeries).utf8)
        default: Data(markdown(report).utf8)
        }
    }
}
