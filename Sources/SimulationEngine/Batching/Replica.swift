import ServingModel
/// One model server of a pool: its batch, its queue, its KV blocks, the step in flight and its
/// lifecycle. Features keep their per-replica state themselves, indexed by `index`.
///
/// Invariants: `freeBlocks + sum(heldBlocks of running) == totalBlocks` without a prefix cache or
/// KV transfers (with them, see `PrefixCaching`: shared blocks count once, in the cache, and blocks
/// on a KV link count apart); `running` is in admission order (preemption takes from the back);
/// while `work == .decode`, every running sequence is decoding and `stretch` times the steps from
/// `stretch.start`.
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
    /// When the mixed step in flight started (seconds); decode steps' starts come from `stretch`.
    var stepStart = 0.0
    /// Async scheduling held back requests that reached the queue during the step that just
    /// ended: the next plan is one step, so they join the step after it.
    var heldBack = false
    /// When the current busy period began (seconds).
    var busySince = 0.0
    /// Busy seconds inside the measured span.
    var busySeconds = 0.0
    var preemptions = 0
    var steps = 0
    /// Start a new stretch at the next boundary even if the batch did not change: the pool's step
    /// model changed (speculative decoding turned on or off).
    var retime = false
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
