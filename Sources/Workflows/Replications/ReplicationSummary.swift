import Reporting
/// Every standard metric of one scenario over independent replications: mean, 95% Student-t
/// interval, and the per-seed values.
public struct ReplicationSummary: Codable, Sendable, Equatable {
    public var scenario: String
    public var seeds: [UInt64]
    public var metrics: [Metric]

    public struct Metric: Codable, Sendable, Equatable {
        public var key: String
        public var label: String
        public var unit: String
        public var estimate: Estimate
        /// One value per seed, in seed order.
        public var values: [Double]
    }

    public static func make(scenario: String, seeds: [UInt64], reports: [Report]) -> ReplicationSummary {
        let metrics = ReportMetric.standard(for: reports) + ReportMetric.outcomes
        return ReplicationSummary(scenario: scenario, seeds: seeds, metrics: metrics.map { m in
            let values = reports.map(m.value)
            return Metric(key: m.key, label: m.label, unit: m.unit.rawValue, estimate: .of(values), values: values)
        })
    }
}

extension ReportRenderer {
    /// Replications as a Markdown table: metric, mean, 95% interval, min and max over the seeds.
    public static func markdown(_ r: ReplicationSummary) -> String {
        let rows = r.metrics.map { m -> [ReportCell] in
            let e = m.estimate
            return [ReportCell(m.label), ReportCell(format(e.mean, unit: m.unit)),
                    ReportCell("\(format(e.low, unit: m.unit)) to \(format(e.high, unit: m.unit))"),
                    ReportCell(format(m.values.min() ?? 0, unit: m.unit)), ReportCell(format(m.values.max() ?? 0, unit: m.unit))]
        }
        return MarkdownSections.text([ReportSection(id: "replications", title: "\(r.scenario): \(r.seeds.count) replications",
                                                    level: 1, blocks: [
            .paragraph(ReportText("Seeds \(r.seeds.first ?? 0) to \(r.seeds.last ?? 0); 95% confidence intervals from Student's t "
                + "with \(max(r.seeds.count - 1, 0)) degrees of freedom.")),
            .table(ReportTable(header: ["metric", "mean", "95% CI", "min", "max"], rows: rows)),
        ])])
    }
}
