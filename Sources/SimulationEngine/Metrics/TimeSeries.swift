import ServingModel
/// State of one pool at a sampling instant, given by the simulation (counts of replicas and of
/// requests at that instant; utilization over the interval that just closed).
public struct PoolSample: Codable, Sendable, Equatable {
    public var pool: String
    /// Replicas serving (ready), starting (cold start under way), kept warm (stopped, restartable
    /// fast), draining (finishing their work before removal) and failed (down).
    public var ready: Int
    public var starting: Int
    public var warm: Int
    public var draining: Int
    public var failed: Int
    /// Requests waiting in the pool's queues, and requests running on its replicas.
    public var queued: Int
    public var running: Int
    /// busy share of ready replicas over the interval, 0...1
    public var utilization: Double

    public init(pool: String, ready: Int = 0, starting: Int = 0, warm: Int = 0, draining: Int = 0, failed: Int = 0,
                queued: Int = 0, running: Int = 0, utilization: Double = 0) {
        self.pool = pool
        self.ready = ready
        self.starting = starting
        self.warm = warm
        self.draining = draining
        self.failed = failed
        self.queued = queued
        self.running = running
        self.utilization = utilization
    }
}

/// One SLO in one interval.
public struct SLOBurn: Codable, Sendable, Equatable {
    /// The SLO's name.
    public var name: String
    /// (bad / total) / (1 - objective) over the interval; 0 when `total` is 0.
    public var burnRate: Double
    /// Requests the SLO counted in the interval (good + bad).
    public var total: Int

    public init(name: String, burnRate: Double, total: Int) {
        self.name = name
        self.burnRate = burnRate
        self.total = total
    }
}

/// One interval `[start, end)` of a run's time series (seconds of simulated time from 0).
public struct TimeSeriesRow: Codable, Sendable, Equatable {
    public var start: Double
    public var end: Double
    /// Arrivals and retries in the interval (any arrival time, warmup included).
    public var arrivals: Int
    /// Requests that ended in the interval, by outcome (requests that arrived before warmup are
    /// left out, as in every report statistic).
    public var completed: Int
    public var rejected: Int
    public var timedOut: Int
    public var failed: Int
    public var retries: Int
    /// p95 TTFT of requests completed in the interval (0 if none), nearest-rank, exact; seconds.
    public var ttftP95: Double
    /// In SLO order.
    public var slos: [SLOBurn]
    /// In pool order, as given to `sample` / `finish`.
    public var pools: [PoolSample]

    public init(start: Double, end: Double, arrivals: Int, completed: Int, rejected: Int, timedOut: Int, failed: Int,
                retries: Int, ttftP95: Double, slos: [SLOBurn], pools: [PoolSample]) {
        self.start = start
        self.end = end
        self.arrivals = arrivals
        self.completed = completed
        self.rejected = rejected
        self.timedOut = timedOut
        self.failed = failed
        self.retries = retries
        self.ttftP95 = ttftP95
        self.slos = slos
        self.pools = pools
    }
}

/// Builds a run's time series, one row per interval `[k * interval, (k + 1) * interval)` from
/// time 0 (warmup included: rows carry `start` and `end` so readers can skip warmup).
///
/// Protocol: the simulation reports events (`arrival`, `retry`, `record`) as they happen and
/// calls `sample(at:pools:)` at each interval boundary, in time order before any later event;
/// `finish(at:pools:)` closes the last, partial interval. Every event counts in the open interval
/// (an event stamped in an already closed interval is counted in the open one). Memory: the rows,
/// plus the TTFTs of the open interval only; at most `maxRows` rows: once `maxRows - 1` are
/// closed, the last row spans the rest of the run (a drain far longer than the run). Deterministic: output arrays are in SLO and pool
/// order. SLI rules are `SLOTally`'s. Not thread-safe: one collector per simulation.
public final class TimeSeriesCollector {
    /// Interval width, seconds (> 0).
    public let interval: Double
    /// Seconds; `record` ignores requests that arrived earlier (like `MetricsCollector`).
    public let warmup: Double
    public private(set) var rows: [TimeSeriesRow] = []
    /// Most rows kept (>= 1).
    public let maxRows: Int
    /// Whether only the last, open-ended row is left to close (sampling more adds nothing).
    public var isFull: Bool { rows.count >= maxRows - 1 }

    private let tallies: [SLOTally]
    /// Per SLO: whether only completed requests count (`SLOTally.counts`, read without copying a tally).
    private let completedOnly: [Bool]
    /// For each SLO, whether it covers each class (by index).
    private let covers: [[Bool]]
    /// Index of the open interval.
    private var k = 0
    private var finished = false
    // The open interval's counts.
    private var arrivals = 0, retries = 0
    private var outcomes = [0, 0, 0, 0]
    private var ttfts: [Double] = []
    private var sloTotal: [Int]
    private var sloBad: [Int]

