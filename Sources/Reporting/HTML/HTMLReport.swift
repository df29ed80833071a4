import ServingModel
import SimulationEngine
import Foundation

/// The report as one self-contained HTML page (`servesim run --format html`): summary tables
/// (requests, latency percentiles, SLOs with compliance, burn rate and budget, cost, pools,
/// classes), empirical CDFs of TTFT and E2E, arrivals, queue and replicas over time, SLO burn rate
/// over time, the degradation ladders' steps, and the topology sections the Markdown report has
/// (gateway, disaggregation, regions, speculation, prefix caches, tenants, routers, releases). Inline CSS and SVG only: no scripts, fonts,
/// images or links to fetch. Series are told apart by dash pattern or hatching and named in text
/// legends, so it reads printed in grey. Deterministic: the same report and metrics give the same
/// bytes (no wall-clock time, no unordered collections).
public enum HTMLReport {
    /// Renders `report`; `metrics` (the run's collector, for the latency histograms) adds the
    /// latency CDFs, which the report alone cannot give.
    public static func render(_ report: Report, metrics: MetricsCollector? = nil) -> String {
        var doc = HTMLDocument(title: report.scenario)
        if !report.description.isEmpty { doc.paragraph(report.description) }
        doc.paragraph("Seed \(report.seed); simulated \(F.fixed(report.simulatedSeconds, 1)) s, measured "
            + "\(F.fixed(report.measuredSeconds, 1)) s after \(F.fixed(report.warmupSeconds, 1)) s warmup; "
            + "\(report.events) events. Statistics cover requests that arrived after warmup.", note: true)
        summary(report, &doc)
        distributions(report, metrics, &doc)
        overTime(report, &doc)
        degradation(report, &doc)
        topology(report, &doc)
        doc.paragraph("Written by servesim from a deterministic simulation: the same scenario and seed give "
            + "the same page. Self-contained: nothing is loaded from elsewhere.", note: true)
        return doc.render()
    }

    typealias F = NumberFormat

    // MARK: - Tables

