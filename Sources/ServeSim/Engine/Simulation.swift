import Foundation

/// The discrete-event simulation of one scenario: one clock, one event queue, one pass.
///
/// Event kinds are plain integers (see `EventKind`); handlers live in extensions by concern:
/// arrivals and routing (`Simulation+Routing`), engine steps (`Simulation+Steps`), and
/// service-time servers (`Simulation+Service`). Same scenario and seed give the same events in
/// the same order, hence byte-identical reports.
public final class Simulation {
    enum EventKind {
        static let arrival: Int32 = 0
        static let boundary: Int32 = 1
        static let serviceDone: Int32 = 2
    }

    /// Per-pool state that is not per-replica.
    struct PoolState {
        let spec: PoolSpec
        /// Global indices of its replicas.
        let replicas: Range<Int>
        /// Shared FIFO (routing `shared-queue`).
        var shared = FIFOQueue()
        var roundRobinNext = 0
        let stepModel: (any StepTimeModel)?
        let service: ServiceTimeDistribution?
        let requestOverhead: Double
        /// Requests waiting in the pool (shared queue plus replicas' queues).
        var queued = 0
        var rejected = 0
    }

    public let scenario: Scenario
    var events = EventQueue()
    let requests = RequestTable()
    var replicas: [Replica] = []
    var pools: [PoolState] = []
    var arrivalSources: [ClassArrivals] = []
    var pendingDraws: [ArrivalDraw?] = []
    var serviceStreams: [RandomStream] = []
    public let metrics: MetricsCollector
    /// Arrivals at or after warm-up, and how many of them are still in the system.
    var measuredArrived = 0
    var measuredInFlight = 0
    var measuredArrivedByClass: [Int]
    var measuredInFlightByClass: [Int]
    let perIteration: Bool
    var endTime = 0.0
    /// Requests in the system (all pools), and its integral over time (request-seconds), kept by
    /// event times: an independent path to check Little's law against per-request sojourns.
    var inSystem = 0
    var inSystemArea = 0.0
    var inSystemSince = 0.0
    /// Called with every ended request, warm-up included (for tests and per-request exports).
    public var recordObserver: ((RequestRecord) -> Void)?
    /// When set, every step the scheduler chooses is run for real and the clock is the wall clock
    /// (a real serving loop): arrivals wait for their wall time, a step's boundary lands when the
    /// executor returns. Forces one event per step.
    public var executor: StepExecutor?
    var wallStart = ContinuousClock.now

    /// Seconds of wall time since the run started (real serving mode only).
    func wallNow() -> Double {
        let d = ContinuousClock.now - wallStart
        return Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
    }

    public init(scenario: Scenario, executor: StepExecutor? = nil) {
        self.scenario = scenario
        self.executor = executor
        perIteration = scenario.perIteration || executor != nil
        measuredArrivedByClass = Array(repeating: 0, count: scenario.classes.count)
        measuredInFlightByClass = measuredArrivedByClass
        metrics = MetricsCollector(
            classes: scenario.classes.map(MetricsClass.init), slos: scenario.slos, warmup: scenario.warmup)
        for (p, spec) in scenario.pools.enumerated() {
            let first = replicas.count
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
            for _ in 0..<spec.replicas {
                replicas.append(Replica(pool: p, index: replicas.count, totalBlocks: blocks))
            }
            pools.append(PoolState(spec: spec, replicas: first..<replicas.count, stepModel: stepModel,
                                   service: service, requestOverhead: overhead))
        }
        for (c, spec) in scenario.classes.enumerated() {
            arrivalSources.append(ClassArrivals(spec: spec, seed: scenario.seed, duration: scenario.duration,
                                                trace: scenario.traces[c]))
            serviceStreams.append(RandomStream(seed: scenario.seed, name: "service/\(spec.name)"))
        }
    }

    /// Runs to the end (all arrivals generated and drained, or the drain timeout) and returns the
    /// result. Call once.
    public func run() -> SimulationResult {
        pendingDraws = arrivalSources.map { $0.next() }
        for c in pendingDraws.indices { scheduleArrival(c) }
        let deadline = scenario.drainTimeout.map { scenario.duration + $0 } ?? .infinity
        endTime = scenario.duration
        wallStart = ContinuousClock.now
        while let event = events.next() {
            if executor != nil {
                // Real serving: an event in the future happens when the wall clock gets there.
                let ahead = event.time - wallNow()
                if ahead > 0 { Thread.sleep(forTimeInterval: ahead) }
            }
            if event.time > deadline { endTime = deadline; break }
            endTime = max(endTime, event.time)
            switch event.kind {
            case EventKind.arrival: handleArrival(classIndex: event.target)
            case EventKind.boundary:
                let replica = replicas[event.target]
                if event.stamp == replica.stamp { handleBoundary(replica) }
            default: handleServiceDone(slot: Int32(event.target))
            }
        }
        for replica in replicas where replica.work != .idle || !replica.running.isEmpty {
            addBusy(replica, until: endTime)
        }
        return makeResult()
    }

    /// Ends a request: records it and frees its slot.
    func finish(_ slot: Int32, _ outcome: Outcome) {
        let r = requests.slots[Int(slot)]
        let now = events.now
        var record = RequestRecord(classIndex: Int(r.classIndex), outcome: outcome, arrival: r.arrival, end: now,
                                   queueWait: 0, ttft: 0, tpot: 0, e2e: now - r.arrival,
                                   promptTokens: Int(r.promptTokens), outputTokens: Int(r.outputTokens))
        if outcome == .completed {
            // Time in the scheduler's queue: from reaching the pool (after its request overhead).
            record.queueWait = r.firstScheduled - r.arrival - pools[Int(r.pool)].requestOverhead
            record.ttft = r.firstToken - r.arrival
            record.tpot = r.outputTokens > 1 ? (record.e2e - record.ttft) / Double(r.outputTokens - 1) : 0
        }
        metrics.record(record)
        recordObserver?(record)
        executor?.release(sequence: Int(slot))
        changeInSystem(by: -1)
        if r.arrival >= scenario.warmup {
            measuredInFlight -= 1
            measuredInFlightByClass[Int(r.classIndex)] -= 1
        }
        requests.remove(slot)
    }

    func changeInSystem(by delta: Int) {
        let now = events.now
        inSystemArea += Double(inSystem) * (now - inSystemSince)
        inSystemSince = now
        inSystem += delta
    }

    /// Adds a replica's busy time from `busySince` to `time`, clipped to the measured span.
    func addBusy(_ replica: Replica, until time: Double) {
        let from = max(replica.busySince, scenario.warmup)
        if time > from { replica.busySeconds += time - from }
    }
}
