import ServingModel
extension Simulation {
    func scheduleArrival(_ classIndex: Int) {
        guard let draw = pendingDraws[classIndex] else { return }
        let pool = scenario.classPools[classIndex]
        // A class passing the gateway arrives there when sent; the pool's overhead comes after it.
        // With regions the geo router sends it on at the send (overhead and RTT come after).
        let overhead = passesGateway(classIndex) || regionRun != nil ? 0 : pools[pool].requestOverhead
        events.schedule(at: draw.time + overhead, kind: EventKind.arrival, target: classIndex)
    }

    /// A request of `classIndex` reaches its pool (after the pool's per-request overhead).
    func handleArrival(classIndex: Int) {
        guard let draw = pendingDraws[classIndex] else { return }
        pendingDraws[classIndex] = arrivalSources[classIndex].next()
        scheduleArrival(classIndex)
        let p = scenario.classPools[classIndex]
        var state = RequestState(
            classIndex: Int32(classIndex), pool: Int32(p), promptTokens: Int32(draw.promptTokens),
            outputTokens: Int32(draw.outputTokens), prefillTarget: Int32(draw.promptTokens),
            requestedOutput: Int32(draw.outputTokens), arrival: draw.time,
            serviceQuantile: serviceStreams[classIndex].uniformPositive())
        state.firstArrival = draw.time
        if prefix != nil { state.prefixChain = prefixChain(classIndex: classIndex, draw: draw) }
        if let g = regionRun { state.origin = g.drawOrigin(classIndex) }
        if draw.time >= scenario.warmup {
            measuredArrived += 1
            measuredInFlight += 1
            measuredArrivedByClass[classIndex] += 1
            measuredInFlightByClass[classIndex] += 1
        }
        if passesGateway(classIndex) { gatewayArrival(state) } else { admit(state) }
    }

    /// An attempt (first try or retry) enters its class's pool: the pool's degradation ladder (which
    /// may shed it, send it to another pool or cap its output), admission control, then routing;
    /// the client's timeout starts.
    func admit(_ state: RequestState) {
        if regionRun != nil && state.home < 0 { sendToRegion(state); return }  // at the send: pick a region
        var state = state
        // Its region's pool (geo routing) or its class's pool; then router and release (`steer`);
        // then the chosen pool's ladder.
        let home = traffic == nil ? (state.home >= 0 ? Int(state.home) : scenario.classPools[Int(state.classIndex)]) : steer(state)
        state.pool = Int32(home)
        state.outputTokens = state.requestedOutput
        var shed = false
        if let l = ladderOfPool[home], ladders[l].state.level > 0 { shed = degrade(&state, ladder: l) }
        let p = Int(state.pool)
        let slot = enterSystem(state)
        pools[p].arrivalsSinceTick += 1
        if let reason = rejection(slot, pool: p, shed: shed) {
            if overflowToHosted(slot, reason: reason) { return }
            pools[p].rejected += 1
            finish(slot, .rejected)
            return
        }
        inFlightTokens += Int(state.promptTokens + state.outputTokens)
        route(slot, pool: p)
    }

    /// Puts an attempt into the system: a slot, the time series' arrival count, the client's timeout.
    func enterSystem(_ state: RequestState) -> Int32 {
        let slot = requests.insert(state)
        changeInSystem(by: 1)
        series.arrival(at: state.arrival)
        if let timeout = scenario.classes[Int(state.classIndex)].client?.timeout {
            // From the send (plus the pool's overhead): the outbound half RTT counts against it.
            events.schedule(at: max(events.now, events.now + timeout - halfRTT(state)), kind: EventKind.timeout, target: Int(slot),
                            stamp: requests.slots[Int(slot)].generation)
        }
        return slot
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
        if let d = disaggregation?.decodePool(of: p) { return canEverServe(tokens: tokens, pool: d) }
        return true
    }

