import ServingModel
import SimulationEngine

/// The traffic topology: the gateway in front of the pools, prefill/decode pairs, regions,
/// tenants, routers and releases.
enum TrafficSections {
    typealias F = NumberFormat

    static func gateway(_ report: Report) -> [ReportSection] {
        guard let g = report.gateway else { return [] }
        var blocks: [ReportBlock] = []
        if !g.caches.isEmpty {
            blocks.append(.table(ReportTable(
                header: ["cache", "kind", "hit ratio (configured)", "lookups", "hits", "misses", "hit ratio (measured)"],
                leftColumns: 2, rows: g.caches.map { c in
                    [ReportCell(c.name), ReportCell(c.kind), ReportCell(c.hitRatio.map { F.percent($0, 1) } ?? "simulated"),
                     ReportCell("\(c.lookups)"), ReportCell("\(c.hits)"), ReportCell("\(c.misses)"),
                     ReportCell(F.percent(c.measuredHitRatio, 1))]
                })))
            for c in g.caches {
                guard let m = c.content else { continue }
                blocks.append(.paragraph(ReportText("Cache \(c.name) simulates \(m.distinct) distinct prompts (Zipf \(F.number(m.skew))), "
                    + "capacity \(m.capacity.map(String.init) ?? "unbounded"), TTL \(m.ttl.map(F.seconds) ?? "none"): "
                    + "\(m.evictions) evictions, \(m.expirations) expired lookups, \(m.entriesAtEnd) entries at the end.")))
            }
        }
        if let h = g.hosted {
            let o = h.overflowedBy
            blocks.append(.paragraph(ReportText("Hosted endpoint \(h.name) (share \(F.percent(h.share, 1)), overflow \(h.overflow ? "on" : "off")): "
                + "\(h.requests) requests completed, \(h.shared) sent by share, \(h.overflowed) overflowed "
                + "(queue full \(o.queueFull), in-flight budget \(o.inFlightBudget), circuit open \(o.circuitOpen), "
                + "too long \(o.tooLong)); \(h.promptTokens) prompt + \(h.outputTokens) output tokens, \(F.usd(h.cost)).")))
        }
        return [ReportSection(id: "gateway", title: "Gateway", blocks: blocks)]
    }

    static func disaggregation(_ report: Report) -> [ReportSection] {
        guard let pairs = report.disaggregation else { return [] }
        let rows = pairs.map { p -> [ReportCell] in
            [ReportCell(p.prefill), ReportCell(p.decode),
             ReportCell("\(F.number(p.bandwidth / 1e9)) GB/s + \(F.fixed(p.latency * 1e6, 0)) us"), ReportCell("\(p.lanes)"),
             ReportCell("\(p.transfers)\(p.lost > 0 ? " (\(p.lost) lost)" : "")"), ReportCell(F.fixed(p.bytes / 1e9, 1)),
             ReportCell(F.seconds(p.transferSeconds.mean)), ReportCell(F.seconds(p.transferSeconds.p95)),
             ReportCell(F.seconds(p.transferSeconds.p99)), ReportCell(F.seconds(p.meanLinkWait)),
             ReportCell(F.percent(p.linkUtilization, 1))]
        }
        return [ReportSection(id: "disaggregation", title: "Disaggregation (prefill -> decode)", blocks: [
            .table(ReportTable(header: ["prefill", "decode", "link (per lane)", "lanes", "transfers", "GB moved", "transfer mean",
                                        "p95", "p99", "mean link wait", "link utilization"], leftColumns: 2, rows: rows)),
            .paragraph("TTFT is measured at the prefill pool; a transfer's time (link queue + bytes / bandwidth + latency) "
                + "adds to E2E and TPOT."),
        ])]
    }

    static func regions(_ report: Report) -> [ReportSection] {
        guard let regions = report.regions else { return [] }
        let served = regions.map { r -> [ReportCell] in
            let s = r.served
            return [ReportCell(r.name), ReportCell(r.pools.joined(separator: ", ")), ReportCell("\(s.completed)"),
                    ReportCell("\(s.rejected)"), ReportCell("\(s.timedOut)"), ReportCell("\(s.failed)"),
                    ReportCell(F.seconds(r.latency.ttft.p95)), ReportCell(F.seconds(r.latency.e2e.p95)),
                    ReportCell("\(r.failoversIn)"), ReportCell("\(r.failoversOut)"), ReportCell(F.usd(r.cost))]
        }
        let clients = regions.map { r -> [ReportCell] in
            let q = r.clients.requests, l = r.clients.latency
            return [ReportCell(r.name), ReportCell("\(q.completed)"), ReportCell("\(q.rejected + q.timedOut + q.failed)"),
                    ReportCell(F.seconds(l.ttft.p50)), ReportCell(F.seconds(l.ttft.p95)), ReportCell(F.seconds(l.e2e.p95))]
        }
        return [ReportSection(id: "regions", title: "Regions", blocks: [
            .table(ReportTable(header: ["region", "pools", "completed", "rejected", "timed out", "failed", "TTFT p95", "E2E p95",
                                        "failovers in", "failovers out", "cost"], leftColumns: 2, rows: served)),
            .table(ReportTable(header: ["clients in", "completed", "not completed", "TTFT p50", "TTFT p95", "E2E p95"],
                               rows: clients)),
            .paragraph("Served: by the region the final attempt was sent to; latencies include the client's round trip. "
                + "Failovers: attempts the geo router sent away from their nearest region because it was unavailable."),
        ])]
    }

