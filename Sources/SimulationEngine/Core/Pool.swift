import ServingModel

/// A pool's core state: its spec, replicas, queue and counts. Features keep their own per-pool
/// state (`Features`); only what the request lifecycle itself reads or writes lives here.
///
/// Invariant: `queued` is the number of requests waiting in the shared queue plus the replicas'
/// queues; change it only with `changeQueued`, which keeps its time integral.
struct Pool {
    let spec: PoolSpec
    /// Global indices of its replicas.
    let replicas: Range<Int>
    /// The pool's FIFO: every request with `shared-queue` routing, and requests waiting while no
    /// replica is ready.
    var shared = FIFOQueue()
    /// The model timing its steps (nil for service-time pools; `Speculation` swaps it).
    var stepModel: (any StepTimeModel)?
    let service: ServiceTimeDistribution?
    /// Seconds from a request's send to its arrival at the pool (API, tokenisation).
    let requestOverhead: Double
    /// The serving engine around its steps (`spec.engine`): scheduling lag and delivery delay.
    let pipeline: EnginePipeline
    /// Whether its router learns from first tokens (`ReplicaRouter.firstToken` is called only then).
    let routerObservesFirstTokens: Bool
    private(set) var queued = 0
    var rejected = 0
    /// Requests routed to the pool and not ended, and the waiting count, integrated over time.
    var inPool = TimeIntegral()
    var queuedIntegral = TimeIntegral()
    /// When the pool last became empty (nil while it holds requests), for scale to zero.
    var idleSince: Double? = 0
    /// Cold and warm start durations.
    let startStream: RandomStream
    var coldStarts = 0, warmStarts = 0

    mutating func changeQueued(by delta: Int, at time: Double) {
        queued += delta
        queuedIntegral.add(Double(delta), at: time)
    }
}
