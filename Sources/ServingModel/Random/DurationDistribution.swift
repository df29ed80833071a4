import Foundation
import CGSL

/// A random duration in seconds (cold-start phases, repair times, times to failure).
///
/// Sampled with GSL's variate generators from a caller-owned `RandomStream` (one stream per
/// purpose, see `RandomStream`), one draw per sample except `fixed`, which draws nothing. In a
/// scenario file a plain duration (`"30s"` or `30`) means `fixed`; an object names the
/// distribution (see `DurationDistribution.parse`).
public enum DurationDistribution: Sendable, Equatable {
    /// Always `value` seconds.
    case fixed(Double)
    /// Uniform on [min, max) seconds.
    case uniform(min: Double, max: Double)
    /// Exponential with this mean in seconds (memoryless: the textbook time to failure).
    case exponential(mean: Double)
    /// exp(N(mu, sigma^2)) seconds; `mu` is the mean of the log of the duration in seconds.
    case lognormal(mu: Double, sigma: Double)
    /// Weibull with `scale` seconds and dimensionless `shape` (shape < 1: infant mortality,
    /// shape = 1: exponential, shape > 1: wear-out).
    case weibull(scale: Double, shape: Double)

    /// The lognormal with this mean and 95th percentile (seconds), by `LognormalFit`.
    public static func lognormal(mean: Double, p95: Double) throws(LognormalFitError) -> DurationDistribution {
        let (mu, sigma) = try LognormalFit.parameters(mean: mean, p95: p95)
        return .lognormal(mu: mu, sigma: sigma)
    }

    /// Mean in seconds.
    public var mean: Double {
        switch self {
        case .fixed(let v): v
        case .uniform(let lo, let hi): (lo + hi) / 2
        case .exponential(let m): m
        case .lognormal(let mu, let sigma): exp(mu + sigma * sigma / 2)
        case .weibull(let scale, let shape): scale * gsl_sf_gamma(1 + 1 / shape)
        }
    }

    /// One sample in seconds (never negative for valid parameters).
    public func sample(_ rng: RandomStream) -> Double {
        switch self {
        case .fixed(let v): v
        case .uniform(let lo, let hi): lo == hi ? lo : rng.flat(lo, hi)
        case .exponential(let m): rng.exponential(mean: m)
        case .lognormal(let mu, let sigma): rng.lognormal(mu: mu, sigma: sigma)
        case .weibull(let scale, let shape): rng.weibull(scale: scale, shape: shape)
        }
    }
}