    static func tenants(_ report: Report) -> [ReportSection] {
        guard report.tenants.count > 1 else { return [] }  // one tenant: the overall tables say it all
        let rows = report.tenants.map { t -> [ReportCell] in
            let q = t.requests
            return [ReportCell(t.tenant), ReportCell(t.classes.joined(separator: ", ")), ReportCell("\(q.arrived)"),
                    ReportCell("\(q.completed)"), ReportCell("\(q.rejected + q.timedOut + q.failed)"),
                    ReportCell(F.seconds(t.latency.ttft.p95)), ReportCell(F.seconds(t.latency.e2e.p95)), ReportCell(F.usd(t.cost)),
                    ReportCell(F.usd(t.costPerRequest))]
        }
        return [ReportSection(id: "tenants", title: "Tenants", blocks: [.table(ReportTable(
            header: ["tenant", "classes", "arrived", "completed", "not completed", "TTFT p95", "E2E p95", "cost", "per request"],
            leftColumns: 2, rows: rows))])]
    }

    static func routers(_ report: Report) -> [ReportSection] {
        (report.routers ?? []).map { r in
            let rule = r.fallback.map { f in f.threshold.map { "fallback at queue depth \($0)" } ?? "fallback when a tier would reject" }
                ?? "no fallback"
            let rows = r.tiers.map { t -> [ReportCell] in
                [ReportCell(t.pool), ReportCell(F.number(t.weight)), ReportCell(F.percent(t.share, 1)), ReportCell("\(t.drawn)"),
                 ReportCell("\(t.sent)"), ReportCell("\(t.fallbacksOut)"), ReportCell("\(t.fallbacksIn)")]
            }
            return ReportSection(id: "router.\(r.name)", title: "Router: \(r.name) (\(r.classes.joined(separator: ", ")); \(rule))", blocks: [
                .table(ReportTable(header: ["tier", "weight", "share", "drawn", "sent", "fell back out", "fell back in"], rows: rows)),
                .paragraph(ReportText("\(r.attempts) attempts, \(r.fallbacks) fell back, \(r.fallbacksBlocked) found every tier saturated.")),
            ])
        }
    }

    static func releases(_ report: Report) -> [ReportSection] {
        (report.releases ?? []).map { r in
            let share = r.strategy == "canary" ? " \(F.percent(r.fraction, 1))" : ""
            var after = ""
            if let at = r.rolledBackAt, let why = r.reason {
                let seconds = why.metric == "ttftP95"
                let observed = seconds ? F.seconds(why.observed) : F.percent(why.observed)
                let limit = seconds ? F.seconds(why.threshold) : F.percent(why.threshold)
                let crossed = why.metric == "schemaAdherence" ? "<" : ">"
                after += " at \(F.seconds(at)): \(why.metric) \(observed) \(crossed) \(limit) over \(why.attempts) attempts"
            }
            if let at = r.promotedAt { after += " at \(F.seconds(at))" }
            if let deferred = r.promotionsDeferred, deferred > 0, let first = r.firstDeferredAt {
                after += "; the error-budget policy held its promotion back \(deferred == 1 ? "once" : "\(deferred) times") from \(F.seconds(first))"
            }
            let analyses = r.analyses == 1 ? "1 analysis" : "\(r.analyses) analyses"
            after += ". \(analyses); \(r.candidateAttempts) attempts sent to the candidate, "
                + "\(r.candidateEnded) ended there, \(r.candidateFailures) not completed (\(r.injectedErrors) injected errors)."
            var blocks: [ReportBlock] = [.paragraph(ReportText("Outcome: ", strong: r.outcome, after))]
            if !r.budget.isEmpty {
                blocks.append(.table(ReportTable(
                    header: ["SLO", "candidate requests", "bad", "stable bad fraction", "attributable bad", "error budget (requests)",
                             "budget used"], rows: r.budget.map { b in
                        [ReportCell(b.slo), ReportCell("\(b.candidateRequests)"), ReportCell("\(b.candidateBad)"),
                         ReportCell(F.percent(ratio(Double(b.stableBad), Double(b.stableRequests)), 3)),
                         ReportCell(F.number(b.attributableBad)), ReportCell(F.number(b.errorBudget)), ReportCell(F.percent(b.consumed, 1))]
                    })))
            }
            return ReportSection(id: "release.\(r.name)",
                                 title: "Release: \(r.name) (\(r.strategy)\(share), \(r.stable) -> \(r.candidate) from \(F.seconds(r.start)))",
                                 blocks: blocks)
        }
    }
}
