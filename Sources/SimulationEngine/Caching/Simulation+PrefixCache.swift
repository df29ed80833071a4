import ServingModel
/// Prefix (KV) caching on replicas (affinity routing on the same chains: `Simulation+Affinity`).
///
/// Requests carry prompt block hashes (`ArrivalDraw.hashIds`, from a Mooncake trace or a class's
/// shared prefix), kept as hash chains in `PrefixCacheRun` for as long as the request is in the
/// system (retries included). On a pool with `prefixCaching`, each replica has a `PrefixCache`:
///
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
/// recomputed. A pool without prefix caching never reaches this file on its hot path.
final class PrefixCacheRun {
    /// Per chain (a request's prompt, through its retries): chain hashes, how many of its leading
    /// blocks are full (cacheable), and tokens per block. Reused through `freeChains`.
    private(set) var keys: [[UInt64]] = []
    private(set) var cacheable: [Int32] = []
    private(set) var blockTokens: [Int32] = []
    /// Per chain: the request's session key (`SessionRef.key`), nil when it has no session.
    private(set) var sessionKeys: [UInt64?] = []
    private var freeChains: [Int32] = []
    /// Per request slot on a caching replica: the cache entries it references (its chain's
    /// leading blocks, in order) and the KV blocks they hold.
    var slotEntries: [[Int32]] = []
    var slotShared: [Int32] = []
    /// Per pool: the hash ring of `prefix-affinity` or `session-affinity` routing (nil for other
    /// policies).
    let rings: [ConsistentHashRing?]
    /// Per class: tokens per hash block (0: its requests carry none).
    let classBlockTokens: [Int]
    /// Scratch list of the entries a lookup found.
    var scratch: [Int32] = []

    init(rings: [ConsistentHashRing?], classBlockTokens: [Int]) {
        self.rings = rings
        self.classBlockTokens = classBlockTokens
    }

    /// Stores a request's chain; returns its index.
    func addChain(hashIds: [Int], promptTokens: Int, blockTokens size: Int, session: UInt64? = nil) -> Int32 {
        let chain = PrefixChain.hashes(hashIds)
        let full = Int32(PrefixChain.cacheableBlocks(promptTokens: promptTokens, blocks: chain.count, blockTokens: size))
        if let c = freeChains.popLast() {
            keys[Int(c)] = chain
            cacheable[Int(c)] = full
            blockTokens[Int(c)] = Int32(size)
            sessionKeys[Int(c)] = session
            return c
        }
        keys.append(chain)
        cacheable.append(full)
        blockTokens.append(Int32(size))
        sessionKeys.append(session)
        return Int32(keys.count - 1)
    }

    /// The request ended for good: its chain's storage is reused.
    func releaseChain(_ c: Int32) {
        keys[Int(c)] = []
        freeChains.append(c)
    }

    func ensureSlot(_ slot: Int) {
        while slotEntries.count <= slot {
            slotEntries.append([])
            slotShared.append(0)
        }
    }
}

extension Simulation {
    /// Opens prefix caching and affinity state when some pool uses either (called once from init).
    /// Real serving (`executor`) runs without caches: the kernel's KV cache has no shared blocks.
    func setUpPrefixCaching() {
        let caching = pools.map { $0.spec.prefixCaching && $0.stepModel != nil && executor == nil }
        let affinity = pools.map { $0.spec.routing.usesAffinityRing }
        guard caching.contains(true) || affinity.contains(true) else { return }
        for p in pools.indices where caching[p] {
            for i in pools[p].replicas { replicas[i].prefixCache = PrefixCache() }
        }
        let rings = pools.indices.map { p -> ConsistentHashRing? in
            guard affinity[p] else { return nil }
            return ConsistentHashRing(slots: pools[p].replicas.count, virtualNodes: pools[p].spec.affinity.virtualNodes,
                                      name: "affinity/\(pools[p].spec.name)")
        }
        prefix = PrefixCacheRun(rings: rings, classBlockTokens: scenario.classes.map { $0.prefixBlockTokens ?? 0 })
    }

