import ServingModel

/// `power-of-two`: of two distinct ready replicas drawn from the stream `routing/<pool>`, the one
/// with fewer outstanding requests (`RoutingChoice.powerOfTwo`). Only this policy opens the stream.
final class PowerOfTwoRouting: ReplicaRouter {
    private let stream: RandomStream

    init(stream: RandomStream) { self.stream = stream }

    func choose(_ slot: Int32, pool p: Int, _ sim: Simulation) -> Int? {
        let range = sim.pools[p].replicas
        let base = range.lowerBound
        let candidates = range.filter { sim.replicas[$0].lifecycle == .ready }.map { $0 - base }
        return RoutingChoice.powerOfTwo(candidates: candidates, outstanding: sim.outstandingBySlot(p), stream: stream)
            .map { base + $0 }
    }
}
