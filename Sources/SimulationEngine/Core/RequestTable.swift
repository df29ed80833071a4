import ServingModel
/// The simulation's view of one request while it is in the system. Times in seconds, sizes in tokens.
///
/// Slots are reused once a request ends, so memory follows the number in flight, not the number
/// simulated.
/// Fields are ordered 32-bit, then 16-bit and flags, then 64-bit, so nothing pads between them:
/// 112 bytes.
struct RequestState {
    var classIndex: Int32
    var pool: Int32
    /// Global index of the replica serving it, -1 while in a pool's shared queue.
    var replica: Int32 = -1
    var promptTokens: Int32
    var outputTokens: Int32
    /// Output tokens emitted so far (the first comes from the prefill step).
    var generated: Int32 = 0
    /// Tokens of the current prefill already in the KV cache.
    var prefilled: Int32 = 0
    /// Tokens the current prefill must process: the prompt, plus the tokens generated before a
    /// preemption (recompute).
    var prefillTarget: Int32
    /// KV blocks held on its replica.
    var heldBlocks: Int32 = 0
    /// Prefill tokens scheduled in the step in flight (0 when decoding).
    var chunkInFlight: Int32 = 0
    /// Which try this is (1 = the first); retries keep the request's class and lengths.
    var attempt: Int32 = 1
    /// Distinguishes successive requests in a reused slot (for timeout events).
    var generation: UInt32 = 0
    /// Output tokens the client asked for; `outputTokens` may be lower for an attempt a degradation
    /// ladder capped (a retry asks for the full length again).
    var requestedOutput: Int32 = 0
    /// Its prompt's hash chain in `Simulation.prefix` (-1: none).
    var prefixChain: Int32 = -1
    /// With regions: the client's origin region (drawn once per request), and the pool the geo
    /// router sent this attempt to (-1 until it is sent; a retry is routed afresh). -1 without regions.
    var origin: Int16 = -1
    var home: Int16 = -1
    /// Whether it reached its pool's queues (rejected requests never do).
    var routed = false
    /// The client gave up (timeout) or the replica failed: the outcome is recorded; the slot is
    /// freed when the queue or batch holding it drops it.
    var cancelled = false
    /// Quality of a completed attempt's answer (drawn by `QualityOutcomes`; false when the pool's
    /// quality is not modelled or the attempt did not complete).
    var schemaViolation = false
    var safetyFlag = false
    var arrival: Double
    var firstScheduled: Double = -1
    var firstToken: Double = -1
    /// Uniform (0, 1) quantile for service-time models (common random numbers across topologies).
    var serviceQuantile: Double
    /// When the client first sent it (latencies are measured from here, across retries).
    var firstArrival: Double = 0
    /// When it last reached its pool's queues (an async-scheduling engine sees it from the next
    /// step it plans after this).
    var queuedAt: Double = 0

    /// Tokens of the sequence so far: prompt plus generated output.
    @inline(__always) var tokens: Int32 { promptTokens + generated }
    @inline(__always) var isPrefilling: Bool { prefilled < prefillTarget }
}

/// Storage of in-flight requests with slot reuse.
///
/// The states live in a manually managed buffer: the scheduler's inner loops read and update
/// them by index, and an Array would pay a copy-on-write uniqueness check (and retain/release)
/// on every update. `RequestState` is a plain value of integers and doubles, so growing is a
/// memory copy. Pointers into `slots` are valid only until the next `insert`.
final class RequestTable {
    private(set) var slots: UnsafeMutablePointer<RequestState>
    private var capacity = 1024
    private var used = 0
    private var freeSlots: [Int32] = []
    private(set) var inFlight = 0

    init() {
        slots = .allocate(capacity: capacity)
    }

    deinit {
        slots.deinitialize(count: used)
        slots.deallocate()
    }

    private var nextGeneration: UInt32 = 0

    func insert(_ state: RequestState) -> Int32 {
        var state = state
        nextGeneration &+= 1
        state.generation = nextGeneration
        inFlight += 1
        if let slot = freeSlots.popLast() {
            slots[Int(slot)] = state
            return slot
        }
        if used == capacity {
            let bigger = UnsafeMutablePointer<RequestState>.allocate(capacity: capacity * 2)
            bigger.moveInitialize(from: slots, count: used)
            slots.deallocate()
            slots = bigger
            capacity *= 2
        }
        (slots + used).initialize(to: state)
        used += 1
        return Int32(used - 1)
    }

    func remove(_ slot: Int32) {
        slots[Int(slot)].generation = 0  // no event may act on a freed slot
        inFlight -= 1
        freeSlots.append(slot)
    }
}
