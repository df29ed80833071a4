import SimulationEngine

/// The answers' quality per pool that models it (`pools[].quality`): configured and measured
/// schema adherence and safety flag rates over the measured answers.
enum QualitySections {
    typealias F = NumberFormat

    static func quality(_ report: Report) -> [ReportSection] {
        guard let pools = report.quality, !pools.isEmpty else { return [] }
        func share(_ x: Double?) -> ReportCell { x.map { ReportCell(F.percent($0, 2)) } ?? ReportCell("-") }
        let table = ReportTable(
            header: ["pool", "answers", "schema adherence (configured)", "schema adherence", "violations",
                     "safety flags (configured)", "safety flags", "flagged"],
            rows: pools.map { q in
                [ReportCell(q.pool), ReportCell("\(q.answers)"), share(q.schemaAdherenceRate), share(q.schemaAdherence),
                 ReportCell("\(q.schemaViolations)"), share(q.safetyFlagRateConfigured), share(q.safetyFlagRate),
                 ReportCell("\(q.safetyFlags)")]
            })
        let note = "Completed answers of measured requests, by the pool that answered. Each draws whether it followed its "
            + "schema and whether the safety classifier flagged it; the schemaAdherence and safety SLIs count these."
        return [ReportSection(id: "quality", title: "Answer quality", blocks: [.paragraph(ReportText(note)), .table(table)])]
    }
}
