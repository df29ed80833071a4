import ServingModel
import SimulationEngine
import Foundation

/// The report as one self-contained HTML page (`servesim run --format html`): the same sections as
/// the Markdown report (`ReportSections`), drawn as HTML, with charts after the sections they
/// illustrate: empirical CDFs of TTFT and E2E and the arrivals, queue and replicas over time after
/// the latency table, the SLOs' burn rate over time after the SLO table, each degradation ladder's
/// engaged steps after its table. Inline CSS and SVG only: no scripts, fonts, images or links to
/// fetch. Series are told apart by dash pattern or hatching and named in text legends, so it reads
/// printed in grey. Deterministic: the same report and metrics give the same bytes (no wall-clock
/// time, no unordered collections).
public enum HTMLReport {
    /// Renders `report`; `metrics` (the run's collector, for the latency histograms) adds the
    /// latency CDFs, which the report alone cannot give.
    public static func render(_ report: Report, metrics: MetricsCollector? = nil) -> String {
        var doc = HTMLDocument(title: report.scenario)
        for section in ReportSections.build(report) {
            if section.level == 1 {
                doc.blocks(section.blocks)  // the page's title is the document's <h1>
                doc.paragraph("Statistics cover requests that arrived after warmup.", note: true)
                continue
            }
            doc.section(section)
            switch section.id {
            case "latency":
                distributions(report, metrics, &doc)
                overTime(report, &doc)
            case "slos":
                burnRate(report, &doc)
            case let id where id.hasPrefix("degradation."):
                if let k = Int(id.dropFirst("degradation.".count)), k < report.degradation.count {
                    ladderChart(report, report.degradation[k], &doc)
                }
            default:
                break
            }
        }
        doc.paragraph("Written by servesim from a deterministic simulation: the same scenario and seed give "
            + "the same page. Self-contained: nothing is loaded from elsewhere.", note: true)
        return doc.render()
    }

    typealias F = NumberFormat

    // MARK: - Latency CDFs

