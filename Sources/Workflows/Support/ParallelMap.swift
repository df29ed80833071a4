import Foundation

/// `(0..<count).map(body)` on up to `jobs` threads, each taking the next index when it is free.
/// Results land by index, so the output never depends on scheduling; `body` must not share
/// mutable state between indices. Threads get 8 MB stacks (Dispatch's worker threads have less),
/// as deep as the main thread's.
public func parallelMap<T: Sendable>(_ count: Int, jobs: Int, _ body: @escaping @Sendable (Int) -> T) -> [T] {
    let workers = max(1, min(jobs, count))
    if workers == 1 { return (0..<count).map(body) }
    let state = ParallelMapState<T>(count)
    let group = DispatchGroup()
    for _ in 0..<workers {
        group.enter()
        let thread = Thread {
            while let i = state.take() { state.store(body(i), at: i) }
            group.leave()
        }
        thread.stackSize = 8 << 20
        thread.start()
    }
    group.wait()
    return state.results.map { $0! }
}

/// The next index to take and the results so far, behind one lock.
private final class ParallelMapState<T>: @unchecked Sendable {
    private let lock = NSLock()
    private var next = 0
    private(set) var results: [T?]

    init(_ count: Int) { results = Array(repeating: nil, count: count) }

    func take() -> Int? {
        lock.withLock {
            guard next < results.count else { return nil }
            next += 1
            return next - 1
        }
    }

    func store(_ value: T, at i: Int) { lock.withLock { results[i] = value } }
}
