import ServingModel
import SimulationEngine
extension ReportRenderer {
    /// A planner-readable summary: requests, latency tails, SLOs with error budget and alerts,
    /// cost, pools and classes.
    public static func markdown(_ report: Report) -> String {
        typealias F = NumberFormat
        var out: [String] = []
        // Escapes `|` so a name cannot break a table row.
        out.append("# \(report.scenario)")
        if !report.description.isEmpty { out += ["", report.description] }
        out += ["", "Seed \(report.seed); simulated \(F.fixed(report.simulatedSeconds, 1)) s, measured "
            + "\(F.fixed(report.measuredSeconds, 1)) s after \(F.fixed(report.warmupSeconds, 1)) s warmup; "
            + "\(report.events) events."]

        let r = report.requests
        out += ["", "## Requests", "",
                "| arrived | completed | rejected | timed out | failed | in flight at end | warmup excluded | req/s | output tok/s |",
                "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
                "| \(r.arrived) | \(r.completed) | \(r.rejected) | \(r.timedOut) | \(r.failed) | \(r.inFlightAtEnd) "
                    + "| \(r.warmupExcluded) | \(F.fixed(report.throughput.requestsPerSecond, 3)) "
                    + "| \(F.fixed(report.throughput.outputTokensPerSecond, 1)) |"]
        if let events = report.counts.sentence { out += ["", events] }

        out += ["", "## Latency (completed requests)", "",
                "| metric | count | mean | p50 | p90 | p95 | p99 | max |",
                "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
        let l = report.latency
        for (name, s) in [("TTFT", l.ttft), ("TPOT", l.tpot), ("E2E", l.e2e), ("Queue wait", l.queueWait)] {
            out.append("| \(name) | \(s.count) | \(F.seconds(s.mean)) | \(F.seconds(s.p50)) | \(F.seconds(s.p90)) "
                + "| \(F.seconds(s.p95)) | \(F.seconds(s.p99)) | \(F.seconds(s.max)) |")
        }

        if !report.slos.isEmpty {
            out += ["", "## SLOs", "",
                    "| SLO | SLI | threshold | objective | compliance | burn rate | budget used (span) | budget used (projected) | met | policy | alerts fired |",
                    "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- | --- |"]
            for s in report.slos {
                let fired = s.alerts.filter(\.fired).map { a in
                    "\(a.name) at \(F.fixed(a.firstFiredAt ?? 0, 0)) s"
                }
                out.append("| \(markdownCell(s.name)) | \(s.sli) | \(s.sli == "availability" ? "-" : F.seconds(s.threshold)) "
                    + "| \(F.percent(s.objective, 3)) | \(F.percent(s.compliance, 3)) | \(F.fixed(s.burnRate, 2)) "
                    + "| \(F.percent(s.errorBudgetConsumed)) | \(F.percent(s.errorBudgetConsumedProjected)) "
                    + "| \(s.met ? "yes" : "**no**") | \(s.policy.rawValue) | \(fired.isEmpty ? "none" : fired.joined(separator: "; ")) |")
            }
            out += ["", "Burn rate = error ratio / (1 - objective). Projected budget = share of the window's "
                + "budget used if this behaviour held for the whole window (= burn rate); policy: freeze above 25%, "
                + "rollback above 50%. Alerts: SRE Workbook multi-window burn rates, windows clipped to the simulated span."]
        }

        let c = report.cost
        out += ["", "## Cost", "",
                "| total | per request | per 1M output tokens | GPU-hours |",
                "| ---: | ---: | ---: | ---: |",
                "| \(F.usd(c.total)) | \(F.usd(c.perRequest)) | \(F.usd(c.perMillionOutputTokens)) | \(F.fixed(c.gpuHours, 3)) |"]
        out += ["", "Split: serving \(F.usd(c.split.serving)), idle \(F.usd(c.split.idle)), "
            + "cold start \(F.usd(c.split.coldStart)), warm pool \(F.usd(c.split.warmPool))."]
        if let hosted = c.hosted {
            out[out.count - 1] += " Hosted endpoint \(F.usd(hosted)) (in the total; GPUs \(F.usd(c.total - hosted)))."
        }
        if let g = report.gateway { out += gatewayMarkdown(g) }
        if let d = report.disaggregation { out += disaggregationMarkdown(d) }
        if let regions = report.regions { out += regionsMarkdown(regions) }

        if !report.pools.isEmpty {
            out += ["", "## Pools", "",
                    "| pool | hardware | replicas | GPUs | GPU-hours | utilization | cost | requests | completed | not completed | TTFT p95 | E2E p95 |",
                    "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
            for p in report.pools {
                let q = p.requests, l = p.latency
                out.append("| \(markdownCell(p.name)) | \(markdownCell(p.hardware)) | \(p.replicas) | \(p.gpus) | \(F.fixed(p.gpuHours, 3)) "
                    + "| \(F.percent(p.utilization, 1)) | \(F.usd(p.cost)) | \(q.map { "\($0.ended)" } ?? "-") "
                    + "| \(q.map { "\($0.completed)" } ?? "-") | \(q.map { "\($0.ended - $0.completed)" } ?? "-") "
                    + "| \(l.map { F.seconds($0.ttft.p95) } ?? "-") | \(l.map { F.seconds($0.e2e.p95) } ?? "-") |")
            }
            out += speculativeMarkdown(report.pools)
        }
        out += tenantsMarkdown(report.tenants)
        out += routersMarkdown(report.routers ?? [])
        out += releasesMarkdown(report.releases ?? [])
        out += prefixCacheMarkdown(report.pools)

        for ladder in report.degradation {
            out += ["", "## Degradation ladder: \(markdownCell(ladder.pool)) (signal \(markdownCell(ladder.signal)))", "",
                    "| step | action | engages at | engaged | first engaged | engaged time | requests affected |",
                    "| --- | --- | ---: | ---: | ---: | ---: | ---: |"]
            for s in ladder.steps {
                out.append("| \(markdownCell(s.name)) | \(s.action) | \(F.number(s.threshold)) | \(s.engagements)x "
                    + "| \(s.firstEngagedAt.map(F.seconds) ?? "never") | \(F.seconds(s.engagedSeconds)) | \(s.requestsAffected) |")
            }
            let shown = ladder.transitions.prefix(20)
            if !shown.isEmpty {
                out += [""] + shown.map { t in
                    "- \(F.seconds(t.time)): \(t.engaged ? "engaged" : "released") \(markdownCell(t.step)) (signal \(F.number(t.signal)), level \(t.level))"
                }
                if ladder.transitions.count > shown.count {
                    out.append("- ... \(ladder.transitions.count - shown.count) more in the JSON report")
                }
            }
        }

        if !report.classes.isEmpty {
            out += ["", "## Classes", "",
                    "| class | tenant | arrived | completed | rejected | timed out | failed | TTFT p95 | TPOT p95 | E2E p95 | cost |",
                    "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
            for k in report.classes {
                let q = k.requests
                out.append("| \(markdownCell(k.name)) | \(markdownCell(k.tenant)) | \(q.arrived) | \(q.completed) | \(q.rejected) | \(q.timedOut) "
                    + "| \(q.failed) | \(F.seconds(k.latency.ttft.p95)) | \(F.seconds(k.latency.tpot.p95)) "
                    + "| \(F.seconds(k.latency.e2e.p95)) | \(F.usd(k.cost)) |")
            }
            out += sessionMarkdown(report.classes)
        }
        return out.joined(separator: "\n") + "\n"
    }
}
