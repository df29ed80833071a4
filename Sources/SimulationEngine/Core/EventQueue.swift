import ServingModel
/// A pending event: when it fires, what it is, and its insertion sequence for tie-breaks.
///
/// Events are ordered by `(time, sequence)`: equal times fire in insertion order, so the order is
/// total and deterministic. `kind` says what it means and `target` which entity it concerns (no
/// closures: an event is 32 bytes and the heap stays cache-friendly).
package struct Event: Sendable {
    /// Simulated time in seconds.
    package var time: Double
    /// Insertion sequence, assigned by the queue.
    package var sequence: UInt64
    /// Which entity it concerns (see `EventKind` for each kind's meaning).
    package var target: Int
    /// Version stamp for lazy cancellation (an event whose stamp is stale is skipped).
    package var stamp: UInt32
    /// What happens.
    package var kind: EventKind

    @inline(__always) func precedes(_ other: Event) -> Bool {
        time < other.time || (time == other.time && sequence < other.sequence)
    }
}

/// A binary min-heap of events ordered by `(time, sequence)`; the clock never rewinds.
///
/// Complexity: `schedule` and `next` are O(log n); `peekTime` is O(1).
package struct EventQueue {
    private var heap: [Event] = []
    private var nextSequence: UInt64 = 0
    /// The time of the last event taken; scheduling before it is a programming error.
    package private(set) var now: Double = 0
    /// Number of events taken so far.
    package private(set) var processed: Int = 0

    package init() {}

    package var isEmpty: Bool { heap.isEmpty }
    package var count: Int { heap.count }
    package var peekTime: Double? { heap.first?.time }

    /// Adds an event at `time` (seconds, >= now).
    package mutating func schedule(at time: Double, _ kind: EventKind, target: Int, stamp: UInt32 = 0) {
        precondition(time >= now, "event scheduled in the past: \(time) < \(now)")
        heap.append(Event(time: time, sequence: nextSequence, target: target, stamp: stamp, kind: kind))
        nextSequence &+= 1
        siftUp(heap.count - 1)
    }

    /// Removes and returns the earliest event and advances the clock to its time.
    package mutating func next() -> Event? {
        guard let first = heap.first else { return nil }
        let last = heap.removeLast()
        if !heap.isEmpty {
            heap[0] = last
            siftDown(0)
        }
        now = first.time
        processed += 1
        return first
    }

    private mutating func siftUp(_ index: Int) {
        var child = index
        let item = heap[child]
        while child > 0 {
            let parent = (child - 1) >> 1
            if !item.precedes(heap[parent]) { break }
            heap[child] = heap[parent]
            child = parent
        }
        heap[child] = item
    }

    private mutating func siftDown(_ index: Int) {
        var parent = index
        let item = heap[parent]
        let n = heap.count
        while true {
            var child = 2 * parent + 1
            if child >= n { break }
            if child + 1 < n && heap[child + 1].precedes(heap[child]) { child += 1 }
            if !heap[child].precedes(item) { break }
            heap[parent] = heap[child]
            parent = child
        }
        heap[parent] = item
    }
}
