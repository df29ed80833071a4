import ServingModel
import CGSL

/// The mean of independent replications with a two-sided Student-t confidence interval.
///
/// `halfWidth` = t(1 - (1 - confidence) / 2, n - 1) x s / sqrt(n), with s the sample standard
/// deviation (GSL `gsl_stats_sd`, divisor n - 1) and the quantile from `gsl_cdf_tdist_Pinv`. With
/// one replication there is no spread to measure: `halfWidth` is 0 and `n` says so.
public struct Estimate: Codable, Sendable, Equatable {
    public var mean: Double
    /// Half the width of the confidence interval, in the metric's unit.
    public var halfWidth: Double
    /// Sample standard deviation (0 when n < 2).
    public var standardDeviation: Double
    public var n: Int
    /// Confidence level of the interval, e.g. 0.95.
    public var confidence: Double

    public var low: Double { mean - halfWidth }
    public var high: Double { mean + halfWidth }

    public init(mean: Double, halfWidth: Double, standardDeviation: Double, n: Int, confidence: Double) {
        self.mean = mean
        self.halfWidth = halfWidth
        self.standardDeviation = standardDeviation
        self.n = n
        self.confidence = confidence
    }

    /// The estimate of `values` (at least one value).
    public static func of(_ values: [Double], confidence: Double = 0.95) -> Estimate {
        precondition(!values.isEmpty, "an estimate needs at least one value")
        let n = values.count
        let mean = values.withUnsafeBufferPointer { gsl_stats_mean($0.baseAddress, 1, n) }
        guard n >= 2 else { return Estimate(mean: mean, halfWidth: 0, standardDeviation: 0, n: 1, confidence: confidence) }
        let sd = values.withUnsafeBufferPointer { gsl_stats_sd_m($0.baseAddress, 1, n, mean) }
        let t = gsl_cdf_tdist_Pinv(1 - (1 - confidence) / 2, Double(n - 1))
        return Estimate(mean: mean, halfWidth: finite(t * sd / Double(n).squareRoot()),
                        standardDeviation: finite(sd), n: n, confidence: confidence)
    }

    /// The difference `self.mean - other.mean` of two independent estimates, with Welch's 95%
    /// interval: standard error sqrt(s1^2/n1 + s2^2/n2), degrees of freedom by Welch-Satterthwaite,
    /// the t quantile from `gsl_cdf_tdist_Pinv`. `n` is the smaller count (an interval needs both
    /// at 2 or more; otherwise the half-width is 0 and `excludes` is false).
    public func welchDifference(from other: Estimate) -> Estimate {
        let diff = mean - other.mean
        let n = min(self.n, other.n)
        guard self.n >= 2, other.n >= 2 else { return Estimate(mean: diff, halfWidth: 0, standardDeviation: 0, n: 1, confidence: confidence) }
        let a = standardDeviation * standardDeviation / Double(self.n), b = other.standardDeviation * other.standardDeviation / Double(other.n)
        let se = (a + b).squareRoot()
        guard se > 0 else {
            // No spread on either side: any difference is real.
            return Estimate(mean: diff, halfWidth: 0, standardDeviation: 0, n: n, confidence: confidence)
        }
        let df = (a + b) * (a + b) / (a * a / Double(self.n - 1) + b * b / Double(other.n - 1))
        let t = gsl_cdf_tdist_Pinv(1 - (1 - confidence) / 2, df)
        return Estimate(mean: diff, halfWidth: finite(t * se), standardDeviation: finite(se), n: n, confidence: confidence)
    }

    /// Whether the interval excludes `value` (a difference estimate excluding 0 is significant).
    public func excludes(_ value: Double) -> Bool { n >= 2 && (value < low || value > high) }
}
