import ServingModel
import SimulationEngine
/// Markdown sections for the per-tenant view, routers and releases (the pool table's traffic
/// columns are in `markdown` itself).
extension ReportRenderer {
    static func tenantsMarkdown(_ tenants: [TenantReport]) -> [String] {
        typealias F = NumberFormat
        guard tenants.count > 1 else { return [] }  // one tenant: the overall tables say it all
        var out = ["", "## Tenants", "",
                   "| tenant | classes | arrived | completed | not completed | TTFT p95 | E2E p95 | cost | per request |",
                   "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
        for t in tenants {
            let q = t.requests
            out.append("| \(markdownCell(t.tenant)) | \(markdownCell(t.classes.joined(separator: ", "))) | \(q.arrived) | \(q.completed) "
                + "| \(q.rejected + q.timedOut + q.failed) | \(F.seconds(t.latency.ttft.p95)) | \(F.seconds(t.latency.e2e.p95)) "
                + "| \(F.usd(t.cost)) | \(F.usd(t.costPerRequest)) |")
        }
        return out
    }

    static func routersMarkdown(_ routers: [RouterReport]) -> [String] {
        typealias F = NumberFormat
        var out: [String] = []
        for r in routers {
            let rule = r.fallback.map { f in f.threshold.map { "fallback at queue depth \($0)" } ?? "fallback when a tier would reject" }
                ?? "no fallback"
            out += ["", "## Router: \(markdownCell(r.name)) (\(markdownCell(r.classes.joined(separator: ", "))); \(rule))", "",
                    "| tier | weight | share | drawn | sent | fell back out | fell back in |",
                    "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"]
            for t in r.tiers {
                out.append("| \(markdownCell(t.pool)) | \(F.number(t.weight)) | \(F.percent(t.share, 1)) | \(t.drawn) | \(t.sent) "
                    + "| \(t.fallbacksOut) | \(t.fallbacksIn) |")
            }
            out += ["", "\(r.attempts) attempts, \(r.fallbacks) fell back, \(r.fallbacksBlocked) found every tier saturated."]
        }
        return out
    }

    static func releasesMarkdown(_ releases: [ReleaseReport]) -> [String] {
        typealias F = NumberFormat
        var out: [String] = []
        for r in releases {
            let share = r.strategy == "canary" ? " \(F.percent(r.fraction, 1))" : ""
            out += ["", "## Release: \(markdownCell(r.name)) (\(r.strategy)\(share), \(markdownCell(r.stable)) -> \(markdownCell(r.candidate)) from \(F.seconds(r.start)))", ""]
            var line = "Outcome: **\(r.outcome)**"
            if let at = r.rolledBackAt, let why = r.reason {
                let observed = why.metric == "errorRate" ? F.percent(why.observed) : F.seconds(why.observed)
                let limit = why.metric == "errorRate" ? F.percent(why.threshold) : F.seconds(why.threshold)
                line += " at \(F.seconds(at)): \(why.metric) \(observed) > \(limit) over \(why.attempts) attempts"
            }
            if let at = r.promotedAt { line += " at \(F.seconds(at))" }
            let analyses = r.analyses == 1 ? "1 analysis" : "\(r.analyses) analyses"
            out.append(line + ". \(analyses); \(r.candidateAttempts) attempts sent to the candidate, "
                + "\(r.candidateEnded) ended there, \(r.candidateFailures) not completed (\(r.injectedErrors) injected errors).")
            if !r.budget.isEmpty {
                out += ["", "| SLO | candidate requests | bad | stable bad fraction | attributable bad | error budget (requests) | budget used |",
                        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"]
                for b in r.budget {
                    out.append("| \(markdownCell(b.slo)) | \(b.candidateRequests) | \(b.candidateBad) "
                        + "| \(F.percent(ratio(Double(b.stableBad), Double(b.stableRequests)), 3)) | \(F.number(b.attributableBad)) "
                        + "| \(F.number(b.errorBudget)) | \(F.percent(b.consumed, 1)) |")
                }
            }
        }
        return out
    }

    /// Escapes `|` so a name cannot break a table row.
}
