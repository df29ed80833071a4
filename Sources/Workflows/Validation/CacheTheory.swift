import Foundation

/// Hit ratios of caches under the independent reference model (each lookup asks for item k with
/// probability p_k, independently), the theory `content`-modelled response caches are tested
/// against.
public enum CacheTheory {
    /// A TTL cache (an entry stored at a miss is valid `ttl` seconds, hits do not extend it, no
    /// capacity limit) under Poisson lookups at `rate` per second. Item k's lookups form a Poisson
    /// process of rate r_k = rate x p_k; each miss opens a window of `ttl` seconds in which every
    /// lookup hits, so a renewal cycle has 1 miss and r_k x ttl hits on average:
    /// hit_k = r_k ttl / (1 + r_k ttl), exact in steady state (Jung, Berger and Balakrishnan,
    /// "Modeling TTL-based Internet caches", INFOCOM 2003). Returns sum_k p_k hit_k.
    public static func ttlHitRatio(popularity p: [Double], rate: Double, ttl: Double) -> Double {
        p.reduce(0) { sum, pk in
            let x = rate * pk * ttl
            return sum + pk * x / (1 + x)
        }
    }

    /// An LRU cache of `capacity` entries (no TTL), by Che's approximation (Che, Tung and Wang,
    /// IEEE JSAC 2002; Fricker, Robert and Roberts, ITC 2012 on its accuracy): the characteristic
    /// time t_C (in lookups) solves sum_k (1 - exp(-p_k t_C)) = capacity, and item k hits with
    /// probability 1 - exp(-p_k t_C). Returns sum_k p_k (1 - exp(-p_k t_C)); 1 when everything fits.
    public static func lruHitRatio(popularity p: [Double], capacity: Int) -> Double {
        guard capacity < p.count else { return 1 }
        func occupancy(_ t: Double) -> Double { p.reduce(0) { $0 - expm1(-$1 * t) } }
        // Occupancy grows from 0 to p.count with t: bracket the root, then bisect to 1e-12 relative.
        var lo = 0.0, hi = Double(capacity)
        while occupancy(hi) < Double(capacity) { lo = hi; hi *= 2 }
        for _ in 0..<200 where hi - lo > 1e-12 * hi {
            let mid = (lo + hi) / 2
            if occupancy(mid) < Double(capacity) { lo = mid } else { hi = mid }
        }
        let t = (lo + hi) / 2
        return p.reduce(0) { $0 - $1 * expm1(-$1 * t) }
    }
}
