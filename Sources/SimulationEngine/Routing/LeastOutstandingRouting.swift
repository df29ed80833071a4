import ServingModel

/// `least-outstanding` (the default): the ready replica with the fewest requests running or
/// waiting; the lowest index on ties.
final class LeastOutstandingRouting: ReplicaRouter {
    func choose(_ slot: Int32, pool p: Int, _ sim: Simulation) -> Int? {
        var best = -1
        for i in sim.pools[p].replicas where sim.replicas[i].lifecycle == .ready
            && (best < 0 || sim.replicas[i].outstanding < sim.replicas[best].outstanding) {
            best = i
        }
        return best >= 0 ? best : nil
    }
}
