import CGSL

/// Summary statistics of a sample (seconds), with quantiles interpolated between order
/// statistics by GSL (`gsl_stats_quantile_from_sorted_data`, the same rule as numpy's default).
public struct SampleSummary: Codable, Sendable, Equatable {
    public var count: Int
    public var mean: Double
    public var p50: Double
    public var p90: Double
    public var p95: Double
    public var p99: Double

    public init(_ values: [Double]) {
        let sorted = values.sorted()
        count = sorted.count
        guard !sorted.isEmpty else { mean = 0; p50 = 0; p90 = 0; p95 = 0; p99 = 0; return }
        let n = sorted.count
        func q(_ f: Double) -> Double {
            sorted.withUnsafeBufferPointer { gsl_stats_quantile_from_sorted_data($0.baseAddress, 1, n, f) }
        }
        mean = sorted.withUnsafeBufferPointer { gsl_stats_mean($0.baseAddress, 1, n) }
        p50 = q(0.5); p90 = q(0.9); p95 = q(0.95); p99 = q(0.99)
    }

    /// The statistics by name, in report order.
    public var named: [(String, Double)] { [("mean", mean), ("p50", p50), ("p90", p90), ("p95", p95), ("p99", p99)] }
}

/// One metric (TTFT, TPOT, E2E, queue wait) measured and simulated, with relative errors.
public struct MetricComparison: Codable, Sendable, Equatable {
    public var metric: String
    public var measured: SampleSummary
    public var simulated: SampleSummary

    public init(metric: String, measured: [Double], simulated: [Double]) {
        self.metric = metric
        self.measured = SampleSummary(measured)
        self.simulated = SampleSummary(simulated)
    }

    /// (simulated - measured) / measured for a statistic ("mean", "p50", ... "p99"); 0 when both are 0.
    public func relativeError(_ statistic: String) -> Double {
        let m = measured.named.first { $0.0 == statistic }!.1
        let s = simulated.named.first { $0.0 == statistic }!.1
        return m == 0 ? (s == 0 ? 0 : .infinity) : (s - m) / m
    }
}

extension [MetricComparison] {
    /// A plain-text table: metric, statistic, measured, simulated, error.
    public func table(title: String) -> String {
        var lines = [title, "metric      stat      measured     simulated     error"]
        for c in self {
            for (name, measured) in c.measured.named {
                let simulated = c.simulated.named.first { $0.0 == name }!.1
                let error = c.relativeError(name)
                lines.append(String(format: "%-10@  %-5@  %10.4f s  %10.4f s  %+7.1f%%", c.metric as NSString, name as NSString,
                                    measured, simulated, error * 100))
            }
        }
        return lines.joined(separator: "\n")
    }
}

import Foundation
