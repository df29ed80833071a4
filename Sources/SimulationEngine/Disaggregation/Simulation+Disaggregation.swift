import ServingModel
/// Prefill/decode disaggregation (DistServe, Zhong et al., OSDI 2024; Splitwise, Patel et al.,
/// ISCA 2024).
///
/// On a prefill pool's replica a request runs its prefill (chunked as usual) and emits its first
/// token there (TTFT is the prefill pool's). At that step boundary it leaves the batch, but its KV
/// blocks stay held on the replica while its KV cache crosses the link: each prefill replica has
/// its own outgoing link (its GPUs' links), a FIFO that moves one transfer at a time at full
/// bandwidth, `lanes x bandwidth` bytes/s; a transfer lands `latency` after it leaves the link.
/// When it lands (event `kvTransfer`) the prefill blocks are freed and the request is routed to
/// the decode pool by that pool's policy with its context computed: a decode replica admits it
/// with KV blocks for its whole context and it decodes from its second token. If KV runs short
/// there, it is preempted and recomputed locally like any request.
///
/// A request belongs to one pool at a time: the prefill pool until its transfer lands (it counts
/// in that pool's `inPool`), then the decode pool. Timed-out requests still cross the link (the
/// engine does not abort transfers) and are dropped when they land. A prefill replica that fails
/// loses the KV it was sending: those requests fail or are recomputed per `faults.inFlight`.
extension Simulation {
    /// One KV transfer on its way.
    struct KVTransferTicket {
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

    /// Disaggregation state while the simulation runs: the pairs, each prefill replica's link and
    /// the transfers in flight, and per pair the measured counts (requests first sent at or after
    /// warm-up; link busy time clipped to the measured span).
    final class DisaggregationRun {
        let pairs: [DisaggregationPair]
        /// Per pool: the pair whose prefill pool it is, or -1.
        let pairOfPrefill: [Int]
        /// Per replica (global index): when its outgoing link is next free, seconds.
        var linkFreeAt: [Double]
        var tickets: [KVTransferTicket?] = []
        var freeTickets: [Int] = []
        var transfers: [Int], lost: [Int]
        var bytes: [Double]
        /// Handoff to landing (link queueing included), and the wait for the link alone.
        var seconds: [LogHistogram]
        var linkWait: [Double]
        var linkBusy: [Double]
        /// Sees every transfer that lands for a live request (tests, exports).
        var observer: ((KVTransferTrace) -> Void)?

        init(pairs: [DisaggregationPair], pools: Int, replicas: Int) {
            self.pairs = pairs
            var of = Array(repeating: -1, count: pools)
            for (k, pair) in pairs.enumerated() { of[pair.prefillPool] = k }
            pairOfPrefill = of
            linkFreeAt = Array(repeating: 0, count: replicas)
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
    }

    /// Opens the disaggregation state and marks the prefill pools' replicas (called once from init).
    func setUpDisaggregation() {
        guard !scenario.disaggregation.isEmpty else { return }
        disaggregation = DisaggregationRun(pairs: scenario.disaggregation, pools: pools.count, replicas: replicas.count)
        for pair in scenario.disaggregation {
            for i in pools[pair.prefillPool].replicas { replicas[i].handsOff = true }
        }
    }

    /// At a prefill replica's step boundary: every sequence whose prefill is done leaves the batch
    /// (its blocks still held) and its KV cache is queued on the replica's link.
    func handOffPrefilled(_ replica: Replica) {
        var kept = 0
        for slot in replica.running {
            if requests.slots[Int(slot)].isPrefilling {
                replica.running[kept] = slot
                kept += 1
            } else {
                startTransfer(slot, from: replica)
            }
        }
        replica.running.removeLast(replica.running.count - kept)
    }

    func startTransfer(_ slot: Int32, from replica: Replica) {
        let run = disaggregation!
        let k = run.pairOfPrefill[replica.pool]
        let pair = run.pairs[k]
        let now = events.now
        let r = requests.slots[Int(slot)]
        let bytes = KVTransfer.bytes(tokens: Int(r.prefilled), bytesPerToken: pair.kvBytesPerToken)
        let busy = KVTransfer.serializationSeconds(bytes: bytes, bandwidth: pair.link.bandwidth, lanes: pair.lanes)
        let t = KVTransfer.schedule(now: now, freeAt: run.linkFreeAt[replica.index], serialization: busy,
                                    latency: pair.link.latency)
        run.linkFreeAt[replica.index] = t.freeAt
        run.linkBusy[k] += max(0, t.freeAt - max(t.start, scenario.warmup))
        // On a caching replica the blocks the sequence shares with the prefix cache stay the cache's
        // (unpinned now: a real engine would pin them until sent); the transfer holds its own blocks.
        let shared = replica.prefixCache.map { unpinPrefix(slot, cache: $0) } ?? 0
        let blocks = r.heldBlocks - Int32(shared)
        replica.blocksInTransit += Int(blocks)
        let ticket = KVTransferTicket(slot: slot, generation: r.generation, pair: k, replica: replica.index,
                                      blocks: blocks, bytes: bytes, handedOff: now, started: t.start)
        let index: Int
        if let free = run.freeTickets.popLast() {
            run.tickets[free] = ticket
            index = free
        } else {
            run.tickets.append(ticket)
            index = run.tickets.count - 1
        }
        events.schedule(at: t.lands, kind: EventKind.kvTransfer, target: index, stamp: r.generation)
    }

