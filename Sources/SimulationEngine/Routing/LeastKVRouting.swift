import ServingModel

/// `least-kv`: the ready replica with the least KV load (`RoutingChoice.leastKV`).
final class LeastKVRouting: ReplicaRouter {
    func choose(_ slot: Int32, pool p: Int, _ sim: Simulation) -> Int? {
        let range = sim.pools[p].replicas
        let base = range.lowerBound
        let eligible = sim.readySlots(p)
        let loads = range.map { eligible[$0 - base] ? kvLoad(sim.replicas[$0], sim) : 0 }
        return RoutingChoice.leastKV(kvLoads: loads, outstanding: sim.outstandingBySlot(p), eligible: eligible)
            .map { base + $0 }
    }

    /// A replica's KV load in blocks: blocks its batch holds, plus the blocks the prefills of the
    /// requests waiting for it still need (cancelled ones excluded). Service-time replicas hold no
    /// KV, so for them it is the waiting prefills alone.
    func kvLoad(_ replica: Replica, _ sim: Simulation) -> Int {
        let blockSize = sim.pools[replica.pool].spec.scheduler.blockSize
        var load = sim.usedKVBlocks(replica)
        for k in 0..<replica.waiting.count {
            let r = sim.requests.slots[Int(replica.waiting.element(at: k))]
            if r.cancelled { continue }
            // A request whose KV arrived from a prefill pool needs blocks for its whole context.
            let need = r.prefillTarget > r.prefilled ? Int(r.prefillTarget - r.prefilled) : Int(r.tokens)
            load += (need + blockSize - 1) / blockSize
        }
        return load
    }
}
