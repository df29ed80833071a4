import ServingModel
import SimulationEngine

/// The pools: what each provisioned, used and served; then the pools that speculate and those
/// that cache prefixes.
enum PoolSections {
    typealias F = NumberFormat

    static func pools(_ report: Report) -> [ReportSection] {
        guard !report.pools.isEmpty else { return [] }
        let rows = report.pools.map { p -> [ReportCell] in
            let q = p.requests, l = p.latency
            return [ReportCell(p.name), ReportCell(p.hardware), ReportCell("\(p.replicas)"), ReportCell("\(p.gpus)"),
                    ReportCell(F.fixed(p.gpuHours, 3)), ReportCell(F.percent(p.utilization, 1)), ReportCell(F.usd(p.cost)),
                    ReportCell(q.map { "\($0.ended)" } ?? "-"), ReportCell(q.map { "\($0.completed)" } ?? "-"),
                    ReportCell(q.map { "\($0.ended - $0.completed)" } ?? "-"), ReportCell(l.map { F.seconds($0.ttft.p95) } ?? "-"),
                    ReportCell(l.map { F.seconds($0.e2e.p95) } ?? "-")]
        }
        var blocks: [ReportBlock] = [.table(ReportTable(
            header: ["pool", "hardware", "replicas", "GPUs", "GPU-hours", "utilization", "cost", "requests", "completed",
                     "not completed", "TTFT p95", "E2E p95"], leftColumns: 2, rows: rows))]
        let timed = report.pools.filter { $0.timing != nil || $0.pipeline != nil }
        if !timed.isEmpty {
            blocks.append(.list(timed.map { p in
                ReportText("\(p.name): steps timed by \(p.timing ?? "its model"); \(p.pipeline ?? "no engine pipeline")")
            }))
        }
        return [ReportSection(id: "pools", title: "Pools", blocks: blocks)]
    }

    static func speculation(_ report: Report) -> [ReportSection] {
        let rows = report.pools.compactMap { p in p.speculative.map { (p.name, $0) } }
        guard !rows.isEmpty else { return [] }
        let cells = rows.map { name, s -> [ReportCell] in
            [ReportCell(name), ReportCell(s.draft), ReportCell("\(s.draftTokens)"), ReportCell(F.number(s.acceptance)),
             ReportCell(F.fixed(s.expectedTokensPerRound, 2)), ReportCell(s.disableAboveBatch.map(String.init) ?? "-"),
             ReportCell("\(s.speculativeTokens)"), ReportCell("\(s.plainTokens)"), ReportCell(F.percent(s.speculativeShare, 1))]
        }
        return [ReportSection(id: "speculation", title: "Speculative decoding", blocks: [
            .table(ReportTable(header: ["pool", "draft", "k", "acceptance", "tokens per round", "plain above batch",
                                        "speculative tokens", "plain tokens", "speculative share"], leftColumns: 2, rows: cells)),
            .paragraph("Tokens of decode-only steps, whole run; steps with prefill chunks decode plainly and are in neither count."),
        ])]
    }

    static func prefixCache(_ report: Report) -> [ReportSection] {
        let caching = report.pools.filter { $0.prefixCache != nil }
        guard !caching.isEmpty else { return [] }
        let rows = caching.map { p -> [ReportCell] in
            let c = p.prefixCache!
            return [ReportCell(p.name), ReportCell("\(c.lookups)"), ReportCell("\(c.hitRequests) (\(F.percent(c.requestHitRate, 1)))"),
                    ReportCell("\(c.promptTokens)"), ReportCell("\(c.hitTokens)"), ReportCell(F.percent(c.hitRate, 1)),
                    ReportCell("\(c.evictedBlocks)")]
        }
        return [ReportSection(id: "prefixCache", title: "Prefix cache", blocks: [.table(ReportTable(
            header: ["pool", "lookups", "requests with a hit", "prompt tokens", "tokens reused", "hit rate (tokens)",
                     "evicted KV blocks"], rows: rows))])]
    }
}

/// The request classes and their multi-turn sessions.
enum ClassSections {
    typealias F = NumberFormat

    static func classes(_ report: Report) -> [ReportSection] {
        guard !report.classes.isEmpty else { return [] }
        let rows = report.classes.map { k -> [ReportCell] in
            let q = k.requests
            return [ReportCell(k.name), ReportCell(k.tenant), ReportCell("\(q.arrived)"), ReportCell("\(q.completed)"),
                    ReportCell("\(q.rejected)"), ReportCell("\(q.timedOut)"), ReportCell("\(q.failed)"),
                    ReportCell(F.seconds(k.latency.ttft.p95)), ReportCell(F.seconds(k.latency.tpot.p95)),
                    ReportCell(F.seconds(k.latency.e2e.p95)), ReportCell(F.usd(k.cost))]
        }
        return [ReportSection(id: "classes", title: "Classes", blocks: [.table(ReportTable(
            header: ["class", "tenant", "arrived", "completed", "rejected", "timed out", "failed", "TTFT p95", "TPOT p95",
                     "E2E p95", "cost"], leftColumns: 2, rows: rows))])]
    }

    static func sessions(_ report: Report) -> [ReportSection] {
        let rows = report.classes.compactMap { k in k.sessions.map { (k.name, $0) } }
        guard !rows.isEmpty else { return [] }
        return [ReportSection(id: "sessions", title: "Sessions", blocks: [
            .table(ReportTable(header: ["class", "sessions started", "turns sent", "turns per session", "ended by context cap"],
                               rows: rows.map { name, s in
                [ReportCell(name), ReportCell("\(s.started)"), ReportCell("\(s.turns)"), ReportCell(F.fixed(s.meanTurns, 2)),
                 ReportCell("\(s.cappedByContext)")]
            })),
            .paragraph("Whole run, warm-up included."),
        ])]
    }
}

/// What each degradation ladder did: its steps, then its first transitions.
enum DegradationSections {
    typealias F = NumberFormat

    static func ladders(_ report: Report) -> [ReportSection] {
        report.degradation.enumerated().map { index, ladder in
            let rows = ladder.steps.map { s -> [ReportCell] in
                [ReportCell(s.name), ReportCell(s.action), ReportCell(F.number(s.threshold)), ReportCell("\(s.engagements)x"),
                 ReportCell(s.firstEngagedAt.map(F.seconds) ?? "never"), ReportCell(F.seconds(s.engagedSeconds)),
                 ReportCell("\(s.requestsAffected)")]
            }
            var blocks: [ReportBlock] = [.table(ReportTable(
                header: ["step", "action", "engages at", "engaged", "first engaged", "engaged time", "requests affected"],
                leftColumns: 2, rows: rows))]
            let shown = ladder.transitions.prefix(20)
            if !shown.isEmpty {
                var items = shown.map { t in
                    ReportText("\(F.seconds(t.time)): \(t.engaged ? "engaged" : "released") \(t.step) "
                        + "(signal \(F.number(t.signal)), level \(t.level))")
                }
                if ladder.transitions.count > shown.count {
                    items.append(ReportText("... \(ladder.transitions.count - shown.count) more in the JSON report"))
                }
                blocks.append(.list(items))
            }
            return ReportSection(id: "degradation.\(index)", title: "Degradation ladder: \(ladder.pool) (signal \(ladder.signal))",
                                 blocks: blocks)
        }
    }
}