    /// A KV transfer landed: free the prefill blocks, then route the request to the decode pool.
    func handleTransferDone(ticket index: Int) {
        let run = disaggregation!
        guard let t = run.tickets[index] else { return }
        run.tickets[index] = nil
        run.freeTickets.append(index)
        if t.lost { return }
        let prefill = replicas[t.replica]
        prefill.freeBlocks += Int(t.blocks)
        prefill.blocksInTransit -= Int(t.blocks)
        let i = Int(t.slot)
        let now = events.now
        if requests.slots[i].cancelled {
            dropCancelled(t.slot)
        } else {
            let pair = run.pairs[t.pair]
            if requests.slots[i].firstArrival >= scenario.warmup {
                run.transfers[t.pair] += 1
                run.bytes[t.pair] += t.bytes
                run.seconds[t.pair].add(now - t.handedOff)
                run.linkWait[t.pair] += t.started - t.handedOff
            }
            run.observer?(KVTransferTrace(pair: t.pair, firstArrival: requests.slots[i].firstArrival, handedOff: t.handedOff,
                                          started: t.started, landed: now, tokens: Int(requests.slots[i].prefilled),
                                          bytes: t.bytes))
            // The request leaves the prefill pool ...
            let p = pair.prefillPool
            leavePool(p)
            // ... and joins the decode pool with its context in KV (nothing left to prefill).
            let d = pair.decodePool
            requests.slots[i].pool = Int32(d)
            requests.slots[i].replica = -1
            requests.slots[i].heldBlocks = 0
            requests.slots[i].chunkInFlight = 0
            pools[d].arrivalsSinceTick += 1
            route(t.slot, pool: d)
        }
        poke(prefill)  // freed blocks may let it admit waiting prefills
    }

    /// A prefill replica failed: the transfers it was sending are lost (their blocks went with the
    /// replica). Returns their requests, for `failReplica` to fail or requeue like its batch.
    func takeTransfers(from replica: Replica) -> [Int32] {
        guard let run = disaggregation, replica.handsOff else { return [] }
        var slots: [Int32] = []
        for k in run.tickets.indices {
            guard let t = run.tickets[k], !t.lost, t.replica == replica.index else { continue }
            run.tickets[k]!.lost = true
            if requests.slots[Int(t.slot)].firstArrival >= scenario.warmup { run.lost[t.pair] += 1 }
            slots.append(t.slot)
        }
        run.linkFreeAt[replica.index] = events.now
        replica.blocksInTransit = 0  // the replica's memory is gone with them
        return slots
    }

    /// KV blocks held (not free) on pool `p`'s replicas now, transfers' blocks included; 0 on every
    /// pool once a run has drained.
    public func kvBlocksInUse(pool p: Int) -> Int {
        pools[p].replicas.reduce(0) { $0 + replicas[$1].totalBlocks - replicas[$1].freeBlocks }
    }

    /// Calls `observer` with every KV transfer that lands for a request still live (before the
    /// request joins the decode pool). Does nothing without disaggregation pairs. Observes only.
    public func observeTransfers(_ observer: @escaping (KVTransferTrace) -> Void) {
        disaggregation?.observer = observer
    }

    /// Per pair, what the links did over the measured span; nil without pairs.
    func disaggregationReports(until end: Double) -> [DisaggregationReport]? {
        guard let run = disaggregation else { return nil }
        return run.pairs.indices.map { k in
            let pair = run.pairs[k]
            // Link-seconds available: the prefill replicas' time up (ready or draining), measured span.
            let up = pools[pair.prefillPool].replicas.reduce(0.0) { sum, i in
                let r = replicas[i]
                return sum + r.secondsIn[Replica.Lifecycle.ready.rawValue] + r.secondsIn[Replica.Lifecycle.draining.rawValue]
            }
            let n = run.transfers[k]
            return DisaggregationReport(
                prefill: pools[pair.prefillPool].spec.name, decode: pools[pair.decodePool].spec.name,
                bandwidth: pair.link.bandwidth, latency: pair.link.latency, lanes: pair.lanes,
                kvBytesPerToken: pair.kvBytesPerToken, transfers: n, lost: run.lost[k], bytes: run.bytes[k],
                transferSeconds: LatencySummary(run.seconds[k]),
                meanLinkWait: n > 0 ? run.linkWait[k] / Double(n) : 0,
                linkUtilization: up > 0 ? min(1, run.linkBusy[k] / up) : 0)
        }
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
