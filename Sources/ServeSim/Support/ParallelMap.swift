import Foundation

/// `(0..<count).map(body)` on up to `jobs` threads. Results land by index, so the output never
/// depends on scheduling; `body` must not share mutable state between indices.
public func parallelMap<T: Sendable>(_ count: Int, jobs: Int, _ body: @Sendable (Int) -> T) -> [T] {
    guard count > 0 else { return [] }
    if jobs <= 1 || count == 1 { return (0..<count).map(body) }
    let shared = ParallelSlots<T>(count)
    DispatchQueue.concurrentPerform(iterations: min(jobs, count)) { _ in
        while let i = shared.claim() {
            shared.store(body(i), at: i)
        }
    }
    return shared.values.map { $0! }
}

/// Work distribution and result slots of `parallelMap`, guarded by one lock.
private final class ParallelSlots<T>: @unchecked Sendable {
    private let lock = NSLock()
    private var next = 0
    private(set) var values: [T?]

    init(_ n: Int) { values = Array(repeating: nil, count: n) }

    /// The next index to compute, or nil when all are taken.
    func claim() -> Int? {
        lock.withLock {
            guard next < values.count else { return nil }
            defer { next += 1 }
            return next
        }
    }

    func store(_ value: T, at i: Int) { lock.withLock { values[i] = value } }
}
