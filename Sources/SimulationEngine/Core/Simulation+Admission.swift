import ServingModel

/// Admission: an attempt (a first try or a retry) on its way to a pool passes the steering stages
/// (`Features.stages`: regions, routers, releases, ladders), enters the system (a slot, the client's
/// timeout), then the checks (the core's, then each stage's); rejected, it is offered to the stages
/// (the hosted endpoint's overflow) before it is recorded as rejected. Admitted, it is routed.
extension Simulation {
    func admit(_ state: RequestState) {
        var attempt = state
        // Its region's pool (when a geo router sent it) or its class's pool, for the full output it
        // asks for; the stages may change both.
        attempt.pool = Int32(attempt.home >= 0 ? Int(attempt.home) : scenario.classPools[Int(attempt.classIndex)])
        attempt.outputTokens = attempt.requestedOutput
        var turnedAway: Rejection?
        // (Touching the list only when it has stages keeps a plain scenario's path free of
        // reference counting.)
        let staged = !features.stages.isEmpty
        if staged {
            steering: for stage in features.stages {
                switch stage.steer(&attempt, self) {
                case .proceed: continue
                case .taken: return
                case .reject(let reason):
                    turnedAway = reason
                    break steering
                }
            }
        }
        let p = Int(attempt.pool)
        let slot = enterSystem(attempt)
        features.autoscaling?.noteArrival(pool: p)
        if let reason = turnedAway ?? rejection(slot, pool: p, staged: staged) {
            if staged { for stage in features.stages where stage.takeRejected(slot, reason: reason, self) { return } }
            pools[p].rejected += 1
            finish(slot, .rejected)
            return
        }
        features.limits?.admitted(slot, self)
        route(slot, pool: p)
    }

    /// Puts an attempt into the system: a slot, the time series' arrival count, the client's timeout.
    func enterSystem(_ state: RequestState) -> Int32 {
        let slot = requests.insert(state)
        changeInSystem(by: 1)
        series.arrival(at: state.arrival)
        features.clients?.armTimeout(slot, self)
        return slot
    }

    /// Why pool `p` turns the attempt in `slot` away, or nil when it takes it: too long, queue full
    /// (the core's checks), then each stage's check in order.
    func rejection(_ slot: Int32, pool p: Int, staged: Bool) -> Rejection? {
        if !canEverServe(slot, pool: p) { return .tooLong }
        if isQueueFull(p) { return .queueFull }
        guard staged else { return nil }
        for stage in features.stages {
            if let reason = stage.check(slot, pool: p, self) { return reason }
        }
        return nil
    }

    /// False when the request can never run on the pool: its tokens exceed a replica's KV cache, or
    /// they exceed the step token budget while prefill cannot be chunked.
    func canEverServe(_ slot: Int32, pool p: Int) -> Bool {
        let r = requests.slots[Int(slot)]
        return canEverServe(tokens: Int(r.promptTokens + r.outputTokens), pool: p)
    }

    /// `canEverServe` for a sequence of `tokens` prompt + output tokens.
    func canEverServe(tokens: Int, pool p: Int) -> Bool {
        guard pools[p].stepModel != nil else { return true }
        let spec = pools[p].spec.scheduler
        let blocksNeeded = (tokens + spec.blockSize - 1) / spec.blockSize
        if blocksNeeded > replicas[pools[p].replicas.lowerBound].totalBlocks { return false }
        // Without chunked prefill the whole sequence must fit one step's token budget, as vLLM requires
        // max_num_batched_tokens >= max_model_len (a recompute after preemption re-prefills it all).
        if !spec.chunkedPrefill && tokens > spec.maxBatchedTokens { return false }
        // A prefill pool's request must also fit its decode pool (disaggregation).
        if let d = features.disaggregation?.decodePool(of: p) { return canEverServe(tokens: tokens, pool: d) }
        return true
    }

    func isQueueFull(_ p: Int) -> Bool {
        guard let cap = pools[p].spec.maxQueueLength else { return false }
        return pools[p].queued >= cap
    }

    /// Half the round trip between the attempt's client and the pool it was sent to, seconds (0
    /// until a geo router sends it, and always without regions).
    @inline(__always) func halfRTT(_ r: RequestState) -> Double {
        r.home < 0 ? 0 : features.regions!.halfRTT(origin: Int(r.origin), pool: Int(r.home))
    }

    /// Seconds from the client's send of the attempt to its arrival at the pool: the pool's request
    /// overhead plus half the RTT (the class's own pool's overhead for an attempt not sent to a region).
    @inline(__always) func reachDelay(_ r: RequestState) -> Double {
        r.home < 0 ? pools[scenario.classPools[Int(r.classIndex)]].requestOverhead
                   : pools[Int(r.home)].requestOverhead + halfRTT(r)
    }
}
