import CGSL

/// One independent pseudo-random stream (GSL's MT19937), owned by one purpose of the simulation.
///
/// Streams are seeded from `(scenario seed, stream name)` with a stable 64-bit FNV-1a hash, so a
/// component added to a scenario opens a stream of its own and never shifts another's numbers
/// (common random numbers across topologies). Not thread-safe: one stream, one owner.
public final class RandomStream {
    let rng: UnsafeMutablePointer<gsl_rng>
    public let name: String

    public init(seed: UInt64, name: String) {
        self.name = name
        rng = gsl_rng_alloc(cgsl_rng_mt19937())
        gsl_rng_set(rng, RandomStream.derivedSeed(seed: seed, name: name))
    }

    deinit { gsl_rng_free(rng) }

    /// Stable across processes and platforms (Swift's Hasher is seeded per process: never use it).
    public static func derivedSeed(seed: UInt64, name: String) -> UInt {
        let h = fnv1a64(withUnsafeBytes(of: seed.littleEndian, Array.init) + Array(name.utf8))
        // MT19937 takes an unsigned long; fold to 32 bits so every seed is distinct in its range.
        let folded = (h ^ (h >> 32)) & 0xffff_ffff
        return UInt(folded == 0 ? 4357 : folded)  // GSL treats 0 as its default seed 4357
    }

    /// Uniform on (0, 1), never 0 or 1.
    @inline(__always) public func uniformPositive() -> Double { gsl_rng_uniform_pos(rng) }
    /// True with probability `p`; draws nothing when p >= 1 (always true).
    @inline(__always) public func chance(_ p: Double) -> Bool { p >= 1 || gsl_rng_uniform_pos(rng) < p }
    /// Uniform integer in 0..<n (n >= 1).
    @inline(__always) public func uniformInt(_ n: Int) -> Int { Int(gsl_rng_uniform_int(rng, UInt(n))) }
    /// Exponential variate with the given mean.
    @inline(__always) public func exponential(mean: Double) -> Double { gsl_ran_exponential(rng, mean) }
    /// Gamma variate with shape k and scale theta (mean k * theta).
    @inline(__always) public func gamma(shape: Double, scale: Double) -> Double { gsl_ran_gamma(rng, shape, scale) }
    /// Lognormal variate: exp(N(mu, sigma^2)).
    @inline(__always) public func lognormal(mu: Double, sigma: Double) -> Double { gsl_ran_lognormal(rng, mu, sigma) }
    /// Weibull variate with scale and shape.
    @inline(__always) public func weibull(scale: Double, shape: Double) -> Double { gsl_ran_weibull(rng, scale, shape) }
    /// Uniform on [a, b).
    @inline(__always) public func flat(_ a: Double, _ b: Double) -> Double { gsl_ran_flat(rng, a, b) }
    /// Gaussian variate with mean 0 and standard deviation sigma.
    @inline(__always) public func gaussian(sigma: Double) -> Double { gsl_ran_gaussian(rng, sigma) }
}
