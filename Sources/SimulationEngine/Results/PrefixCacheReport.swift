import ServingModel
/// What a pool's prefix caches did over the whole run (warm-up included, like the trace's own
/// reuse bound it is compared with). Present in a pool's report only when the pool has
/// `prefixCaching`.
///
/// Counted once per attempt, at its first admission (a re-admission after a preemption reuses
/// cached blocks too, but is not counted again, so the rates compare with an infinite cache's
/// reuse of the same requests).
public struct PrefixCacheReport: Codable, Sendable, Equatable {
    /// Admissions that looked the cache up (every first admission of an attempt).
    public var lookups: Int
    /// Of those, admissions that reused at least one prompt token.
    public var hitRequests: Int
    /// Prompt tokens of those admissions.
    public var promptTokens: Int
    /// Prompt tokens whose prefill the cache skipped.
    public var hitTokens: Int
    /// hitTokens / promptTokens: the share of prompt prefill the cache saved (0 when none).
    public var hitRate: Double
    /// hitRequests / lookups (0 when none).
    public var requestHitRate: Double
    /// KV blocks evicted (least recently used) to make room for new sequences.
    public var evictedBlocks: Int
    /// KV blocks entered into the cache (computed prompt blocks).
    public var insertedBlocks: Int

    public init(lookups: Int, hitRequests: Int, promptTokens: Int, hitTokens: Int, evictedBlocks: Int, insertedBlocks: Int) {
        self.lookups = lookups
        self.hitRequests = hitRequests
        self.promptTokens = promptTokens
        self.hitTokens = hitTokens
        hitRate = promptTokens > 0 ? Double(hitTokens) / Double(promptTokens) : 0
        requestHitRate = lookups > 0 ? Double(hitRequests) / Double(lookups) : 0
        self.evictedBlocks = evictedBlocks
        self.insertedBlocks = insertedBlocks
    }
}
