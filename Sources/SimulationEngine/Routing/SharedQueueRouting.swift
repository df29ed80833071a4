import ServingModel

/// `shared-queue`: one FIFO per pool; ready replicas pull from it when they can admit (textbook
/// M/G/c).
final class SharedQueueRouting: ReplicaRouter {
    func choose(_ slot: Int32, pool p: Int, _ sim: Simulation) -> Int? { nil }
    var isSharedQueue: Bool { true }
}
