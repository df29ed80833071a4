import ServingModel

/// `round-robin`: ready replicas in turn (a replica that is not ready is skipped and keeps its turn
/// for the next round).
final class RoundRobinRouting: ReplicaRouter {
    /// Slot to try first.
    private var next = 0

    func choose(_ slot: Int32, pool p: Int, _ sim: Simulation) -> Int? {
        let range = sim.pools[p].replicas
        for k in 0..<range.count {
            let i = range.lowerBound + (next + k) % range.count
            if sim.replicas[i].lifecycle == .ready {
                next = (i - range.lowerBound + 1) % range.count
                return i
            }
        }
        return nil
    }
}
