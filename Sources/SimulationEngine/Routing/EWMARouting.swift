import ServingModel

/// `ewma`: the ready replica with the lowest peak-EWMA cost, its moving average of the TTFTs it
/// served times (outstanding + 1) (`RoutingChoice.lowestEWMA`); each first token a replica of the
/// pool produces feeds its average.
final class EWMARouting: ReplicaRouter {
    /// Per replica slot: the moving average of its attempts' TTFTs (from reaching the pool), and how
    /// many it has seen (0: no history, the average counts as 0).
    private var averages: [Double]
    private var samples: [Int]

    init(slots: Int) {
        averages = Array(repeating: 0, count: slots)
        samples = Array(repeating: 0, count: slots)
    }

    func choose(_ slot: Int32, pool p: Int, _ sim: Simulation) -> Int? {
        let scores = averages.indices.map { samples[$0] == 0 ? 0 : averages[$0] }
        return RoutingChoice.lowestEWMA(averages: scores, outstanding: sim.outstandingBySlot(p), eligible: sim.readySlots(p))
            .map { sim.pools[p].replicas.lowerBound + $0 }
    }

    var observesFirstTokens: Bool { true }

    func firstToken(_ slot: Int32, on replica: Replica, _ sim: Simulation) {
        let k = replica.index - sim.pools[replica.pool].replicas.lowerBound
        let sample = sim.events.now - sim.requests.slots[Int(slot)].arrival
        averages[k] = RoutingChoice.ewmaUpdate(average: averages[k], samples: samples[k], sample: sample)
        samples[k] += 1
    }
}
