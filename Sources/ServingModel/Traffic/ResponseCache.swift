import Foundation

/// A response cache in front of the model (the gateway's first stop).
///
/// A request of a covered class that reaches the gateway looks it up; with probability `hitRatio`
/// (drawn from the cache's own stream `cache/<name>`) it hits and completes `hitLatency` after it
/// was sent, without touching any pool (TTFT = E2E = the hit latency; output tokens as requested;
/// no GPU time). A miss costs no extra time (fold a material lookup cost into the pool's
/// `requestOverhead`) and goes on to the next cache, then the hosted share, then its pool.
///
/// The hit ratio comes one of two ways:
/// - `hitRatio`: the steady-state hit ratio measured on the real traffic (e.g. from gateway logs);
///   each lookup hits with that probability. No TTL, capacity or warm-up mechanic: model a cold
///   cache with a lower ratio.
/// - `content`: what is cached is simulated (`CacheContentModel`): each lookup asks for one of
///   `distinct` prompts drawn from a Zipf popularity, and hits when that prompt's response is in
///   the cache (`ResponseCacheStore`: LRU up to `capacity` entries, each valid `ttl` after it was
///   stored). The hit ratio, the cold start and the effect of a capacity or TTL then emerge.
/// A semantic cache's hits return a similar, not identical, answer; its quality is out of scope
/// (with `content`, `distinct` counts distinct intents rather than distinct strings).
public struct ResponseCacheSpec: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable {
        /// Keyed by the exact prompt (and parameters): a hash lookup.
        case exact
        /// Keyed by prompt embedding similarity: an embedding plus a vector search per lookup.
        case semantic
    }

    /// Unique among the caches; names its random stream and its report entry.
    public var name: String
    public var kind: Kind
    /// Probability that a lookup hits, in [0, 1]; nil when `content` decides.
    public var hitRatio: Double?
    /// The simulated content (nil: `hitRatio` decides). Exactly one of the two is set.
    public var content: CacheContentModel?
    /// Time from the client's send to the full response on a hit.
    public var hitLatency: DurationDistribution
    /// Classes it serves; empty = all.
    public var classes: [String]

    public init(name: String, kind: Kind, hitRatio: Double? = nil, hitLatency: DurationDistribution, classes: [String] = [],
                content: CacheContentModel? = nil) {
        self.name = name
        self.kind = kind
        self.hitRatio = hitRatio
        self.content = content
        self.hitLatency = hitLatency
        self.classes = classes
    }
}

/// What a content-modelled cache holds: responses to `distinct` prompts whose popularity follows
/// Zipf's law (prompt k, 0-based, is asked with probability proportional to 1 / (k + 1)^skew;
/// Breslau et al., "Web caching and Zipf-like distributions", INFOCOM 1999, measured exponents of
/// 0.64 to 0.83 on web proxies), kept up to `capacity` entries (least recently used evicted) and
/// for `ttl` seconds after they were stored.
///
/// A miss stores the response at the lookup (simplification: a real cache stores it when the
/// response completes, seconds later, so a burst of identical misses would all miss there).
public struct CacheContentModel: Sendable, Equatable {
    /// Distinct prompts, 1 ... 10,000,000 (the popularity table takes 8 bytes each).
    public var distinct: Int
    /// Zipf exponent, >= 0 (0: uniform).
    public var skew: Double
    /// Entries kept at most; nil: unbounded.
    public var capacity: Int?
    /// Seconds an entry stays valid after it was stored; nil: forever.
    public var ttl: Double?

    public static let maxDistinct = 10_000_000

    public init(distinct: Int, skew: Double, capacity: Int? = nil, ttl: Double? = nil) {
        self.distinct = distinct
        self.skew = skew
        self.capacity = capacity
        self.ttl = ttl
    }

    /// Probability of each prompt (sums to 1). O(distinct).
    public var popularity: [Double] {
        let weights = CumulativeTable.zipfWeights(count: distinct, skew: skew)
        let total = weights.reduce(0, +)
        return weights.map { $0 / total }
    }
}
