import ServingModel
import SimulationEngine

/// The report's title and the summary every run has: requests, latency, SLOs, cost.
enum SummarySections {
    typealias F = NumberFormat

    static func header(_ report: Report) -> [ReportSection] {
        var blocks: [ReportBlock] = []
        if !report.description.isEmpty { blocks.append(.paragraph(ReportText(report.description))) }
        blocks.append(.paragraph(ReportText("Seed \(report.seed); simulated \(F.fixed(report.simulatedSeconds, 1)) s, measured "
            + "\(F.fixed(report.measuredSeconds, 1)) s after \(F.fixed(report.warmupSeconds, 1)) s warmup; "
            + "\(report.events) events.")))
        return [ReportSection(id: "title", title: report.scenario, level: 1, blocks: blocks)]
    }

    static func requests(_ report: Report) -> [ReportSection] {
        let r = report.requests
        var blocks: [ReportBlock] = [.table(ReportTable(
            header: ["arrived", "completed", "rejected", "timed out", "failed", "in flight at end", "warmup excluded", "req/s",
                     "output tok/s"], leftColumns: 0,
            rows: [[ReportCell("\(r.arrived)"), ReportCell("\(r.completed)"), ReportCell("\(r.rejected)"),
                    ReportCell("\(r.timedOut)"), ReportCell("\(r.failed)"), ReportCell("\(r.inFlightAtEnd)"),
                    ReportCell("\(r.warmupExcluded)"), ReportCell(F.fixed(report.throughput.requestsPerSecond, 3)),
                    ReportCell(F.fixed(report.throughput.outputTokensPerSecond, 1))]]))]
        if let events = report.counts.sentence { blocks.append(.paragraph(ReportText(events))) }
        return [ReportSection(id: "requests", title: "Requests", blocks: blocks)]
    }

    static func latency(_ report: Report) -> [ReportSection] {
        let l = report.latency
        let rows = [("TTFT", l.ttft), ("TPOT", l.tpot), ("E2E", l.e2e), ("Queue wait", l.queueWait)].map { name, s in
            [ReportCell(name), ReportCell("\(s.count)")] + [s.mean, s.p50, s.p90, s.p95, s.p99, s.max].map { ReportCell(F.seconds($0)) }
        }
        return [ReportSection(id: "latency", title: "Latency (completed requests)", blocks: [
            .table(ReportTable(header: ["metric", "count", "mean", "p50", "p90", "p95", "p99", "max"], rows: rows)),
        ])]
    }

    /// Latency tails per step of a rate schedule, as load-test tools report stages.
    static func stages(_ report: Report) -> [ReportSection] {
        guard let stages = report.stages, !stages.isEmpty else { return [] }
        let rows = stages.map { s -> [ReportCell] in
            let l = s.latency
            return [ReportCell(s.className), ReportCell("\(F.fixed(s.start, 0))-\(F.fixed(s.end, 0)) s"), ReportCell(F.number(s.rate)),
                    ReportCell("\(s.completed)"), ReportCell("\(s.rejected + s.timedOut + s.failed)"),
                    ReportCell(F.seconds(l.ttft.mean)), ReportCell(F.seconds(l.ttft.p50)), ReportCell(F.seconds(l.ttft.p90)),
                    ReportCell(F.seconds(l.ttft.p95)), ReportCell(F.seconds(l.ttft.p99)), ReportCell(F.seconds(l.tpot.mean)),
                    ReportCell(F.seconds(l.tpot.p95)), ReportCell(F.seconds(l.e2e.p50)), ReportCell(F.seconds(l.e2e.p95))]
        }
        return [ReportSection(id: "stages", title: "Load stages", blocks: [
            .table(ReportTable(header: ["class", "stage", "req/s", "completed", "not completed", "TTFT mean", "TTFT p50", "TTFT p90",
                                        "TTFT p95", "TTFT p99", "TPOT mean", "TPOT p95", "E2E p50", "E2E p95"], leftColumns: 2, rows: rows)),
            .paragraph("Requests by the stage they were first sent in, warm-up included; latencies of the completed ones."),
        ])]
    }

    static func slos(_ report: Report) -> [ReportSection] {
        guard !report.slos.isEmpty else { return [] }
        let rows = report.slos.map { s -> [ReportCell] in
            let fired = s.alerts.filter(\.fired).map { "\($0.name) at \(F.fixed($0.firstFiredAt ?? 0, 0)) s" }
            return [ReportCell(s.name), ReportCell(s.sli), ReportCell(SLOSpec.SLI(rawValue: s.sli)?.isLatency == true ? F.seconds(s.threshold) : "-"),
                    ReportCell(F.percent(s.objective, 3)), ReportCell(F.percent(s.compliance, 3)),
                    ReportCell(F.fixed(s.burnRate, 2)), ReportCell(F.percent(s.errorBudgetConsumed)),
                    ReportCell(F.percent(s.errorBudgetConsumedProjected)), s.met ? "yes" : ReportCell("no", mark: .warning),
                    ReportCell(s.policy.rawValue), ReportCell(fired.isEmpty ? "none" : fired.joined(separator: "; "))]
        }
        let columns: [ReportTable.Column] = [
            .init("SLO", .left), .init("SLI", .left), .init("threshold"), .init("objective"), .init("compliance"),
            .init("burn rate"), .init("budget used (span)"), .init("budget used (projected)"), .init("met", .left),
            .init("policy", .left), .init("alerts fired", .left),
        ]
        return [ReportSection(id: "slos", title: "SLOs", blocks: [
            .table(ReportTable(columns: columns, rows: rows)),
            .paragraph("Burn rate = error ratio / (1 - objective). Projected budget = share of the window's "
                + "budget used if this behaviour held for the whole window (= burn rate); policy: freeze above 25%, "
                + "rollback above 50%. Alerts: SRE Workbook multi-window burn rates, windows clipped to the simulated span."),
        ])]
    }

    static func cost(_ report: Report) -> [ReportSection] {
        let c = report.cost
        var split = "Split: serving \(F.usd(c.split.serving)), idle \(F.usd(c.split.idle)), "
            + "cold start \(F.usd(c.split.coldStart)), warm pool \(F.usd(c.split.warmPool))."
        if let hosted = c.hosted { split += " Hosted endpoint \(F.usd(hosted)) (in the total; GPUs \(F.usd(c.total - hosted)))." }
        return [ReportSection(id: "cost", title: "Cost", blocks: [
            .table(ReportTable(header: ["total", "per request", "per 1M output tokens", "GPU-hours"], leftColumns: 0, rows: [[
                ReportCell(F.usd(c.total)), ReportCell(F.usd(c.perRequest)), ReportCell(F.usd(c.perMillionOutputTokens)),
                ReportCell(F.fixed(c.gpuHours, 3)),
            ]])),
            .paragraph(ReportText(split)),
        ])]
    }
}
