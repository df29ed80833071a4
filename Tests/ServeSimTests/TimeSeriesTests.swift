import Foundation
import Testing
import ServeSim

/// A request of class `cls` ending at `end` (seconds) with this outcome and TTFT.
private func request(_ cls: Int, _ outcome: Outcome, end: Double, ttft: Double = 0, arrival: Double? = nil) -> RequestRecord {
    let start = arrival ?? end - 1
    return RequestRecord(classIndex: cls, outcome: outcome, arrival: start, end: end, queueWait: 0,
                         ttft: outcome == .completed ? ttft : 0, tpot: 0, e2e: outcome == .completed ? end - start : 0,
                         promptTokens: 10, outputTokens: outcome == .completed ? 1 : 0)
}

private let timeSeriesSLOs = [
    SLOSpec(name: "ttft-1s", sli: .ttft, threshold: 1.0, objective: 0.9, window: 86400),
    SLOSpec(name: "avail-chat", sli: .availability, threshold: 0, objective: 0.99, window: 86400, classes: ["chat"]),
]

private func pools(_ ready: Int, utilization: Double) -> [PoolSample] {
    [PoolSample(pool: "h100", ready: ready, starting: 1, warm: 2, draining: 0, failed: 0, queued: 3, running: 4,
                utilization: utilization),
     PoolSample(pool: "l4", ready: 1, utilization: 0.25)]
}

/// Three 10 s intervals of synthetic events, then a partial one [30, 35).
private func syntheticSeries() -> [TimeSeriesRow] {
    let c = TimeSeriesCollector(interval: 10, slos: timeSeriesSLOs, classNames: ["chat", "batch"], warmup: 0)
    // [0, 10): 3 arrivals, 1 retry; chat ok (0.5 s), batch slow (2 s), chat rejected.
    for t in [1.0, 2, 3] { c.arrival(at: t) }
    c.retry(at: 4)
    c.record(request(0, .completed, end: 5, ttft: 0.5))
    c.record(request(1, .completed, end: 6, ttft: 2.0))
    c.record(request(0, .rejected, end: 7))
    c.sample(at: 10, pools: pools(2, utilization: 0.5))
    // [10, 20): 3 arrivals; 20 chat completions with TTFT 0.1 ... 2.0 s, one late record stamped
    // in the closed interval (counted here), a batch timeout and a chat failure.
    for t in [11.0, 12, 13] { c.arrival(at: t) }
    for i in 1...20 { c.record(request(0, .completed, end: 15, ttft: Double(i) / 10)) }
    c.record(request(0, .completed, end: 8, ttft: 0.05))
    c.record(request(1, .timedOut, end: 16))
    c.record(request(0, .failed, end: 17))
    c.sample(at: 20, pools: pools(3, utilization: 0.75))
    // [20, 30): nothing.
    c.sample(at: 30, pools: pools(3, utilization: 0))
    // [30, 35): one arrival.
    c.arrival(at: 31)
    c.finish(at: 35, pools: pools(1, utilization: 0.1))
    return c.rows
}

@Suite struct TimeSeriesTests {
    @Test func countsPerIntervalAreExact() {
        let rows = syntheticSeries()
        #expect(rows.count == 4)
        #expect(rows.map(\.start) == [0, 10, 20, 30])
        #expect(rows.map(\.end) == [10, 20, 30, 35])
        #expect(rows.map(\.arrivals) == [3, 3, 0, 1])
        #expect(rows.map(\.retries) == [1, 0, 0, 0])
        #expect(rows.map(\.completed) == [2, 21, 0, 0])
        #expect(rows.map(\.rejected) == [1, 0, 0, 0])
        #expect(rows.map(\.timedOut) == [0, 1, 0, 0])
        #expect(rows.map(\.failed) == [0, 1, 0, 0])
        #expect(rows.map { $0.pools.map(\.pool) } == Array(repeating: ["h100", "l4"], count: 4))
        #expect(rows.map { $0.pools[0].ready } == [2, 3, 3, 1])
        #expect(rows[3].pools[0].utilization == 0.1)
    }

