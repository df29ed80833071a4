import ServingModel
import SimulationEngine

extension ReportRenderer {
    /// The Markdown section of a report's gateway: caches, then the hosted endpoint.
    static func gatewayMarkdown(_ g: GatewayReport) -> [String] {
        typealias F = NumberFormat
        var out = ["", "## Gateway"]
        if !g.caches.isEmpty {
            out += ["", "| cache | kind | hit ratio (configured) | lookups | hits | misses | hit ratio (measured) |",
                    "| --- | --- | ---: | ---: | ---: | ---: | ---: |"]
            for c in g.caches {
                out.append("| \(markdownCell(c.name)) | \(c.kind) | \(c.hitRatio.map { F.percent($0, 1) } ?? "simulated") | \(c.lookups) | \(c.hits) "
                    + "| \(c.misses) | \(F.percent(c.measuredHitRatio, 1)) |")
            }
            for c in g.caches {
                guard let m = c.content else { continue }
                out += ["", "Cache \(markdownCell(c.name)) simulates \(m.distinct) distinct prompts (Zipf \(F.number(m.skew))), "
                    + "capacity \(m.capacity.map(String.init) ?? "unbounded"), TTL \(m.ttl.map(F.seconds) ?? "none"): "
                    + "\(m.evictions) evictions, \(m.expirations) expired lookups, \(m.entriesAtEnd) entries at the end."]
            }
        }
        if let h = g.hosted {
            let o = h.overflowedBy
            out += ["", "Hosted endpoint \(markdownCell(h.name)) (share \(F.percent(h.share, 1)), overflow \(h.overflow ? "on" : "off")): "
                + "\(h.requests) requests completed, \(h.shared) sent by share, \(h.overflowed) overflowed "
                + "(queue full \(o.queueFull), in-flight budget \(o.inFlightBudget), circuit open \(o.circuitOpen), "
                + "too long \(o.tooLong)); \(h.promptTokens) prompt + \(h.outputTokens) output tokens, \(F.usd(h.cost))."]
        }
        return out
    }
}
