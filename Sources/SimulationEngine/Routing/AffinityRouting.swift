import ServingModel

/// `prefix-affinity` and `session-affinity`: the request's key (the chain hash of its prompt's
/// block `min(keyBlocks, blocks) - 1`, or its session key) on the pool's consistent-hash ring under
/// bounded loads (`ConsistentHashRing.boundedOwner`), so requests sharing a prefix or a conversation
/// meet the replica that cached it. Requests without a key go to the fewest outstanding (lowest
/// index on ties). The keys come from `PrefixChains`.
final class AffinityRouting: ReplicaRouter {
    private let ring: ConsistentHashRing
    private let bySession: Bool
    private let settings: AffinitySpec

    init(spec: PoolSpec, slots: Int) {
        ring = ConsistentHashRing(slots: slots, virtualNodes: spec.affinity.virtualNodes, name: "affinity/\(spec.name)")
        bySession = spec.routing == .sessionAffinity
        settings = spec.affinity
    }

    func choose(_ slot: Int32, pool p: Int, _ sim: Simulation) -> Int? {
        let range = sim.pools[p].replicas
        let ready = sim.readySlots(p)
        let loads = sim.outstandingBySlot(p)
        guard let key = key(of: slot, sim) else {
            var best: Int?
            for k in loads.indices where ready[k] && (best == nil || loads[k] < loads[best!]) { best = k }
            return best.map { range.lowerBound + $0 }
        }
        return ring.boundedOwner(of: key, loads: loads, ready: ready, epsilon: settings.epsilon).map { range.lowerBound + $0 }
    }

    /// The routing key of the request in `slot`; nil when it carries no chain (or no session).
    private func key(of slot: Int32, _ sim: Simulation) -> UInt64? {
        let c = Int(sim.requests.slots[Int(slot)].prefixChain)
        guard c >= 0, let chains = sim.features.chains else { return nil }
        if bySession { return chains.sessionKey(c) }
        let chain = chains.keys(c)
        guard !chain.isEmpty else { return nil }
        return chain[min(settings.keyBlocks, chain.count) - 1]
    }
}
