import ServingModel
/// Regions: network round trips between clients and pools, the geo router and its failover.
///
/// With `scenario.regions` set, every request draws its client's origin region when it is first
/// sent (stream `origin/<class>`, only for classes with several origins). Every attempt (first try
/// or retry) is routed when the client sends it: to the nearest candidate pool (by RTT from the
/// origin) that is available, else the next-nearest, else the nearest (`GeoRouting.choose`). It
/// reaches that pool after the pool's request overhead plus half the RTT; the response's first and
/// last tokens reach the client half the RTT after the pool produces them. Without regions none of
/// this runs: every hook is behind `regionRun != nil` or `home < 0`.
extension Simulation {
    /// The regions while the simulation runs: the topology, precomputed RTTs and preference orders,
    /// origin streams, and what happened per region over the measured span.
    final class RegionRun {
        let topology: RegionTopology
        let poolCount: Int
        /// Half the RTT, seconds, from origin `o` to pool `p`: `halfRTT[o * poolCount + p]`.
        let halfRTT: [Double]
        /// Per class and origin region: its candidate pools, nearest first (empty for origins the
        /// class does not send from).
        let preference: [[[Int]]]
        /// Per class: the origin draw (nil when it has one origin: no draw, no stream).
        let originStreams: [RandomStream?]
        /// Measured span (requests first sent at or after warm-up), per region: attempts the geo
        /// router moved out of their nearest region and into another one.
        var failoversOut: [Int], failoversIn: [Int]
        /// Per region where the request's final attempt was sent: outcomes and latencies.
        var served: [ClassMetrics]
        /// Per origin region: the same, as its clients saw it.
        var clients: [ClassMetrics]

        init(topology t: RegionTopology, scenario: Scenario) {
            topology = t
            poolCount = scenario.pools.count
            let regions = t.names.count
            halfRTT = (0..<regions).flatMap { o in t.poolRegion.map { t.rtt[o][$0] / 2 } }
            preference = scenario.classes.indices.map { c in
                (0..<regions).map { o in
                    t.origins[c].contains { $0.region == o }
                        ? GeoRouting.preference(candidates: t.candidates[c], origin: o, rtt: t.rtt, poolRegion: t.poolRegion)
                        : []
                }
            }
            originStreams = scenario.classes.indices.map { c in
                t.origins[c].count > 1 ? RandomStream(seed: scenario.seed, name: "origin/\(scenario.classes[c].name)") : nil
            }
            failoversOut = Array(repeating: 0, count: regions)
            failoversIn = failoversOut
            served = Array(repeating: ClassMetrics(), count: regions)
            clients = served
        }

        /// The origin region of a new request of class `c` (one uniform draw when it has several).
        func drawOrigin(_ c: Int) -> Int16 {
            let shares = topology.origins[c]
            guard let stream = originStreams[c] else { return Int16(shares[0].region) }
            return Int16(GeoRouting.origin(shares, u: stream.uniformPositive()))
        }
    }

    /// Half the round trip between the attempt's client and the pool it was sent to, seconds
    /// (0 until it is sent, and always without regions).
    @inline(__always) func halfRTT(_ r: RequestState) -> Double {
        r.home < 0 ? 0 : regionRun!.halfRTT[Int(r.origin) * pools.count + Int(r.home)]
    }

    /// Seconds from the client's send of the attempt to its arrival at the pool: the pool's request
    /// overhead plus half the RTT (the class's own pool's overhead for an attempt not sent to a region).
    @inline(__always) func reachDelay(_ r: RequestState) -> Double {
        r.home < 0 ? pools[scenario.classPools[Int(r.classIndex)]].requestOverhead
                   : pools[Int(r.home)].requestOverhead + halfRTT(r)
    }