    @Test func p95TTFTIsExactNearestRank() {
        let rows = syntheticSeries()
        // [0.5, 2.0]: rank ceil(1.9) = 2. [0.05, 0.1, ..., 2.0]: rank ceil(19.95) = 20 -> 1.9.
        #expect(rows.map(\.ttftP95) == [2.0, 1.9, 0, 0])
    }

    @Test func burnRatesPerSLOPerInterval() {
        let rows = syntheticSeries()
        #expect(rows.allSatisfy { $0.slos.map(\.name) == ["ttft-1s", "avail-chat"] })
        // ttft-1s covers all: [0,10) 2 bad of 3; [10,20) 10 slow + timeout + failure = 12 bad of 23.
        #expect(rows.map { $0.slos[0].total } == [3, 23, 0, 0])
        #expect(abs(rows[0].slos[0].burnRate - (2.0 / 3) / 0.1) < 1e-12)
        #expect(abs(rows[1].slos[0].burnRate - (12.0 / 23) / 0.1) < 1e-12)
        // avail-chat covers chat only: [0,10) 1 rejected of 2; [10,20) 1 failed of 22.
        #expect(rows.map { $0.slos[1].total } == [2, 22, 0, 0])
        #expect(abs(rows[0].slos[1].burnRate - 0.5 / 0.01) < 1e-9)
        #expect(abs(rows[1].slos[1].burnRate - (1.0 / 22) / 0.01) < 1e-9)
        #expect(rows[2].slos.allSatisfy { $0.burnRate == 0 } && rows[3].slos.allSatisfy { $0.burnRate == 0 })
    }

    @Test func skippedBoundariesWarmupAndFinishEdges() {
        let c = TimeSeriesCollector(interval: 0.1, slos: timeSeriesSLOs, classNames: ["chat"], warmup: 0.1)
        c.record(request(0, .completed, end: 0.05, ttft: 0.01, arrival: 0.0))   // before warmup: ignored
        c.arrival(at: 0.05)
        c.sample(at: 0.30000000000000004, pools: [])  // 3 x 0.1 in floating point: closes 3 intervals
        #expect(c.rows.count == 3)
        #expect(c.rows.map(\.arrivals) == [1, 0, 0])
        #expect(c.rows.map(\.completed) == [0, 0, 0])
        c.record(request(0, .completed, end: 0.35, ttft: 0.2, arrival: 0.3))
        c.finish(at: 0.3 + 0.1, pools: [])  // lands on a boundary: no zero-length row
        #expect(c.rows.count == 4)
        #expect(c.rows[3].completed == 1 && c.rows[3].ttftP95 == 0.2)
        c.arrival(at: 1)
        c.finish(at: 2, pools: [])
        #expect(c.rows.count == 4)
    }

    @Test func csvHasHeaderAndOneLinePerInterval() {
        let rows = syntheticSeries()
        let csv = TimeSeriesCSV.render(rows)
        let lines = csv.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == rows.count + 2)  // header, rows, trailing newline
        #expect(lines.last == "")
        var header = "start,end,arrivals,completed,rejected,timedOut,failed,retries,ttft.p95,slo.ttft-1s.burnRate,slo.avail-chat.burnRate"
        for p in ["h100", "l4"] {
            header += ["ready", "starting", "warm", "draining", "failed", "queued", "running", "utilization"]
                .map { ",pool.\(p).\($0)" }.joined()
        }
        #expect(lines[0] == Substring(header))
        #expect(lines[1].hasPrefix("0.000000,10.000000,3,2,1,0,0,1,2.000000,6.666667,50.000000,2,1,2,0,0,3,4,0.500000,1,0,"))
        let cells = lines.dropFirst().dropLast().map { $0.split(separator: ",", omittingEmptySubsequences: false) }
        #expect(cells.allSatisfy { $0.count == 27 })
        // An interval in which nothing completed has no p95: an empty cell (pandas reads NaN), not 0.
        for (row, fields) in zip(rows, cells) { #expect((fields[8] == "") == (row.completed == 0), "\(fields)") }
        #expect(rows.contains { $0.completed == 0 })
        #expect(csv == TimeSeriesCSV.render(rows))
        #expect(TimeSeriesCSV.render([]) == "start,end,arrivals,completed,rejected,timedOut,failed,retries,ttft.p95\n")
    }