    /// The chain index for a new request of `classIndex` (-1: it carries no hashes, or nothing
    /// uses them).
    func prefixChain(classIndex: Int, draw: ArrivalDraw) -> Int32 {
        guard let run = prefix, !draw.hashIds.isEmpty else { return -1 }
        let blockTokens = run.classBlockTokens[classIndex]
        guard blockTokens > 0 else { return -1 }
        return run.addChain(hashIds: draw.hashIds, promptTokens: draw.promptTokens, blockTokens: blockTokens,
                            session: draw.session?.key)
    }

    /// Admits the next waiting request on a caching replica, reusing its longest cached prefix;
    /// false when it cannot be admitted now (the admission loop stops), as in `planStep`.
    func admitWithPrefixCache(_ slot: Int32, on replica: Replica, cache: PrefixCache, budget: inout Int) -> Bool {
        let run = prefix!
        let config = pools[replica.pool].spec.scheduler
        let blockSize = config.blockSize
        let i = Int(slot)
        let r = requests.slots[i]
        run.ensureSlot(i)
        run.scratch.removeAll(keepingCapacity: true)
        var hitTokens = 0, shared = 0, pinnedEvictable = 0
        if r.prefixChain >= 0 {
            let c = Int(r.prefixChain)
            let blockTokens = Int(run.blockTokens[c])
            if blockTokens % blockSize == 0 {
                let chain = run.keys[c]
                var h = 0
                while h < Int(run.cacheable[c]), let e = cache.entry(chain[h]) {
                    run.scratch.append(e)
                    if cache.isEvictable(e) { pinnedEvictable += cache.size(of: e) }
                    h += 1
                }
                hitTokens = PrefixChain.reusedTokens(hitBlocks: h, blockTokens: blockTokens, promptTokens: Int(r.prefillTarget))
                if hitTokens == 0 { run.scratch.removeAll(keepingCapacity: true); pinnedEvictable = 0 }
                shared = run.scratch.count * (blockTokens / blockSize)
            }
        }
        let need = Int(r.prefillTarget) - hitTokens
        if !config.chunkedPrefill && need > budget { return false }
        let chunk = min(need, budget)
        let blocks = (hitTokens + chunk + blockSize - 1) / blockSize - shared  // its own new blocks
        if blocks > replica.freeBlocks + cache.evictableBlocks - pinnedEvictable { return false }
        popWaiting(replica)
        for e in run.scratch { cache.acquire(e) }
        if blocks > replica.freeBlocks { replica.freeBlocks += cache.evict(atLeast: blocks - replica.freeBlocks) }
        replica.freeBlocks -= blocks
        run.slotEntries[i] = run.scratch
        run.slotShared[i] = Int32(shared)
        requests.slots[i].heldBlocks = Int32(blocks + shared)
        requests.slots[i].prefilled = Int32(hitTokens)
        requests.slots[i].chunkInFlight = Int32(chunk)
        requests.slots[i].replica = Int32(replica.index)
        if r.firstScheduled < 0 {
            requests.slots[i].firstScheduled = events.now
            cache.lookups += 1
            cache.promptTokens += Int(r.promptTokens)
            cache.hitTokens += hitTokens
            if hitTokens > 0 { cache.hitRequests += 1 }
        }
        replica.running.append(slot)
        budget -= chunk
        assert(prefixAccountingHolds(replica))
        return true
    }

    /// After a prefill step: the full prompt blocks each sequence has now computed enter the
    /// cache (or, when another sequence already put them there, it shares those and frees its copy).
    func cacheComputedBlocks(_ replica: Replica, cache: PrefixCache) {
        let run = prefix!
        let blockSize = pools[replica.pool].spec.scheduler.blockSize
        for slot in replica.running {
            let i = Int(slot)
            let r = requests.slots[i]
            guard r.prefixChain >= 0, !r.cancelled else { continue }
            let c = Int(r.prefixChain)
            let blockTokens = Int(run.blockTokens[c])
            guard blockTokens % blockSize == 0 else { continue }
            let kvPerEntry = blockTokens / blockSize
            var h = run.slotEntries[i].count
            while h < Int(run.cacheable[c]) && (h + 1) * blockTokens <= Int(r.prefilled) {
                let key = run.keys[c][h]
                let e: Int32
                if let existing = cache.entry(key) {
                    cache.acquire(existing)
                    replica.freeBlocks += kvPerEntry
                    e = existing
                } else {
                    e = cache.insert(key, kvBlocks: kvPerEntry)
                }
                run.slotEntries[i].append(e)
                run.slotShared[i] += Int32(kvPerEntry)
                h += 1
            }
        }
        assert(prefixAccountingHolds(replica))
    }

