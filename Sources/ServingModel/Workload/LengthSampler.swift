import CGSL
import Foundation

/// Draws token counts (integers >= 1) from a `LengthDistribution`, using one `RandomStream` that
/// this sampler owns alone (one stream per class and purpose: `prompt/<class>`, `output/<class>`).
///
/// Continuous draws are rounded to the nearest integer and clamped to `1...maxTokens`.
public struct LengthSampler {
    /// Upper clamp in tokens; keeps a far lognormal tail from overflowing `Int`.
    public static let maxTokens = 1 << 30

    public let distribution: LengthDistribution
    public let stream: RandomStream

    public init(_ distribution: LengthDistribution, stream: RandomStream) {
        self.distribution = distribution
        self.stream = stream
    }

    /// One draw, in tokens.
    public func sample() -> Int {
        switch distribution {
        case .fixed(let value):
            return Self.clamp(value)
        case .uniform(let lo, let hi):
            // Draw even for lo == hi, so the stream advances the same way for every spec shape.
            return Self.clamp(lo + stream.uniformInt(max(hi - lo, 0) + 1))
        case .lognormal(let mu, let sigma):
            return Self.clamp(stream.lognormal(mu: mu, sigma: sigma))
        case .empirical(let values):
            precondition(!values.isEmpty, "empirical length distribution with no values")
            return Self.clamp(values[stream.uniformInt(values.count)])
        }
    }

    @inline(__always) static func clamp(_ value: Int) -> Int { min(max(value, 1), maxTokens) }

    @inline(__always) static func clamp(_ value: Double) -> Int {
        guard value.isFinite else { return value > 0 ? maxTokens : 1 }
        return clamp(Int(min(max(value.rounded(), 1), Double(maxTokens))))
    }
}

/// Why a lognormal cannot have the requested mean and 95th percentile.
public enum LognormalFitError: Error, Equatable, Sendable, CustomStringConvertible {
    /// mean or p95 is not a positive finite number.
    case notPositive
    /// A right-skewed lognormal (sigma > 0) always has its p95 above its mean.
    case p95NotAboveMean(mean: Double, p95: Double)
    /// p95 / mean of a lognormal is at most exp(z95^2 / 2) ~ 3.87 (reached at sigma = z95).
    case ratioTooLarge(ratio: Double, limit: Double)

    public var description: String {
        switch self {
        case .notPositive:
            return "mean and p95 must be positive numbers"
        case .p95NotAboveMean(let mean, let p95):
            return "p95 \(LognormalFit.text(p95)) must exceed mean \(LognormalFit.text(mean)) for a lognormal"
        case .ratioTooLarge(let ratio, let limit):
            return "p95/mean = \(LognormalFit.text(ratio)) is more than any lognormal has (at most \(LognormalFit.text(limit))); give mu and sigma, or an empirical distribution"
        }
    }

    /// What would do, for the "(allowed)" part of a message.
    public var allowed: String {
        switch self {
        case .notPositive: "mean > 0 and p95 > 0"
        case .p95NotAboveMean: "p95 > mean"
        case .ratioTooLarge(_, let limit): "p95 at most \(LognormalFit.text(limit)) x mean"
        }
    }
}

/// Lognormal parameters from a mean and a 95th percentile (both in tokens).
///
/// With p95 = exp(mu + z95 sigma) and mean = exp(mu + sigma^2 / 2), subtracting logs gives
/// sigma^2 / 2 - z95 sigma + ln(p95 / mean) = 0. Of its two roots the smaller one is taken (the
/// larger describes a distribution whose mean sits far in the tail); mu = ln(mean) - sigma^2 / 2.
/// A real root exists only when ln(p95 / mean) <= z95^2 / 2.
public enum LognormalFit {
    /// The standard normal 0.95 quantile (1.6448...), from GSL.
    public static var z95: Double { gsl_cdf_ugaussian_Pinv(0.95) }

    /// The largest p95 / mean ratio any lognormal has: exp(z95^2 / 2) ~ 3.868.
    public static var maxRatio: Double { exp(z95 * z95 / 2) }

    /// `(mu, sigma)` of the lognormal with this mean and 95th percentile.
    public static func parameters(mean: Double, p95: Double) throws(LognormalFitError) -> (mu: Double, sigma: Double) {
        guard mean.isFinite, p95.isFinite, mean > 0, p95 > 0 else { throw .notPositive }
        guard p95 > mean else { throw .p95NotAboveMean(mean: mean, p95: p95) }
        let z = z95
        let logRatio = log(p95 / mean)
        let discriminant = z * z - 2 * logRatio
        guard discriminant >= 0 else { throw .ratioTooLarge(ratio: p95 / mean, limit: maxRatio) }
        let sigma = z - discriminant.squareRoot()
        return (mu: log(mean) - sigma * sigma / 2, sigma: sigma)
    }

    static func text(_ d: Double) -> String {
        d == d.rounded() && abs(d) < 1e15 ? String(Int(d)) : String(format: "%.4g", d)
    }
}
