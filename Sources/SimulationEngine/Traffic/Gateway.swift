import ServingModel

/// The gateway in front of the pools: response caches and a hosted API endpoint.
///
/// A first attempt of a class that a cache covers, or of any class when the hosted endpoint takes
/// a share, reaches the gateway when the client sends it (its pool's `requestOverhead` is paid only
/// if it goes on to the pool). There it looks up the caches in order (the first hit completes it),
/// then the hosted share draws; the rest go to the pool. Separately, as the last admission stage,
/// an attempt (first or retry) that its pool would reject for capacity goes to the hosted endpoint
/// when `overflow` is on. Hits and hosted requests are in the system (Little's law, time series,
/// client timeouts) but never in a pool: no queue, no GPU time. Retries skip the caches and the
/// share (they already missed), but may overflow.
final class Gateway: AdmissionStage {
    let caches: [ResponseCacheSpec]
    private let cacheStreams: [RandomStream]
    /// Per cache with a content model: its entries and its prompts' popularity (nil otherwise).
    private let stores: [ResponseCacheStore?]
    private let popularity: [CumulativeTable?]
    /// Per class: the caches covering it, in lookup order.
    private let cachesOfClass: [[Int]]
    /// Per class: whether its first attempts pass the gateway.
    let atGateway: [Bool]
    let hosted: HostedEndpointSpec?
    private let shareStream: RandomStream?
    private let latencyStream: RandomStream?
    // Counts over the measured span (requests first sent at or after warm-up).
    private var lookups: [Int], hits: [Int]
    private var shared = 0
    private var overflowed = Array(repeating: 0, count: Rejection.allCases.count)
    private var hostedRequests = 0, hostedPrompt = 0, hostedOutput = 0
    /// Per class: prompt + output tokens of completed requests no GPU processed (cache hits and
    /// hosted), and completed hosted requests' tokens.
    private var offGpuTokens: [Int]
    private var hostedPromptByClass: [Int], hostedOutputByClass: [Int]

    /// Nil when the scenario has neither caches nor a hosted endpoint.
    init?(scenario: Scenario) {
        guard !scenario.caches.isEmpty || scenario.hosted != nil else { return nil }
        caches = scenario.caches
        cacheStreams = caches.map { RandomStream(seed: scenario.seed, name: "cache/\($0.name)") }
        stores = caches.map { $0.content.map { ResponseCacheStore(capacity: $0.capacity, ttl: $0.ttl) } }
        popularity = caches.map { $0.content.map { CumulativeTable(weights: $0.popularity) } }
        cachesOfClass = scenario.classes.map { c in
            scenario.caches.indices.filter { scenario.caches[$0].classes.isEmpty || scenario.caches[$0].classes.contains(c.name) }
        }
        hosted = scenario.hosted
        shareStream = hosted.map { RandomStream(seed: scenario.seed, name: "hosted/\($0.name)/share") }
        latencyStream = hosted.map { RandomStream(seed: scenario.seed, name: "hosted/\($0.name)/latency") }
        let share = (hosted?.share ?? 0) > 0
        atGateway = cachesOfClass.map { !$0.isEmpty || share }
        lookups = Array(repeating: 0, count: caches.count)
        hits = lookups
        offGpuTokens = Array(repeating: 0, count: scenario.classes.count)
        hostedPromptByClass = offGpuTokens
        hostedOutputByClass = offGpuTokens
    }

    /// A first attempt at the gateway (now = the client's send time): caches, hosted share, else on to
    /// its pool after the pool's request overhead.
    func arrive(_ state: RequestState, _ sim: Simulation) {
        let c = Int(state.classIndex)
        let measured = state.firstArrival >= sim.scenario.warmup
        let now = sim.events.now
        for k in cachesOfClass[c] {
            let cache = caches[k]
            if measured { lookups[k] += 1 }
            // Always one draw per lookup (even at ratio 0 or 1): the stream is the cache's alone. With
            // a content model the draw picks the prompt, and the cache's entries decide.
            let u = cacheStreams[k].uniformPositive()
            let hit = stores[k].map { $0.lookup(popularity[k]!.index(u), at: now) } ?? (u < cache.hitRatio ?? 0)
            guard hit else { continue }
            if measured { hits[k] += 1 }
            let slot = enterAtGateway(state, sim)
            let end = now + cache.hitLatency.sample(cacheStreams[k])
            sim.requests.slots[Int(slot)].firstToken = end
            sim.events.schedule(at: end, .cacheHit, target: Int(slot), stamp: sim.requests.slots[Int(slot)].generation)
            return
        }
        if let hosted, hosted.share > 0, shareStream!.chance(hosted.share) {
            if measured { shared += 1 }
            serveHosted(enterAtGateway(state, sim), sim)
            return
        }
        let overhead = sim.features.regions != nil ? 0 : sim.pools[sim.scenario.classPools[c]].requestOverhead
        if overhead > 0 {
            sim.forward(state, at: now + overhead)
        } else {
            sim.admit(state)
        }
    }

