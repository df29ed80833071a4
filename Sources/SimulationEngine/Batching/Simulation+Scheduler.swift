import ServingModel

/// The scheduler of a token-level replica, run at every step boundary it must decide at: vLLM's
/// unified scheduler, continuous batching with chunked prefill, KV blocks and preemption by
/// recompute (static `fcfs` batching admits only into an empty batch).
extension Simulation {
    /// Runs the scheduler at a step boundary and schedules the next boundary event.
    ///
    /// Order as in vLLM's unified scheduler: running sequences first (one token each when decoding,
    /// the next chunk when prefilling), preempting from the back of the batch when KV blocks run
    /// out; then waiting requests in FCFS order while the batch, the token budget and free KV
    /// blocks allow. `continuing` says the previous step was a decode step whose batch did not
    /// change; if nothing changes now either, the stretch goes on with its original timing.
    ///
    /// `visibleUntil`: with async scheduling the step being planned was planned when the previous
    /// one started, so it takes only requests that had reached the queue by then (later ones are
    /// held back for one step, `Replica.heldBack`). An engine with nothing to run plans at once
    /// and sees everything.
    func planStep(_ replica: Replica, continuing: Bool, visibleUntil: Double = .infinity) {
        // Read the fields needed, not the pool: copying `Pool` retains all it holds.
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

        replica.heldBack = false
        if config.policy == .continuous || batchWasEmpty {
            admitVisible(replica, config: config, cutoff: visibleUntil, budget: &budget, changed: &changed)
            if replica.running.isEmpty && replica.heldBack {
                replica.heldBack = false
                admitVisible(replica, config: config, cutoff: .infinity, budget: &budget, changed: &changed)
            }
        }
        scheduleNext(replica, model: pools[replica.pool].stepModel!, changed: changed)
    }

    /// Admits waiting requests that reached the queue by `cutoff`, in FCFS order, while the batch,
    /// the token budget and free KV blocks allow.
    private func admitVisible(_ replica: Replica, config: SchedulerConfig, cutoff: Double, budget: inout Int, changed: inout Bool) {
        if let caching = features.prefixCaching, let cache = caching.cache(of: replica) {
            while replica.running.count < config.maxNumSeqs && budget > 0, let slot = nextVisible(replica, cutoff: cutoff) {
                if !caching.admit(slot, on: replica, cache: cache, budget: &budget, self) { break }
                changed = true
            }
        } else {
            admitWaiting(replica, config: config, cutoff: cutoff, budget: &budget, changed: &changed)
        }
    }

    /// The head of the replica's waiting requests if the scheduler sees it: nil when there is none
    /// or it reached the queue after `cutoff` (then the replica is `heldBack`).
    @inline(__always)
    func nextVisible(_ replica: Replica, cutoff: Double) -> Int32? {
        guard let slot = peekWaiting(replica) else { return nil }
        if requests.slots[Int(slot)].queuedAt > cutoff {
            replica.heldBack = true
            return nil
        }
        return slot
    }

    /// Admits waiting requests in FCFS order while the batch, the token budget and free KV blocks
    /// allow (a replica without a prefix cache).
    private func admitWaiting(_ replica: Replica, config: SchedulerConfig, cutoff: Double, budget: inout Int, changed: inout Bool) {
        let blockSize = Int32(config.blockSize)
        while replica.running.count < config.maxNumSeqs && budget > 0, let slot = nextVisible(replica, cutoff: cutoff) {
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

    /// Frees `blocks` KV blocks for the sequence at `position`, preempting from the back of the
    /// batch. Returns false when that sequence itself had to be preempted.
    func reserve(_ blocks: Int, for position: Int, on replica: Replica) -> Bool {
        if replica.freeBlocks < blocks, let caching = features.prefixCaching {
            // Cached blocks go before sequences.
            replica.freeBlocks += caching.evict(atLeast: blocks - replica.freeBlocks, on: replica)
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
        features.prefixCaching?.release(slot, on: replica, self)
        requests.slots[i].heldBlocks = 0
        requests.slots[i].prefilled = 0
        requests.slots[i].chunkInFlight = 0
        requests.slots[i].prefillTarget = requests.slots[i].tokens
        replica.waiting.pushFront(slot)
        changeQueued(replica.pool, by: 1)
        replica.preemptions += 1
        executor?.release(sequence: i)
    }
}
