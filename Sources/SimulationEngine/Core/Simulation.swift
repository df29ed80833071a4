import Foundation
import ServingModel

/// The discrete-event simulation of one scenario: one clock, one event queue, one pass.
///
/// The core is this class and the `Simulation+` files in Core/: the event loop and its dispatch,
/// the request table and a request's lifecycle (arrive, steer and admit, route, finish). Every
/// mechanism beyond that is a component in `features`, called through the seams in `Seams.swift`;
/// the token-level replica engine is in Batching/, replica lifecycles in ControlPlane/.
///
/// Determinism: events fire in `(time, insertion)` order and every random draw comes from a stream
/// named after its purpose, so the same scenario and seed give the same events in the same order,
/// hence byte-identical reports.
public final class Simulation {
    public let scenario: Scenario
    var events = EventQueue()
    let requests = RequestTable()
    var pools: [Pool]
    var replicas: [Replica]
    /// The components this scenario uses, and the seams' call lists.
    let features: Features
    /// Each pool's routing policy (`RoutingPolicies.make`). A `let` array apart from `pools`, so
    /// calling a router needs no reference count traffic.
    let routers: [any ReplicaRouter]

    // Arrivals: each class's generator and its next draw (nil: the class is done).
    let arrivalSources: [ClassArrivals]
    var pendingDraws: [ArrivalDraw?] = []
    /// Per class: the uniform quantile of each request's service time (common random numbers).
    let serviceStreams: [RandomStream]
    /// Per class: whether its first attempts need the instant they are sent (a gateway, regions);
    /// otherwise they arrive at their pool's request overhead after it, saving an event.
    let arrivesAtSend: [Bool]
    /// Attempts held back until an instant (`forward`): a retry, a gateway pass-on, a region send.
    var forwardTickets: [RequestState?] = []
    var freeForwardTickets: [Int] = []

    // Statistics the core keeps.
    public let metrics: MetricsCollector
    let series: TimeSeriesCollector
    /// Arrivals at or after warm-up, and how many of them are still in the system (all, per class).
    var measuredArrived = 0
    var measuredInFlight = 0
    var measuredArrivedByClass: [Int]
    var measuredInFlightByClass: [Int]
    /// Requests in the system (all pools), and its integral over time (request-seconds), kept by
    /// event times: an independent path to check Little's law against per-request sojourns.
    var inSystem = 0
    var inSystemArea = 0.0
    var inSystemSince = 0.0
    /// The simulated end: the last non-housekeeping event (at least the scenario duration).
    var endTime = 0.0
    let perIteration: Bool

    /// Called with every ended request, warm-up included (for tests and per-request exports).
    public var recordObserver: ((RequestRecord) -> Void)?
    /// When set, every step the scheduler chooses is run for real and the clock is the wall clock
    /// (a real serving loop): arrivals wait for their wall time, a step's boundary lands when the
    /// executor returns. Forces one event per step.
    public let executor: StepExecutor?
    /// The clock seam: nil simulates as fast as it can; set (with `executor`), events wait for the
    /// wall clock to reach their time.
    var wallClock: WallClock?
    /// Called every `progressInterval` events, and once at the end, with the fraction of the
    /// scenario's duration simulated so far (`min(1, now / duration)`; 1 while draining): non-
    /// decreasing, in [0, 1]. For progress lines; it observes only, so results are the same with
    /// or without it. Nil costs one masked counter test per event.
    public var progress: ((Double) -> Void)?
    /// Events between two `progress` calls (2^16).
    public static let progressInterval = 1 << 16

    public init(scenario: Scenario, executor: StepExecutor? = nil) {
        self.scenario = scenario
        self.executor = executor
        wallClock = executor == nil ? nil : WallClock()
        perIteration = scenario.perIteration || executor != nil
        measuredArrivedByClass = Array(repeating: 0, count: scenario.classes.count)
        measuredInFlightByClass = measuredArrivedByClass
        metrics = MetricsCollector(
            classes: scenario.classes.map(MetricsClass.init), slos: scenario.slos, warmup: scenario.warmup,
            pools: scenario.pools.count)
        // Rows: the duration's, as many again for the drain, then one row for the rest.
        let durationRows = (scenario.duration / scenario.timeSeriesInterval).rounded(.up)
        series = TimeSeriesCollector(interval: scenario.timeSeriesInterval, slos: scenario.slos,
                                     classNames: scenario.classes.map(\.name), warmup: scenario.warmup,
                                     maxRows: Int(Swift.min(2 * durationRows + 2, 1e12)))
        var replicas: [Replica] = []
        var pools: [Pool] = []
        var routers: [any ReplicaRouter] = []
        for (p, spec) in scenario.pools.enumerated() {
            var stepModel: (any StepTimeModel)?
            var service: ServiceTimeDistribution?
            var blocks = 0
            var overhead = 0.0
            switch spec.performance {
            case .steps(let model, let kvTokens, let requestOverhead):
                stepModel = model
                blocks = kvTokens / spec.scheduler.blockSize
                overhead = requestOverhead
            case .service(let distribution):
                service = distribution
            }
            // Enough replica objects for the autoscaler's maximum plus the warm pool; the first
            // `replicas` start ready, the next warm-pool ones warm, the rest stopped.
            let first = replicas.count
            let warm = spec.warmPool?.size ?? 0
            for k in 0..<spec.replicaSlots {
                let replica = Replica(pool: p, index: replicas.count, totalBlocks: blocks)
                replica.lifecycle = k < spec.replicas ? .ready : k < spec.replicas + warm ? .warm : .off
                replicas.append(replica)
            }
            let router = RoutingPolicies.make(spec, slots: spec.replicaSlots, seed: scenario.seed)
            routers.append(router)
            pools.append(Pool(spec: spec, replicas: first..<replicas.count, stepModel: stepModel, service: service,
                              requestOverhead: overhead, pipeline: spec.engine, routerObservesFirstTokens: router.observesFirstTokens,
                              startStream: RandomStream(seed: scenario.seed, name: "start/\(spec.name)")))
        }
        self.pools = pools
        self.routers = routers
        self.replicas = replicas
        arrivalSources = scenario.classes.enumerated().map { c, spec in
            ClassArrivals(spec: spec, seed: scenario.seed, duration: scenario.duration, trace: scenario.traces[c])
        }
        serviceStreams = scenario.classes.map { RandomStream(seed: scenario.seed, name: "service/\($0.name)") }
        let features = Features(scenario: scenario, pools: pools.map(\.replicas), replicaCount: replicas.count,
                                realServing: executor != nil)
        self.features = features
        arrivesAtSend = scenario.classes.indices.map { c in
            (features.gateway?.atGateway[c] ?? false) || features.regions != nil
        }
    }

