import ServingModel
/// Engine steps on token-level replicas: vLLM-style scheduling, mixed prefill/decode steps, and
/// decode stretches jumped over in closed form.
///
/// The per-iteration mode runs the same code with every plan capped at one step, so each decode
/// step is an event and the scheduler runs at every step boundary; the jump-ahead mode runs the
/// scheduler only where its decision can change (an arrival, a completion, KV exhaustion).
extension Simulation {
    /// A replica's pending step ended: apply its tokens, end finished requests, schedule again.
    func handleBoundary(_ replica: Replica) {
        let wasDecode = replica.work == .decode
        var anyFinished = true
        if wasDecode {
            anyFinished = applyDecodeSteps(replica, replica.planTarget - replica.stretchApplied)
            replica.stretchApplied = replica.planTarget
        } else {
            applyMixedStep(replica)
        }
        let completed = anyFinished ? completeFinished(replica) : 0
        if replica.handsOff { handOffPrefilled(replica) }
        planStep(replica, continuing: wasDecode && completed == 0)
    }

    /// An arrival lands while a decode stretch runs: end the plan at the next step boundary, where
    /// the scheduler will consider the newcomer.
    func interrupt(_ replica: Replica) {
        let done = replica.stretch.stepsCompleted(by: events.now, limit: replica.planTarget)
        guard done + 1 < replica.planTarget else { return }
        replica.planTarget = done + 1
        replica.stamp &+= 1
        events.schedule(at: replica.stretch.endOfStep(replica.planTarget), kind: EventKind.boundary,
                        target: replica.index, stamp: replica.stamp)
    }

    /// Applies `k` decode steps: one token per running sequence per step, with the KV blocks the
    /// steps after the first (reserved when planned) allocated lazily. Returns whether some
    /// sequence now has all its output tokens.
    func applyDecodeSteps(_ replica: Replica, _ k: Int) -> Bool {
        guard k > 0 else { return false }
        let blockSize = Int32(pools[replica.pool].spec.scheduler.blockSize)
        let states = requests.slots
        replica.steps += k
        if replica.speculativeStretch {
            replica.speculativeTokens += k * replica.running.count
        } else {
            replica.plainDecodeTokens += k * replica.running.count
        }
        var anyFinished = false
        for slot in replica.running {
            let r = states + Int(slot)
            let lastFed = r.pointee.tokens + Int32(k) - 1
            let needed = (lastFed + blockSize - 1) / blockSize
            if needed > r.pointee.heldBlocks {
                replica.freeBlocks -= Int(needed - r.pointee.heldBlocks)
                r.pointee.heldBlocks = needed
            }
            r.pointee.generated += Int32(k)
            if r.pointee.generated >= r.pointee.outputTokens || r.pointee.cancelled { anyFinished = true }
        }
        // `kvHorizon` counted evictable cached blocks as free: evict what the steps used.
        if replica.freeBlocks < 0, let cache = replica.prefixCache { replica.freeBlocks += cache.evict(atLeast: -replica.freeBlocks) }
        return anyFinished
    }

    /// Applies a step with prefill chunks: chunks land in the KV cache, a finished prefill emits a
    /// token (the first one, or the next after a recompute), decoding sequences emit one each.
    func applyMixedStep(_ replica: Replica) {
        replica.steps += 1
        let now = events.now
        for slot in replica.running {
            let i = Int(slot)
            if requests.slots[i].isPrefilling {
                requests.slots[i].prefilled += requests.slots[i].chunkInFlight
                requests.slots[i].chunkInFlight = 0
                if !requests.slots[i].isPrefilling {
                    requests.slots[i].generated += 1
                    if requests.slots[i].firstToken < 0 {
                        requests.slots[i].firstToken = now
                        noteFirstToken(slot, on: replica)
                    }
                }
            } else {
                requests.slots[i].generated += 1
            }
        }
        if let cache = replica.prefixCache { cacheComputedBlocks(replica, cache: cache) }
    }

    /// Ends every running request that has all its output tokens; returns how many ended.
    func completeFinished(_ replica: Replica) -> Int {
        var kept = 0
        var ended = 0
        for slot in replica.running {
            let r = requests.slots[Int(slot)]
            if r.cancelled || r.generated >= r.outputTokens {
                replica.freeBlocks += Int(r.heldBlocks)
                if let cache = replica.prefixCache { releasePrefix(slot, on: replica, cache: cache) }
                if r.cancelled { dropCancelled(slot) } else { finish(slot, .completed) }
                ended += 1
            } else {
                replica.running[kept] = slot
                kept += 1
            }
        }
        replica.running.removeLast(replica.running.count - kept)
        return ended
    }

