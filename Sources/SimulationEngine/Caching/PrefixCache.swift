import ServingModel
/// One replica's automatic prefix cache (vLLM's "automatic prefix caching"): KV blocks of prompt
/// prefixes already computed, keyed by hash chain, kept after their sequences end and evicted
/// least recently used when the scheduler needs the memory.
///
/// An entry is one hash block of a prompt (512 tokens for the Mooncake trace) and occupies
/// `kvBlocks` KV blocks of the replica. Its key is a chain hash (`PrefixChain`): the hash of that
/// block together with every block before it, so a block can only match when its whole prefix
/// matches, and a lookup walks the chain from the first block until the first miss.
///
/// Entries are either *in use* (`refCount > 0`: running sequences read them; never evicted) or
/// *evictable* (`refCount == 0`: kept in an LRU list, least recently released first). Evictable
/// blocks count as free for admission: the scheduler evicts them before it ever preempts.
///
/// Invariants: `cachedBlocks` is the sum of `kvBlocks` over all entries; `evictableBlocks` is
/// that sum over entries with `refCount == 0`, which are exactly the entries in the LRU list.
///
/// Complexity: lookup, acquire, insert, release and evicting one entry are O(1) on average (one
/// dictionary probe plus list links). Dictionary order never reaches a decision: eviction order is
/// the list's, which follows event order only.
public final class PrefixCache {
    public init() {}

    /// Chain hash -> entry index.
    private var index: [UInt64: Int32] = [:]
    private var keys: [UInt64] = []
    private var refCounts: [Int32] = []
    private var sizes: [Int32] = []
    /// LRU links among evictable entries (-1: none). `head` is evicted first.
    private var prev: [Int32] = []
    private var next: [Int32] = []
    private var head: Int32 = -1
    private var tail: Int32 = -1
    private var freeEntries: [Int32] = []

    /// KV blocks held by all entries (in use and evictable).
    public private(set) var cachedBlocks = 0
    /// KV blocks of evictable entries (`refCount == 0`).
    public private(set) var evictableBlocks = 0

    // Statistics over the run (see `PrefixCacheReport`).
    /// First admissions of attempts that looked the cache up.
    var lookups = 0
    /// Of those, admissions that reused at least one token.
    var hitRequests = 0
    /// Prompt tokens of those admissions, and the prompt tokens their cache hits skipped.
    var promptTokens = 0
    var hitTokens = 0
    /// KV blocks evicted to make room, and KV blocks entered into the cache.
    public internal(set) var evictedBlocks = 0
    var insertedBlocks = 0

    /// Entries currently held (in use or evictable).
    public var count: Int { index.count }

    /// The entry with chain hash `key`, or nil.
    public func entry(_ key: UInt64) -> Int32? { index[key] }

    /// Whether entry `e` is evictable (no running sequence holds it).
    public func isEvictable(_ e: Int32) -> Bool { refCounts[Int(e)] == 0 }

    /// KV blocks of entry `e`.
    public func size(of e: Int32) -> Int { Int(sizes[Int(e)]) }

    /// Takes a reference to an existing entry (it is no longer evictable).
    public func acquire(_ e: Int32) {
        let i = Int(e)
        if refCounts[i] == 0 {
            unlink(e)
            evictableBlocks -= Int(sizes[i])
        }
        refCounts[i] += 1
    }

    /// Adds an entry for chain hash `key` holding `kvBlocks` blocks, referenced once (by the
    /// sequence that computed it). The key must not be present.
    public func insert(_ key: UInt64, kvBlocks: Int) -> Int32 {
        precondition(index[key] == nil, "prefix cache entry inserted twice")
        let e: Int32
        if let reused = freeEntries.popLast() {
            e = reused
            keys[Int(e)] = key
            refCounts[Int(e)] = 1
            sizes[Int(e)] = Int32(kvBlocks)
            prev[Int(e)] = -1
            next[Int(e)] = -1
        } else {
            e = Int32(keys.count)
            keys.append(key)
            refCounts.append(1)
            sizes.append(Int32(kvBlocks))
            prev.append(-1)
            next.append(-1)
        }
        index[key] = e
        cachedBlocks += kvBlocks
        insertedBlocks += kvBlocks
        return e
    }

    /// Drops one reference; an entry nobody holds becomes the most recently used evictable one.
    public func release(_ e: Int32) {
        let i = Int(e)
        precondition(refCounts[i] > 0, "prefix cache entry released more often than acquired")
        refCounts[i] -= 1
        if refCounts[i] == 0 {
            append(e)
            evictableBlocks += Int(sizes[i])
        }
    }

    /// Evicts least recently used entries until at least `blocks` KV blocks are freed or none is
    /// evictable; returns the blocks freed (may exceed `blocks` by part of an entry).
    public func evict(atLeast blocks: Int) -> Int {
        var freed = 0
        while freed < blocks && head >= 0 {
            let e = head
            let i = Int(e)
            unlink(e)
            index[keys[i]] = nil
            freed += Int(sizes[i])
            freeEntries.append(e)
        }
        evictableBlocks -= freed
        cachedBlocks -= freed
        evictedBlocks += freed
        return freed
    }

    /// Forgets every entry (the replica stopped or failed: its GPU memory is gone). Returns the
    /// blocks the entries held. Sequences that referenced entries must drop those references.
    public func clear() -> Int {
        let held = cachedBlocks
        index.removeAll()
        keys.removeAll(); refCounts.removeAll(); sizes.removeAll(); prev.removeAll(); next.removeAll()
        freeEntries.removeAll()
        head = -1; tail = -1
        cachedBlocks = 0
        evictableBlocks = 0
        return held
    }

    /// Chain hashes of the evictable entries, least recently used first (for tests).
    public var evictionOrder: [UInt64] {
        var out: [UInt64] = []
        var e = head
        while e >= 0 { out.append(keys[Int(e)]); e = next[Int(e)] }
        return out
    }

    private func append(_ e: Int32) {
        prev[Int(e)] = tail
        next[Int(e)] = -1
        if tail >= 0 { next[Int(tail)] = e } else { head = e }
        tail = e
    }

    private func unlink(_ e: Int32) {
        let p = prev[Int(e)], n = next[Int(e)]
        if p >= 0 { next[Int(p)] = n } else { head = n }
        if n >= 0 { prev[Int(n)] = p } else { tail = p }
        prev[Int(e)] = -1
        next[Int(e)] = -1
    }
}
