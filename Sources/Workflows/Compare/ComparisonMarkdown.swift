import ServingModel
import ScenarioFormat
import SimulationEngine
import Reporting
import TransformerKernel
extension ReportRenderer {
    /// A comparison as a Markdown table: one row per metric, one column per scenario. The best
    /// value of a row is bold and followed by "best"; with replications a cell reads
    /// "mean ± half-width" and a difference from the best that is not significant is marked
    /// "(n.s.)". Readable without colour.
    public static func markdown(_ c: Comparison) -> String {
        typealias F = NumberFormat
        var out = ["# Comparison: " + c.scenarios.joined(separator: " vs "), ""]
        if c.replications >= 2 {
            out.append("\(c.replications) replications per scenario on common random numbers (seeds \(c.seed) to "
                + "\(c.seed + UInt64(c.replications - 1))); cells are means with 95% Student-t half-widths. "
                + "(n.s.): the paired difference from the best is not significant at 95%.")
        } else {
            out.append("One run per scenario on common random numbers (seed \(c.seed)). "
                + "Use --replications N for confidence intervals and significance.")
        }
        out += ["", "| metric | " + c.scenarios.map(markdownCell).joined(separator: " | ") + " |",
                "| --- |" + String(repeating: " ---: |", count: c.scenarios.count)]
        for row in c.rows {
            let cells = row.values.indices.map { i -> String in
                let text = cellText(c, row, column: i)
                return row.best.contains(i) ? "**\(text)** best" : text
            }
            out.append("| \(markdownCell(row.label)) | " + cells.joined(separator: " | ") + " |")
        }
        return out.joined(separator: "\n") + "\n"
    }

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
