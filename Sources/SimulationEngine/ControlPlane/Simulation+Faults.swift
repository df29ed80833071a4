import ServingModel
/// Faults: replica failures (time to failure and to repair), spot preemption with a notice
/// period, and scheduled outages of whole pools (a zone). In-flight requests of a replica that
/// dies fail (and the client may retry them) or, with `inFlight: "retry"`, go back to their pool
/// and are recomputed elsewhere.
extension Simulation {
    /// Schedules the failure and spot-preemption clocks of a replica that just became ready.
    func armFaults(_ replica: Replica) {
        guard let faults = scenario.faults else { return }
        let stream = faultStreams[replica.pool]
        if let failures = faults.replicaFailures {
            events.schedule(at: events.now + failures.timeToFailure.sample(stream), kind: EventKind.replicaFailure,
                            target: replica.index, stamp: replica.lifecycleStamp)
        }
        if let spot = faults.spotPreemption {
            events.schedule(at: events.now + stream.exponential(mean: spot.meanTimeBetween), kind: EventKind.spotNotice,
                            target: replica.index, stamp: replica.lifecycleStamp)
        }
    }

    /// Schedules every outage; called once at the start.
    func scheduleOutages() {
        for (k, outage) in (scenario.faults?.outages ?? []).enumerated() {
            events.schedule(at: outage.at, kind: EventKind.outageStart, target: k)
            events.schedule(at: outage.at + outage.duration, kind: EventKind.outageEnd, target: k)
        }
    }

    func handleFault(_ event: Event) {
        switch event.kind {
        case EventKind.replicaFailure:
            let replica = replicas[event.target]
            guard event.stamp == replica.lifecycleStamp, replica.lifecycle == .ready || replica.lifecycle == .draining else { return }
            failReplica(replica)
            // Repaired after its time to repair, then started again (a cold start).
            if let repair = scenario.faults?.replicaFailures?.timeToRepair {
                events.schedule(at: events.now + repair.sample(faultStreams[replica.pool]), kind: EventKind.outageEnd,
                                target: -1 - replica.index, stamp: replica.lifecycleStamp)
            }
        case EventKind.spotNotice:
            let replica = replicas[event.target]
            guard event.stamp == replica.lifecycleStamp, replica.lifecycle == .ready else { return }
            spotPreemptions += 1
            beginDrain(replica)
            events.schedule(at: events.now + (scenario.faults?.spotPreemption?.notice ?? 0), kind: EventKind.spotKill,
                            target: replica.index)
        case EventKind.spotKill:
            // The node is reclaimed: whatever it still runs fails; a replacement node starts cold.
            let replica = replicas[event.target]
            if replica.lifecycle == .draining { failReplica(replica) }
            if replica.lifecycle == .failed || replica.lifecycle == .off { replaceIfFixed(replica) }
        case EventKind.outageStart:
            guard let outage = scenario.faults?.outages[event.target] else { return }
            for p in pools.indices where outage.pools.isEmpty || outage.pools.contains(pools[p].spec.name) {
                pools[p].downUntil = outage.at + outage.duration
                for i in pools[p].replicas where replicas[i].lifecycle != .off && replicas[i].lifecycle != .failed {
                    if replicas[i].lifecycle == .ready || replicas[i].lifecycle == .draining {
                        failReplica(replicas[i])
                    } else {
                        setLifecycle(replicas[i], .failed)  // starting or warm replicas of the zone are lost too
                    }
                }
            }
        default:  // outageEnd: an outage ends (target >= 0) or a failed replica is repaired (target < 0)
            if event.target < 0 {
                let replica = replicas[-1 - event.target]
                guard event.stamp == replica.lifecycleStamp, replica.lifecycle == .failed, !isDown(replica.pool) else { return }
                startReplica(replica, into: .ready)
                return
            }
            guard let outage = scenario.faults?.outages[event.target] else { return }
            for p in pools.indices where outage.pools.isEmpty || outage.pools.contains(pools[p].spec.name) {
                pools[p].downUntil = nil
                // The zone comes back: the pool restarts its replicas (cold) as before the outage.
                let target = pools[p].spec.autoscaler == nil ? pools[p].spec.replicas : max(1, pools[p].spec.autoscaler!.minReplicas)
                var started = 0
                for i in pools[p].replicas where started < target && replicas[i].lifecycle == .failed {
                    startReplica(replicas[i], into: .ready)
                    started += 1
                }
            }
        }
    }

    func isDown(_ p: Int) -> Bool { pools[p].downUntil.map { events.now < $0 } ?? false }

    /// A replica dies: its batch and queue are lost; requests fail (clients may retry) or return
    /// to the pool for recompute, per `faults.inFlight`.
    func failReplica(_ replica: Replica) {
        let p = replica.pool
        replicaFailures += 1
        if replica.work != .idle || !replica.running.isEmpty { addBusy(replica, until: events.now) }
        replica.work = .idle
        replica.stamp &+= 1  // its pending step boundary is void
        if let cache = replica.prefixCache { _ = clearPrefixCache(replica, cache: cache) }
        var lost = replica.running
        replica.running.removeAll()
        if replica.handsOff { lost += takeTransfers(from: replica) }
        while let slot = replica.waiting.popFront() {
            lost.append(slot)
            changeQueued(p, by: -1)
        }
        replica.freeBlocks = replica.totalBlocks
        setLifecycle(replica, .failed)
        let requeue = scenario.faults?.inFlight == .retry
        for slot in lost {
            let i = Int(slot)
            executor?.release(sequence: i)
            if requests.slots[i].cancelled { dropCancelled(slot); continue }
            requests.slots[i].heldBlocks = 0
            requests.slots[i].chunkInFlight = 0
            requests.slots[i].prefilled = 0
            requests.slots[i].prefillTarget = requests.slots[i].tokens
            requests.slots[i].replica = -1
            if requeue {
                pools[p].shared.pushFront(slot)
                changeQueued(p, by: 1)
                // A service-time request starts over: its pending completion must be void.
                if pools[p].service != nil { requests.slots[i].generation &+= 0x8000_0000 }
            } else {
                finish(slot, .failed)
            }
        }
        if requeue { for i in pools[p].replicas where replicas[i].lifecycle == .ready { poke(replicas[i]) } }
        if !pools[p].shared.isEmpty { activateIfNeeded(pool: p) }
    }

    /// Fixed-size pools get a replacement node for a reclaimed spot replica (a cold start);
    /// autoscaled pools leave it to their autoscaler.
    func replaceIfFixed(_ replica: Replica) {
        guard pools[replica.pool].spec.autoscaler == nil else { return }
        startReplica(replica, into: .ready)
    }
}
