import Foundation

/// The fidelity suite as plain text: one line per case (grouped), then per metric and split the
/// number of cases, the median absolute error and the worst.
public enum FidelityTable {
    public static func text(_ cases: [FidelitySuite.Case]) -> String {
        var lines: [String] = []
        var groups: [String] = []
        for c in cases where !groups.contains(c.group) { groups.append(c.group) }
        for group in groups {
            let members = cases.filter { $0.group == group }
            lines.append("")
            lines.append("\(group) (\(members[0].split == .fit ? "fit" : "held out"))")
            for c in members {
                let figures = c.comparisons.map { String(format: "%@ %.4g/%.4g (%+.1f%%)", $0.metric, $0.measured, $0.simulated, $0.error * 100) }
                lines.append("  \(c.name): " + figures.joined(separator: ", "))
            }
        }
        var source = ""
        for s in FidelitySuite.summarize(cases) {
            if s.source != source {
                source = s.source
                lines.append("")
                lines.append(source)
                lines.append("  metric       split     cases  median |error|  worst")
            }
            lines.append(String(format: "  %-12@ %-9@ %5d  %13.1f%%  %+.1f%% (%@)", s.metric as NSString, s.split.rawValue as NSString,
                                s.cases, s.medianAbsoluteError * 100, s.worstError * 100, s.worstCase as NSString))
        }
        return lines.joined(separator: "\n")
    }

    /// The per-source summary as a Markdown table (the README's "Fidelity" table, which a test
    /// holds the suite to): source, metric, split, cases, median |error|, worst case.
    public static func markdown(_ cases: [FidelitySuite.Case]) -> String {
        var lines = ["| source | metric | split | cases | median abs. error | worst |", "| --- | --- | --- | ---: | ---: | --- |"]
        for s in FidelitySuite.summarize(cases) {
            lines.append(String(format: "| %@ | %@ | %@ | %d | %.1f%% | %+.1f%% (%@) |", s.source as NSString, s.metric as NSString,
                                (s.split == .fit ? "fit" : "held out") as NSString, s.cases, s.medianAbsoluteError * 100,
                                s.worstError * 100, s.worstCase as NSString))
        }
        return lines.joined(separator: "\n")
    }
}
