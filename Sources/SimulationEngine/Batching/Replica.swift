import ServingModel
/// One model server of a pool: its batch, its queue, its KV cache and the step in flight.
///
/// Invariants: `freeBlocks + sum(heldBlocks of running) == totalBlocks` without a prefix cache
/// (with one, see `Simulation+PrefixCache`: shared blocks count once, in the cache); `running` is in
/// admission order (preemption takes from the back); while `work == .decode`, every running
/// sequence is decoding and `stretch` times the steps from `stretch.start`.
final class Replica {
    enum Work { case idle, mixed, decode }

    /// Where a replica is in its life. Only `ready` replicas receive new requests; `draining` ones
    /// finish what they hold and then stop; `warm` ones are provisioned but idle in a warm pool.
    enum Lifecycle: Int, CaseIterable { case off, starting, warm, ready, draining, failed }

    let pool: Int
    let index: Int
    /// KV cache capacity in blocks (0 for service-time replicas, which hold no KV).
    let totalBlocks: Int
    var freeBlocks: Int
    /// Sequences in the batch, in admission order.
    var running: [Int32] = []
    /// Requests routed to this replica and not yet admitted; preempted requests go to its front.
    var waiting = FIFOQueue()
    var work: Work = .idle
    /// Bumped whenever the pending boundary event is replaced; stale events are skipped.
    var stamp: UInt32 = 0
    /// The decode stretch in progress (`work == .decode`).
    var stretch = DecodeStretch(start: 0, batch: 0, initialContext: 0, cost: DecodeCost(a: 0, b: 0))
    /// Steps of `stretch` already applied to the sequences' state.
    var stretchApplied = 0
    /// Step of `stretch` at whose end the pending boundary event fires.
    var planTarget = 0
    /// When the current busy period began (seconds).
    var busySince = 0.0
    /// Busy seconds inside the measured span.
    var busySeconds = 0.0
    var preemptions = 0
    var steps = 0
    /// Whether `stretch` speculates, and tokens emitted by decode-only steps with and without
    /// speculation (whole run). `retime`: start a new stretch at the next boundary even if the
    /// batch did not change (the pool's step model changed).
    var speculativeStretch = false
    var retime = false
    var speculativeTokens = 0
    var plainDecodeTokens = 0
    var lifecycle: Lifecycle = .ready
    /// When the current lifecycle state began (seconds).
    var lifecycleSince = 0.0
    /// The state a `starting` replica enters when its start completes (`ready` or `warm`).
    var startsInto: Lifecycle = .ready
    /// Bumped on every lifecycle change; a pending "start done" event with an old stamp is stale.
    var lifecycleStamp: UInt32 = 0
    /// Seconds spent in each lifecycle state inside the measured span (indexed by rawValue).
    var secondsIn = [Double](repeating: 0, count: Lifecycle.allCases.count)
    /// Busy seconds from the start (not clipped to the measured span), for time-series utilization.
    var busyUnclipped = 0.0
    var busyAtLastSample = 0.0
    /// Exponentially weighted moving average of the TTFTs of attempts it served (routing `ewma`),
    /// and how many it has seen (0: no history, the average counts as 0).
    var ewmaResponse = 0.0
    var ewmaSamples = 0
    /// A prefill pool's replica (disaggregation): finished prefills leave the batch for the KV link.
    var handsOff = false
    /// KV blocks of its finished prefills waiting for or on its link (disaggregation): neither free
    /// nor held by a running sequence; returned to `freeBlocks` when each transfer lands.
    var blocksInTransit = 0
    /// Its prefix cache (nil: the pool has no `prefixCaching`).
    var prefixCache: PrefixCache?

    /// Busy seconds from the start up to `time`, including the busy period in progress.
    func busySecondsTotal(at time: Double) -> Double {
        busyUnclipped + (work != .idle ? max(0, time - busySince) : 0)
    }

    init(pool: Int, index: Int, totalBlocks: Int) {
        self.pool = pool
        self.index = index
        self.totalBlocks = totalBlocks
        self.freeBlocks = totalBlocks
    }

    /// Requests on this replica: in the batch or waiting for it.
    var outstanding: Int { running.count + waiting.count }
}
