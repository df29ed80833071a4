// TEMPORARY: replaced by the workload and metrics branches at merge.
public struct TraceRecord: Sendable, Equatable { public var time: Double; public var promptTokens: Int; public var outputTokens: Int; public var hashIds: [Int] }
public final class ClassArrivals {
    let rng: RandomStream; let spec: RequestClassSpec; let duration: Double; var t = 0.0
    public init(spec: RequestClassSpec, seed: UInt64, duration: Double, trace: [TraceRecord]) {
        self.spec = spec; self.duration = duration; rng = RandomStream(seed: seed, name: "arrivals/\(spec.name)")
    }
    public func next() -> ArrivalDraw? {
        guard case .poisson(let rate) = spec.arrivals else { return nil }
        t += rng.exponential(mean: 1 / rate)
        if t >= duration { return nil }
        func len(_ d: LengthDistribution) -> Int { if case .fixed(let n) = d { return n }; if case .uniform(let a, let b) = d { return a + rng.uniformInt(b - a + 1) }; return 100 }
        return ArrivalDraw(time: t, promptTokens: len(spec.promptTokens), outputTokens: len(spec.outputTokens))
    }
}
