import ServingModel
/// Replica lifecycle: starting (cold, or warm from a warm pool), ready, draining, stopped. Time in
/// each state is accounted inside the measured span, which is what the cost split bills.
extension Simulation {
    /// Moves a replica to `state`, accounting the time it spent in the old one.
    func setLifecycle(_ replica: Replica, _ state: Replica.Lifecycle) {
        accountLifecycle(replica, until: events.now)
        replica.lifecycle = state
        replica.lifecycleStamp &+= 1
    }

    /// Adds the time since the last accounting to the replica's current state (measured span only).
    func accountLifecycle(_ replica: Replica, until time: Double) {
        let from = max(replica.lifecycleSince, scenario.warmup)
        if time > from { replica.secondsIn[replica.lifecycle.rawValue] += time - from }
        replica.lifecycleSince = max(replica.lifecycleSince, time)
    }

    /// Starts a stopped or warm replica; it becomes `target` (ready, or warm) when the start ends.
    /// A warm replica starts in the warm pool's start time, any other in a sampled cold start.
    func startReplica(_ replica: Replica, into target: Replica.Lifecycle) {
        let p = replica.pool
        if features.faults?.isDown(p, at: events.now) == true { return }  // nothing starts in a zone that is down
        var duration = 0.0
        if replica.lifecycle == .warm, let warm = pools[p].spec.warmPool {
            duration = warm.startTime.sample(pools[p].startStream)
            pools[p].warmStarts += 1
        } else {
            if let cold = pools[p].spec.coldStart {
                duration = cold.sample(pools[p].startStream, modelBytes: pools[p].spec.modelBytes).total
            }
            pools[p].coldStarts += 1
        }
        setLifecycle(replica, .starting)
        replica.startsInto = target
        events.schedule(at: events.now + duration, .startDone, target: replica.index, stamp: replica.lifecycleStamp)
    }

    /// A start finished: the replica serves (and takes what waits in its pool) or joins the warm pool.
    func handleStartDone(_ replica: Replica) {
        setLifecycle(replica, replica.startsInto)
        if replica.lifecycle == .ready {
            for observer in features.replicaObservers { observer.replicaBecameReady(replica, self) }
            poke(replica)
        }
    }

    /// Stops taking new requests; requests routed to it but not yet admitted go back to the pool,
    /// the batch finishes, then the replica stops (its cost stops with it).
    func beginDrain(_ replica: Replica) {
        let p = replica.pool
        setLifecycle(replica, .draining)
        var moved = false
        while let slot = replica.waiting.popFront() {
            requests.slots[Int(slot)].replica = -1
            pools[p].shared.pushBack(slot)
            moved = true
        }
        if replica.running.isEmpty { stopReplica(replica) }
        if moved { for i in pools[p].replicas where replicas[i].lifecycle == .ready { poke(replicas[i]) } }
    }

    /// A drained (or never used) replica stops; it refills the warm pool when that is short.
    func stopReplica(_ replica: Replica) {
        let p = replica.pool
        if let caching = features.prefixCaching { replica.freeBlocks += caching.clear(replica, self) }
        let warm = pools[p].replicas.filter { replicas[$0].lifecycle == .warm }.count
        setLifecycle(replica, warm < (pools[p].spec.warmPool?.size ?? 0) ? .warm : .off)
    }

    /// Number of replicas of pool `p` in `state` (starting ones counted by what they start into).
    func count(_ p: Int, _ state: Replica.Lifecycle) -> Int {
        pools[p].replicas.reduce(0) { n, i in
            let r = replicas[i]
            if state == .starting { return n + (r.lifecycle == .starting && r.startsInto == .ready ? 1 : 0) }
            return n + (r.lifecycle == state ? 1 : 0)
        }
    }
}
