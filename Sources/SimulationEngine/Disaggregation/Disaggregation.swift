import ServingModel

/// Prefill/decode disaggregation (DistServe, Zhong et al., OSDI 2024; Splitwise, Patel et al.,
/// ISCA 2024).
///
/// On a prefill pool's replica a request runs its prefill (chunked as usual) and emits its first
/// token there (TTFT is the prefill pool's). At that step boundary it leaves the batch, but its KV
/// blocks stay held on the replica while its KV cache crosses the link: each prefill replica has
/// its own outgoing link (its GPUs' links), a FIFO that moves one transfer at a time at full
/// bandwidth, `lanes x bandwidth` bytes/s; a transfer lands `latency` after it leaves the link.
/// When it lands (event `kvTransferLanded`) the prefill blocks are freed and the request is routed to
/// the decode pool by that pool's policy with its context computed: a decode replica admits it
/// with KV blocks for its whole context and it decodes from its second token. If KV runs short
/// there, it is preempted and recomputed locally like any request.
///
/// A request belongs to one pool at a time: the prefill pool until its transfer lands (it counts
/// in that pool's `inPool`), then the decode pool. Timed-out requests still cross the link (the
/// engine does not abort transfers) and are dropped when they land. A prefill replica that fails
/// loses the KV it was sending: those requests fail or are recomputed per `faults.inFlight`.
final class Disaggregation {
    /// One KV transfer on its way.
    struct Ticket {
        var slot: Int32
        var generation: UInt32
        var pair: Int
        /// Global index of the prefill replica holding the blocks.
        var replica: Int
        var blocks: Int32
        var bytes: Double
        /// When the request left the batch, and when the link started moving it (seconds).
        var handedOff: Double
        var started: Double
        /// The prefill replica failed: its KV is gone and its blocks were reset with it.
        var lost = false
    }

    let pairs: [DisaggregationPair]
    /// Per pool: the pair whose prefill pool it is, or -1.
    private let pairOfPrefill: [Int]
    /// Per replica (global index): when its outgoing link is next free, seconds, and the KV blocks
    /// of its finished prefills waiting for or on that link (neither free nor held by a running
    /// sequence; returned to `freeBlocks` when each transfer lands).
    private var linkFreeAt: [Double]
    private var inTransit: [Int]
    private var tickets: [Ticket?] = []
    private var freeTickets: [Int] = []
    /// Per pair, over the measured span (requests first sent at or after warm-up; link busy time
    /// clipped to it): transfers landed and lost, bytes, handoff to landing (link queueing
    /// included), the wait for the link alone, and the link's busy seconds.
    private var transfers: [Int], lost: [Int]
    private var bytes: [Double]
    private var seconds: [LogHistogram]
    private var linkWait: [Double]
    private var linkBusy: [Double]
    /// Sees every transfer that lands for a live request (tests, exports).
    var observer: ((KVTransferTrace) -> Void)?

    /// Nil when the scenario pairs no pools.
    init?(scenario: Scenario, replicaCount: Int) {
        guard !scenario.disaggregation.isEmpty else { return nil }
        pairs = scenario.disaggregation
        var of = Array(repeating: -1, count: scenario.pools.count)
        for (k, pair) in pairs.enumerated() { of[pair.prefillPool] = k }
        pairOfPrefill = of
        linkFreeAt = Array(repeating: 0, count: replicaCount)
        inTransit = Array(repeating: 0, count: replicaCount)
        transfers = Array(repeating: 0, count: pairs.count)
        lost = transfers
        bytes = Array(repeating: 0, count: pairs.count)
        seconds = Array(repeating: LogHistogram(), count: pairs.count)
        linkWait = bytes
        linkBusy = bytes
    }

    /// The decode pool paired with prefill pool `p`, if any.
    func decodePool(of p: Int) -> Int? {
        let k = pairOfPrefill[p]
        return k >= 0 ? pairs[k].decodePool : nil
    }

