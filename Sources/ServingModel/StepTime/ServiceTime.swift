import CGSL

/// A plain service-time distribution (seconds per request), for textbook queues.
///
/// Sampled by inverse transform from a per-request uniform quantile drawn from the request's
/// class stream, so the same request gets the same service quantile in every topology (common
/// random numbers); the quantile functions are GSL's `gsl_cdf_*_Pinv`.
public enum ServiceTimeDistribution: Sendable, Equatable {
    case deterministic(mean: Double)
    case exponential(mean: Double)
    /// Lognormal with the given mean and coefficient of variation.
    case lognormal(mean: Double, cv: Double)
    /// Gamma with the given mean and coefficient of variation (shape 1/cv^2).
    case gamma(mean: Double, cv: Double)

    public var mean: Double {
        switch self {
        case .deterministic(let m), .exponential(let m), .lognormal(let m, _), .gamma(let m, _): m
        }
    }

    /// Squared coefficient of variation (variance / mean^2), used by Pollaczek-Khinchine checks.
    public var squaredCV: Double {
        switch self {
        case .deterministic: 0
        case .exponential: 1
        case .lognormal(_, let cv), .gamma(_, let cv): cv * cv
        }
    }

    /// The service time at quantile `u` in (0, 1).
    public func quantile(_ u: Double) -> Double {
        switch self {
        case .deterministic(let m):
            return m
        case .exponential(let m):
            return gsl_cdf_exponential_Pinv(u, m)
        case .lognormal(let m, let cv):
            let sigma2 = log1p(cv * cv)
            return gsl_cdf_lognormal_Pinv(u, log(m) - sigma2 / 2, sigma2.squareRoot())
        case .gamma(let m, let cv):
            let shape = 1 / (cv * cv)
            return gsl_cdf_gamma_Pinv(u, shape, m / shape)
        }
    }
}

import Foundation
