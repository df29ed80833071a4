import ServingModel

/// Timing the step the scheduler chose: a mixed (prefill) step is one event; a decode-only batch
/// is a stretch of steps timed in closed form (`DecodeStretch`) up to the first step whose outcome
/// could change a decision (a completion, a KV block the cache cannot give).
extension Simulation {
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
            executeForReal(replica, executor: executor, shape: shape, model: model)
            return
        }
        // The engine's CPU work per step (`EnginePipeline`) is added to the GPU time, or overlapped.
        let pipeline = pools[replica.pool].pipeline
        if shape.prefillTokens > 0 || shape.decodeSeqs == 0 {
            replica.work = .mixed
            replica.stepStart = now
            var time = model.stepTime(shape)
            if pipeline.hasCPUCost { time = pipeline.stepTime(gpu: time, sequences: shape.prefillSeqs + shape.decodeSeqs) }
            events.schedule(at: now + time, .stepBoundary, target: replica.index, stamp: replica.stamp)
            return
        }
        if changed || replica.work != .decode || replica.retime {
            var cost = model.decodeCost(batch: shape.decodeSeqs)
            if pipeline.hasCPUCost { cost = pipeline.decodeCost(cost, batch: shape.decodeSeqs) }
            replica.stretch = DecodeStretch(start: now, batch: shape.decodeSeqs, initialContext: shape.decodeContext, cost: cost)
            replica.stretchApplied = 0
            replica.retime = false
            features.speculation?.stretchStarted(replica, batch: shape.decodeSeqs, self)
        }
        assert(shape.decodeContext == replica.stretch.initialContext + replica.stretchApplied * shape.decodeSeqs)
        replica.work = .decode
        let steps = perIteration || replica.heldBack ? 1 : kvHorizon(replica, limit: Int(minRemaining))
        replica.planTarget = replica.stretchApplied + steps
        events.schedule(at: replica.stretch.endOfStep(replica.planTarget), .stepBoundary,
                        target: replica.index, stamp: replica.stamp)
    }

    /// Real serving: runs the step now on the executor; its boundary is when it finishes on the wall
    /// clock (one step per event).
    private func executeForReal(_ replica: Replica, executor: StepExecutor, shape: StepShape, model: any StepTimeModel) {
        let now = events.now
        _ = executor.execute(replica.running.map { slot in
            let r = requests.slots[Int(slot)]
            return r.chunkInFlight > 0
                ? SequenceWork(sequence: Int(slot), newTokens: Int(r.chunkInFlight), cachedTokens: Int(r.prefilled), isDecode: false)
                : SequenceWork(sequence: Int(slot), newTokens: 1, cachedTokens: Int(r.tokens) - 1, isDecode: true)
        })
        replica.work = shape.prefillTokens > 0 || shape.decodeSeqs == 0 ? .mixed : .decode
        replica.stepStart = now
        if replica.work == .decode {
            replica.stretch = DecodeStretch(start: now, batch: shape.decodeSeqs, initialContext: shape.decodeContext,
                                            cost: pools[replica.pool].pipeline.decodeCost(model.decodeCost(batch: shape.decodeSeqs),
                                                                                         batch: shape.decodeSeqs))
            replica.stretchApplied = 0
            replica.planTarget = 1
        }
        events.schedule(at: max(now, wallClock!.now()), .stepBoundary, target: replica.index, stamp: replica.stamp)
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

    /// KV blocks a replica can give out now: free ones plus evictable cached ones.
    func availableKVBlocks(_ replica: Replica) -> Int {
        replica.freeBlocks + (features.prefixCaching?.evictableBlocks(on: replica) ?? 0)
    }

    /// KV blocks in use on a replica: evictable cached blocks count as free.
    func usedKVBlocks(_ replica: Replica) -> Int {
        replica.totalBlocks - availableKVBlocks(replica)
    }
}
