import ServingModel
import SimulationEngine

extension ReportRenderer {
    /// The Markdown section on the pools that speculate (empty when none does).
    static func speculativeMarkdown(_ pools: [PoolReport]) -> [String] {
        let rows = pools.compactMap { p in p.speculative.map { (p.name, $0) } }
        guard !rows.isEmpty else { return [] }
        typealias F = NumberFormat
        var out = ["", "## Speculative decoding", "",
                   "| pool | draft | k | acceptance | tokens per round | plain above batch | speculative tokens | plain tokens | speculative share |",
                   "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
        for (name, s) in rows {
            out.append("| \(markdownCell(name)) | \(s.draft) | \(s.draftTokens) "
                + "| \(F.number(s.acceptance)) | \(F.fixed(s.expectedTokensPerRound, 2)) "
                + "| \(s.disableAboveBatch.map(String.init) ?? "-") | \(s.speculativeTokens) | \(s.plainTokens) "
                + "| \(F.percent(s.speculativeShare, 1)) |")
        }
        out += ["", "Tokens of decode-only steps, whole run; steps with prefill chunks decode plainly and are in neither count."]
        return out
    }
}