    /// Runs to the end (all arrivals generated and drained, or the drain timeout) and returns the
    /// result. Call once.
    public func run() -> SimulationResult {
        pendingDraws = arrivalSources.map { $0.next() }
        for c in pendingDraws.indices { scheduleArrival(c) }
        for controller in features.controllers { controller.start(self) }
        for replica in replicas where replica.lifecycle == .ready {
            for observer in features.replicaObservers { observer.replicaBecameReady(replica, self) }
        }
        let deadline = scenario.duration + scenario.drainLimit
        // A benchmark of closed-loop clients ends with its last request; otherwise the run spans
        // at least the arrivals' duration.
        endTime = features.closedLoop?.coversEveryClass == true ? 0 : scenario.duration
        wallClock?.restart()
        let progressMask = Self.progressInterval - 1
        var eventCount = 0  // a local: reading `events.processed` costs an exclusivity check
        let paced = wallClock != nil  // a local flag: testing the optional per event costs a runtime call
        while let event = events.next() {
            eventCount &+= 1
            if eventCount & progressMask == 0 { reportProgress(at: event.time) }
            if event.time > deadline { endTime = deadline; break }
            let housekeeping = event.kind.isHousekeeping
            if housekeeping && !isActive() && event.time > endTime { continue }
            if paced { wallClock!.wait(until: event.time) }
            if !housekeeping { endTime = max(endTime, event.time) }
            dispatch(event)
        }
        for replica in replicas {
            if replica.work != .idle || !replica.running.isEmpty { addBusy(replica, until: endTime) }
            accountLifecycle(replica, until: endTime)
        }
        features.sampler.finish(self)
        progress?(1)
        return makeResult()
    }

    /// Hands an event to the one handler of its kind (see `EventKind` for who owns which).
    @inline(__always)
    private func dispatch(_ event: Event) {
        switch event.kind {
        case .arrival: handleArrival(classIndex: event.target)
        case .forward: handleForward(ticket: event.target)
        case .clientSend: features.closedLoop!.send(ticket: event.target, self)
        case .stepBoundary:
            let replica = replicas[event.target]
            if event.stamp == replica.stamp { handleBoundary(replica) }
        case .serviceDone: handleServiceDone(slot: Int32(event.target), generation: event.stamp)
        case .startDone:
            let replica = replicas[event.target]
            if event.stamp == replica.lifecycleStamp && replica.lifecycle == .starting { handleStartDone(replica) }
        case .timeout: features.clients!.timedOut(slot: Int32(event.target), generation: event.stamp, self)
        case .cacheHit: features.gateway!.served(slot: Int32(event.target), generation: event.stamp, hosted: false, self)
        case .hostedDone: features.gateway!.served(slot: Int32(event.target), generation: event.stamp, hosted: true, self)
        case .kvTransferLanded: features.disaggregation!.landed(ticket: event.target, self)
        case .delivery: features.regions!.delivered(slot: Int32(event.target), generation: event.stamp, self)
        case .autoscale: features.autoscaling!.sync(pool: event.target, self)
        case .sample: features.sampler.sample(self)
        case .replicaFailure: features.faults!.replicaFailed(replicas[event.target], stamp: event.stamp, self)
        case .repairDone: features.faults!.repaired(replicas[event.target], stamp: event.stamp, self)
        case .spotNotice: features.faults!.spotNotice(replicas[event.target], stamp: event.stamp, self)
        case .spotKill: features.faults!.spotKill(replicas[event.target], self)
        case .outageStart: features.faults!.outageStarts(event.target, self)
        case .outageEnd: features.faults!.outageEnds(event.target, self)
        case .ladderCheck: features.ladders!.check(event.target, self)
        case .releaseAnalysis: features.releases!.analyse(event.target, promote: false, self)
        case .releasePromotion: features.releases!.analyse(event.target, promote: true, self)
        case .budgetPolicyCheck: features.budgetPolicy!.evaluate(self)
        }
    }

    /// Calls `progress` with `min(1, time / duration)` (1 for a zero duration). Out of line, so
    /// the event loop carries nothing for it but a counter.
    @inline(never)
    func reportProgress(at time: Double) {
        guard let progress else { return }
        progress(scenario.duration > 0 ? min(1, max(0, time / scenario.duration)) : 1)
    }

    /// Whether anything is left to simulate: arrivals or held-back attempts to come, or live
    /// requests (a cancelled request still parked in a queue does not count).
    func isActive() -> Bool {
        inSystem > 0 || forwardTickets.count > freeForwardTickets.count || pendingDraws.contains { $0 != nil }
            || (features.closedLoop?.pendingSends ?? 0) > 0
    }
}
