import ServingModel

/// `weighted-round-robin`: nginx's smooth weighted round-robin over the ready replicas with the
/// pool's `routingWeights` (`SmoothWeightedRoundRobin`).
final class WeightedRoundRobinRouting: ReplicaRouter {
    private var picker: SmoothWeightedRoundRobin

    init(spec: PoolSpec, slots: Int) {
        // A spec built in code may give fewer or more weights than slots: missing ones are 1.
        let given = spec.routingWeights ?? []
        picker = SmoothWeightedRoundRobin(weights: (0..<slots).map { $0 < given.count ? max(1, given[$0]) : 1 })
    }

    func choose(_ slot: Int32, pool p: Int, _ sim: Simulation) -> Int? {
        let base = sim.pools[p].replicas.lowerBound
        return picker.next { sim.replicas[base + $0].lifecycle == .ready }.map { base + $0 }
    }
}