    /// Runs the scheduler at a step boundary and schedules the next boundary event.
    ///
    /// Order as in vLLM's unified scheduler: running sequences first (one token each when decoding,
    /// the next chunk when prefilling), preempting from the back of the batch when KV blocks run
    /// out; then waiting requests in FCFS order while the batch, the token budget and free KV
    /// blocks allow. `continuing` says the previous step was a decode step whose batch did not
    /// change; if nothing changes now either, the stretch goes on with its original timing.
    func planStep(_ replica: Replica, continuing: Bool) {
        // Read the fields needed, not the pool: copying `PoolState` retains all it holds.
        let config = pools[replica.pool].spec.scheduler
        let blockSize = Int32(config.blockSize)
        var budget = config.maxBatchedTokens
        var changed = !continuing
        let batchWasEmpty = replica.running.isEmpty
        let preemptionsBefore = replica.preemptions

        var i = 0
        while i < replica.running.count {
            let slot = Int(replica.running[i])
            let r = requests.slots[slot]
            if r.isPrefilling {
                let chunk = Int32(min(Int(r.prefillTarget - r.prefilled), budget))
                if chunk == 0 { i += 1; continue }
                let needed = (r.prefilled + chunk + blockSize - 1) / blockSize - r.heldBlocks
                if !reserve(Int(needed), for: i, on: replica) { continue }
                requests.slots[slot].heldBlocks += max(0, needed)
                requests.slots[slot].chunkInFlight = chunk
                budget -= Int(chunk)
                changed = true
            } else {
                let needed = (r.tokens + blockSize - 1) / blockSize - r.heldBlocks
                if needed > 0 {
                    if !reserve(Int(needed), for: i, on: replica) { continue }
                    requests.slots[slot].heldBlocks += needed
                }
                budget -= 1
            }
            i += 1  // preemptions inside `reserve` only remove sequences after position i
        }
        if replica.preemptions != preemptionsBefore { changed = true }

        if config.policy == .continuous || batchWasEmpty {
            while replica.running.count < config.maxNumSeqs && budget > 0, let slot = peekWaiting(replica) {
                if let cache = replica.prefixCache {
                    if !admitWithPrefixCache(slot, on: replica, cache: cache, budget: &budget) { break }
                    changed = true
                    continue
                }
                let r = requests.slots[Int(slot)]
                let need = Int(r.prefillTarget - r.prefilled)
                if !config.chunkedPrefill && need > budget { break }
                let chunk = Int32(min(need, budget))
                // A request whose KV arrived from a prefill pool (disaggregation) has nothing to
                // prefill: it joins as a decoding sequence, with blocks for its whole context.
                let blocks = Int(((need > 0 ? chunk : r.tokens) + blockSize - 1) / blockSize)
                if blocks > replica.freeBlocks { break }
                popWaiting(replica)
                replica.freeBlocks -= blocks
                requests.slots[Int(slot)].heldBlocks = Int32(blocks)
                requests.slots[Int(slot)].chunkInFlight = chunk
                requests.slots[Int(slot)].replica = Int32(replica.index)
                if r.firstScheduled < 0 { requests.slots[Int(slot)].firstScheduled = events.now }
                replica.running.append(slot)
                budget -= need > 0 ? Int(chunk) : 1
                changed = true
            }
        }
        scheduleNext(replica, model: pools[replica.pool].stepModel!, changed: changed)
    }

    /// Frees `blocks` KV blocks for the sequence at `position`, preempting from the back of the
    /// batch. Returns false when that sequence itself had to be preempted.
    func reserve(_ blocks: Int, for position: Int, on replica: Replica) -> Bool {
        if replica.freeBlocks < blocks, let cache = replica.prefixCache {
            replica.freeBlocks += cache.evict(atLeast: blocks - replica.freeBlocks)  // cached blocks go before sequences
        }
        while replica.freeBlocks < blocks {
            let victim = replica.running.count - 1
            preempt(at: victim, on: replica)
            if victim == position { return false }
        }
        replica.freeBlocks -= blocks
        return true
    }

    /// Preemption by recompute: the sequence loses its KV cache and goes back to the head of the
    /// replica's queue; it will prefill its prompt and the tokens generated so far again.
    func preempt(at position: Int, on replica: Replica) {
        let slot = replica.running.remove(at: position)
        let i = Int(slot)
        replica.freeBlocks += Int(requests.slots[i].heldBlocks)
        if let cache = replica.prefixCache { releasePrefix(slot, on: replica, cache: cache) }
        requests.slots[i].heldBlocks = 0
        requests.slots[i].prefilled = 0
        requests.slots[i].chunkInFlight = 0
        requests.slots[i].prefillTarget = requests.slots[i].tokens
        replica.waiting.pushFront(slot)
        changeQueued(replica.pool, by: 1)
        replica.preemptions += 1
        executor?.release(sequence: i)
    }

