import ServingModel

/// How often things happened over the run, as counted by the simulation.
public struct EventCounts: Codable, Sendable, Equatable {
    /// Replica starts from nothing, and from the warm pool.
    public var coldStarts: Int
    public var warmStarts: Int
    /// Autoscaler decisions that added, and removed, replicas.
    public var scaleUps: Int
    public var scaleDowns: Int
    public var replicaFailures: Int
    /// Preemptions by recompute (KV cache full), and spot-instance preemptions of replicas.
    public var preemptions: Int
    public var spotPreemptions: Int
    public var retries: Int
    public var rejections: Int
    public var timeouts: Int

    public init(coldStarts: Int = 0, warmStarts: Int = 0, scaleUps: Int = 0, scaleDowns: Int = 0,
                replicaFailures: Int = 0, preemptions: Int = 0, spotPreemptions: Int = 0, retries: Int = 0,
                rejections: Int = 0, timeouts: Int = 0) {
        self.coldStarts = coldStarts
        self.warmStarts = warmStarts
        self.scaleUps = scaleUps
        self.scaleDowns = scaleDowns
        self.replicaFailures = replicaFailures
        self.preemptions = preemptions
        self.spotPreemptions = spotPreemptions
        self.retries = retries
        self.rejections = rejections
        self.timeouts = timeouts
    }
}
