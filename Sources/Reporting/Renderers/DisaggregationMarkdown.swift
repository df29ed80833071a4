import ServingModel
import SimulationEngine

extension ReportRenderer {
    /// The Markdown section of the disaggregation pairs.
    static func disaggregationMarkdown(_ pairs: [DisaggregationReport]) -> [String] {
        typealias F = NumberFormat
        var out = ["", "## Disaggregation (prefill -> decode)", "",
                   "| prefill | decode | link (per lane) | lanes | transfers | GB moved | transfer mean | p95 | p99 | mean link wait | link utilization |",
                   "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
        for p in pairs {
            out.append("| \(markdownCell(p.prefill)) | \(markdownCell(p.decode)) | \(F.number(p.bandwidth / 1e9)) GB/s + \(F.fixed(p.latency * 1e6, 0)) us "
                + "| \(p.lanes) | \(p.transfers)\(p.lost > 0 ? " (\(p.lost) lost)" : "") | \(F.fixed(p.bytes / 1e9, 1)) "
                + "| \(F.seconds(p.transferSeconds.mean)) | \(F.seconds(p.transferSeconds.p95)) | \(F.seconds(p.transferSeconds.p99)) "
                + "| \(F.seconds(p.meanLinkWait)) | \(F.percent(p.linkUtilization, 1)) |")
        }
        out += ["", "TTFT is measured at the prefill pool; a transfer's time (link queue + bytes / bandwidth + latency) "
            + "adds to E2E and TPOT."]
        return out
    }
}