    static func summary(_ report: Report, _ doc: inout HTMLDocument) {
        doc.heading("Summary")
        let r = report.requests
        doc.table(HTMLTable(caption: "Requests", header: [
            "arrived", "completed", "rejected", "timed out", "failed", "in flight at end", "warmup excluded",
            "completed req/s", "output tokens/s",
        ], rows: [[
            HTMLCell(String(r.arrived)), HTMLCell(String(r.completed)), HTMLCell(String(r.rejected)),
            HTMLCell(String(r.timedOut)), HTMLCell(String(r.failed)), HTMLCell(String(r.inFlightAtEnd)),
            HTMLCell(String(r.warmupExcluded)), HTMLCell(F.fixed(report.throughput.requestsPerSecond, 3)),
            HTMLCell(F.fixed(report.throughput.outputTokensPerSecond, 1)),
        ]], alignments: Array(repeating: .right, count: 9)))
        if let events = report.counts.sentence { doc.paragraph(events) }

        let l = report.latency
        doc.table(HTMLTable(caption: "Latency of completed requests",
                            header: ["metric", "count", "mean", "p50", "p90", "p95", "p99", "max"],
                            rows: [("TTFT (time to first token)", l.ttft), ("TPOT (time per output token)", l.tpot),
                                   ("E2E (end to end)", l.e2e), ("Queue wait", l.queueWait)].map { name, s in
            [HTMLCell(name), HTMLCell(String(s.count))] + [s.mean, s.p50, s.p90, s.p95, s.p99, s.max].map { HTMLCell(F.seconds($0)) }
        }))

        if !report.slos.isEmpty {
            doc.table(HTMLTable(caption: "SLOs", header: [
                "SLO", "SLI", "threshold", "objective", "compliance", "burn rate", "budget used (measured span)",
                "budget used (projected over window)", "met", "policy",
            ], rows: report.slos.map { s in
                [HTMLCell(s.name), HTMLCell(s.sli), HTMLCell(s.sli == "availability" ? "-" : F.seconds(s.threshold)),
                 HTMLCell(F.percent(s.objective, 3)), HTMLCell(F.percent(s.compliance, 3)),
                 HTMLCell(F.fixed(s.burnRate, 2)), HTMLCell(F.percent(s.errorBudgetConsumed)),
                 HTMLCell(F.percent(s.errorBudgetConsumedProjected)),
                 s.met ? HTMLCell("yes") : HTMLCell("NO", mark: .warning), HTMLCell(s.policy.rawValue)]
            }, alignments: [.left, .left, .right, .right, .right, .right, .right, .right, .left, .left]))
            let fired = report.slos.flatMap { s in
                s.alerts.filter(\.fired).map { "\(s.name): \($0.name) alert first fired at \(F.fixed($0.firstFiredAt ?? 0, 0)) s" }
            }
            doc.paragraph("Burn rate = error ratio / (1 - objective): 1 spends the error budget exactly over the SLO "
                + "window. Projected budget = share of the window's budget used if this behaviour held for the whole "
                + "window. Policy: freeze above 25%, rollback above 50%. Alerts fired: "
                + (fired.isEmpty ? "none." : fired.joined(separator: "; ") + "."), note: true)
        }

        let c = report.cost
        doc.table(HTMLTable(caption: "Cost (USD, measured span)",
                            header: ["total", "per request", "per 1M output tokens", "GPU-hours"],
                            rows: [[HTMLCell(F.usd(c.total)), HTMLCell(F.usd(c.perRequest)),
                                    HTMLCell(F.usd(c.perMillionOutputTokens)), HTMLCell(F.fixed(c.gpuHours, 3))]],
                            alignments: Array(repeating: .right, count: 4)))
        doc.paragraph("Split: serving \(F.usd(c.split.serving)), idle \(F.usd(c.split.idle)), cold start "
            + "\(F.usd(c.split.coldStart)), warm pool \(F.usd(c.split.warmPool)).", note: true)

        if !report.pools.isEmpty {
            doc.table(HTMLTable(caption: "Pools", header: [
                "pool", "hardware", "replicas", "GPUs", "price per GPU-hour", "GPU-hours", "utilization", "cost",
            ], rows: report.pools.map { p in
                [HTMLCell(p.name), HTMLCell(p.hardware), HTMLCell(String(p.replicas)), HTMLCell(String(p.gpus)),
                 HTMLCell(F.usd(p.pricePerGpuHour)), HTMLCell(F.fixed(p.gpuHours, 3)),
                 HTMLCell(F.percent(p.utilization, 1)), HTMLCell(F.usd(p.cost))]
            }, alignments: [.left, .left]))
        }

        if !report.classes.isEmpty {
            doc.table(HTMLTable(caption: "Request classes", header: [
                "class", "tenant", "arrived", "completed", "rejected", "timed out", "failed", "TTFT p95", "TPOT p95",
                "E2E p95", "cost",
            ], rows: report.classes.map { k in
                let q = k.requests
                return [HTMLCell(k.name), HTMLCell(k.tenant), HTMLCell(String(q.arrived)), HTMLCell(String(q.completed)),
                        HTMLCell(String(q.rejected)), HTMLCell(String(q.timedOut)), HTMLCell(String(q.failed)),
                        HTMLCell(F.seconds(k.latency.ttft.p95)), HTMLCell(F.seconds(k.latency.tpot.p95)),
                        HTMLCell(F.seconds(k.latency.e2e.p95)), HTMLCell(F.usd(k.cost))]
            }, alignments: [.left, .left]))
        }
    }

    // MARK: - Latency CDFs

