import ServingModel

/// Automatic prefix caching on the replicas of pools with `prefixCaching` (affinity routing on the
/// same chains is `AffinityRouting`).
///
/// Each caching replica has a `PrefixCache`:
/// - Admission reuses the longest cached prefix of the request's chain: those tokens start out
///   prefilled (at least one prompt token is still prefilled, so the step produces the first
///   token), and later chunks' attention still reads them (`StepShape.attentionPairs` counts the
///   cached context).
/// - After every prefill step, the full prompt blocks a sequence has computed enter the cache,
///   held by that sequence; when it ends (or is preempted, or fails) it lets go of them and they
///   become evictable, tail blocks first, so a prompt's last block is evicted before its first.
/// - KV pressure evicts least recently released entries before any sequence is preempted.
///
/// KV accounting. A sequence's `heldBlocks` stays its logical block count (blocks covering its
/// tokens from the first), so the scheduler's block arithmetic is unchanged. The blocks it shares
/// with the cache (`slotShared`, whole entries it references) are owned by the cache, counted
/// once however many sequences read them. Invariant per replica:
/// `freeBlocks + sum over running of (heldBlocks - shared) + blocksInTransit + cache.cachedBlocks
/// == totalBlocks` (`blocksInTransit`: a prefill replica's finished prefills on their KV link).
///
/// Simplifications: only prompt blocks are cached (output tokens carry no hashes, so a follow-up
/// turn reuses the previous turn's prompt but recomputes its answer); a block computed by two
/// sequences at once is kept once (the second one's copy is freed when it finishes the block);
/// the hit-length cap keeps the whole last block referenced even when its last token is
/// recomputed. Real serving (`Simulation.executor`) runs without caches: the kernel's KV cache has
/// no shared blocks.
final class PrefixCaching {
    /// Per replica (global index): its cache, nil on replicas of pools that do not cache.
    private let caches: [PrefixCache?]
    /// Per request slot on a caching replica: the cache entries it references (its chain's leading
    /// blocks, in order) and the KV blocks they hold.
    private var slotEntries: [[Int32]] = []
    private var slotShared: [Int32] = []
    /// Scratch list of the entries a lookup found.
    private var scratch: [Int32] = []

    /// Nil when no pool caches; `pools` are the pools' replica ranges.
    init?(scenario: Scenario, pools: [Range<Int>], replicaCount: Int, realServing: Bool) {
        var caches = [PrefixCache?](repeating: nil, count: replicaCount)
        for (p, spec) in scenario.pools.enumerated() where spec.prefixCaching && spec.isTokenLevel && !realServing {
            for i in pools[p] { caches[i] = PrefixCache() }
        }
        guard caches.contains(where: { $0 != nil }) else { return nil }
        self.caches = caches
    }

    /// The replica's cache (nil: its pool does not cache).
    @inline(__always) func cache(of replica: Replica) -> PrefixCache? { caches[replica.index] }

    /// Admits the next waiting request on a caching replica, reusing its longest cached prefix;
    /// false when it cannot be admitted now (the admission loop stops), as in `planStep`.
    func admit(_ slot: Int32, on replica: Replica, cache: PrefixCache, budget: inout Int, _ sim: Simulation) -> Bool {
        let config = sim.pools[replica.pool].spec.scheduler
        let blockSize = config.blockSize
        let i = Int(slot)
        let r = sim.requests.slots[i]
        ensureSlot(i)
        scratch.removeAll(keepingCapacity: true)
        var hitTokens = 0, shared = 0, pinnedEvictable = 0
        if r.prefixChain >= 0, let chains = sim.features.chains {
            let c = Int(r.prefixChain)
            let blockTokens = chains.blockTokens(c)
            if blockTokens % blockSize == 0 {
                let chain = chains.keys(c)
                var h = 0
                while h < chains.cacheable(c), let e = cache.entry(chain[h]) {
                    scratch.append(e)
                    if cache.isEvictable(e) { pinnedEvictable += cache.size(of: e) }
                    h += 1
                }
                hitTokens = PrefixChain.reusedTokens(hitBlocks: h, blockTokens: blockTokens, promptTokens: Int(r.prefillTarget))
                if hitTokens == 0 { scratch.removeAll(keepingCapacity: true); pinnedEvictable = 0 }
                shared = scratch.count * (blockTokens / blockSize)
            }
        }
        let need = Int(r.prefillTarget) - hitTokens
        if !config.chunkedPrefill && need > budget { return false }
        let chunk = min(need, budget)
        let blocks = (hitTokens + chunk + blockSize - 1) / blockSize - shared  // its own new blocks
        if blocks > replica.freeBlocks + cache.evictableBlocks - pinnedEvictable { return false }
        sim.popWaiting(replica)
        for e in scratch { cache.acquire(e) }
        if blocks > replica.freeBlocks { replica.freeBlocks += cache.evict(atLeast: blocks - replica.freeBlocks) }
        replica.freeBlocks -= blocks
        slotEntries[i] = scratch
        slotShared[i] = Int32(shared)
        sim.requests.slots[i].heldBlocks = Int32(blocks + shared)
        sim.requests.slots[i].prefilled = Int32(hitTokens)
        sim.requests.slots[i].chunkInFlight = Int32(chunk)
        sim.requests.slots[i].replica = Int32(replica.index)
        if r.firstScheduled < 0 {
            sim.requests.slots[i].firstScheduled = sim.events.now
            cache.lookups += 1
            cache.promptTokens += Int(r.promptTokens)
            cache.hitTokens += hitTokens
            if hitTokens > 0 { cache.hitRequests += 1 }
        }
        replica.running.append(slot)
        budget -= chunk
        assert(accountingHolds(replica, sim))
        return true
    }

