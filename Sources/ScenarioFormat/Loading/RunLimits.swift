import Foundation
import ServingModel

/// What one run may cost, estimated before it starts, so that a value that looks valid (an arrival
/// rate of 1e6 per second, a time-series interval of 1 us, 100,000 replicas) is refused with exit 2
/// and the field that drives the cost instead of running the machine out of memory or for hours.
///
/// The estimate, per run:
/// - requests: the open-loop expectation (rate x duration, schedules step by step), times the mean
///   session length for session classes; the closed-loop `requests`; a trace's rows;
/// - attempts: requests x the client's `retry.maxAttempts` (every attempt failing, the worst case);
/// - time-series rows: duration / `timeSeriesInterval`;
/// - routing work: requests x the replica slots of the pool that serves them (least-outstanding
///   and the affinity routers look at every replica; measured about 3 ns per replica looked at on
///   the 2-core reference machine, so the limit is about a minute of routing).
///
/// The standard limits are far above any planning run (the 1M-request bench is 1% of the request
/// limit); `--raise-limits FACTOR` multiplies every one of them, on purpose.
public struct RunLimits: Sendable, Equatable {
    /// How many times the standard limits this run may use (>= 1).
    public var factor: Double

    public init(factor: Double = 1) { self.factor = max(1, factor) }

    public static let standard = RunLimits()
    /// The largest `--raise-limits` factor (memory stays the planner's business beyond it).
    public static let maxFactor = 1_000.0

    /// Requests one run may generate, in all classes.
    public var maxRequests: Double { 100_000_000 * factor }
    /// Attempts (first tries and retries) one run may make at worst.
    public var maxAttempts: Double { 1_000_000_000 * factor }
    /// Rows of the time series one run may record.
    public var maxTimeSeriesRows: Double { 1_000_000 * factor }
    /// Requests x replica slots the routers may look at.
    public var maxRoutingWork: Double { 20_000_000_000 * factor }
    /// Rows one trace file may give (the request limit).
    public var maxTraceRows: Int { Int(min(maxRequests, Double(Int.max / 2))) }

    static let raiseHint = "or --raise-limits FACTOR to allow it on purpose"

    /// Expected requests of one class's arrivals over `duration` seconds (nil: a trace, whose
    /// rows bound it), sessions counted turn by turn.
    static func expectedRequests(_ spec: RequestClassSpec, duration: Double) -> Double? {
        var n: Double
        switch spec.arrivals {
        case .poisson(let rate), .gamma(let rate, _): n = rate * duration
        case .schedule(let steps):
            n = 0
            for (i, step) in steps.enumerated() where step.start < duration {
                let end = i + 1 < steps.count ? min(steps[i + 1].start, duration) : duration
                n += step.rate * max(0, end - step.start)
            }
        case .closedLoop(let spec): n = Double(spec.requests)
        case .trace: return nil
        }
        if let sessions = spec.sessions { n *= meanTurns(sessions.turns) }
        return n
    }

    static func meanTurns(_ turns: SessionSpec.Turns) -> Double {
        switch turns {
        case .geometric(let mean): return mean
        case .distribution(.fixed(let v)): return Double(max(1, v))
        case .distribution(.uniform(let lo, let hi)): return Double(max(1, lo) + max(1, hi)) / 2
        case .distribution(.lognormal(let mu, let sigma)): return max(1, exp(mu + sigma * sigma / 2))
        case .distribution(.empirical(let values)): return values.isEmpty ? 1 : Double(values.reduce(0) { $0 + max(1, $1) }) / Double(values.count)
        }
    }

    /// The first limit a built scenario exceeds, in words (for scenarios made in code, like the
    /// planner's load-scaled ones); nil within the limits.
    public func problem(_ scenario: Scenario) -> String? {
        let sink = DiagnosticSink(file: scenario.name)
        check(classes: scenario.classes, pools: scenario.pools, classPools: scenario.classPools, duration: scenario.duration,
              timeSeriesInterval: scenario.timeSeriesInterval, sink: sink)
        return sink.diagnostics.first?.description
    }

    /// Reports each limit the scenario exceeds, on the field that drives it.
    /// `traceRows[c]`: the rows of class c's trace once read (absent: not read yet, counted 0).
    func check(classes: [RequestClassSpec], pools: [PoolSpec], classPools: [Int], duration: Double,
               timeSeriesInterval: Double, traceRows: [Int] = [], sink: DiagnosticSink) {
        let perClass = classes.indices.map { c in
            Self.expectedRequests(classes[c], duration: duration) ?? Double(traceRows.indices.contains(c) ? traceRows[c] : 0)
        }
        let total = perClass.reduce(0, +)
        func largest(_ values: [Double]) -> Int { values.indices.max { values[$0] < values[$1] } ?? 0 }
        if total > maxRequests {
            sink.report("workload.classes.\(largest(perClass)).arrivals",
                        "about \(Int(total.rounded())) requests in \(DurationParser.text(duration)) is more than one run may simulate",
                        allowed: "at most \(Int(maxRequests)) requests per run: a lower rate or a shorter duration, \(Self.raiseHint)")
            return   // the other estimates grow with it: one line says it
        }
        let attempts = zip(classes, perClass).map { c, n in n * Double(c.client?.retry?.maxAttempts ?? 1) }
        if attempts.reduce(0, +) > maxAttempts {
            let c = largest(attempts)
            sink.report("workload.classes.\(c).client.retry.maxAttempts",
                        "up to \(Int(attempts.reduce(0, +).rounded())) attempts if every try fails is more than one run may simulate",
                        allowed: "at most \(Int(maxAttempts)) attempts per run: fewer attempts or fewer requests, \(Self.raiseHint)")
        }
        if timeSeriesInterval > 0, duration / timeSeriesInterval > maxTimeSeriesRows {
            sink.report("timeSeriesInterval",
                        "\(DurationParser.text(timeSeriesInterval)) over \(DurationParser.text(duration)) is \(Int((duration / timeSeriesInterval).rounded())) time-series rows",
                        allowed: "at most \(Int(maxTimeSeriesRows)) rows: an interval of at least \(String(format: "%g", duration / maxTimeSeriesRows))s, \(Self.raiseHint)")
        }
        var routing = Array(repeating: 0.0, count: pools.count)
        for (c, n) in perClass.enumerated() where classPools.indices.contains(c) && pools.indices.contains(classPools[c]) {
            routing[classPools[c]] += n * Double(pools[classPools[c]].replicaSlots)
        }
        if routing.reduce(0, +) > maxRoutingWork {
            let p = largest(routing)
            sink.report("pools.\(p).replicas",
                        "\(pools[p].replicaSlots) replica slots for about \(Int(perClass.reduce(0, +).rounded())) requests is more routing work than one run may do",
                        allowed: "requests x replica slots at most \(String(format: "%g", maxRoutingWork)): fewer replicas or fewer requests, \(Self.raiseHint)")
        }
    }
}
