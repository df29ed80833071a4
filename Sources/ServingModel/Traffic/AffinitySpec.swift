/// Settings of routing `prefix-affinity` (pool key `affinity`).
public struct AffinitySpec: Sendable, Equatable {
    /// Leading prompt hash blocks that make a request's routing key: the key is the chain hash of
    /// block `min(keyBlocks, blocks) - 1`. 1 routes by the first block; a trace whose first block
    /// is one system prompt shared by every request (the Mooncake conversation trace) needs 2 to
    /// tell conversations apart.
    public var keyBlocks: Int
    /// Bounded load: a replica takes the request only while its outstanding requests stay within
    /// `ceil((1 + epsilon) x (pool total + 1) / ready replicas)`; otherwise the ring's next
    /// replica is tried (Mirrokni, Thorup and Zadimoghaddam, "Consistent Hashing with Bounded
    /// Loads", SODA 2018). Default 0.25: no replica takes more than 25% above the mean; smaller
    /// keeps the load flatter, larger keeps more requests on their prefix's replica.
    public var epsilon: Double
    /// Points per replica slot on the ring (more: a smoother split of keys).
    public var virtualNodes: Int

    public static let defaultKeyBlocks = 1
    public static let defaultEpsilon = 0.25
    public static let defaultVirtualNodes = 64

    public init(keyBlocks: Int = defaultKeyBlocks, epsilon: Double = defaultEpsilon, virtualNodes: Int = defaultVirtualNodes) {
        self.keyBlocks = keyBlocks
        self.epsilon = epsilon
        self.virtualNodes = virtualNodes
    }
}
