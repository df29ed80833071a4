import Foundation
import ServingModel

/// What one run may cost, checked before it starts, so that a value that looks valid (an arrival
/// rate of 1e6 per second, a time-series interval of 1 us) is refused with exit 2 and the field
/// that drives the cost instead of running the machine out of memory. The limits are far above
/// any planning run (the 1M-request bench is 1% of the request limit).
public enum RunLimits {
    /// Requests one run may generate (open-loop expectation, closed-loop count), in all classes.
    static let maxRequests = 100_000_000.0
    /// Rows of the time series one run may record (duration / `timeSeriesInterval`).
    static let maxTimeSeriesRows = 1_000_000.0

    /// Expected requests of one class's arrivals over `duration` seconds (nil: a trace, whose
    /// rows bound it).
    static func expectedRequests(_ arrivals: ArrivalSpec, duration: Double) -> Double? {
        switch arrivals {
        case .poisson(let rate), .gamma(let rate, _): return rate * duration
        case .schedule(let steps):
            var total = 0.0
            for (i, step) in steps.enumerated() where step.start < duration {
                let end = i + 1 < steps.count ? min(steps[i + 1].start, duration) : duration
                total += step.rate * max(0, end - step.start)
            }
            return total
        case .closedLoop(let spec): return Double(spec.requests)
        case .trace: return nil
        }
    }

    /// The first limit a built scenario exceeds, in words (for scenarios made in code, like the
    /// planner's load-scaled ones); nil within the limits.
    public static func problem(_ scenario: Scenario) -> String? {
        let sink = DiagnosticSink(file: scenario.name)
        check(classes: scenario.classes, duration: scenario.duration, timeSeriesInterval: scenario.timeSeriesInterval, sink: sink)
        return sink.diagnostics.first?.description
    }

    /// Reports each limit the scenario exceeds, on the field that drives it.
    static func check(classes: [RequestClassSpec], duration: Double, timeSeriesInterval: Double, sink: DiagnosticSink) {
        let perClass = classes.map { expectedRequests($0.arrivals, duration: duration) ?? 0 }
        let total = perClass.reduce(0, +)
        if total > maxRequests, let largest = perClass.indices.max(by: { perClass[$0] < perClass[$1] }) {
            sink.report("workload.classes.\(largest).arrivals",
                        "about \(Int(total.rounded())) requests in \(DurationParser.text(duration)) is more than one run may simulate",
                        allowed: "at most \(Int(maxRequests)) requests per run: a lower rate or a shorter duration")
        }
        if timeSeriesInterval > 0, duration / timeSeriesInterval > maxTimeSeriesRows {
            sink.report("timeSeriesInterval",
                        "\(DurationParser.text(timeSeriesInterval)) over \(DurationParser.text(duration)) is \(Int((duration / timeSeriesInterval).rounded())) time-series rows",
                        allowed: "at most \(Int(maxTimeSeriesRows)) rows: an interval of at least \(String(format: "%g", duration / maxTimeSeriesRows))s")
        }
    }
}
