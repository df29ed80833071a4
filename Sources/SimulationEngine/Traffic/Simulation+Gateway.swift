import ServingModel
/// The gateway in front of the pools: response caches and a hosted API endpoint.
///
/// A first attempt of a class that a cache covers, or of any class when the hosted endpoint takes
/// a share, reaches the gateway when the client sends it (its pool's `requestOverhead` is paid only
/// if it goes on to the pool). There it looks up the caches in order (the first hit completes it),
/// then the hosted share draws; the rest go to the pool. Separately, an attempt (first or retry)
/// that its pool would reject for capacity goes to the hosted endpoint when `overflow` is on.
/// Hits and hosted requests are in the system (Little's law, time series, client timeouts) but
/// never in a pool: no queue, no GPU time. Retries skip the caches and the share (they already
/// missed), but may overflow.
extension Simulation {
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

    /// The gateway while the simulation runs: specs, streams and counts (measured span: requests
    /// first sent at or after warm-up).
    final class GatewayRun {
        let caches: [ResponseCacheSpec]
        let cacheStreams: [RandomStream]
        /// Per cache with a content model: its entries and its prompts' popularity (nil otherwise).
        let stores: [ResponseCacheStore?]
        let popularity: [CumulativeTable?]
        /// Per class: the caches covering it, in lookup order.
        let cachesOfClass: [[Int]]
        /// Per class: whether its first attempts pass the gateway.
        let atGateway: [Bool]
        var lookups: [Int], hits: [Int]
        let hosted: HostedEndpointSpec?
        let shareStream: RandomStream?
        let latencyStream: RandomStream?
        var shared = 0
        var overflowed = Array(repeating: 0, count: Rejection.allCases.count)
        var hostedRequests = 0, hostedPrompt = 0, hostedOutput = 0
        /// Per class: prompt + output tokens of completed requests no GPU processed (cache hits and
        /// hosted), and completed hosted requests' tokens.
        var offGpuTokens: [Int]
        var hostedPromptByClass: [Int], hostedOutputByClass: [Int]

        init(scenario: Scenario) {
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
    }

    /// Whether first attempts of class `c` reach the gateway (and so arrive without the pool's overhead).
    func passesGateway(_ c: Int) -> Bool { gateway?.atGateway[c] ?? false }

    /// A first attempt at the gateway (now = the client's send time): caches, hosted share, else on to
    /// its pool after the pool's request overhead.
    func gatewayArrival(_ state: RequestState) {
        guard let g = gateway else { admit(state); return }
        let c = Int(state.classIndex)
        let measured = state.firstArrival >= scenario.warmup
        for k in g.cachesOfClass[c] {
            let cache = g.caches[k]
            if measured { g.lookups[k] += 1 }
            // Always one draw per lookup (even at ratio 0 or 1): the stream is the cache's alone. With
            // a content model the draw picks the prompt, and the cache's entries decide.
            let u = g.cacheStreams[k].uniformPositive()
            let hit = g.stores[k].map { $0.lookup(g.popularity[k]!.index(u), at: events.now) } ?? (u < cache.hitRatio ?? 0)
            guard hit else { continue }
            if measured { g.hits[k] += 1 }
            let slot = enterAtGateway(state)
            let end = events.now + cache.hitLatency.sample(g.cacheStreams[k])
            requests.slots[Int(slot)].firstToken = end
            events.schedule(at: end, kind: EventKind.cacheHit, target: Int(slot),
                            stamp: requests.slots[Int(slot)].generation)
            return
        }
        if let hosted = g.hosted, hosted.share > 0, g.shareStream!.chance(hosted.share) {
            if measured { g.shared += 1 }
            serveHosted(enterAtGateway(state))
            return
        }
        let overhead = regionRun != nil ? 0 : pools[scenario.classPools[c]].requestOverhead
        if overhead > 0 {
            forward(state, at: events.now + overhead)
        } else {
            admit(state)
        }
    }

    /// Puts an attempt the gateway serves into the system (`enterSystem`), with no queue wait.
    func enterAtGateway(_ state: RequestState) -> Int32 {
        var state = state
        // No queue: the queue-wait metric is 0 (finish subtracts the pool's overhead).
        state.firstScheduled = state.arrival + reachDelay(state)
        return enterSystem(state)
    }

    /// Serves an attempt already in the system on the hosted endpoint, from now.
    func serveHosted(_ slot: Int32) {
        let g = gateway!, hosted = g.hosted!, rng = g.latencyStream!
        let r = requests.slots[Int(slot)]
        let output = r.requestedOutput  // a ladder's output cap was for the pool
        let ttft = hosted.ttft.sample(rng)
        let tpot = hosted.tpot.sample(rng)
        let firstToken = events.now + ttft
        let end = firstToken + tpot * Double(max(0, output - 1))
        requests.slots[Int(slot)].outputTokens = output
        requests.slots[Int(slot)].firstToken = firstToken
        requests.slots[Int(slot)].firstScheduled = r.arrival + reachDelay(r)
        events.schedule(at: end, kind: EventKind.hostedDone, target: Int(slot), stamp: r.generation)
    }