    /// A sequence leaves a caching replica's batch (its `heldBlocks` were just returned to
    /// `freeBlocks`): the blocks it shared stay with the cache, and its entries are released,
    /// last block first (so the last is evicted first).
    func releasePrefix(_ slot: Int32, on replica: Replica, cache: PrefixCache) {
        replica.freeBlocks -= unpinPrefix(slot, cache: cache)
    }

    /// The sequence lets go of its cache entries (last block first) without touching `freeBlocks`;
    /// returns the KV blocks it shared with the cache (now the cache's alone).
    func unpinPrefix(_ slot: Int32, cache: PrefixCache) -> Int {
        let run = prefix!
        let i = Int(slot)
        let shared = Int(run.slotShared[i])
        for e in run.slotEntries[i].reversed() { cache.release(e) }
        run.slotEntries[i].removeAll(keepingCapacity: true)
        run.slotShared[i] = 0
        return shared
    }

    /// The replica's memory is gone (it failed or stopped): its running sequences (if any) drop
    /// their references and the cache empties. Returns the blocks the cache held.
    func clearPrefixCache(_ replica: Replica, cache: PrefixCache) -> Int {
        let run = prefix!
        for slot in replica.running {
            run.slotEntries[Int(slot)].removeAll(keepingCapacity: true)
            run.slotShared[Int(slot)] = 0
        }
        return cache.clear()
    }

    /// Whether a caching replica's KV accounting adds up:
    /// `freeBlocks + sum over running of (heldBlocks - shared) + blocksInTransit + cachedBlocks == totalBlocks`,
    /// with nothing negative. True for replicas without a cache.
    func prefixAccountingHolds(_ replica: Replica) -> Bool {
        guard let cache = replica.prefixCache, let run = prefix else { return true }
        var own = 0
        for slot in replica.running {
            let shared = Int(run.slotShared[Int(slot)])
            let held = Int(requests.slots[Int(slot)].heldBlocks)
            if held < shared { return false }
            own += held - shared
        }
        return replica.freeBlocks >= 0 && cache.evictableBlocks >= 0 && cache.evictableBlocks <= cache.cachedBlocks
            && replica.freeBlocks + own + replica.blocksInTransit + cache.cachedBlocks == replica.totalBlocks
    }

    /// After a run: every replica's KV accounting adds up (see `prefixAccountingHolds`), and no
    /// cached block is still held by a sequence unless one is still running.
    public var kvAccountingHolds: Bool {
        replicas.allSatisfy { r in
            prefixAccountingHolds(r) && (r.prefixCache == nil || !r.running.isEmpty || r.prefixCache!.evictableBlocks == r.prefixCache!.cachedBlocks)
                && (r.prefixCache != nil || r.totalBlocks == 0 || !r.running.isEmpty || r.freeBlocks == r.totalBlocks)
        }
    }

    /// KV blocks a replica can give out now: free ones plus evictable cached ones.
    func availableKVBlocks(_ replica: Replica) -> Int {
        replica.freeBlocks + (replica.prefixCache?.evictableBlocks ?? 0)
    }

    /// KV blocks in use on a replica: evictable cached blocks count as free.
    func usedKVBlocks(_ replica: Replica) -> Int {
        replica.totalBlocks - availableKVBlocks(replica)
    }

    /// The pool's prefix-cache statistics summed over its replicas (nil: caching off).
    func prefixCacheReport(pool p: Int) -> PrefixCacheReport? {
        guard pools[p].spec.prefixCaching, pools[p].stepModel != nil, executor == nil else { return nil }
        var lookups = 0, hitRequests = 0, promptTokens = 0, hitTokens = 0, evicted = 0, inserted = 0
        for i in pools[p].replicas {
            guard let cache = replicas[i].prefixCache else { continue }
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
}