    /// Puts an attempt the gateway serves into the system (`enterSystem`), with no queue wait.
    private func enterAtGateway(_ state: RequestState, _ sim: Simulation) -> Int32 {
        var state = state
        // No queue: the queue-wait metric is 0 (finish subtracts the pool's overhead).
        state.firstScheduled = state.arrival + sim.reachDelay(state)
        return sim.enterSystem(state)
    }

    /// Serves an attempt already in the system on the hosted endpoint, from now.
    private func serveHosted(_ slot: Int32, _ sim: Simulation) {
        let hosted = hosted!, rng = latencyStream!
        let r = sim.requests.slots[Int(slot)]
        let output = r.requestedOutput  // a ladder's output cap was for the pool
        let ttft = hosted.ttft.sample(rng)
        let tpot = hosted.tpot.sample(rng)
        let firstToken = sim.events.now + ttft
        let end = firstToken + tpot * Double(max(0, output - 1))
        sim.requests.slots[Int(slot)].outputTokens = output
        sim.requests.slots[Int(slot)].firstToken = firstToken
        sim.requests.slots[Int(slot)].firstScheduled = r.arrival + sim.reachDelay(r)
        sim.events.schedule(at: end, .hostedDone, target: Int(slot), stamp: r.generation)
    }

    /// Sends an attempt its pool rejects to the hosted endpoint when overflow is on and the reason is
    /// capacity. Returns true when it did.
    func takeRejected(_ slot: Int32, reason: Rejection, _ sim: Simulation) -> Bool {
        guard let hosted, hosted.overflow, reason.overflows else { return false }
        if sim.requests.slots[Int(slot)].firstArrival >= sim.scenario.warmup { overflowed[reason.rawValue] += 1 }
        serveHosted(slot, sim)
        return true
    }

    /// A cache hit or a hosted request completes (unless its client gave up first).
    func served(slot: Int32, generation: UInt32, hosted: Bool, _ sim: Simulation) {
        let r = sim.requests.slots[Int(slot)]
        guard r.generation == generation else { return }
        if r.cancelled {
            sim.dropCancelled(slot)
            return
        }
        if r.firstArrival >= sim.scenario.warmup {
            let c = Int(r.classIndex)
            offGpuTokens[c] += Int(r.promptTokens + r.outputTokens)
            if hosted {
                hostedRequests += 1
                hostedPrompt += Int(r.promptTokens)
                hostedOutput += Int(r.outputTokens)
                hostedPromptByClass[c] += Int(r.promptTokens)
                hostedOutputByClass[c] += Int(r.outputTokens)
            }
        }
        sim.finish(slot, .completed)
    }

    /// What the gateway did over the measured span, and per class the tokens it served and the
    /// hosted cost (for cost allocation).
    func report(_ sim: Simulation) -> (GatewayReport, [GatewayClassUsage]) {
        let caches = caches.indices.map { k in
            CacheReport(name: self.caches[k].name, kind: self.caches[k].kind.rawValue, hitRatio: self.caches[k].hitRatio,
                        lookups: lookups[k], hits: hits[k], misses: lookups[k] - hits[k],
                        measuredHitRatio: ratio(Double(hits[k]), Double(lookups[k])),
                        content: self.caches[k].content.map { m in
                            CacheContentReport(distinct: m.distinct, skew: m.skew, capacity: m.capacity, ttl: m.ttl,
                                               evictions: stores[k]!.evictions, expirations: stores[k]!.expirations,
                                               entriesAtEnd: stores[k]!.count)
                        })
        }
        let hostedReport = hosted.map { h in
            HostedReport(
                name: h.name, share: h.share, overflow: h.overflow, requests: hostedRequests, shared: shared,
                overflowed: overflowed.reduce(0, +),
                overflowedBy: OverflowCounts(tooLong: overflowed[Rejection.tooLong.rawValue],
                                             queueFull: overflowed[Rejection.queueFull.rawValue],
                                             inFlightBudget: overflowed[Rejection.inFlightBudget.rawValue],
                                             circuitOpen: overflowed[Rejection.circuitOpen.rawValue]),
                promptTokens: hostedPrompt, outputTokens: hostedOutput,
                cost: h.cost(promptTokens: hostedPrompt, outputTokens: hostedOutput))
        }
        let classes = sim.scenario.classes.indices.map { c in
            GatewayClassUsage(offGpuTokens: offGpuTokens[c],
                              hostedCost: hosted?.cost(promptTokens: hostedPromptByClass[c],
                                                       outputTokens: hostedOutputByClass[c]) ?? 0)
        }
        return (GatewayReport(caches: caches, hosted: hostedReport), classes)
    }
}
