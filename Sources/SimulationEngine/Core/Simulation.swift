import ServingModel
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
        static let startDone: Int32 = 3
        /// Housekeeping: they observe or steer, and never extend the simulated end time.
        static let autoscale: Int32 = 4
        static let sample: Int32 = 5
        static let timeout: Int32 = 6
        static let retry: Int32 = 7
        static let replicaFailure: Int32 = 8
        static let spotNotice: Int32 = 9
        static let spotKill: Int32 = 10
        static let outageStart: Int32 = 11
        static let outageEnd: Int32 = 12
        static let degradationCheck: Int32 = 13
        /// Gateway completions (not housekeeping): a cache hit, a hosted request.
        static let cacheHit: Int32 = 14
        static let hostedDone: Int32 = 15
        /// A KV cache transfer from a prefill to a decode pool lands (not housekeeping).
        static let kvTransfer: Int32 = 16
        /// A release's analysis or promotion (housekeeping).
        static let releaseCheck: Int32 = 17
        /// A response reaches its client half an RTT after its pool finished it (regions).
        static let delivery: Int32 = 18
    }

    /// Per-pool state that is not per-replica.
    struct PoolState {
        let spec: PoolSpec
        /// Global indices of its replicas.
        let replicas: Range<Int>
        /// Shared FIFO (routing `shared-queue`).
        var shared = FIFOQueue()
        var roundRobinNext = 0
        /// The model timing its steps (swapped by a ladder's `disableSpeculation`).
        var stepModel: (any StepTimeModel)?
        /// Decode batches up to this size speculate now (0: none; see `Simulation+Speculation`).
        var speculativeUpTo = 0
        let service: ServiceTimeDistribution?
        let requestOverhead: Double
        /// Requests waiting in the pool (shared queue plus replicas' queues); change it only with
        /// `changeQueued`, which keeps its time integral.
        private(set) var queued = 0
        var rejected = 0
        /// Requests routed to the pool and not ended, and the waiting count, integrated over time.
        var inPool = TimeIntegral()
        var queuedIntegral = TimeIntegral()
        var arrivalsSinceTick = 0
        /// Arrival rate (requests/s) over the last two sync periods, for trend forecasts.
        var currentRate = 0.0, previousRate = 0.0
        /// When the pool last became empty (nil while it holds requests), for scale to zero.
        var idleSince: Double? = 0
        var autoscalerState = AutoscalerState()
        /// Cold and warm start durations.
        let startStream: RandomStream
        var coldStarts = 0, warmStarts = 0, scaleUps = 0, scaleDowns = 0
        /// Set while the pool's zone is down (an outage): nothing starts until then.
        var downUntil: Double?
        /// The pool's circuit breaker and its state (copied from the spec).
        var breaker: CircuitBreaker?
        /// Power-of-two draws (stream `routing/<pool>`; only that policy opens it).
        var routingStream: RandomStream?
        /// Smooth weighted round-robin state (`weighted-round-robin` only).
        var weightedRoundRobin: SmoothWeightedRoundRobin?

        mutating func changeQueued(by delta: Int, at time: Double) {
            queued += delta
            queuedIntegral.add(Double(delta), at: time)
        }
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
    let series: TimeSeriesCollector
    /// Arrivals at or after warm-up, and how many of them are still in the system.
    var measuredArrived = 0
    var measuredInFlight = 0
    var measuredArrivedByClass: [Int]
    var measuredInFlightByClass: [Int]
    let perIteration: Bool
    var endTime = 0.0
    var lastSampleTime = 0.0
    var retryTickets: [RetryTicket?] = []
    var freeRetryTickets: [Int] = []
    var retryStreams: [RandomStream] = []
    var retries = 0, timeouts = 0, replicaFailures = 0, spotPreemptions = 0
    /// Prompt + output tokens of requests admitted and not ended (the global admission budget).
    var inFlightTokens = 0
    /// Per class: index of its tenant's rate limit in `scenario.admission.tenants`, or -1.
    var tenantIndex: [Int] = []
    var tenantBuckets: [TokenBucket] = []
    /// Replica failures and spot preemptions, per pool.
    var faultStreams: [RandomStream] = []
    /// Requests in the system (all pools), and its integral over time (request-seconds), kept by
    /// event times: an independent path to check Little's law against per-request sojourns.
    var inSystem = 0
    var inSystemArea = 0.0
    var inSystemSince = 0.0
    /// Degradation ladders, and the ladder guarding each pool (nil: none).
    var ladders: [LadderRun] = []
    var ladderOfPool: [Int?] = []
    /// Response caches and the hosted endpoint (nil: neither).
    var gateway: GatewayRun?
    /// Prefill/decode pairs and their KV links (nil: none).
    var disaggregation: DisaggregationRun?
    /// Routers, releases and injected errors (nil: the scenario has none).
    var traffic: TrafficRun?
    /// Prefix caching and prefix-/session-affinity state (nil: no pool uses any).
    var prefix: PrefixCacheRun?
    /// Regions, RTTs and the geo router (nil: no regions).
    var regionRun: RegionRun?
    /// Called with every ended request, warm-up included (for tests and per-request exports).
    public var recordObserver: ((RequestRecord) -> Void)?
    /// When set, every step the scheduler chooses is run for real and the clock is the wall clock
    /// (a real serving loop): arrivals wait for their wall time, a step's boundary lands when the
    /// executor returns. Forces one event per step.
    public var executor: StepExecutor?
    /// Called every `progressInterval` events, and once at the end, with the fraction of the
    /// scenario's duration simulated so far (`min(1, now / duration)`; 1 while draining): non-
    /// decreasing, in [0, 1]. For progress lines; it observes only, so results are the same with
    /// or without it. Nil costs one masked counter test per event.
    public var progress: ((Double) -> Void)?
    /// Events between two `progress` calls (2^16).
    public static let progressInterval = 1 << 16
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
            classes: scenario.classes.map(MetricsClass.init), slos: scenario.slos, warmup: scenario.warmup,
            pools: scenario.pools.count)
        series = TimeSeriesCollector(interval: scenario.timeSeriesInterval, slos: scenario.slos,
                                     classNames: scenario.classes.map(\.name), warmup: scenario.warmup)
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
            // Enough replica objects for the autoscaler's maximum plus the warm pool; the first
            // `replicas` start ready, the next warm-pool ones warm, the rest stopped.
            let warm = spec.warmPool?.size ?? 0
            let slots = max(spec.replicas, spec.autoscaler?.maxReplicas ?? 0) + warm
            for k in 0..<slots {
                let replica = Replica(pool: p, index: replicas.count, totalBlocks: blocks)
                replica.lifecycle = k < spec.replicas ? .ready : k < spec.replicas + warm ? .warm : .off
                replicas.append(replica)
            }
            pools.append(PoolState(spec: spec, replicas: first..<replicas.count, stepModel: stepModel,
                                   service: service, requestOverhead: overhead,
                                   startStream: RandomStream(seed: scenario.seed, name: "start/\(spec.name)"),
                                   breaker: spec.circuitBreaker))
            setUpRouting(pool: p, slots: slots)
            setUpSpeculation(pool: p)
        }
        for (c, spec) in scenario.classes.enumerated() {
            arrivalSources.append(ClassArrivals(spec: spec, seed: scenario.seed, duration: scenario.duration,
                                                trace: scenario.traces[c]))
            serviceStreams.append(RandomStream(seed: scenario.seed, name: "service/\(spec.name)"))
            retryStreams.append(RandomStream(seed: scenario.seed, name: "retry/\(spec.name)"))
            tenantIndex.append(scenario.admission.tenants.firstIndex { $0.tenant == spec.tenant } ?? -1)
        }
        tenantBuckets = scenario.admission.tenants.map { TokenBucket(rate: $0.rate, burst: $0.burst) }
        faultStreams = scenario.pools.map { RandomStream(seed: scenario.seed, name: "faults/\($0.name)") }
        ladders = scenario.degradation.map { LadderRun(spec: $0, scenario: scenario) }
        ladderOfPool = scenario.pools.indices.map { p in scenario.degradation.firstIndex { $0.pool == p } }
        if !scenario.caches.isEmpty || scenario.hosted != nil { gateway = GatewayRun(scenario: scenario) }
        setUpDisaggregation()
        traffic = TrafficRun(scenario: scenario)
        setUpPrefixCaching()
        if let topology = scenario.regions { regionRun = RegionRun(topology: topology, scenario: scenario) }
    }

    /// Runs to the end (all arrivals generated and drained, or the drain timeout) and returns the
    /// result. Call once.
    public func run() -> SimulationResult {
        pendingDraws = arrivalSources.map { $0.next() }
        for c in pendingDraws.indices { scheduleArrival(c) }
        for (p, pool) in pools.enumerated() {
            if let autoscaler = pool.spec.autoscaler {
                events.schedule(at: autoscaler.syncPeriod, kind: EventKind.autoscale, target: p)
            }
        }
        events.schedule(at: scenario.timeSeriesInterval, kind: EventKind.sample, target: 0)
        scheduleOutages()
        scheduleLadderChecks()
        scheduleReleaseChecks()
        for replica in replicas where replica.lifecycle == .ready { armFaults(replica) }
        let deadline = scenario.drainTimeout.map { scenario.duration + $0 } ?? .infinity
        endTime = scenario.duration
        wallStart = ContinuousClock.now
        let progressMask = Self.progressInterval - 1
        var eventCount = 0  // a local: reading `events.processed` costs an exclusivity check
        while let event = events.next() {
            eventCount &+= 1
            if eventCount & progressMask == 0 { reportProgress(at: event.time) }
            if event.time > deadline { endTime = deadline; break }
            // Autoscaling, sampling and fault clocks steer the system but never extend the run:
            // once nothing is left to serve they are dropped.
            let housekeeping = event.kind == EventKind.autoscale || event.kind == EventKind.sample
                || (event.kind >= EventKind.replicaFailure && event.kind <= EventKind.degradationCheck)
                || event.kind == EventKind.releaseCheck
            if housekeeping && !isActive() && event.time > endTime { continue }
            if executor != nil {
                // Real serving: an event in the future happens when the wall clock gets there.
                let ahead = event.time - wallNow()
                if ahead > 0 { Thread.sleep(forTimeInterval: ahead) }
            }
            if !housekeeping { endTime = max(endTime, event.time) }
            switch event.kind {
            case EventKind.arrival: handleArrival(classIndex: event.target)
            case EventKind.boundary:
                let replica = replicas[event.target]
                if event.stamp == replica.stamp { handleBoundary(replica) }
            case EventKind.serviceDone: handleServiceDone(slot: Int32(event.target), generation: event.stamp)
            case EventKind.startDone:
                let replica = replicas[event.target]
                if event.stamp == replica.lifecycleStamp && replica.lifecycle == .starting { handleStartDone(replica) }
            case EventKind.autoscale: handleAutoscale(pool: event.target)
            case EventKind.sample: takeSample()
            case EventKind.timeout: handleTimeout(slot: Int32(event.target), generation: event.stamp)
            case EventKind.retry: handleRetry(ticket: event.target)
            case EventKind.degradationCheck: checkLadder(event.target)
            case EventKind.cacheHit: handleGatewayDone(slot: Int32(event.target), generation: event.stamp, hosted: false)
            case EventKind.hostedDone: handleGatewayDone(slot: Int32(event.target), generation: event.stamp, hosted: true)
            case EventKind.kvTransfer: handleTransferDone(ticket: event.target)
            case EventKind.releaseCheck: checkRelease(event.target, promote: event.stamp == 1)
            case EventKind.delivery: handleDelivery(slot: Int32(event.target), generation: event.stamp)
            default: handleFault(event)
            }
        }
        for replica in replicas {
            if replica.work != .idle || !replica.running.isEmpty { addBusy(replica, until: endTime) }
            accountLifecycle(replica, until: endTime)
        }
        series.finish(at: endTime, pools: poolSamples())
        progress?(1)
        return makeResult()
    }

    /// Calls `progress` with `min(1, time / duration)` (1 for a zero duration). Out of line, so
    /// the event loop carries nothing for it but a counter.
    @inline(never)
    func reportProgress(at time: Double) {
        guard let progress else { return }
        progress(scenario.duration > 0 ? min(1, max(0, time / scenario.duration)) : 1)
    }

    /// Ends a request's attempt. A non-completed attempt is retried when the class's retry policy
    /// allows another; otherwise the request's final outcome is recorded (latencies from the
    /// client's first send). `holdSlot`: a queue or batch still holds the slot (a cancellation),
    /// which then frees it when it drops the request.
    func finish(_ slot: Int32, _ outcome: Outcome, holdSlot: Bool = false) {
        let outcome = traffic == nil ? outcome : attemptEnded(slot, outcome)
        let r = requests.slots[Int(slot)]
        // With regions the response still travels half an RTT to the client (Simulation+Regions).
        if regionRun != nil && outcome == .completed && deferDelivery(slot) { return }
        let now = events.now
        let classIndex = Int(r.classIndex)
        if outcome != .completed, let retry = scenario.classes[classIndex].client?.retry, Int(r.attempt) < retry.maxAttempts {
            scheduleRetry(of: r, after: retry.backoff(attempt: Int(r.attempt), rng: retryStreams[classIndex]))
        } else {
            var record = RequestRecord(classIndex: classIndex, outcome: outcome, arrival: r.firstArrival, end: now,
                                       queueWait: 0, ttft: 0, tpot: 0, e2e: now - r.firstArrival,
                                       promptTokens: Int(r.promptTokens), outputTokens: Int(r.outputTokens),
                                       pool: Int(r.pool))
            if outcome == .completed {
                // Time in the scheduler's queue: from reaching the pool (after the request overhead,
                // which an attempt pays at its class's pool, before a degradation ladder may move it).
                record.queueWait = r.firstScheduled - r.arrival - reachDelay(r)
                record.ttft = r.firstToken - r.firstArrival
                record.tpot = r.outputTokens > 1 ? (record.e2e - record.ttft) / Double(r.outputTokens - 1) : 0
            }
            metrics.record(record)
            series.record(record)
            if !ladders.isEmpty { feedLadders(record) }
            if let traffic, !traffic.releases.isEmpty { tallyReleases(record) }
            recordObserver?(record)
            if r.prefixChain >= 0 { prefix?.releaseChain(r.prefixChain) }
            if regionRun != nil { recordRegion(record, r) }
            if r.firstArrival >= scenario.warmup {
                measuredInFlight -= 1
                measuredInFlightByClass[classIndex] -= 1
            }
        }
        executor?.release(sequence: Int(slot))
        if r.routed {
            let p = Int(r.pool)
            // What the client saw of the pool: a failure or a timeout counts against it.
            pools[p].breaker?.record(success: outcome == .completed, at: now)
            leavePool(p)
        }
        inFlightTokens -= r.routed ? Int(r.promptTokens + r.outputTokens) : 0
        changeInSystem(by: -1)
        if holdSlot {
            requests.slots[Int(slot)].cancelled = true
        } else {
            requests.remove(slot)
        }
    }

    /// A request stops counting in pool `p` (it ended, or moved on): the in-pool integral, and the
    /// idle clock when the pool is now empty (for scale to zero).
    func leavePool(_ p: Int) {
        pools[p].inPool.add(-1, at: events.now)
        if pools[p].inPool.value == 0 { pools[p].idleSince = events.now }
    }

    /// Changes pool `p`'s waiting count and its time integral (for the queue-depth metric).
    func changeQueued(_ p: Int, by delta: Int) {
        pools[p].changeQueued(by: delta, at: events.now)
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
        if time > replica.busySince { replica.busyUnclipped += time - replica.busySince }
        replica.busySince = time
    }
}
