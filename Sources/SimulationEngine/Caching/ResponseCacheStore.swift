import ServingModel
/// The entries of a content-modelled response cache: keys (prompt indices) with the time they were
/// stored, in least-recently-used order, at most `capacity` of them, each valid for `ttl` seconds.
///
/// `lookup` is the whole protocol: a valid entry is a hit (and becomes the most recently used; its
/// age is not reset, as with HTTP caching); a missing or expired one is a miss, and the response is
/// stored then (evicting the least recently used entry when full). O(1) per lookup (a hash map of
/// key to node and an intrusive doubly linked list); memory O(min(capacity, keys seen)). The map is
/// only ever looked up, never iterated, so its order reaches no result.
public final class ResponseCacheStore {
    public let capacity: Int?
    public let ttl: Double?
    /// Entries removed to make room, and lookups that found their entry expired.
    public private(set) var evictions = 0, expirations = 0

    private var node: [Int: Int32] = [:]
    private var keys: [Int] = [], storedAt: [Double] = []
    private var prev: [Int32] = [], next: [Int32] = []
    /// Most and least recently used nodes (-1: empty).
    private var head: Int32 = -1, tail: Int32 = -1

    public init(capacity: Int?, ttl: Double?) {
        self.capacity = capacity
        self.ttl = ttl
    }

    /// Entries held now (expired ones included until looked up or evicted).
    public var count: Int { node.count }

    /// Looks `key` up at `time` (seconds, non-decreasing across calls); true on a hit. A miss stores
    /// the response.
    public func lookup(_ key: Int, at time: Double) -> Bool {
        if let n = node[key] {
            let i = Int(n)
            if let ttl, time - storedAt[i] >= ttl {
                expirations += 1
                storedAt[i] = time  // refreshed by this miss
                moveToFront(n)
                return false
            }
            moveToFront(n)
            return true
        }
        if let capacity, node.count >= capacity {
            // Reuse the least recently used node for the new key.
            let n = tail
            evictions += 1
            node[keys[Int(n)]] = nil
            keys[Int(n)] = key
            storedAt[Int(n)] = time
            node[key] = n
            moveToFront(n)
            return false
        }
        let n = Int32(keys.count)
        keys.append(key)
        storedAt.append(time)
        prev.append(-1)
        next.append(head)
        if head >= 0 { prev[Int(head)] = n }
        head = n
        if tail < 0 { tail = n }
        node[key] = n
        return false
    }

    private func moveToFront(_ n: Int32) {
        guard n != head else { return }
        let i = Int(n)
        // Unlink (n is not the head, so it has a predecessor).
        next[Int(prev[i])] = next[i]
        if next[i] >= 0 { prev[Int(next[i])] = prev[i] } else { tail = prev[i] }
        prev[i] = -1
        next[i] = head
        prev[Int(head)] = n
        head = n
    }
}
