import ServingModel
import SimulationEngine
extension ReportRenderer {
    /// Header of `csv(_:)`. Latencies in seconds (6 decimals), cost in USD (6 decimals).
    ///
    /// Every CSV ServeSim writes names its columns the way the JSON report names the values: camelCase
    /// keys, a dot between levels (`ttft.p95` is `latency.ttft.p95` of the class, as the sweep's
    /// metric keys name it), and `slo.<name>.` or `pool.<name>.` before per-SLO and per-pool values.
    public static let csvColumns = [
        "class", "tenant", "arrived", "completed", "rejected", "timedOut", "failed", "inFlightAtEnd",
        "promptTokens", "outputTokens",
        "ttft.p50", "ttft.p95", "ttft.p99", "tpot.p50", "tpot.p95", "tpot.p99",
        "e2e.p50", "e2e.p95", "e2e.p99", "queueWait.p95", "cost",
    ]

    /// One row per request class, in class order, after a header; RFC 4180 quoting; `\n` line ends.
    public static func csv(_ report: Report) -> String {
        var lines = [csvColumns.joined(separator: ",")]
        for c in report.classes {
            let l = c.latency, r = c.requests
            let s = { (x: Double) in NumberFormat.fixed(x, 6) }
            // A percentile of no samples is an empty cell, not 0 (which would read as instant).
            let p = { (summary: LatencySummary, x: Double) in summary.count > 0 ? s(x) : "" }
            let fields = [csvField(c.name), csvField(c.tenant),
                          String(r.arrived), String(r.completed), String(r.rejected), String(r.timedOut),
                          String(r.failed), String(r.inFlightAtEnd), String(c.promptTokens), String(c.outputTokens),
                          p(l.ttft, l.ttft.p50), p(l.ttft, l.ttft.p95), p(l.ttft, l.ttft.p99),
                          p(l.tpot, l.tpot.p50), p(l.tpot, l.tpot.p95), p(l.tpot, l.tpot.p99),
                          p(l.e2e, l.e2e.p50), p(l.e2e, l.e2e.p95), p(l.e2e, l.e2e.p99), p(l.queueWait, l.queueWait.p95), s(c.cost)]
            lines.append(fields.joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func csvField(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
