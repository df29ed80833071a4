import ServingModel
/// `prefix-affinity` and `session-affinity` routing: a request's key (its session, or the hash of
/// its prompt's first `keyBlocks` blocks) on the pool's consistent-hash ring, under bounded loads.
/// The ring lives in `PrefixCacheRun` (`rings`), opened by `setUpPrefixCaching`.
extension Simulation {
    /// `prefix-affinity` and `session-affinity`: the ready replica (global index) that owns the
    /// request's key (`affinityKey`) on the pool's ring under bounded load; requests without a key
    /// go to the fewest outstanding (lowest index on ties). Nil when no replica is ready.
    func affinityReplica(_ slot: Int32, pool p: Int) -> Int? {
        let range = pools[p].replicas
        let ready = range.map { replicas[$0].lifecycle == .ready }
        let loads = range.map { replicas[$0].outstanding }
        guard let key = affinityKey(slot, pool: p), let ring = prefix?.rings[p] else {
            var best: Int?
            for k in loads.indices where ready[k] && (best == nil || loads[k] < loads[best!]) { best = k }
            return best.map { range.lowerBound + $0 }
        }
        return ring.boundedOwner(of: key, loads: loads, ready: ready, epsilon: pools[p].spec.affinity.epsilon)
            .map { range.lowerBound + $0 }
    }

    /// The routing key of a request in pool `p`: `prefix-affinity` uses the chain hash of its
    /// block `min(keyBlocks, blocks) - 1`, `session-affinity` its session key; nil when it has none.
    func affinityKey(_ slot: Int32, pool p: Int) -> UInt64? {
        let c = Int(requests.slots[Int(slot)].prefixChain)
        guard c >= 0, let run = prefix else { return nil }
        if pools[p].spec.routing == .sessionAffinity { return run.sessionKeys[c] }
        let chain = run.keys[c]
        guard !chain.isEmpty else { return nil }
        return chain[min(pools[p].spec.affinity.keyBlocks, chain.count) - 1]
    }
}
