/// How requests are spread over the replicas of a pool.
public enum RoutingPolicy: String, Sendable, CaseIterable {
    /// One FIFO queue per pool; replicas pull from it when they can admit (textbook M/G/c).
    case sharedQueue = "shared-queue"
    /// Replicas in turn.
    case roundRobin = "round-robin"
    /// The replica with the fewest requests waiting or running (lowest index on ties).
    case leastOutstanding = "least-outstanding"
    /// The replica with the least KV load: blocks in use plus blocks its waiting requests' prefills
    /// need (fewest outstanding, then lowest index, on ties).
    case leastKV = "least-kv"
    /// Two distinct replicas drawn uniformly (stream `routing/<pool>`), the one with fewer
    /// outstanding requests (the first drawn on ties).
    case powerOfTwo = "power-of-two"
    /// The replica with the lowest EWMA of its recent TTFTs times (outstanding + 1) (no history
    /// counts as 0; fewest outstanding, then lowest index, on ties).
    case ewma = "ewma"
    /// Smooth weighted round-robin (nginx's) with `routingWeights` (default all 1 = round-robin).
    case weightedRoundRobin = "weighted-round-robin"
    /// Consistent hashing with bounded loads on the request's leading prompt block hashes (pool
    /// key `affinity`), so requests sharing a prefix meet the replica that cached it; requests
    /// without hashes go to the fewest outstanding.
    case prefixAffinity = "prefix-affinity"
    /// Consistent hashing with bounded loads (pool key `affinity`) on the request's session (a
    /// class with `sessions`), so every turn of a conversation meets the replica that cached the
    /// earlier turns; requests without a session go to the fewest outstanding.
    case sessionAffinity = "session-affinity"

    /// Whether the policy routes on a consistent-hash ring (`affinity` settings apply).
    public var usesAffinityRing: Bool { self == .prefixAffinity || self == .sessionAffinity }

    /// What the policy does, in a line (the schema and the README's key tables show it).
    public var doc: String {
        switch self {
        case .sharedQueue: "one FIFO per pool; ready replicas pull from it (M/G/c)"
        case .roundRobin: "ready replicas in turn"
        case .leastOutstanding: "fewest requests running or waiting; lowest index on ties"
        case .leastKV: "least KV load: blocks held plus blocks the waiting prefills need"
        case .powerOfTwo: "of two replicas drawn at random, the one with fewer outstanding"
        case .ewma: "lowest peak-EWMA of recent TTFTs times (outstanding + 1)"
        case .weightedRoundRobin: "nginx's smooth weighted round-robin with routingWeights"
        case .prefixAffinity: "consistent hashing with bounded loads on the prompt's leading blocks"
        case .sessionAffinity: "consistent hashing with bounded loads on the conversation"
        }
    }
}