    static func distributions(_ report: Report, _ metrics: MetricsCollector?, _ doc: inout HTMLDocument) {
        doc.heading("Latency distributions")
        guard let metrics, metrics.overall.completed > 0 else {
            doc.paragraph(metrics == nil ? "Latency histograms were not given: no distributions."
                : "No request completed after warmup: no latency distribution.")
            return
        }
        let overall = metrics.overall
        // One curve for all requests, plus one per class when there are several.
        var sets: [(String, LatencyHistograms)] = [("all requests", overall.latency)]
        if metrics.classes.count > 1 {
            for (k, c) in zip(metrics.classes, metrics.perClass) where c.completed > 0 {
                sets.append(("class \(k.name)", c.latency))
            }
        }
        let charts: [(String, String, String, KeyPath<LatencyHistograms, LogHistogram>)] = [
            ("ttft", "TTFT", "time to first token", \.ttft), ("e2e", "E2E", "end-to-end latency", \.e2e),
        ]
        for (sli, short, long, path) in charts {
            let series = sets.map { name, h in
                ChartSeries(name, points: h[keyPath: path].cdfPoints().map { ChartPoint(x: $0.seconds, y: $0.fraction) })
            }
            var references: [ReferenceLine] = []
            for s in report.slos where s.sli == sli {
                references.append(ReferenceLine(.vertical, at: s.threshold, label: "SLO \(s.name): \(F.seconds(s.threshold))"))
            }
            for objective in uniqueSorted(report.slos.filter { $0.sli == sli }.map(\.objective)) {
                references.append(ReferenceLine(.horizontal, at: objective, label: "objective \(F.percent(objective, 1))"))
            }
            let chart = LineChart(
                title: "\(short): cumulative distribution", x: ChartAxis("\(short), \(long) (seconds, log scale)", scale: .log),
                y: ChartAxis("fraction of completed requests", min: 0, max: 1), series: series, references: references,
                markerLimit: 0)
            doc.figure(svg: chart.svg(), caption: "Share of completed requests (after warmup) with \(short) at or "
                + "below each value, from the run's latency histograms (1% buckets). A curve that crosses an SLO's "
                + "threshold line above its objective line meets that SLO on completed requests.")
        }
    }

    // MARK: - Time series

    /// Seconds per unit of the time axis and the unit's name, for a run of `seconds`.
    static func timeUnit(_ seconds: Double) -> (Double, String) {
        seconds <= 1200 ? (1, "s") : seconds <= 48 * 3600 ? (60, "min") : (3600, "h")
    }

    static func overTime(_ report: Report, _ doc: inout HTMLDocument) {
        doc.heading("Load, queue and replicas over time")
        let rows = report.timeSeries
        guard let last = rows.last else {
            doc.paragraph("The run has no time series.")
            doc.heading("SLO burn rate over time")
            doc.paragraph("The run has no time series.")
            return
        }
        let (unit, unitName) = timeUnit(last.end)
        let timeAxis = ChartAxis("simulated time (\(unitName))", min: 0, max: last.end / unit)
        var warmup: [ReferenceLine] = []
        if report.warmupSeconds > 0 {
            warmup.append(ReferenceLine(.vertical, at: report.warmupSeconds / unit, label: "warmup ends"))
        }
        let interval = F.number(rows[0].end - rows[0].start)
        // Per-interval values hold over the interval: a point at each start, one at the last end.
        func perInterval(_ name: String, _ value: (TimeSeriesRow) -> Double) -> ChartSeries {
            var points = rows.map { ChartPoint(x: $0.start / unit, y: value($0)) }
            points.append(ChartPoint(x: last.end / unit, y: value(last)))
            return ChartSeries(name, points: points)
        }
        // Samples are taken at interval ends.
        func sampled(_ name: String, _ value: (TimeSeriesRow) -> Double) -> ChartSeries {
            ChartSeries(name, points: rows.map { ChartPoint(x: $0.end / unit, y: value($0)) })
        }
        func rate(_ count: Int, _ row: TimeSeriesRow) -> Double {
            row.end > row.start ? Double(count) / (row.end - row.start) : 0
        }
        var load = [perInterval("arrivals (retries included)") { rate($0.arrivals, $0) },
                    perInterval("completed") { rate($0.completed, $0) }]
        if rows.contains(where: { $0.rejected + $0.timedOut + $0.failed > 0 }) {
            load.append(perInterval("rejected, timed out or failed") { rate($0.rejected + $0.timedOut + $0.failed, $0) })
        }
        doc.figure(svg: LineChart(title: "Arrivals and completions", x: timeAxis,
                                  y: ChartAxis("requests per second", includesZero: true), series: load,
                                  references: warmup, interpolation: .stepAfter).svg(),
                   caption: "Requests per second in each \(interval) s interval: arrivals (warmup included), and "
                       + "requests that ended, by outcome (those that arrived after warmup).")

        let pools = last.pools.map(\.pool)
        let queue = pools.enumerated().map { p, name in
            sampled("pool \(name)") { p < $0.pools.count ? Double($0.pools[p].queued) : 0 }
        }
        doc.figure(svg: LineChart(title: "Queued requests", x: timeAxis,
                                  y: ChartAxis("requests waiting (count)", includesZero: true), series: queue,
                                  references: warmup).svg(),
                   caption: "Requests waiting in each pool's queues, sampled at the end of each interval.")

        var replicas: [ChartSeries] = []
        for (p, name) in pools.enumerated() {
            replicas.append(sampled("pool \(name): ready") { p < $0.pools.count ? Double($0.pools[p].ready) : 0 })
            if rows.contains(where: { p < $0.pools.count && $0.pools[p].starting > 0 }) {
                replicas.append(sampled("pool \(name): starting") { p < $0.pools.count ? Double($0.pools[p].starting) : 0 })
            }
        }
        doc.figure(svg: LineChart(title: "Replicas", x: timeAxis, y: ChartAxis("replicas (count)", includesZero: true),
                                  series: replicas, references: warmup).svg(),
                   caption: "Replicas ready to serve (and starting, when any cold start happened), sampled at the end "
                       + "of each interval.")

        doc.heading("SLO burn rate over time")
        guard !report.slos.isEmpty else {
            doc.paragraph("The scenario has no SLOs.")
            return
        }
        let burn = report.slos.enumerated().map { i, slo in
            perInterval("SLO \(slo.name)") { i < $0.slos.count ? $0.slos[i].burnRate : 0 }
        }
        doc.figure(svg: LineChart(title: "Error-budget burn rate per interval", x: timeAxis,
                                  y: ChartAxis("burn rate (x budget rate)", includesZero: true), series: burn,
                                  references: warmup + [ReferenceLine(.horizontal, at: 1, label: "burn rate 1")],
                                  interpolation: .stepAfter).svg(),
                   caption: "Burn rate of each SLO over each \(interval) s interval: (bad / total) / (1 - objective); "
                       + "0 in intervals where the SLO counted no request. Above 1 the budget runs out before the "
                       + "window ends.")
    }

