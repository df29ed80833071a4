/// What one class's multi-turn sessions (`sessions`) generated over the whole run, warm-up
/// included: a check that the session model sent what the scenario meant.
public struct SessionReport: Codable, Sendable, Equatable {
    /// Sessions started (first turns sent).
    public var started: Int
    /// Turns sent, all sessions (the class's requests).
    public var turns: Int
    /// turns / started (0 when none started).
    public var meanTurns: Double
    /// Sessions ended early because their next prompt would exceed `maxContextTokens`.
    public var cappedByContext: Int

    public init(started: Int, turns: Int, cappedByContext: Int) {
        self.started = started
        self.turns = turns
        meanTurns = started > 0 ? Double(turns) / Double(started) : 0
        self.cappedByContext = cappedByContext
    }
}

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