    static func distributions(_ report: Report, _ metrics: MetricsCollector?, _ doc: inout HTMLDocument) {
        doc.heading("Latency distributions", level: 3)
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
            doc.figure(svg: tailChart(short: short, sli: sli, sets: sets, path: path, report: report).svg(),
                       caption: "The tail the CDF squeezes into its top edge: the share of completed requests slower "
                           + "than each value, on a log axis, so p90, p99 and p99.9 are evenly spaced lines. A curve "
                           + "that crosses an SLO's threshold below its budget line (1 - objective) meets that SLO.")
        }
    }

    /// The complementary CDF (share slower than x) on log-log axes, with the p90/p99/p99.9 levels
    /// and each SLO's threshold and error budget (1 - objective) drawn.
    static func tailChart(short: String, sli: String, sets: [(String, LatencyHistograms)],
                          path: KeyPath<LatencyHistograms, LogHistogram>, report: Report) -> LineChart {
        let series = sets.map { name, h in
            ChartSeries(name, points: h[keyPath: path].cdfPoints().compactMap { p in
                let slower = 1 - p.fraction
                return slower > 1e-9 ? ChartPoint(x: p.seconds, y: slower) : nil
            })
        }
        var levels: [(Double, String)] = [(0.1, "p90"), (0.01, "p99"), (0.001, "p99.9")]
        for objective in uniqueSorted(report.slos.filter { $0.sli == sli }.map(\.objective)) {
            let budget = 1 - objective
            if let k = levels.firstIndex(where: { abs($0.0 / budget - 1) < 0.2 }) {
                levels[k].1 += " = budget of \(F.percent(objective, 1))"
            } else {
                levels.append((budget, "budget of \(F.percent(objective, 1))"))
            }
        }
        var references = levels.map { ReferenceLine(.horizontal, at: $0.0, label: $0.1) }
        for s in report.slos where s.sli == sli {
            references.append(ReferenceLine(.vertical, at: s.threshold, label: "SLO \(s.name): \(F.seconds(s.threshold))"))
        }
        return LineChart(title: "\(short): the tail", x: ChartAxis("\(short) (seconds, log scale)", scale: .log),
                         y: ChartAxis("share slower (log)", scale: .log, max: 1),
                         series: series, references: references, markerLimit: 0)
    }

    // MARK: - Time series

    /// Seconds per unit of the time axis and the unit's name, for a run of `seconds`.
    static func timeUnit(_ seconds: Double) -> (Double, String) {
        seconds <= 1200 ? (1, "s") : seconds <= 48 * 3600 ? (60, "min") : (3600, "h")
    }

    /// The time axis of a run's time series and the series builders over it (nil: no time series).
    struct Timeline {
        let rows: [TimeSeriesRow]
        let last: TimeSeriesRow
        let unit: Double
        let axis: ChartAxis
        /// The vertical line where warmup ends (none without warmup).
        let warmup: [ReferenceLine]
        /// The interval's length, for captions.
        let interval: String

        init?(_ report: Report) {
            guard let last = report.timeSeries.last else { return nil }
            rows = report.timeSeries
            self.last = last
            let (unit, unitName) = HTMLReport.timeUnit(last.end)
            self.unit = unit
            axis = ChartAxis("simulated time (\(unitName))", min: 0, max: last.end / unit)
            warmup = report.warmupSeconds > 0
                ? [ReferenceLine(.vertical, at: report.warmupSeconds / unit, label: "warmup ends")] : []
            interval = F.number(rows[0].end - rows[0].start)
        }

        /// Per-interval values hold over the interval: a point at each start, one at the last end.
        func perInterval(_ name: String, _ value: (TimeSeriesRow) -> Double) -> ChartSeries {
            var points = rows.map { ChartPoint(x: $0.start / unit, y: value($0)) }
            points.append(ChartPoint(x: last.end / unit, y: value(last)))
            return ChartSeries(name, points: points)
        }

        /// Samples are taken at interval ends.
        func sampled(_ name: String, _ value: (TimeSeriesRow) -> Double) -> ChartSeries {
            ChartSeries(name, points: rows.map { ChartPoint(x: $0.end / unit, y: value($0)) })
        }
    }

    static func overTime(_ report: Report, _ doc: inout HTMLDocument) {
        doc.heading("Load, queue and replicas over time", level: 3)
        guard let t = Timeline(report) else {
            doc.paragraph("The run has no time series.")
            return
        }
        let rows = t.rows, timeAxis = t.axis, warmup = t.warmup, interval = t.interval
        let perInterval = t.perInterval, sampled = t.sampled
        let last = t.last
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
        // The three a warm pool or an autoscaler is judged by, one above the other on one wide time
        // axis: the queue builds, p95 TTFT follows, replicas catch up (or not).
        doc.figure(svg: LineChart(title: "Queued requests", x: timeAxis,
                                  y: ChartAxis("requests waiting (count)", includesZero: true), series: queue,
                                  references: warmup, width: 960).svg(),
                   caption: "Requests waiting in each pool's queues, sampled at the end of each interval.")
        // An interval with no completions has no p95: no point (the line breaks), as its CSV cell is empty.
        let ttft = perInterval("p95 TTFT of requests completed in the interval") { $0.completed > 0 ? $0.ttftP95 : .nan }
        let thresholds = report.slos.filter { $0.sli == "ttft" }.map {
            ReferenceLine(.horizontal, at: $0.threshold, label: "SLO \($0.name): \(F.seconds($0.threshold))")
        }
        doc.figure(svg: LineChart(title: "p95 TTFT per interval", x: timeAxis, y: ChartAxis("p95 TTFT (seconds)", includesZero: true),
                                  series: [ttft], references: warmup + thresholds, interpolation: .stepAfter, width: 960).svg(),
                   caption: "p95 time to first token of the requests that completed in each \(interval) s interval (exact, "
                       + "nearest rank), with each TTFT SLO's threshold; read it against the queue above and the replicas below.")

        var replicas: [ChartSeries] = []
        for (p, name) in pools.enumerated() {
            replicas.append(sampled("pool \(name): ready") { p < $0.pools.count ? Double($0.pools[p].ready) : 0 })
            if rows.contains(where: { p < $0.pools.count && $0.pools[p].starting > 0 }) {
                replicas.append(sampled("pool \(name): starting") { p < $0.pools.count ? Double($0.pools[p].starting) : 0 })
            }
        }
        doc.figure(svg: LineChart(title: "Replicas", x: timeAxis, y: ChartAxis("replicas (count)", includesZero: true),
                                  series: replicas, references: warmup, width: 960).svg(),
                   caption: "Replicas ready to serve (and starting, when any cold start happened), sampled at the end "
                       + "of each interval.")
    }

    static func burnRate(_ report: Report, _ doc: inout HTMLDocument) {
        doc.heading("SLO burn rate over time", level: 3)
        guard let t = Timeline(report) else {
            doc.paragraph("The run has no time series.")
            return
        }
        let timeAxis = t.axis, warmup = t.warmup, interval = t.interval, perInterval = t.perInterval
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

    /// How many of a ladder's steps were engaged over time.
    static func ladderChart(_ report: Report, _ ladder: DegradationReport, _ doc: inout HTMLDocument) {
        guard !ladder.transitions.isEmpty else {
            doc.paragraph("No step engaged.")
            return
        }
        let end = max(report.simulatedSeconds, report.timeSeries.last?.end ?? 0)
        let (unit, unitName) = timeUnit(end)
        var points = [ChartPoint(x: 0, y: 0)]
        points += ladder.transitions.map { ChartPoint(x: $0.time / unit, y: Double($0.level)) }
        points.append(ChartPoint(x: end / unit, y: Double(ladder.transitions.last?.level ?? 0)))
        doc.figure(svg: LineChart(title: "Steps engaged: pool \(ladder.pool)",
                                  x: ChartAxis("simulated time (\(unitName))", min: 0, max: end / unit),
                                  y: ChartAxis("steps engaged (count)", min: 0, max: Double(max(1, ladder.steps.count))),
                                  series: [ChartSeries("steps engaged", points: points)],
                                  interpolation: .stepAfter, markerLimit: 0).svg(),
                   caption: "How many of the ladder's steps were engaged over time (0: none).")
    }

    static func uniqueSorted(_ values: [Double]) -> [Double] {
        var out: [Double] = []
        for v in values.sorted() where out.last != v { out.append(v) }
        return out
    }
}
