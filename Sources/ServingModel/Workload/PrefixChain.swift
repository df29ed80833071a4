/// Prompt block hashes as a prefix cache sees them: hash chains, the blocks a cache may hold, the
/// tokens a hit skips, and the reuse an infinite cache would get from a trace.
///
/// A prompt is a sequence of hash blocks of `blockTokens` tokens each (the Mooncake trace's
/// `hash_ids`, one per 512-token block; the last block may be partial). Block `j`'s chain hash
/// combines its id with the chain hash of block `j - 1`, so equal chain hashes mean equal whole
/// prefixes (as vLLM's block hashes include the parent's hash).
public enum PrefixChain {
    /// Chain hash of block 0 when there is no parent.
    static let root: UInt64 = 0xcbf2_9ce4_8422_2325

    /// Chain hashes of `ids`: `h[j] = FNV-1a(h[j-1] bytes, ids[j] bytes)` (little-endian), with
    /// `h[-1] = root`. Stable across processes. O(n).
    public static func hashes(_ ids: [Int]) -> [UInt64] {
        var out: [UInt64] = []
        out.reserveCapacity(ids.count)
        var parent = root
        for id in ids {
            parent = combine(parent, UInt64(bitPattern: Int64(id)))
            out.append(parent)
        }
        return out
    }

    /// FNV-1a over the 16 little-endian bytes of `parent` then `id`.
    @inline(__always) package static func combine(_ parent: UInt64, _ id: UInt64) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        var w = parent
        for _ in 0..<8 { h ^= w & 0xff; h &*= 0x0000_0100_0000_01b3; w >>= 8 }
        w = id
        for _ in 0..<8 { h ^= w & 0xff; h &*= 0x0000_0100_0000_01b3; w >>= 8 }
        return h
    }

    /// Blocks a cache may hold for a prompt: the full ones (`promptTokens / blockTokens`, at
    /// most `blocks`); a partial last block is never cached, as in vLLM.
    public static func cacheableBlocks(promptTokens: Int, blocks: Int, blockTokens: Int) -> Int {
        min(blocks, promptTokens / blockTokens)
    }

    /// Prompt tokens a hit of `hitBlocks` leading blocks skips: their tokens, but never the whole
    /// prompt (at least one token is prefilled so the step produces the first output token).
    public static func reusedTokens(hitBlocks: Int, blockTokens: Int, promptTokens: Int) -> Int {
        max(0, min(hitBlocks * blockTokens, promptTokens - 1))
    }

    /// What an infinite cache shared by every replica would reuse on `records` in order: each
    /// request hits the longest prefix of its cacheable blocks that earlier requests had, by the
    /// rules above. An upper bound for any finite cache and any routing on the same requests.
    /// Returns (reused tokens, prompt tokens, requests with a hit). O(total blocks).
    public static func infiniteCacheReuse(_ records: [TraceRecord], blockTokens: Int)
        -> (hitTokens: Int, promptTokens: Int, hitRequests: Int) {
        var seen = Set<UInt64>()  // membership only: its order never matters
        var hit = 0, prompt = 0, requests = 0
        for record in records {
            let chain = hashes(record.hashIds)
            let cacheable = cacheableBlocks(promptTokens: record.promptTokens, blocks: chain.count, blockTokens: blockTokens)
            var h = 0
            while h < cacheable && seen.contains(chain[h]) { h += 1 }
            let reused = reusedTokens(hitBlocks: h, blockTokens: blockTokens, promptTokens: record.promptTokens)
            hit += reused
            prompt += record.promptTokens
            if reused > 0 { requests += 1 }
            for j in 0..<cacheable { seen.insert(chain[j]) }
        }
        return (hit, prompt, requests)
    }
}