    /// Schedules the boundary event of the step (or stretch of decode steps) the scheduler chose.
    func scheduleNext(_ replica: Replica, model: any StepTimeModel, changed: Bool) {
        let now = events.now
        if replica.running.isEmpty {
            addBusy(replica, until: now)
            replica.work = .idle
            if replica.lifecycle == .draining { stopReplica(replica) }
            return
        }
        var shape = StepShape()
        var minRemaining = Int32.max
        let states = requests.slots
        for slot in replica.running {
            let r = states[Int(slot)]
            if r.chunkInFlight > 0 {
                shape.prefillTokens += Int(r.chunkInFlight)
                shape.prefillAttentionPairs += StepShape.attentionPairs(chunk: Int(r.chunkInFlight), cached: Int(r.prefilled))
                shape.prefillSeqs += 1
            } else if !r.isPrefilling {
                shape.decodeSeqs += 1
                shape.decodeContext += Int(r.tokens)
                minRemaining = min(minRemaining, r.outputTokens - r.generated)
            }
        }
        replica.stamp &+= 1
        if let executor {
            // Real serving: run the step now; its boundary is when it finishes on the wall clock.
            _ = executor.execute(replica.running.map { slot in
                let r = requests.slots[Int(slot)]
                return r.chunkInFlight > 0
                    ? SequenceWork(sequence: Int(slot), newTokens: Int(r.chunkInFlight), cachedTokens: Int(r.prefilled), isDecode: false)
                    : SequenceWork(sequence: Int(slot), newTokens: 1, cachedTokens: Int(r.tokens) - 1, isDecode: true)
            })
            replica.work = shape.prefillTokens > 0 || shape.decodeSeqs == 0 ? .mixed : .decode
            if replica.work == .decode {
                replica.stretch = DecodeStretch(start: now, batch: shape.decodeSeqs, initialContext: shape.decodeContext,
                                                cost: model.decodeCost(batch: shape.decodeSeqs))
                replica.stretchApplied = 0
                replica.planTarget = 1
            }
            events.schedule(at: max(now, wallNow()), kind: EventKind.boundary, target: replica.index, stamp: replica.stamp)
            return
        }
        if shape.prefillTokens > 0 || shape.decodeSeqs == 0 {
            replica.work = .mixed
            events.schedule(at: now + model.stepTime(shape), kind: EventKind.boundary,
                            target: replica.index, stamp: replica.stamp)
            return
        }
        if changed || replica.work != .decode || replica.retime {
            replica.stretch = DecodeStretch(start: now, batch: shape.decodeSeqs, initialContext: shape.decodeContext,
                                            cost: model.decodeCost(batch: shape.decodeSeqs))
            replica.stretchApplied = 0
            replica.retime = false
            replica.speculativeStretch = shape.decodeSeqs <= pools[replica.pool].speculativeUpTo
        }
        assert(shape.decodeContext == replica.stretch.initialContext + replica.stretchApplied * shape.decodeSeqs)
        replica.work = .decode
        let steps = perIteration ? 1 : kvHorizon(replica, limit: Int(minRemaining))
        replica.planTarget = replica.stretchApplied + steps
        events.schedule(at: replica.stretch.endOfStep(replica.planTarget), kind: EventKind.boundary,
                        target: replica.index, stamp: replica.stamp)
    }

    /// The most decode steps (at most `limit`, at least 1) that can run before some sequence needs
    /// a KV block the cache no longer has. The first step's blocks are already reserved.
    func kvHorizon(_ replica: Replica, limit: Int) -> Int {
        let blockSize = pools[replica.pool].spec.scheduler.blockSize
        let states = requests.slots
        func blocksNeeded(_ k: Int) -> Int {
            var total = 0
            for slot in replica.running {
                let r = states[Int(slot)]
                let needed = (Int(r.tokens) + k - 1 + blockSize - 1) / blockSize - Int(r.heldBlocks)
                if needed > 0 { total += needed }
            }
            return total
        }
        // Evictable cached blocks count as free (`applyDecodeSteps` evicts what the steps use).
        let free = availableKVBlocks(replica)
        if blocksNeeded(limit) <= free { return limit }
        var lo = 1, hi = limit - 1  // blocksNeeded(1) == 0 <= free
        while lo < hi {
            let mid = (lo + hi + 1) >> 1
            if blocksNeeded(mid) <= free { lo = mid } else { hi = mid - 1 }
        }
        return lo
    }
}
