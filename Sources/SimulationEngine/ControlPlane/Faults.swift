import ServingModel

/// Faults: replica failures (time to failure and to repair), spot preemption with a notice
/// period, and scheduled outages of whole pools (a zone). In-flight requests of a replica that
/// dies fail (and the client may retry them) or, with `inFlight: "retry"`, go back to their pool
/// and are recomputed elsewhere.
final class Faults: Controller, ReplicaObserver {
    let spec: FaultSpec
    /// Per pool: the stream of its replicas' failure and reclaim clocks, and until when its zone is
    /// down (nil: up).
    private let streams: [RandomStream]
    private var downUntil: [Double?]
    private(set) var replicaFailures = 0, spotPreemptions = 0

    /// Nil when the scenario has no faults.
    init?(scenario: Scenario) {
        guard let spec = scenario.faults else { return nil }
        self.spec = spec
        streams = scenario.pools.map { RandomStream(seed: scenario.seed, name: "faults/\($0.name)") }
        downUntil = Array(repeating: nil, count: scenario.pools.count)
    }

    /// Schedules every outage.
    func start(_ sim: Simulation) {
        for (k, outage) in spec.outages.enumerated() {
            sim.events.schedule(at: outage.at, .outageStart, target: k)
            sim.events.schedule(at: outage.at + outage.duration, .outageEnd, target: k)
        }
    }

    /// Arms the failure and spot-preemption clocks of a replica that just became ready.
    func replicaBecameReady(_ replica: Replica, _ sim: Simulation) {
        let stream = streams[replica.pool]
        if let failures = spec.replicaFailures {
            sim.events.schedule(at: sim.events.now + failures.timeToFailure.sample(stream), .replicaFailure,
                                target: replica.index, stamp: replica.lifecycleStamp)
        }
        if let spot = spec.spotPreemption {
            sim.events.schedule(at: sim.events.now + stream.exponential(mean: spot.meanTimeBetween), .spotNotice,
                                target: replica.index, stamp: replica.lifecycleStamp)
        }
    }

    /// Whether pool `p`'s zone is down at `time`.
    func isDown(_ p: Int, at time: Double) -> Bool { downUntil[p].map { time < $0 } ?? false }

    func replicaFailed(_ replica: Replica, stamp: UInt32, _ sim: Simulation) {
        guard stamp == replica.lifecycleStamp, replica.lifecycle == .ready || replica.lifecycle == .draining else { return }
        fail(replica, sim)
        // Repaired after its time to repair, then started again (a cold start).
        if let repair = spec.replicaFailures?.timeToRepair {
            sim.events.schedule(at: sim.events.now + repair.sample(streams[replica.pool]), .repairDone,
                                target: replica.index, stamp: replica.lifecycleStamp)
        }
    }

    func repaired(_ replica: Replica, stamp: UInt32, _ sim: Simulation) {
        guard stamp == replica.lifecycleStamp, replica.lifecycle == .failed, !isDown(replica.pool, at: sim.events.now) else { return }
        sim.startReplica(replica, into: .ready)
    }

    func spotNotice(_ replica: Replica, stamp: UInt32, _ sim: Simulation) {
        guard stamp == replica.lifecycleStamp, replica.lifecycle == .ready else { return }
        spotPreemptions += 1
        sim.beginDrain(replica)
        sim.events.schedule(at: sim.events.now + (spec.spotPreemption?.notice ?? 0), .spotKill, target: replica.index)
    }

    /// The node is reclaimed: whatever it still runs fails; a replacement node starts cold.
    func spotKill(_ replica: Replica, _ sim: Simulation) {
        if replica.lifecycle == .draining { fail(replica, sim) }
        if replica.lifecycle == .failed || replica.lifecycle == .off { replaceIfFixed(replica, sim) }
    }

    func outageStarts(_ k: Int, _ sim: Simulation) {
        let outage = spec.outages[k]
        for p in sim.pools.indices where outage.pools.isEmpty || outage.pools.contains(sim.pools[p].spec.name) {
            downUntil[p] = outage.at + outage.duration
            for i in sim.pools[p].replicas where sim.replicas[i].lifecycle != .off && sim.replicas[i].lifecycle != .failed {
                if sim.replicas[i].lifecycle == .ready || sim.replicas[i].lifecycle == .draining {
                    fail(sim.replicas[i], sim)
                } else {
                    sim.setLifecycle(sim.replicas[i], .failed)  // starting or warm replicas of the zone are lost too
                }
            }
        }
    }

    func outageEnds(_ k: Int, _ sim: Simulation) {
        let outage = spec.outages[k]
        for p in sim.pools.indices where outage.pools.isEmpty || outage.pools.contains(sim.pools[p].spec.name) {
            downUntil[p] = nil
            // The zone comes back: the pool restarts its replicas (cold) as before the outage.
            let pool = sim.pools[p].spec
            let target = pool.autoscaler == nil ? pool.replicas : max(1, pool.autoscaler!.minReplicas)
            var started = 0
            for i in sim.pools[p].replicas where started < target && sim.replicas[i].lifecycle == .failed {
                sim.startReplica(sim.replicas[i], into: .ready)
                started += 1
            }
        }
    }

    /// A replica dies: its batch and queue are lost; requests fail (clients may retry) or return
    /// to the pool for recompute, per `faults.inFlight`.
    func fail(_ replica: Replica, _ sim: Simulation) {
        let p = replica.pool
        replicaFailures += 1
        if replica.work != .idle || !replica.running.isEmpty { sim.addBusy(replica, until: sim.events.now) }
        replica.work = .idle
        replica.stamp &+= 1  // its pending step boundary is void
        _ = sim.features.prefixCaching?.clear(replica, sim)
        var lost = replica.running
        replica.running.removeAll()
        if let disaggregation = sim.features.disaggregation { lost += disaggregation.takeTransfers(from: replica, sim) }
        while let slot = replica.waiting.popFront() {
            lost.append(slot)
            sim.changeQueued(p, by: -1)
        }
        replica.freeBlocks = replica.totalBlocks
        sim.setLifecycle(replica, .failed)
        let requeue = spec.inFlight == .retry
        for slot in lost {
            let i = Int(slot)
            sim.executor?.release(sequence: i)
            if sim.requests.slots[i].cancelled { sim.dropCancelled(slot); continue }
            sim.requests.slots[i].heldBlocks = 0
            sim.requests.slots[i].chunkInFlight = 0
            sim.requests.slots[i].prefilled = 0
            sim.requests.slots[i].prefillTarget = sim.requests.slots[i].tokens
            sim.requests.slots[i].replica = -1
            if requeue {
                sim.pools[p].shared.pushFront(slot)
                sim.changeQueued(p, by: 1)
                // A service-time request starts over: its pending completion must be void.
                if sim.pools[p].service != nil { sim.requests.slots[i].generation &+= 0x8000_0000 }
            } else {
                sim.finish(slot, .failed)
            }
        }
        if requeue { for i in sim.pools[p].replicas where sim.replicas[i].lifecycle == .ready { sim.poke(sim.replicas[i]) } }
        if !sim.pools[p].shared.isEmpty { sim.features.autoscaling?.activateIfNeeded(pool: p, sim) }
    }

    /// Fixed-size pools get a replacement node for a reclaimed spot replica (a cold start);
    /// autoscaled pools leave it to their autoscaler.
    private func replaceIfFixed(_ replica: Replica, _ sim: Simulation) {
        guard sim.pools[replica.pool].spec.autoscaler == nil else { return }
        sim.startReplica(replica, into: .ready)
    }
}