    /// Whether the replica belongs to a prefill pool: its finished prefills leave for the KV link.
    @inline(__always) func handsOff(_ replica: Replica) -> Bool { pairOfPrefill[replica.pool] >= 0 }

    /// KV blocks of the replica's finished prefills on their way over its link.
    func blocksInTransit(on replica: Replica) -> Int { inTransit[replica.index] }

    /// At a prefill replica's step boundary: every sequence whose prefill is done leaves the batch
    /// (its blocks still held) and its KV cache is queued on the replica's link.
    func handOffPrefilled(_ replica: Replica, _ sim: Simulation) {
        var kept = 0
        for slot in replica.running {
            if sim.requests.slots[Int(slot)].isPrefilling {
                replica.running[kept] = slot
                kept += 1
            } else {
                startTransfer(slot, from: replica, sim)
            }
        }
        replica.running.removeLast(replica.running.count - kept)
    }

    private func startTransfer(_ slot: Int32, from replica: Replica, _ sim: Simulation) {
        let k = pairOfPrefill[replica.pool]
        let pair = pairs[k]
        let now = sim.events.now
        let r = sim.requests.slots[Int(slot)]
        let bytes = KVTransfer.bytes(tokens: Int(r.prefilled), bytesPerToken: pair.kvBytesPerToken)
        let busy = KVTransfer.serializationSeconds(bytes: bytes, bandwidth: pair.link.bandwidth, lanes: pair.lanes)
        let t = KVTransfer.schedule(now: now, freeAt: linkFreeAt[replica.index], serialization: busy,
                                    latency: pair.link.latency)
        linkFreeAt[replica.index] = t.freeAt
        linkBusy[k] += max(0, t.freeAt - max(t.start, sim.scenario.warmup))
        // On a caching replica the blocks the sequence shares with the prefix cache stay the cache's
        // (unpinned now: a real engine would pin them until sent); the transfer holds its own blocks.
        let shared = sim.features.prefixCaching?.unpin(slot, on: replica) ?? 0
        let blocks = r.heldBlocks - Int32(shared)
        inTransit[replica.index] += Int(blocks)
        let ticket = Ticket(slot: slot, generation: r.generation, pair: k, replica: replica.index,
                            blocks: blocks, bytes: bytes, handedOff: now, started: t.start)
        let index: Int
        if let free = freeTickets.popLast() {
            tickets[free] = ticket
            index = free
        } else {
            tickets.append(ticket)
            index = tickets.count - 1
        }
        sim.events.schedule(at: t.lands, .kvTransferLanded, target: index, stamp: r.generation)
    }

    /// A KV transfer landed: free the prefill blocks, then route the request to the decode pool.
    func landed(ticket index: Int, _ sim: Simulation) {
        guard let t = tickets[index] else { return }
        tickets[index] = nil
        freeTickets.append(index)
        if t.lost { return }
        let prefill = sim.replicas[t.replica]
        prefill.freeBlocks += Int(t.blocks)
        inTransit[t.replica] -= Int(t.blocks)
        let i = Int(t.slot)
        let now = sim.events.now
        if sim.requests.slots[i].cancelled {
            sim.dropCancelled(t.slot)
        } else {
            let pair = pairs[t.pair]
            if sim.requests.slots[i].firstArrival >= sim.scenario.warmup {
                transfers[t.pair] += 1
                bytes[t.pair] += t.bytes
                seconds[t.pair].add(now - t.handedOff)
                linkWait[t.pair] += t.started - t.handedOff
            }
            observer?(KVTransferTrace(pair: t.pair, firstArrival: sim.requests.slots[i].firstArrival,
                                      handedOff: t.handedOff, started: t.started, landed: now,
                                      tokens: Int(sim.requests.slots[i].prefilled), bytes: t.bytes))
            // The request leaves the prefill pool ...
            sim.leavePool(pair.prefillPool)
            // ... and joins the decode pool with its context in KV (nothing left to prefill).
            let d = pair.decodePool
            sim.requests.slots[i].pool = Int32(d)
            sim.requests.slots[i].replica = -1
            sim.requests.slots[i].heldBlocks = 0
            sim.requests.slots[i].chunkInFlight = 0
            sim.features.autoscaling?.noteArrival(pool: d)
            sim.route(t.slot, pool: d)
        }
        sim.poke(prefill)  // freed blocks may let it admit waiting prefills
    }

