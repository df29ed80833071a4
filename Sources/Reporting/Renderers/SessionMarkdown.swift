import ServingModel
import SimulationEngine

extension ReportRenderer {
    /// The Markdown "Sessions" table (empty when no class has sessions).
    static func sessionMarkdown(_ classes: [ClassReport]) -> [String] {
        let rows = classes.compactMap { k in k.sessions.map { (k.name, $0) } }
        guard !rows.isEmpty else { return [] }
        var out = ["", "## Sessions", "",
                   "| class | sessions started | turns sent | turns per session | ended by context cap |",
                   "| --- | ---: | ---: | ---: | ---: |"]
        for (name, s) in rows {
            out.append("| \(name.replacingOccurrences(of: "|", with: "\\|")) | \(s.started) | \(s.turns) | \(NumberFormat.fixed(s.meanTurns, 2)) | \(s.cappedByContext) |")
        }
        out.append("")
        out.append("Whole run, warm-up included.")
        return out
    }
}