    @Test func reportCarriesTimeSeriesCountsAndCostSplit() throws {
        let m = MetricsCollector(classes: [MetricsClass(name: "chat", tenant: "acme")], slos: timeSeriesSLOs, warmup: 0)
        m.record(request(0, .completed, end: 5, ttft: 0.5))
        let fixed = PoolUsage(name: "h100", hardware: "H100-SXM-80GB", replicas: 2, gpusPerReplica: 1,
                              provisionedGpuSeconds: 7200, busyGpuSeconds: 1000, pricePerGpuHour: 3)
        let scaled = PoolUsage(name: "l4", hardware: "L4", replicas: 1, gpusPerReplica: 1,
                               provisionedGpuSeconds: 7200, busyGpuSeconds: 3000, pricePerGpuHour: 0.8,
                               servingGpuSeconds: 3000, idleGpuSeconds: 2400, coldStartGpuSeconds: 600,
                               warmPoolGpuSeconds: 1200, warmPoolCostFraction: 0.25)
        let counts = EventCounts(coldStarts: 3, scaleUps: 2, retries: 1)
        let series = syntheticSeries()
        let r = makeReport(scenario: "s", description: "", seed: 1, collector: m, pools: [fixed, scaled],
                           arrived: 1, inFlightAtEnd: 0, events: 10, end: 3600, counts: counts, timeSeries: series)
        #expect(r.timeSeries == series && r.counts == counts)

        // No split given: serving = busy, idle = the rest; cost as before.
        #expect(r.pools[0].cost == 6)
        #expect(abs(r.pools[0].split.serving - 1000 * 3 / 3600.0) < 1e-12)
        #expect(r.pools[0].split.coldStart == 0 && r.pools[0].split.warmPool == 0)
        // Split given: each part at the price, warm pool at a quarter of it.
        let s = r.pools[1].split
        #expect(abs(s.serving - 3000 * 0.8 / 3600) < 1e-12 && abs(s.idle - 2400 * 0.8 / 3600) < 1e-12)
        #expect(abs(s.coldStart - 600 * 0.8 / 3600) < 1e-12 && abs(s.warmPool - 1200 * 0.8 / 3600 * 0.25) < 1e-12)
        for p in r.pools { #expect(abs(p.cost - p.split.total) < 1e-12) }
        #expect(abs(r.cost.total - r.cost.split.total) < 1e-12)
        #expect(abs(r.cost.total - (6 + 6000 * 0.8 / 3600 + 1200 * 0.8 / 3600 * 0.25)) < 1e-12)
        #expect(r.cost.gpuHours == 4)

        let root = try JSONSerialization.jsonObject(with: try ReportRenderer.json(r))
        for path in ["timeSeries.0.start", "timeSeries.3.end", "timeSeries.1.ttftP95", "timeSeries.0.slos.1.burnRate",
                     "timeSeries.0.pools.1.utilization", "counts.coldStarts", "counts.spotPreemptions",
                     "cost.split.serving", "cost.split.warmPool", "pools.1.split.coldStart",
                     "cost.total", "cost.perRequest", "cost.perMillionOutputTokens", "cost.gpuHours"] {
            #expect(value(root, path) != nil, "missing \(path)")
        }
        #expect((value(root, "counts.scaleUps") as? NSNumber)?.intValue == 2)

        #expect(ReportRenderer.formats.contains("series"))
        #expect(ReportRenderer.render(r, format: "series") == Data(TimeSeriesCSV.render(series).utf8))
        let md = ReportRenderer.markdown(r)
        #expect(md.contains("Events: 3 cold starts, 2 scale-ups, 1 retries."))
        #expect(md.contains("Split: serving "))
    }

    @Test func defaultReportSplitSumsToTotalAndHasNoEvents() {
        let r = sampleReport()
        #expect(r.timeSeries.isEmpty && r.counts == EventCounts())
        #expect(r.cost.split.serving == 3 && r.cost.split.idle == 3)
        #expect(r.cost.split.total == r.cost.total)
        #expect(!ReportRenderer.markdown(r).contains("Events:"))
    }
}