    /// - Parameters:
    ///   - interval: seconds, > 0.
    ///   - slos: SLOs, in report order; a class name not in `classNames` matches nothing.
    ///   - classNames: request class names, indexed by `RequestRecord.classIndex`.
    ///   - warmup: seconds, >= 0.
    ///   - maxRows: most rows kept (see the type's doc).
    public init(interval: Double, slos: [SLOSpec], classNames: [String], warmup: Double, maxRows: Int = .max) {
        precondition(interval > 0 && interval.isFinite, "interval must be > 0")
        self.interval = interval
        self.maxRows = Swift.max(1, maxRows)
        self.warmup = Swift.max(0, warmup)
        self.tallies = slos.map(SLOTally.init(spec:))
        self.completedOnly = slos.map(\.sli.isQuality)
        self.covers = slos.map { slo in classNames.map(slo.covers) }
        self.sloTotal = Array(repeating: 0, count: slos.count)
        self.sloBad = Array(repeating: 0, count: slos.count)
    }

    /// Counts one arrival (at `time`, seconds) in the open interval.
    public func arrival(at time: Double) { if !finished { arrivals += 1 } }

    /// Counts one retry (at `time`, seconds) in the open interval.
    public func retry(at time: Double) { if !finished { retries += 1 } }

    /// Counts one ended request (at `r.end`) in the open interval: its outcome, its TTFT when
    /// completed, and good/bad for each SLO covering its class. Ignored when it arrived before
    /// warmup.
    public func record(_ r: RequestRecord) {
        if finished || r.arrival < warmup { return }
        outcomes[r.outcome.rawValue] += 1
        if r.outcome == .completed { ttfts.append(r.ttft) }
        for i in tallies.indices {
            let covered = r.classIndex >= 0 && r.classIndex < covers[i].count
                ? covers[i][r.classIndex] : tallies[i].spec.classes.isEmpty
            guard covered, !completedOnly[i] || r.outcome == .completed else { continue }
            sloTotal[i] += 1
            if !tallies[i].isGood(r) { sloBad[i] += 1 }
        }
    }

    /// Closes every interval ending at or before `time` (seconds, normally `k * interval`) with
    /// these pool samples. Boundaries the simulation skipped get empty rows with the same samples.
    public func sample(at time: Double, pools: [PoolSample]) {
        if finished { return }
        let boundary = boundaries(upTo: time)
        while k < boundary && !isFull { close(end: Double(k + 1) * interval, pools: pools) }
    }

    /// Closes the remaining full intervals and the last partial one `[k * interval, end)`; a
    /// zero-length last interval is kept only when it counted something. Later calls do nothing.
    public func finish(at end: Double, pools: [PoolSample]) {
        if finished { return }
        let full = boundaries(upTo: end)
        while k < full && !isFull { close(end: Double(k + 1) * interval, pools: pools) }
        let start = Double(k) * interval
        let counted = arrivals + retries + outcomes.reduce(0, +) > 0
        if end > start || counted { close(end: Swift.max(end, start), pools: pools) }
        finished = true
    }

    /// Number of boundaries `j * interval` (j >= 1) at or before `time`, with a relative slack of
    /// 1e-9 so that `3 * interval` computed in floating point counts as the third boundary.
    private func boundaries(upTo time: Double) -> Int {
        let x = time / interval
        guard x.isFinite, x > 0 else { return 0 }
        return Int((x + x * 1e-9).rounded(.down))
    }

    private func close(end: Double, pools: [PoolSample]) {
        let slos = tallies.indices.map { i in
            SLOBurn(name: tallies[i].spec.name,
                    burnRate: ErrorBudget.intervalBurnRate(bad: sloBad[i], total: sloTotal[i],
                                                           objective: tallies[i].spec.objective),
                    total: sloTotal[i])
        }
        rows.append(TimeSeriesRow(
            start: Double(k) * interval, end: end, arrivals: arrivals,
            completed: outcomes[Outcome.completed.rawValue], rejected: outcomes[Outcome.rejected.rawValue],
            timedOut: outcomes[Outcome.timedOut.rawValue], failed: outcomes[Outcome.failed.rawValue],
            retries: retries, ttftP95: Self.exactPercentile(&ttfts, 0.95), slos: slos, pools: pools))
        k += 1
        arrivals = 0
        retries = 0
        for i in outcomes.indices { outcomes[i] = 0 }
        for i in sloTotal.indices { sloTotal[i] = 0; sloBad[i] = 0 }
        ttfts.removeAll(keepingCapacity: true)
    }

    /// Exact nearest-rank percentile (`LogHistogram.nearestRank`); sorts `values`; 0 when empty.
    static func exactPercentile(_ values: inout [Double], _ p: Double) -> Double {
        guard !values.isEmpty else { return 0 }
        values.sort()
        return finite(values[LogHistogram.nearestRank(p, count: values.count) - 1])
    }
}
