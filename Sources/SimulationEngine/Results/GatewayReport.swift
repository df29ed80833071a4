import ServingModel
/// What the gateway did over the measured span (requests first sent at or after warm-up): the
/// response caches and the hosted endpoint. Present in a report only when the scenario has either.
public struct GatewayReport: Codable, Sendable, Equatable {
    /// In lookup order.
    public var caches: [CacheReport]
    /// Absent without a hosted endpoint.
    public var hosted: HostedReport?

    public init(caches: [CacheReport], hosted: HostedReport?) {
        self.caches = caches
        self.hosted = hosted
    }
}

/// One response cache.
public struct CacheReport: Codable, Sendable, Equatable {
    public var name: String
    /// `exact` or `semantic`.
    public var kind: String
    /// The configured hit ratio (absent for a cache with a content model).
    public var hitRatio: Double?
    /// Requests that looked it up (those an earlier cache served never do).
    public var lookups: Int
    /// Lookups that hit: completed at the hit latency, no GPU.
    public var hits: Int
    /// lookups - hits.
    public var misses: Int
    /// hits / lookups (0 with no lookups).
    public var measuredHitRatio: Double
    /// The content model and what its entries did (absent for a cache with a configured ratio).
    public var content: CacheContentReport? = nil
}

/// A content-modelled cache: its model, and over the whole run (warm-up included, since the cache
/// fills then) the entries evicted for room and the lookups that found theirs expired.
public struct CacheContentReport: Codable, Sendable, Equatable {
    public var distinct: Int
    public var skew: Double
    /// Entries; absent: unbounded.
    public var capacity: Int?
    /// Seconds; absent: none.
    public var ttl: Double?
    public var evictions: Int
    public var expirations: Int
    /// Entries held when the run ended.
    public var entriesAtEnd: Int
}

/// The hosted API endpoint.
public struct HostedReport: Codable, Sendable, Equatable {
    public var name: String
    /// Configured share and overflow switch.
    public var share: Double
    public var overflow: Bool
    /// Requests it completed (counted in `requests.completed` and the latencies like any other).
    public var requests: Int
    /// Attempts sent by the share, and by overflow (in total and by the pool's reason to reject).
    public var shared: Int
    public var overflowed: Int
    public var overflowedBy: OverflowCounts
    /// Tokens of the requests it completed.
    public var promptTokens: Int
    public var outputTokens: Int
    /// USD: promptTokens x inputPricePerMillion / 1e6 + outputTokens x outputPricePerMillion / 1e6
    /// (also `cost.hosted`, and part of `cost.total`).
    public var cost: Double
}

/// Overflowed attempts by the reason their pool would have rejected them.
public struct OverflowCounts: Codable, Sendable, Equatable {
    public var tooLong: Int
    public var queueFull: Int
    public var inFlightBudget: Int
    public var circuitOpen: Int
}

/// Per class, for cost allocation: tokens of completed requests no GPU processed (cache hits and
/// hosted), and the hosted cost of its requests.
public struct GatewayClassUsage: Sendable, Equatable {
    public var offGpuTokens: Int
    public var hostedCost: Double

    public init(offGpuTokens: Int, hostedCost: Double) {
        self.offGpuTokens = offGpuTokens
        self.hostedCost = hostedCost
    }
}
