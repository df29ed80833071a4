import ServingModel
/// Service-time replicas: each holds up to `maxNumSeqs` requests, each for its own service time
/// (no tokens, no KV cache). With `maxNumSeqs: 1` and a shared queue a pool is an M/G/c queue.
extension Simulation {
    func startServices(_ replica: Replica) {
        guard let distribution = pools[replica.pool].service else { return }
        let now = events.now
        let slots = pools[replica.pool].spec.scheduler.maxNumSeqs
        while replica.running.count < slots, let slot = peekWaiting(replica) {
            popWaiting(replica)
            let i = Int(slot)
            requests.slots[i].firstScheduled = now
            requests.slots[i].replica = Int32(replica.index)
            replica.running.append(slot)
            let serviceTime = distribution.quantile(requests.slots[i].serviceQuantile)
            events.schedule(at: now + serviceTime, .serviceDone, target: i, stamp: requests.slots[i].generation)
        }
    }

    /// A request's service ended: the whole response arrives at once (TTFT = E2E, TPOT = 0).
    func handleServiceDone(slot: Int32, generation: UInt32) {
        let i = Int(slot)
        guard requests.slots[i].generation == generation else { return }  // its replica failed
        let replica = replicas[Int(requests.slots[i].replica)]
        let now = events.now
        if let position = replica.running.firstIndex(of: slot) { replica.running.remove(at: position) }
        // Utilization of a service replica: busy slot-seconds over slots (a request the client gave
        // up on mid-service still kept its slot busy).
        let slots = Double(pools[replica.pool].spec.scheduler.maxNumSeqs)
        let from = max(requests.slots[i].firstScheduled, scenario.warmup)
        if now > from { replica.busySeconds += (now - from) / slots }
        replica.busyUnclipped += (now - requests.slots[i].firstScheduled) / slots
        if requests.slots[i].cancelled {
            dropCancelled(slot)
            startServices(replica)
            if replica.running.isEmpty && replica.lifecycle == .draining { stopReplica(replica) }
            return
        }
        requests.slots[i].firstToken = now
        if pools[replica.pool].routerObservesFirstTokens { routers[replica.pool].firstToken(slot, on: replica, self) }
        requests.slots[i].generated = requests.slots[i].outputTokens
        replica.steps += 1
        finish(slot, .completed)
        startServices(replica)
        if replica.running.isEmpty && replica.lifecycle == .draining { stopReplica(replica) }
    }
}
