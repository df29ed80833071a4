import ServingModel

/// The routing policies (`PoolSpec.routing`), one implementation each: the one place that maps a
/// policy to its `ReplicaRouter`. Adding a policy: a case in `RoutingPolicy` (its name and doc), a
/// file here with its router, and its line below (see ARCHITECTURE.md, "A new routing policy").
enum RoutingPolicies {
    /// The router of a pool with `slots` replica slots (streams seeded from `seed`).
    static func make(_ spec: PoolSpec, slots: Int, seed: UInt64) -> any ReplicaRouter {
        switch spec.routing {
        case .sharedQueue: SharedQueueRouting()
        case .roundRobin: RoundRobinRouting()
        case .leastOutstanding: LeastOutstandingRouting()
        case .leastKV: LeastKVRouting()
        case .powerOfTwo: PowerOfTwoRouting(stream: RandomStream(seed: seed, name: "routing/\(spec.name)"))
        case .ewma: EWMARouting(slots: slots)
        case .weightedRoundRobin: WeightedRoundRobinRouting(spec: spec, slots: slots)
        case .prefixAffinity, .sessionAffinity: AffinityRouting(spec: spec, slots: slots)
        }
    }
}

extension Simulation {
    /// Whether each replica slot of pool `p` is ready, in slot order.
    func readySlots(_ p: Int) -> [Bool] { pools[p].replicas.map { replicas[$0].lifecycle == .ready } }

    /// Outstanding requests (running or waiting) of each replica slot of pool `p`, in slot order.
    func outstandingBySlot(_ p: Int) -> [Int] { pools[p].replicas.map { replicas[$0].outstanding } }
}