    /// The geo router, at the client's send: picks the pool (nearest available candidate) and sends
    /// the attempt there; it is admitted on arrival.
    func sendToRegion(_ state: RequestState) {
        let g = regionRun!
        var state = state
        let c = Int(state.classIndex), o = Int(state.origin)
        let order = g.preference[c][o]
        let k = GeoRouting.choose(preference: order, failover: g.topology.failover[c]) { isAvailable($0) }
        let p = order[k]
        if k > 0, state.firstArrival >= scenario.warmup {
            let from = g.topology.poolRegion[order[0]], to = g.topology.poolRegion[p]
            if from != to {
                g.failoversOut[from] += 1
                g.failoversIn[to] += 1
            }
        }
        state.home = Int16(p)
        state.pool = Int32(p)
        let delay = reachDelay(state)
        if delay > 0 { forward(state, at: events.now + delay) } else { admit(state) }
    }

    /// Whether the geo router may send to pool `p` now. A pool is unavailable while its zone is in
    /// an outage (`faults.outages`), while its circuit breaker is open (before the probe time), and
    /// while none of its replicas is ready unless it is scaled to zero on purpose (every replica off
    /// or warm: the first arrival starts one). So a pool whose replicas failed, or are cold-starting
    /// after an outage or a repair, gets traffic back when its first replica is ready.
    func isAvailable(_ p: Int) -> Bool {
        if isDown(p) { return false }
        if pools[p].breaker?.isOpen(at: events.now) == true { return false }
        var scaledToZero = true
        for i in pools[p].replicas {
            switch replicas[i].lifecycle {
            case .ready: return true
            case .off, .warm: continue
            case .starting, .draining, .failed: scaledToZero = false
            }
        }
        return scaledToZero
    }

    /// Called by `finish` for a completed attempt: when the response still has half an RTT to
    /// travel, the pool lets go of it now (its queue and in-flight counts, the token budget) and the
    /// client gets it at `now + halfRTT` (a `delivery` event); the first token is moved to the
    /// client's clock as well. Returns false when there is no network time (finish goes on).
    func deferDelivery(_ slot: Int32) -> Bool {
        let r = requests.slots[Int(slot)]
        let half = halfRTT(r)
        guard r.routed, half > 0 else { return false }
        let now = events.now, p = Int(r.pool)
        leavePool(p)
        inFlightTokens -= Int(r.promptTokens + r.outputTokens)
        requests.slots[Int(slot)].routed = false  // finish skips the pool's part at delivery
        requests.slots[Int(slot)].firstToken = r.firstToken + half
        events.schedule(at: now + half, kind: EventKind.delivery, target: Int(slot), stamp: r.generation)
        return true
    }

    /// The response reaches the client. If the client gave up while it travelled (its timeout fell
    /// between the pool's last token and now), the request is already recorded as timed out and the
    /// response is dropped; the pool's circuit breaker hears of either outcome now.
    func handleDelivery(slot: Int32, generation: UInt32) {
        let r = requests.slots[Int(slot)]
        guard r.generation == generation else { return }
        pools[Int(r.pool)].breaker?.record(success: !r.cancelled, at: events.now)
        if r.cancelled {
            dropCancelled(slot)
        } else {
            finish(slot, .completed)
        }
    }

    /// Adds a recorded request to its region's and its origin's counts (measured span only).
    func recordRegion(_ record: RequestRecord, _ r: RequestState) {
        guard let g = regionRun, record.arrival >= scenario.warmup else { return }
        if r.home >= 0 { g.served[g.topology.poolRegion[Int(r.home)]].add(record) }
        if r.origin >= 0 { g.clients[Int(r.origin)].add(record) }
    }

    /// The report's regions section (nil without regions); `usage` is the pools' usage, in order.
    func regionsReport(usage: [PoolUsage]) -> [RegionReport]? {
        guard let g = regionRun else { return nil }
        return g.topology.names.indices.map { k in
            let members = pools.indices.filter { g.topology.poolRegion[$0] == k }
            return RegionReport(
                name: g.topology.names[k], pools: members.map { pools[$0].spec.name },
                served: RegionOutcomes(g.served[k]),
                latency: RegionLatency(g.served[k]),
                failoversIn: g.failoversIn[k], failoversOut: g.failoversOut[k],
                gpuHours: members.reduce(0) { $0 + finite(usage[$1].provisionedGpuSeconds / 3600) },
                cost: members.reduce(0) { $0 + usage[$1].costSplit.cost },
                clients: RegionClients(requests: RegionOutcomes(g.clients[k]), latency: RegionLatency(g.clients[k])))
        }
    }
}