    /// Why the pool would turn the attempt in `slot` away, or nil when it admits it: a ladder's shed,
    /// too long, queue full, in-flight budget, the tenant's token bucket (taken only when reached),
    /// then the circuit breaker.
    func rejection(_ slot: Int32, pool p: Int, shed: Bool) -> Rejection? {
        if shed { return .shed }
        if !canEverServe(slot, pool: p) { return .tooLong }
        if isQueueFull(p) { return .queueFull }
        let r = requests.slots[Int(slot)]
        let tokens = Int(r.promptTokens + r.outputTokens)
        if let budget = scenario.admission.maxInFlightTokens, inFlightTokens + tokens > budget { return .inFlightBudget }
        let tenant = tenantIndex[Int(r.classIndex)]
        if tenant >= 0 {
            let limit = scenario.admission.tenants[tenant]
            let amount = limit.unit == .tokens ? Double(tokens) : 1
            if !tenantBuckets[tenant].tryTake(amount, at: events.now) { return .rateLimit }
        }
        // Last, so that a half-open breaker's single probe goes to an attempt that is then sent (asked
        // first, a probe taken by an attempt rejected for another reason would never report back and
        // leave the breaker half-open for good). An open breaker fails the attempt at once.
        if pools[p].breaker != nil && !pools[p].breaker!.allow(at: events.now) { return .circuitOpen }
        return nil
    }

    /// Sends an attempt its pool rejects to the hosted endpoint when overflow is on and the reason is
    /// capacity. Returns true when it did.
    func overflowToHosted(_ slot: Int32, reason: Rejection) -> Bool {
        guard let g = gateway, let hosted = g.hosted, hosted.overflow, reason.overflows else { return false }
        if requests.slots[Int(slot)].firstArrival >= scenario.warmup { g.overflowed[reason.rawValue] += 1 }
        serveHosted(slot)
        return true
    }

    /// A cache hit or a hosted request completes (unless its client gave up first).
    func handleGatewayDone(slot: Int32, generation: UInt32, hosted: Bool) {
        let r = requests.slots[Int(slot)]
        guard r.generation == generation else { return }
        if r.cancelled {
            dropCancelled(slot)
            return
        }
        if r.firstArrival >= scenario.warmup, let g = gateway {
            let c = Int(r.classIndex)
            g.offGpuTokens[c] += Int(r.promptTokens + r.outputTokens)
            if hosted {
                g.hostedRequests += 1
                g.hostedPrompt += Int(r.promptTokens)
                g.hostedOutput += Int(r.outputTokens)
                g.hostedPromptByClass[c] += Int(r.promptTokens)
                g.hostedOutputByClass[c] += Int(r.outputTokens)
            }
        }
        finish(slot, .completed)
    }

    /// What the gateway did over the measured span; nil without caches or a hosted endpoint.
    func gatewayReport() -> (GatewayReport, [GatewayClassUsage])? {
        guard let g = gateway else { return nil }
        let caches = g.caches.indices.map { k in
            CacheReport(name: g.caches[k].name, kind: g.caches[k].kind.rawValue, hitRatio: g.caches[k].hitRatio,
                        lookups: g.lookups[k], hits: g.hits[k], misses: g.lookups[k] - g.hits[k],
                        measuredHitRatio: ratio(Double(g.hits[k]), Double(g.lookups[k])),
                        content: g.caches[k].content.map { m in
                            CacheContentReport(distinct: m.distinct, skew: m.skew, capacity: m.capacity, ttl: m.ttl,
                                               evictions: g.stores[k]!.evictions, expirations: g.stores[k]!.expirations,
                                               entriesAtEnd: g.stores[k]!.count)
                        })
        }
        let hosted = g.hosted.map { h in
            HostedReport(
                name: h.name, share: h.share, overflow: h.overflow, requests: g.hostedRequests, shared: g.shared,
                overflowed: g.overflowed.reduce(0, +),
                overflowedBy: OverflowCounts(tooLong: g.overflowed[Rejection.tooLong.rawValue],
                                             queueFull: g.overflowed[Rejection.queueFull.rawValue],
                                             inFlightBudget: g.overflowed[Rejection.inFlightBudget.rawValue],
                                             circuitOpen: g.overflowed[Rejection.circuitOpen.rawValue]),
                promptTokens: g.hostedPrompt, outputTokens: g.hostedOutput,
                cost: h.cost(promptTokens: g.hostedPrompt, outputTokens: g.hostedOutput))
        }
        let classes = scenario.classes.indices.map { c in
            GatewayClassUsage(offGpuTokens: g.offGpuTokens[c],
                              hostedCost: g.hosted?.cost(promptTokens: g.hostedPromptByClass[c],
                                                         outputTokens: g.hostedOutputByClass[c]) ?? 0)
        }
        return (GatewayReport(caches: caches, hosted: hosted), classes)
    }
}
