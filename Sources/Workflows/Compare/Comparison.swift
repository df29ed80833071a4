import ServingModel
import Reporting
/// Several scenarios side by side on common random numbers: per metric, each scenario's estimate
/// over its replications, which scenario is best, and whether each other scenario's difference
/// from the best is statistically significant.
///
/// Replication r of every scenario uses the same seed, so differences are paired: for scenario i
/// the difference d_r = x_i,r - x_best,r is estimated with a Student-t interval, and it is
/// significant when that interval excludes 0. Identical scenarios give identical values and a
/// difference of exactly 0.
public struct Comparison: Codable, Sendable, Equatable {
    /// Scenario (or variant) names, in column order.
    public var scenarios: [String]
    /// Seed of replication 0 (replication r uses seed + r).
    public var seed: UInt64
    public var replications: Int
    public var rows: [Row]
    /// The SLO thresholds of the compared scenarios (name, SLI, seconds; first seen first, each
    /// name and threshold once), drawn on the comparison's charts.
    public var thresholds: [ComparisonThreshold] = []
    /// The simulator that made the comparison (`servesim --version`).
    public var servesimVersion: String? = ServeSimVersion.current

    public struct Row: Codable, Sendable, Equatable {
        public var key: String
        public var label: String
        public var unit: String
        public var lowerIsBetter: Bool
        /// One estimate per scenario, in column order.
        public var values: [Estimate]
        /// Columns holding the best mean (several on a tie); empty when every column ties.
        public var best: [Int]
        /// Per column: whether its difference from the first best column is significant at the
        /// estimates' confidence; nil for best columns and when there is one replication.
        public var significant: [Bool?]
    }

    /// Builds the comparison of `runs[i]` (the replications of scenario `names[i]`, all with the
    /// same count and seeds) over `metrics`.
    public static func make(names: [String], seed: UInt64, runs: [[Report]], metrics: [ReportMetric]) -> Comparison {
        let n = runs.first?.count ?? 0
        let rows = metrics.map { m -> Row in
            let samples = runs.map { $0.map(m.value) }
            let values = samples.map { Estimate.of($0) }
            let means = values.map(\.mean)
            let bestMean = m.lowerIsBetter ? means.min()! : means.max()!
            var best = means.indices.filter { means[$0] == bestMean }
            if best.count == means.count { best = [] }
            let significant: [Bool?] = samples.indices.map { i in
                guard n >= 2, let b = best.first, !best.contains(i) else { return nil }
                let differences = zip(samples[i], samples[b]).map { $0 - $1 }
                return Estimate.of(differences).excludes(0)
            }
            return Row(key: m.key, label: m.label, unit: m.unit.rawValue, lowerIsBetter: m.lowerIsBetter,
                       values: values, best: best, significant: significant)
        }
        var comparison = Comparison(scenarios: names, seed: seed, replications: n, rows: rows)
        for slo in runs.compactMap(\.first).flatMap(\.slos) where slo.sli != "availability" {
            let t = ComparisonThreshold(name: slo.name, sli: slo.sli, seconds: slo.threshold)
            if !comparison.thresholds.contains(t) { comparison.thresholds.append(t) }
        }
        return comparison
    }
}

/// An SLO's latency threshold in a comparison: name, SLI (`ttft`, `e2e`, ...) and seconds.
public struct ComparisonThreshold: Codable, Sendable, Equatable {
    public var name: String
    public var sli: String
    public var seconds: Double

    public init(name: String, sli: String, seconds: Double) {
        self.name = name
        self.sli = sli
        self.seconds = seconds
    }
}
