import Reporting

extension Comparison {
    /// The comparison as report sections: the title, how it was run, and one row per metric with
    /// one column per scenario. The best value of a row is marked best; with replications a cell
    /// reads "mean ± half-width" and a difference from the best that is not significant is marked
    /// "(n.s.)". Readable without colour.
    public var sections: [ReportSection] {
        let how: String
        if replications >= 2 {
            how = "\(replications) replications per scenario on common random numbers (seeds \(seed) to "
                + "\(seed + UInt64(replications - 1))); cells are means with 95% Student-t half-widths. "
                + "(n.s.): the paired difference from the best is not significant at 95%."
        } else {
            how = "One run per scenario on common random numbers (seed \(seed)). "
                + "Use --replications N for confidence intervals and significance."
        }
        let table = ReportTable(header: ["metric"] + scenarios, rows: rows.map { row in
            [ReportCell(row.label)] + row.values.indices.map { i in
                ReportCell.best(ReportRenderer.cellText(self, row, column: i), if: row.best.contains(i))
            }
        })
        return [ReportSection(id: "comparison", title: "Comparison: " + scenarios.joined(separator: " vs "), level: 1,
                              blocks: [.paragraph(ReportText(how)), .table(table)])]
    }
}

extension ReportRenderer {
    /// A comparison as Markdown (`Comparison.sections`).
    public static func markdown(_ c: Comparison) -> String { MarkdownSections.text(c.sections) }

    /// A comparison cell without its best marker: the mean in its unit, "± half-width" with
    /// replications, and " (n.s.)" when its difference from the best is not significant.
    static func cellText(_ c: Comparison, _ row: Comparison.Row, column i: Int) -> String {
        let v = row.values[i]
        var text = format(v.mean, unit: row.unit)
        if c.replications >= 2 { text += " ± " + format(v.halfWidth, unit: row.unit) }
        if row.significant[i] == false { text += " (n.s.)" }
        return text
    }

    /// A value in its unit, for tables.
    static func format(_ x: Double, unit: String) -> String {
        typealias F = NumberFormat
        switch ReportMetric.Unit(rawValue: unit) {
        case .seconds: return F.seconds(x)
        case .usd: return F.usd(x)
        case .fraction: return F.percent(x, 3)
        case .hours: return F.fixed(x, 3) + " h"
        case .perSecond: return F.fixed(x, 3) + "/s"
        case .count, .none: return F.number(x)
        }
    }
}
