/// One model server of a pool: its batch, its queue, its KV cache and the step in flight.
///
/// Invariants: `freeBlocks + sum(heldBlocks of running) == totalBlocks`; `running` is in
/// admission order (preemption takes from the back); while `work == .decode`, every running
/// sequence is decoding and `stretch` times the steps from `stretch.start`.
final class Replica {
    enum Work { case idle, mixed, decode }

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

    init(pool: Int, index: Int, totalBlocks: Int) {
        self.pool = pool
        self.index = index
        self.totalBlocks = totalBlocks
        self.freeBlocks = totalBlocks
    }

    /// Requests on this replica: in the batch or waiting for it.
    var outstanding: Int { running.count + waiting.count }
}