    /// A prefill replica failed: the transfers it was sending are lost (their blocks went with the
    /// replica). Returns their requests, for `Faults` to fail or requeue like its batch.
    func takeTransfers(from replica: Replica, _ sim: Simulation) -> [Int32] {
        guard handsOff(replica) else { return [] }
        var slots: [Int32] = []
        for k in tickets.indices {
            guard let t = tickets[k], !t.lost, t.replica == replica.index else { continue }
            tickets[k]!.lost = true
            if sim.requests.slots[Int(t.slot)].firstArrival >= sim.scenario.warmup { lost[t.pair] += 1 }
            slots.append(t.slot)
        }
        linkFreeAt[replica.index] = sim.events.now
        inTransit[replica.index] = 0  // the replica's memory is gone with them
        return slots
    }

    /// Per pair, what the links did over the measured span.
    func reports(_ sim: Simulation) -> [DisaggregationReport] {
        pairs.indices.map { k in
            let pair = pairs[k]
            // Link-seconds available: the prefill replicas' time up (ready or draining), measured span.
            let up = sim.pools[pair.prefillPool].replicas.reduce(0.0) { sum, i in
                let r = sim.replicas[i]
                return sum + r.secondsIn[Replica.Lifecycle.ready.rawValue] + r.secondsIn[Replica.Lifecycle.draining.rawValue]
            }
            let n = transfers[k]
            return DisaggregationReport(
                prefill: sim.pools[pair.prefillPool].spec.name, decode: sim.pools[pair.decodePool].spec.name,
                bandwidth: pair.link.bandwidth, latency: pair.link.latency, lanes: pair.lanes,
                kvBytesPerToken: pair.kvBytesPerToken, transfers: n, lost: lost[k], bytes: bytes[k],
                transferSeconds: LatencySummary(seconds[k]),
                meanLinkWait: n > 0 ? linkWait[k] / Double(n) : 0,
                linkUtilization: up > 0 ? min(1, linkBusy[k] / up) : 0)
        }
    }
}

extension Simulation {
    /// KV blocks held (not free) on pool `p`'s replicas now, transfers' blocks included; 0 on every
    /// pool once a run has drained.
    public func kvBlocksInUse(pool p: Int) -> Int {
        pools[p].replicas.reduce(0) { $0 + replicas[$1].totalBlocks - replicas[$1].freeBlocks }
    }

    /// Calls `observer` with every KV transfer that lands for a request still live (before the
    /// request joins the decode pool). Does nothing without disaggregation pairs. Observes only.
    public func observeTransfers(_ observer: @escaping (KVTransferTrace) -> Void) {
        features.disaggregation?.observer = observer
    }
}

/// One landed KV transfer, as `Simulation.observeTransfers` reports it. Times in seconds.
public struct KVTransferTrace: Sendable, Equatable {
    /// Index of the pair in `Scenario.disaggregation`.
    public var pair: Int
    /// When the client first sent the request (matches `RequestRecord.arrival`).
    public var firstArrival: Double
    /// When the request left the prefill batch (the end of the step that emitted its first token).
    public var handedOff: Double
    /// When the link began moving it (after earlier transfers on the same link).
    public var started: Double
    /// When it landed at the decode pool.
    public var landed: Double
    /// Tokens whose KV crossed the link, and their bytes.
    public var tokens: Int
    public var bytes: Double
}
