import ServingModel
/// The choices of the routing policies `least-kv`, `power-of-two`, `ewma` and `weighted-round-robin`,
/// as pure functions of the replicas' state (positions are indices into the arrays given), so
/// tests can check them apart from the simulation. Every tie-break is by position or draw order:
/// nothing here depends on hashing.
public enum RoutingChoice {
    /// Weight of the newest TTFT in a replica's moving average (`ewma`):
    /// `average = (1 - w) * average + w * sample`; a replica's first sample sets the average.
    public static let ewmaWeight = 0.2

    /// `least-kv`: the eligible position with the least KV load; ties go to fewer outstanding
    /// requests, then to the lowest position. Nil when none is eligible.
    public static func leastKV(kvLoads: [Int], outstanding: [Int], eligible: [Bool]) -> Int? {
        var best: Int?
        for i in kvLoads.indices where eligible[i] {
            guard let b = best else { best = i; continue }
            if kvLoads[i] < kvLoads[b] || (kvLoads[i] == kvLoads[b] && outstanding[i] < outstanding[b]) { best = i }
        }
        return best
    }

    /// `ewma`: the eligible position with the lowest expected wait, its average TTFT times one plus
    /// its outstanding requests (positions without history pass average 0, so they score 0 and get
    /// tried); ties go to fewer outstanding requests, then to the lowest position.
    ///
    /// The average alone herds: it only moves when first tokens come back, so every request of a
    /// burst goes to the replica that looked fastest a moment ago (in `routing-bursty` that put
    /// p50 TTFT near 130 s). Scaling by the queue the request would join, as Finagle's and
    /// Linkerd's "peak EWMA" balancers do, keeps the signal and stops the herd.
    public static func lowestEWMA(averages: [Double], outstanding: [Int], eligible: [Bool]) -> Int? {
        var best: Int?
        var bestScore = 0.0
        for i in averages.indices where eligible[i] {
            let score = averages[i] * Double(outstanding[i] + 1)
            guard let b = best else { best = i; bestScore = score; continue }
            if score < bestScore || (score == bestScore && outstanding[i] < outstanding[b]) { best = i; bestScore = score }
        }
        return best
    }

    /// The moving average after one more sample (`samples`: how many it had before).
    public static func ewmaUpdate(average: Double, samples: Int, sample: Double) -> Double {
        samples == 0 ? sample : (1 - ewmaWeight) * average + ewmaWeight * sample
    }

    /// Two distinct draws from `0..<count` (count >= 2), uniform over ordered pairs: the first
    /// uniform, the second uniform over the rest. Takes exactly two numbers from the stream.
    public static func powerOfTwoDraws(count: Int, stream: RandomStream) -> (Int, Int) {
        let a = stream.uniformInt(count)
        var b = stream.uniformInt(count - 1)
        if b >= a { b += 1 }
        return (a, b)
    }

    /// `power-of-two`: of the eligible positions `candidates` (in position order), two distinct
    /// ones drawn by `powerOfTwoDraws`, the one with fewer outstanding requests (the first drawn on
    /// ties). One candidate: that one, and no draw. None: nil.
    public static func powerOfTwo(candidates: [Int], outstanding: [Int], stream: RandomStream) -> Int? {
        if candidates.count <= 1 { return candidates.first }
        let (a, b) = powerOfTwoDraws(count: candidates.count, stream: stream)
        let first = candidates[a], second = candidates[b]
        return outstanding[second] < outstanding[first] ? second : first
    }
}

/// Smooth weighted round-robin, as nginx does it: at each pick every eligible peer's current
/// weight grows by its weight, the largest current weight wins (the lowest position on ties) and
/// loses the eligible weights' total. Over any run where the same peers stay eligible, each is
/// picked in proportion to its weight, spread out (weights 3, 1 give a, a, b, a, ...); with all
/// weights equal it is plain round-robin.
public struct SmoothWeightedRoundRobin: Sendable {
    public let weights: [Int]
    public private(set) var current: [Int]

    public init(weights: [Int]) {
        self.weights = weights
        current = Array(repeating: 0, count: weights.count)
    }

    /// The next position among those `eligible` says yes to; nil when none is.
    public mutating func next(eligible: (Int) -> Bool) -> Int? {
        var best: Int?
        var total = 0
        for i in weights.indices where eligible(i) {
            current[i] += weights[i]
            total += weights[i]
            if best == nil || current[i] > current[best!] { best = i }
        }
        if let b = best { current[b] -= total }
        return best
    }
}
