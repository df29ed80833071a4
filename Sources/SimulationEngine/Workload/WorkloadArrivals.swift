import ServingModel
/// All classes' requests merged into one nondecreasing time order, lazily (one pending draw per
/// class). Ties at the same time go to the class listed first, so the order is deterministic.
public final class WorkloadArrivals {
    public let classes: [ClassArrivals]
    private var heads: [ArrivalDraw?]

    /// - Parameters:
    ///   - traces: aligned with `specs` (from `WorkloadParser.loadTraces`); may be empty when no
    ///     class replays a trace.
    public init(specs: [RequestClassSpec], seed: UInt64, duration: Double, traces: [[TraceRecord]] = []) {
        classes = specs.enumerated().map { i, spec in
            ClassArrivals(spec: spec, seed: seed, duration: duration, trace: i < traces.count ? traces[i] : [])
        }
        heads = classes.map { $0.next() }
    }

    /// The earliest pending request and the index of its class, or nil when every class is done.
    public func next() -> (classIndex: Int, draw: ArrivalDraw)? {
        var best: Int?
        for i in heads.indices {
            guard let head = heads[i] else { continue }
            if let b = best, heads[b]!.time <= head.time { continue }
            best = i
        }
        guard let best, let draw = heads[best] else { return nil }
        heads[best] = classes[best].next()
        return (best, draw)
    }
}
