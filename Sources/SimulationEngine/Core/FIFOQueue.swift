import ServingModel
/// A ring-buffer FIFO of integers with push-front (preempted requests go back to the head).
///
/// Complexity: all operations O(1) amortized; memory grows to the largest length seen.
public struct FIFOQueue: Sendable {
    private var storage: [Int32] = Array(repeating: 0, count: 16)
    private var head = 0
    public private(set) var count = 0

    public init() {}

    public var isEmpty: Bool { count == 0 }
    public var first: Int32? { count == 0 ? nil : storage[head] }

    public mutating func pushBack(_ x: Int32) {
        if count == storage.count { grow() }
        storage[(head + count) & (storage.count - 1)] = x
        count += 1
    }

    public mutating func pushFront(_ x: Int32) {
        if count == storage.count { grow() }
        head = (head - 1 + storage.count) & (storage.count - 1)
        storage[head] = x
        count += 1
    }

    @discardableResult
    public mutating func popFront() -> Int32? {
        guard count > 0 else { return nil }
        let x = storage[head]
        head = (head + 1) & (storage.count - 1)
        count -= 1
        return x
    }

    /// The element `k` places from the head (0 <= k < count).
    @inline(__always) public func element(at k: Int) -> Int32 { storage[(head + k) & (storage.count - 1)] }

    /// Elements from head to tail.
    public var elements: [Int32] { (0..<count).map { storage[(head + $0) & (storage.count - 1)] } }

    private mutating func grow() {
        let old = elements
        storage = Array(repeating: 0, count: storage.count * 2)
        for (i, x) in old.enumerated() { storage[i] = x }
        head = 0
    }
}
