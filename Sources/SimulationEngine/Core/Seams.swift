import ServingModel

// The seams features plug into. The core (`Simulation`) calls them at fixed points of a request's
// life, in the order `Features` lists the components; a component a scenario does not use is not
// in any list, so it costs nothing. Every call passes the simulation: components keep no
// reference to it.

/// Why a pool turns an attempt away.
enum Rejection: Int, CaseIterable {
    /// A degradation ladder shed it (policy: not overflowed).
    case shed
    /// Longer than a replica's KV cache (or step budget without chunked prefill) can hold.
    case tooLong
    /// The pool's `maxQueueLength` is reached.
    case queueFull
    /// The global in-flight token budget is exhausted.
    case inFlightBudget
    /// The tenant's token bucket is empty (policy: not overflowed).
    case rateLimit
    /// The pool's circuit breaker is open.
    case circuitOpen

    /// Whether the hosted endpoint takes it with `overflow: true` (capacity, not policy).
    var overflows: Bool { self != .shed && self != .rateLimit }
}

/// What a steering stage decided about an attempt on its way to a pool.
enum Steering {
    /// Go on to the next stage (this one may have changed the attempt's pool or output cap).
    case proceed
    /// The stage took the attempt over and admits it again later (after a network delay, say).
    case taken
    /// Turn the attempt away for this reason once it has entered the system.
    case reject(Rejection)
}

/// A stage of the admission pipeline (`Simulation.admit`), in `Features.stages` order: first every
/// stage steers the attempt (before it enters the system: pick its pool, cap its output, take it
/// over, or turn it away), then the core's own checks run (too long, queue full), then every
/// stage's `check` (the first rejection wins), and a rejected attempt is offered to each stage's
/// `takeRejected` (the hosted endpoint's overflow). Each has a default that does nothing.
protocol AdmissionStage: AnyObject {
    func steer(_ attempt: inout RequestState, _ sim: Simulation) -> Steering
    /// Why pool `pool` must not take the attempt in `slot` (nil: it may).
    func check(_ slot: Int32, pool: Int, _ sim: Simulation) -> Rejection?
    /// Serves a rejected attempt some other way; true when it did (the attempt is then not rejected).
    func takeRejected(_ slot: Int32, reason: Rejection, _ sim: Simulation) -> Bool
}

extension AdmissionStage {
    func steer(_ attempt: inout RequestState, _ sim: Simulation) -> Steering { .proceed }
    func check(_ slot: Int32, pool: Int, _ sim: Simulation) -> Rejection? { nil }
    func takeRejected(_ slot: Int32, reason: Rejection, _ sim: Simulation) -> Bool { false }
}

/// Sees every attempt that ends on (or is rejected by) a pool, before the core records it or
/// retries it, and may change its outcome (an injected error fails a completion).
protocol AttemptObserver: AnyObject {
    func attemptEnded(_ slot: Int32, _ outcome: Outcome, _ sim: Simulation) -> Outcome
}

/// Receives the record of every request that ended for good (no retry follows), warm-up
/// included; after the core's own metrics and time series.
protocol RecordSink: AnyObject {
    func record(_ record: RequestRecord, of request: RequestState, _ sim: Simulation)
}

/// A component that drives itself by its own events: `start` schedules the first ones when the
/// run begins (in `Features.controllers` order); the core hands each event of its kinds back to it.
protocol Controller: AnyObject {
    func start(_ sim: Simulation)
}

/// Told when a replica becomes ready to serve (at the start, and after every start completes).
protocol ReplicaObserver: AnyObject {
    func replicaBecameReady(_ replica: Replica, _ sim: Simulation)
}

/// A pool's routing policy: which ready replica takes a request routed to the pool.
protocol ReplicaRouter: AnyObject {
    /// The chosen replica (global index), or nil when none can take it now (it waits in the pool's
    /// shared queue, which the first replica to become ready serves).
    func choose(_ slot: Int32, pool: Int, _ sim: Simulation) -> Int?
    /// A replica of the pool produced the first token of the attempt in `slot` (now).
    func firstToken(_ slot: Int32, on replica: Replica, _ sim: Simulation)
    /// True for the shared queue: every request waits in the pool's queue and ready replicas pull.
    var isSharedQueue: Bool { get }
    /// True when `firstToken` does something (the engine calls it only then).
    var observesFirstTokens: Bool { get }
}

extension ReplicaRouter {
    func firstToken(_ slot: Int32, on replica: Replica, _ sim: Simulation) {}
    var isSharedQueue: Bool { false }
    var observesFirstTokens: Bool { false }
}
