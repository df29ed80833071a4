/// A response cache in front of the model (the gateway's first stop).
///
/// A request of a covered class that reaches the gateway looks it up; with probability `hitRatio`
/// (drawn from the cache's own stream `cache/<name>`) it hits and completes `hitLatency` after it
/// was sent, without touching any pool (TTFT = E2E = the hit latency; output tokens as requested;
/// no GPU time). A miss costs no extra time (fold a material lookup cost into the pool's
/// `requestOverhead`) and goes on to the next cache, then the hosted share, then its pool.
///
/// `hitRatio` is the steady-state hit ratio measured on the real traffic (e.g. from gateway logs):
/// the simulator does not model what is cached, so there is no TTL, capacity or warm-up mechanic.
/// Model a cold cache by running a scenario with a lower ratio. A semantic cache's hits return a
/// similar, not identical, answer; its quality is out of scope.
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
    /// Probability that a lookup hits, in [0, 1].
    public var hitRatio: Double
    /// Time from the client's send to the full response on a hit.
    public var hitLatency: DurationDistribution
    /// Classes it serves; empty = all.
    public var classes: [String]

    public init(name: String, kind: Kind, hitRatio: Double, hitLatency: DurationDistribution, classes: [String] = []) {
        self.name = name
        self.kind = kind
        self.hitRatio = hitRatio
        self.hitLatency = hitLatency
        self.classes = classes
    }
}
