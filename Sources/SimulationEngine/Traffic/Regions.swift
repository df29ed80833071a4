import ServingModel

/// Regions: network round trips between clients and pools, the geo router and its failover.
///
/// With `scenario.regions` set, every request draws its client's origin region when it is first
/// sent (stream `origin/<class>`, only for classes with several origins). Every attempt (first try
/// or retry) is routed when the client sends it, as the first admission stage: to the nearest
/// candidate pool (by RTT from the origin) that is available, else the next-nearest, else the
/// nearest (`GeoRouting.choose`). It reaches that pool after the pool's request overhead plus half
/// the RTT; the response's first and last tokens reach the client half the RTT after the pool
/// produces them. As a record sink it tallies each region's requests.
final class Regions: AdmissionStage, RecordSink {
    let topology: RegionTopology
    private let poolCount: Int
    /// Half the RTT, seconds, from origin `o` to pool `p`: `halfRTTs[o * poolCount + p]`.
    private let halfRTTs: [Double]
    /// Per class and origin region: its candidate pools, nearest first (empty for origins the
    /// class does not send from).
    private let preference: [[[Int]]]
    /// Per class: the origin draw (nil when it has one origin: no draw, no stream).
    private let originStreams: [RandomStream?]
    /// Measured span (requests first sent at or after warm-up), per region: attempts the geo
    /// router moved out of their nearest region and into another one.
    private var failoversOut: [Int], failoversIn: [Int]
    /// Per region where the request's final attempt was sent: outcomes and latencies.
    private var served: [ClassMetrics]
    /// Per origin region: the same, as its clients saw it.
    private var clients: [ClassMetrics]

    /// Nil when the scenario has no regions.
    init?(scenario: Scenario) {
        guard let t = scenario.regions else { return nil }
        topology = t
        poolCount = scenario.pools.count
        let regions = t.names.count
        halfRTTs = (0..<regions).flatMap { o in t.poolRegion.map { t.rtt[o][$0] / 2 } }
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

    /// Half the round trip between clients in region `origin` and pool `pool`, seconds.
    @inline(__always) func halfRTT(origin: Int, pool: Int) -> Double { halfRTTs[origin * poolCount + pool] }

    /// The geo router, at the client's send: picks the pool (nearest available candidate) and sends
    /// the attempt there; it is admitted on arrival. An attempt already sent passes on.
    func steer(_ attempt: inout RequestState, _ sim: Simulation) -> Steering {
        guard attempt.home < 0 else { return .proceed }
        let c = Int(attempt.classIndex), o = Int(attempt.origin)
        let order = preference[c][o]
        let k = GeoRouting.choose(preference: order, failover: topology.failover[c]) { isAvailable($0, sim) }
        let p = order[k]
        if k > 0, attempt.firstArrival >= sim.scenario.warmup {
            let from = topology.poolRegion[order[0]], to = topology.poolRegion[p]
            if from != to {
                failoversOut[from] += 1
                failoversIn[to] += 1
            }
        }
        attempt.home = Int16(p)
        attempt.pool = Int32(p)
        let delay = sim.reachDelay(attempt)
        if delay > 0 { sim.forward(attempt, at: sim.events.now + delay) } else { sim.admit(attempt) }
        return .taken
    }

    /// Whether the geo router may send to pool `p` now. A pool is unavailable while its zone is in
    /// an outage (`faults.outages`), while its circuit breaker is open (before the probe time), and
    /// while none of its replicas is ready unless it is scaled to zero on purpose (every replica off
    /// or warm: the first arrival starts one). So a pool whose replicas failed, or are cold-starting
    /// after an outage or a repair, gets traffic back when its first replica is ready.
    private func isAvailable(_ p: Int, _ sim: Simulation) -> Bool {
        let now = sim.events.now
        if sim.features.faults?.isDown(p, at: now) == true { return false }
        if sim.features.breakers?.isOpen(pool: p, at: now) == true { return false }
        var scaledToZero = true
        for i in sim.pools[p].replicas {
            switch sim.replicas[i].lifecycle {
            case .ready: return true
            case .off, .warm: continue
            case .starting, .draining, .failed: scaledToZero = false
            }
        }
        return scaledToZero
    }

    /// Called by `finish` for a completed attempt: when the response still has half an RTT to
    /// travel, the pool lets go of it now (its queue and in-flight counts, the token budget) and the
    /// client gets it at `now + delay + halfRTT` (a `delivery` event; `delay` is the engine's
    /// delivery delay); the first token is moved to the client's clock as well. Returns false when
    /// there is no network time (finish goes on, with the delay).
    func deferDelivery(_ slot: Int32, after delay: Double, _ sim: Simulation) -> Bool {
        let r = sim.requests.slots[Int(slot)]
        let half = sim.halfRTT(r)
        guard r.routed, half > 0 else { return false }
        sim.leavePool(Int(r.pool))
        sim.features.limits?.released(r)
        sim.requests.slots[Int(slot)].routed = false  // finish skips the pool's part at delivery
        sim.requests.slots[Int(slot)].firstToken = r.firstToken + half
        sim.events.schedule(at: sim.events.now + delay + half, .delivery, target: Int(slot), stamp: r.generation)
        return true
    }

    /// The response reaches the client. If the client gave up while it travelled (its timeout fell
    /// between the pool's last token and now), the request is already recorded as timed out and the
    /// response is dropped; the pool's circuit breaker hears of either outcome now.
    func delivered(slot: Int32, generation: UInt32, _ sim: Simulation) {
        let r = sim.requests.slots[Int(slot)]
        guard r.generation == generation else { return }
        sim.features.breakers?.record(pool: Int(r.pool), success: !r.cancelled, at: sim.events.now)
        if r.cancelled {
            sim.dropCancelled(slot)
        } else {
            sim.finish(slot, .completed)
        }
    }

    /// Adds a recorded request to its region's and its origin's counts (measured span only).
    func record(_ record: RequestRecord, of r: RequestState, _ sim: Simulation) {
        guard record.arrival >= sim.scenario.warmup else { return }
        if r.home >= 0 { served[topology.poolRegion[Int(r.home)]].add(record) }
        if r.origin >= 0 { clients[Int(r.origin)].add(record) }
    }

    /// The report's regions section; `usage` is the pools' usage, in order.
    func reports(usage: [PoolUsage], _ sim: Simulation) -> [RegionReport] {
        topology.names.indices.map { k in
            let members = sim.pools.indices.filter { topology.poolRegion[$0] == k }
            return RegionReport(
                name: topology.names[k], pools: members.map { sim.pools[$0].spec.name },
                served: RegionOutcomes(served[k]),
                latency: RegionLatency(served[k]),
                failoversIn: failoversIn[k], failoversOut: failoversOut[k],
                gpuHours: members.reduce(0) { $0 + finite(usage[$1].provisionedGpuSeconds / 3600) },
                cost: members.reduce(0) { $0 + usage[$1].costSplit.cost },
                clients: RegionClients(requests: RegionOutcomes(clients[k]), latency: RegionLatency(clients[k])))
        }
    }
}
