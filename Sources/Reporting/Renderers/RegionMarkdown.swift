import ServingModel
import SimulationEngine

extension ReportRenderer {
    /// The Markdown section of a report's regions: one row per region as a server, one per region
    /// as the clients' origin.
    static func regionsMarkdown(_ regions: [RegionReport]) -> [String] {
        typealias F = NumberFormat
        var out = ["", "## Regions", "",
                   "| region | pools | completed | rejected | timed out | failed | TTFT p95 | E2E p95 | failovers in | failovers out | cost |",
                   "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
        for r in regions {
            let s = r.served
            out.append("| \(markdownCell(r.name)) | \(markdownCell(r.pools.joined(separator: ", "))) | \(s.completed) | \(s.rejected) "
                + "| \(s.timedOut) | \(s.failed) | \(F.seconds(r.latency.ttft.p95)) | \(F.seconds(r.latency.e2e.p95)) "
                + "| \(r.failoversIn) | \(r.failoversOut) | \(F.usd(r.cost)) |")
        }
        out += ["", "| clients in | completed | not completed | TTFT p50 | TTFT p95 | E2E p95 |",
                "| --- | ---: | ---: | ---: | ---: | ---: |"]
        for r in regions {
            let q = r.clients.requests, l = r.clients.latency
            out.append("| \(markdownCell(r.name)) | \(q.completed) | \(q.rejected + q.timedOut + q.failed) | \(F.seconds(l.ttft.p50)) "
                + "| \(F.seconds(l.ttft.p95)) | \(F.seconds(l.e2e.p95)) |")
        }
        out += ["", "Served: by the region the final attempt was sent to; latencies include the client's round trip. "
            + "Failovers: attempts the geo router sent away from their nearest region because it was unavailable."]
        return out
    }
}