    // MARK: - Degradation

    static func degradation(_ report: Report, _ doc: inout HTMLDocument) {
        guard !report.degradation.isEmpty else { return }
        doc.heading("Degradation ladders")
        let end = max(report.simulatedSeconds, report.timeSeries.last?.end ?? 0)
        let (unit, unitName) = timeUnit(end)
        for ladder in report.degradation {
            doc.heading("Pool \(ladder.pool), signal \(ladder.signal)", level: 3)
            doc.table(HTMLTable(header: [
                "step", "action", "engages at", "engagements", "first engaged", "engaged time", "requests affected",
            ], rows: ladder.steps.map { s in
                [HTMLCell(s.name), HTMLCell(s.action), HTMLCell(F.number(s.threshold)), HTMLCell(String(s.engagements)),
                 HTMLCell(s.firstEngagedAt.map(F.seconds) ?? "never"), HTMLCell(F.seconds(s.engagedSeconds)),
                 HTMLCell(String(s.requestsAffected))]
            }, alignments: [.left, .left]))
            guard !ladder.transitions.isEmpty else {
                doc.paragraph("No step engaged.")
                continue
            }
            var points = [ChartPoint(x: 0, y: 0)]
            points += ladder.transitions.map { ChartPoint(x: $0.time / unit, y: Double($0.level)) }
            points.append(ChartPoint(x: end / unit, y: Double(ladder.transitions.last?.level ?? 0)))
            doc.figure(svg: LineChart(title: "Steps engaged: pool \(ladder.pool)",
                                      x: ChartAxis("simulated time (\(unitName))", min: 0, max: end / unit),
                                      y: ChartAxis("steps engaged (count)", min: 0, max: Double(max(1, ladder.steps.count))),
                                      series: [ChartSeries("steps engaged", points: points)],
                                      interpolation: .stepAfter, markerLimit: 0).svg(),
                       caption: "How many of the ladder's steps were engaged over time (0: none).")
            let shown = ladder.transitions.prefix(20)
            doc.list(shown.map { t in
                "\(F.seconds(t.time)): \(t.engaged ? "engaged" : "released") \(t.step) (signal \(F.number(t.signal)), level \(t.level))"
            } + (ladder.transitions.count > shown.count
                ? ["... \(ladder.transitions.count - shown.count) more in the JSON report"] : []))
        }
    }

    static func uniqueSorted(_ values: [Double]) -> [Double] {
        var out: [Double] = []
        for v in values.sorted() where out.last != v { out.append(v) }
        return out
    }
}
