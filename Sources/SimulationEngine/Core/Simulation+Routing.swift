import ServingModel

/// Routing within a pool: the pool's policy (`Pool.router`) picks a ready replica, or the request
/// waits in the pool's shared queue; replicas take work from their own queue first, then the pool's.
extension Simulation {
    /// Sends a request to a ready replica of its pool by the pool's policy. With no replica ready
    /// (all starting, or scaled to zero) it waits in the pool's queue, which the first replica to
    /// become ready serves; a pool scaled to zero starts a replica.
    func route(_ slot: Int32, pool p: Int) {
        let now = events.now
        changeQueued(p, by: 1)
        pools[p].inPool.add(1, at: now)
        pools[p].idleSince = nil
        requests.slots[Int(slot)].routed = true
        requests.slots[Int(slot)].queuedAt = now
        let router = routers[p]
        if let i = router.choose(slot, pool: p, self) {
            assign(slot, to: replicas[i])
        } else {
            pools[p].shared.pushBack(slot)
            if router.isSharedQueue {
                for i in pools[p].replicas where replicas[i].lifecycle == .ready {
                    if pools[p].shared.isEmpty { break }
                    poke(replicas[i])
                }
            }
        }
        if !pools[p].shared.isEmpty { features.autoscaling?.activateIfNeeded(pool: p, self) }
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
