import ServingModel
import SimulationEngine

extension ReportRenderer {
    /// The Markdown section of the pools' prefix caches (nothing when no pool caches prefixes).
    static func prefixCacheMarkdown(_ pools: [PoolReport]) -> [String] {
        typealias F = NumberFormat
        let caching = pools.filter { $0.prefixCache != nil }
        guard !caching.isEmpty else { return [] }
        var out = ["", "## Prefix cache", "",
                   "| pool | lookups | requests with a hit | prompt tokens | tokens reused | hit rate (tokens) | evicted KV blocks |",
                   "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"]
        for p in caching {
            let c = p.prefixCache!
            out.append("| \(markdownCell(p.name)) | \(c.lookups) | \(c.hitRequests) (\(F.percent(c.requestHitRate, 1))) "
                + "| \(c.promptTokens) | \(c.hitTokens) | \(F.percent(c.hitRate, 1)) | \(c.evictedBlocks) |")
        }
        return out
    }
}
