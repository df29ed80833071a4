import ServingModel

/// Engine steps on token-level replicas, at a step boundary: the step's tokens land, finished
/// requests end, the scheduler plans the next step (`Simulation+Scheduler`) and times it
/// (`Simulation+StepTiming`).
///
/// The per-iteration mode runs the same code with every plan capped at one step, so each decode
/// step is an event and the scheduler runs at every step boundary; the jump-ahead mode runs the
/// scheduler only where its decision can change (an arrival, a completion, KV exhaustion).
extension Simulation {
    /// A replica's pending step ended: apply its tokens, end finished requests, schedule again.
    func handleBoundary(_ replica: Replica) {
        let wasDecode = replica.work == .decode
        // When the step that just ended started: what an async-scheduling engine had seen when it
        // planned the next one.
        let stepStarted = wasDecode ? replica.stretch.endOfStep(replica.planTarget - 1) : replica.stepStart
        var anyFinished = true
        if wasDecode {
            anyFinished = applyDecodeSteps(replica, replica.planTarget - replica.stretchApplied)
            replica.stretchApplied = replica.planTarget
        } else {
            applyMixedStep(replica)
        }
        let completed = anyFinished ? completeFinished(replica) : 0
        if let disaggregation = features.disaggregation, disaggregation.handsOff(replica) {
            disaggregation.handOffPrefilled(replica, self)
        }
        planStep(replica, continuing: wasDecode && completed == 0,
                 visibleUntil: pools[replica.pool].pipeline.asyncScheduling ? stepStarted : .infinity)
    }

    /// An arrival lands while a decode stretch runs: end the plan at the next step boundary, where
    /// the scheduler will consider the newcomer (with async scheduling, the one after: the next
    /// step was planned when the step in flight started). `newcomer` false: the engine itself
    /// changed (a step model switch), which takes effect at the next boundary either way.
    func interrupt(_ replica: Replica, newcomer: Bool = true) {
        let done = replica.stretch.stepsCompleted(by: events.now, limit: replica.planTarget)
        let lag = newcomer && pools[replica.pool].pipeline.asyncScheduling ? 2 : 1
        guard done + lag < replica.planTarget else { return }
        replica.planTarget = done + lag
        replica.stamp &+= 1
        events.schedule(at: replica.stretch.endOfStep(replica.planTarget), .stepBoundary,
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
        features.speculation?.countDecodeTokens(replica, k * replica.running.count)
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
        if replica.freeBlocks < 0, let caching = features.prefixCaching {
            replica.freeBlocks += caching.evict(atLeast: -replica.freeBlocks, on: replica)
        }
        return anyFinished
    }

    /// Applies a step with prefill chunks: chunks land in the KV cache, a finished prefill emits a
    /// token (the first one, or the next after a recompute), decoding sequences emit one each.
    func applyMixedStep(_ replica: Replica) {
        replica.steps += 1
        let now = events.now
        // The client sees a token its output processing and streaming after the step.
        let seen = now + pools[replica.pool].pipeline.deliveryDelay(sequences: replica.running.count)
        for slot in replica.running {
            let i = Int(slot)
            if requests.slots[i].isPrefilling {
                requests.slots[i].prefilled += requests.slots[i].chunkInFlight
                requests.slots[i].chunkInFlight = 0
                if !requests.slots[i].isPrefilling {
                    requests.slots[i].generated += 1
                    if requests.slots[i].firstToken < 0 {
                        requests.slots[i].firstToken = seen
                        if pools[replica.pool].routerObservesFirstTokens { routers[replica.pool].firstToken(slot, on: replica, self) }
                    }
                }
            } else {
                requests.slots[i].generated += 1
            }
        }
        features.prefixCaching?.cacheComputedBlocks(replica, self)
    }

    /// Ends every running request that has all its output tokens; returns how many ended.
    func completeFinished(_ replica: Replica) -> Int {
        var kept = 0
        var ended = 0
        let delay = pools[replica.pool].pipeline.deliveryDelay(sequences: replica.running.count)
        for slot in replica.running {
            let i = Int(slot)
            let cancelled = requests.slots[i].cancelled
            let held = requests.slots[i].heldBlocks
            if cancelled || requests.slots[i].generated >= requests.slots[i].outputTokens {
                replica.freeBlocks += Int(held)
                features.prefixCaching?.release(slot, on: replica, self)
                if cancelled { dropCancelled(slot) } else { finish(slot, .completed, deliveryDelay: delay) }
                ended += 1
            } else {
                replica.running[kept] = slot
                kept += 1
            }
        }
        replica.running.removeLast(replica.running.count - kept)
        return ended
    }
}