    func isQueueFull(_ p: Int) -> Bool {
        guard let cap = pools[p].spec.maxQueueLength else { return false }
        return pools[p].queued >= cap
    }

    /// Sends a request to a ready replica of its pool by the pool's policy. With no replica ready
    /// (all starting, or scaled to zero) it waits in the pool's queue, which the first replica to
    /// become ready serves; a pool scaled to zero starts a replica.
    func route(_ slot: Int32, pool p: Int) {
        let range = pools[p].replicas
        let now = events.now
        changeQueued(p, by: 1)
        pools[p].inPool.add(1, at: now)
        pools[p].idleSince = nil
        requests.slots[Int(slot)].routed = true
        switch pools[p].spec.routing {
        case .sharedQueue:
            pools[p].shared.pushBack(slot)
            for i in range where replicas[i].lifecycle == .ready {
                if pools[p].shared.isEmpty { break }
                poke(replicas[i])
            }
        case .roundRobin:
            for k in 0..<range.count {
                let i = range.lowerBound + (pools[p].roundRobinNext + k) % range.count
                if replicas[i].lifecycle == .ready {
                    pools[p].roundRobinNext = (i - range.lowerBound + 1) % range.count
                    assign(slot, to: replicas[i])
                    return
                }
            }
            pools[p].shared.pushBack(slot)
        case .leastOutstanding:
            var best = -1
            for i in range where replicas[i].lifecycle == .ready && (best < 0 || replicas[i].outstanding < replicas[best].outstanding) {
                best = i
            }
            if best >= 0 { assign(slot, to: replicas[best]) } else { pools[p].shared.pushBack(slot) }
        case .prefixAffinity, .sessionAffinity:
            if let i = affinityReplica(slot, pool: p) { assign(slot, to: replicas[i]) } else { pools[p].shared.pushBack(slot) }
        case .leastKV, .powerOfTwo, .ewma, .weightedRoundRobin:
            if let i = chooseReplica(pool: p) { assign(slot, to: replicas[i]) } else { pools[p].shared.pushBack(slot) }
        }
        if !pools[p].shared.isEmpty { activateIfNeeded(pool: p) }
    }

    func assign(_ slot: Int32, to replica: Replica) {
        requests.slots[Int(slot)].replica = Int32(replica.index)
        replica.waiting.pushBack(slot)
        poke(replica)
    }

    /// Tells a replica that work may be waiting for it.
    func poke(_ replica: Replica) {
        guard replica.lifecycle == .ready || replica.lifecycle == .draining else { return }
        if pools[replica.pool].service != nil {
            startServices(replica)
            return
        }
        switch replica.work {
        case .idle:
            replica.busySince = events.now
            planStep(replica, continuing: false)
        case .decode:
            let config = pools[replica.pool].spec.scheduler
            if config.policy == .continuous && replica.running.count < config.maxNumSeqs { interrupt(replica) }
        case .mixed:
            break  // its scheduler runs again when the step ends
        }
    }

    /// The next request a replica may admit: its own queue first (preempted, then routed), then
    /// the pool's shared queue.
    ///
    /// Requests cancelled while waiting (timed out) are dropped here, when they reach the head.
    func peekWaiting(_ replica: Replica) -> Int32? {
        let p = replica.pool
        while let s = replica.waiting.first, requests.slots[Int(s)].cancelled {
            replica.waiting.popFront()
            changeQueued(p, by: -1)
            dropCancelled(s)
        }
        if let s = replica.waiting.first { return s }
        guard replica.lifecycle == .ready else { return nil }
        while let s = pools[p].shared.first, requests.slots[Int(s)].cancelled {
            pools[p].shared.popFront()
            changeQueued(p, by: -1)
            dropCancelled(s)
        }
        return pools[p].shared.first
    }

    func popWaiting(_ replica: Replica) {
        if replica.waiting.popFront() == nil { pools[replica.pool].shared.popFront() }
        changeQueued(replica.pool, by: -1)
    }
}