    /// After a prefill step: the full prompt blocks each sequence has now computed enter the
    /// cache (or, when another sequence already put them there, it shares those and frees its copy).
    func cacheComputedBlocks(_ replica: Replica, _ sim: Simulation) {
        guard let cache = caches[replica.index], let chains = sim.features.chains else { return }
        let blockSize = sim.pools[replica.pool].spec.scheduler.blockSize
        for slot in replica.running {
            let i = Int(slot)
            let r = sim.requests.slots[i]
            guard r.prefixChain >= 0, !r.cancelled else { continue }
            let c = Int(r.prefixChain)
            let blockTokens = chains.blockTokens(c)
            guard blockTokens % blockSize == 0 else { continue }
            let kvPerEntry = blockTokens / blockSize
            var h = slotEntries[i].count
            while h < chains.cacheable(c) && (h + 1) * blockTokens <= Int(r.prefilled) {
                let key = chains.keys(c)[h]
                let e: Int32
                if let existing = cache.entry(key) {
                    cache.acquire(existing)
                    replica.freeBlocks += kvPerEntry
                    e = existing
                } else {
                    e = cache.insert(key, kvBlocks: kvPerEntry)
                }
                slotEntries[i].append(e)
                slotShared[i] += Int32(kvPerEntry)
                h += 1
            }
        }
        assert(accountingHolds(replica, sim))
    }

    /// A sequence leaves a caching replica's batch (its `heldBlocks` were just returned to
    /// `freeBlocks`): the blocks it shared stay with the cache, and its entries are released,
    /// last block first (so the last is evicted first). Nothing on a replica without a cache.
    func release(_ slot: Int32, on replica: Replica, _ sim: Simulation) {
        replica.freeBlocks -= unpin(slot, on: replica)
    }

    /// The sequence lets go of its cache entries (last block first) without touching `freeBlocks`;
    /// returns the KV blocks it shared with the cache (now the cache's alone); 0 without a cache.
    func unpin(_ slot: Int32, on replica: Replica) -> Int {
        guard let cache = caches[replica.index] else { return 0 }
        let i = Int(slot)
        let shared = Int(slotShared[i])
        for e in slotEntries[i].reversed() { cache.release(e) }
        slotEntries[i].removeAll(keepingCapacity: true)
        slotShared[i] = 0
        return shared
    }

    /// The replica's memory is gone (it failed or stopped): its running sequences (if any) drop
    /// their references and the cache empties. Returns the blocks the cache held (0 without one).
    func clear(_ replica: Replica, _ sim: Simulation) -> Int {
        guard let cache = caches[replica.index] else { return 0 }
        for slot in replica.running {
            slotEntries[Int(slot)].removeAll(keepingCapacity: true)
            slotShared[Int(slot)] = 0
        }
        return cache.clear()
    }

    /// Evicts least recently released entries until at least `blocks` KV blocks are freed (or none
    /// is evictable); returns the blocks freed (0 without a cache).
    func evict(atLeast blocks: Int, on replica: Replica) -> Int {
        caches[replica.index]?.evict(atLeast: blocks) ?? 0
    }

    /// KV blocks of the replica's evictable entries (0 without a cache).
    @inline(__always) func evictableBlocks(on replica: Replica) -> Int { caches[replica.index]?.evictableBlocks ?? 0 }

    /// Whether a caching replica's KV accounting adds up:
    /// `freeBlocks + sum over running of (heldBlocks - shared) + blocksInTransit + cachedBlocks == totalBlocks`,
    /// with nothing negative. True for replicas without a cache.
    func accountingHolds(_ replica: Replica, _ sim: Simulation) -> Bool {
        guard let cache = caches[replica.index] else { return true }
        var own = 0
        for slot in replica.running {
            let shared = Int(slotShared[Int(slot)])
            let held = Int(sim.requests.slots[Int(slot)].heldBlocks)
            if held < shared { return false }
            own += held - shared
        }
        let inTransit = sim.features.disaggregation?.blocksInTransit(on: replica) ?? 0
        return replica.freeBlocks >= 0 && cache.evictableBlocks >= 0 && cache.evictableBlocks <= cache.cachedBlocks
            && replica.freeBlocks + own + inTransit + cache.cachedBlocks == replica.totalBlocks
    }

    /// The pool's prefix-cache statistics summed over its replicas (nil: it does not cache).
    func report(pool p: Int, _ sim: Simulation) -> PrefixCacheReport? {
        let members = sim.pools[p].replicas
        guard members.contains(where: { caches[$0] != nil }) else { return nil }
        var lookups = 0, hitRequests = 0, promptTokens = 0, hitTokens = 0, evicted = 0, inserted = 0
        for i in members {
            guard let cache = caches[i] else { continue }
            lookups += cache.lookups
            hitRequests += cache.hitRequests
            promptTokens += cache.promptTokens
            hitTokens += cache.hitTokens
            evicted += cache.evictedBlocks
            inserted += cache.insertedBlocks
        }
        return PrefixCacheReport(lookups: lookups, hitRequests: hitRequests, promptTokens: promptTokens,
                                 hitTokens: hitTokens, evictedBlocks: evicted, insertedBlocks: inserted)
    }

    private func ensureSlot(_ slot: Int) {
        while slotEntries.count <= slot {
            slotEntries.append([])
            slotShared.append(0)
        }
    }
}
