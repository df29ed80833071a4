import ServingModel
/// A run of decode-only steps of a fixed batch, timed in closed form.
///
/// Between changes of a batch's composition, every step decodes one token for each of the `batch`
/// sequences, so the total context grows by `batch` per step: step `j` (1-based) sees context
/// `S0 + (j - 1) * batch`. With a step time `max(a1 + b1 S, a2 + b2 S)` (see `DecodeCost`) the
/// time of the first `k` steps is a sum of at most two arithmetic series. This is what lets the
/// simulator schedule one event per completion instead of one per token.
///
/// With a floor (`DecodeCost.floor`, the least a step takes), the first steps whose lines are
/// below it take the floor.
///
/// Invariant: `cumulative(0) == 0` and `cumulative` is strictly increasing in `k`.
/// Complexity: `cumulative` is O(1); `stepsCompleted` is O(log k) evaluations of it.
public struct DecodeStretch: Sendable, Equatable {
    /// Simulated time (seconds) at which the stretch's first step starts.
    public var start: Double
    /// Sequences decoding in every step.
    public var batch: Int
    /// Total context (tokens) of the batch in the first step.
    public var initialContext: Int
    public var cost: DecodeCost
    /// Steps at the start whose lines are below the floor (they take the floor): 0 without one.
    public let floorRun: Int

    public init(start: Double, batch: Int, initialContext: Int, cost: DecodeCost) {
        self.start = start
        self.batch = batch
        self.initialContext = initialContext
        self.cost = cost
        floorRun = Self.floorRun(cost, initialContext: Double(initialContext), batch: Double(batch))
    }

    /// Duration (seconds) of step `j` (1-based).
    @inline(__always)
    public func stepTime(_ j: Int) -> Double {
        cost.time(context: Double(initialContext) + Double(j - 1) * Double(batch))
    }

    /// Seconds taken by the first `k` steps (k >= 0).
    @inline(__always)
    public func cumulative(_ k: Int) -> Double {
        guard k > 0 else { return 0 }
        guard floorRun > 0 else { return linesCumulative(k) }
        let q = min(k, floorRun)
        return cost.floor * Double(q) + linesCumulative(k) - linesCumulative(q)
    }

    /// The number of steps j >= 1 with both lines below the floor at context S0 + (j - 1) B: the
    /// lines grow with j, so these are a first run. Per line, j - 1 < (floor - a - b S0) / (b B);
    /// the count is corrected for rounding against the lines themselves. Int.max when the floor
    /// always dominates (flat lines below it).
    static func floorRun(_ cost: DecodeCost, initialContext s0: Double, batch: Double) -> Int {
        guard cost.floor > 0, cost.lines(context: s0) < cost.floor else { return 0 }
        func count(_ a: Double, _ b: Double) -> Double {
            b * batch > 0 ? ((cost.floor - a - b * s0) / (b * batch)).rounded(.up) : .infinity
        }
        let bound = min(count(cost.a1, cost.b1), count(cost.a2, cost.b2))
        guard bound < Double(Int.max / 2) else { return Int.max }
        var q = max(1, Int(bound))
        func below(_ j: Int) -> Bool { cost.lines(context: s0 + Double(j - 1) * batch) < cost.floor }
        while q > 1 && !below(q) { q -= 1 }
        while below(q + 1) { q += 1 }
        return q
    }

    /// Seconds taken by the first `k` steps on the two lines alone (no floor).
    @inline(__always)
    func linesCumulative(_ k: Int) -> Double {
        guard k > 0 else { return 0 }
        let s0 = Double(initialContext), b = Double(batch)
        // d(j) = line1 - line2 at step j is linear in j: d(j) = d1 + (j - 1) * slope.
        let d1 = (cost.a1 - cost.a2) + (cost.b1 - cost.b2) * s0
        let slope = (cost.b1 - cost.b2) * b
        // Steps 1...p use the line that dominates at j = 1; steps p+1...k the other one.
        let firstIsLine1 = d1 >= 0
        var p = k
        if slope != 0 && (d1 >= 0) != (slope >= 0) {
            // d changes sign where d1 + (j - 1) * slope = 0.
            let crossing = 1 - d1 / slope  // real-valued j at which the lines meet
            p = min(k, max(0, Int(crossing.rounded(.down))))
            // Correct for rounding: p is the last step at which the first-dominant line still dominates.
            while p < k && dominatesFirst(p + 1, d1: d1, slope: slope, firstIsLine1: firstIsLine1) { p += 1 }
            while p > 0 && !dominatesFirst(p, d1: d1, slope: slope, firstIsLine1: firstIsLine1) { p -= 1 }
        }
        let (aF, bF, aS, bS) = firstIsLine1 ? (cost.a1, cost.b1, cost.a2, cost.b2) : (cost.a2, cost.b2, cost.a1, cost.b1)
        return Self.seriesSum(a: aF, b: bF, s0: s0, batch: b, from: 1, to: p)
            + Self.seriesSum(a: aS, b: bS, s0: s0, batch: b, from: p + 1, to: k)
    }

    @inline(__always)
    private func dominatesFirst(_ j: Int, d1: Double, slope: Double, firstIsLine1: Bool) -> Bool {
        let d = d1 + Double(j - 1) * slope
        return firstIsLine1 ? d >= 0 : d < 0
    }

    /// Sum over steps j = from...to of a + b * (s0 + (j - 1) * batch); zero when to < from.
    @inline(__always)
    static func seriesSum(a: Double, b: Double, s0: Double, batch: Double, from: Int, to: Int) -> Double {
        guard to >= from else { return 0 }
        let n = Double(to - from + 1)
        // Sum of (j - 1) over the range = n * (from - 1) + n * (n - 1) / 2.
        let offsets = n * Double(from - 1) + n * (n - 1) / 2
        return n * (a + b * s0) + b * batch * offsets
    }

    /// Simulated time at which step `k` ends.
    @inline(__always)
    public func endOfStep(_ k: Int) -> Double { start + cumulative(k) }

    /// The number of whole steps finished by `time`, at most `limit`: the largest `k <= limit`
    /// with `endOfStep(k) <= time`.
    public func stepsCompleted(by time: Double, limit: Int) -> Int {
        var lo = 0, hi = limit
        while lo < hi {
            let mid = (lo + hi + 1) >> 1
            if endOfStep(mid) <= time { lo = mid } else { hi = mid - 1 }
        }
        return lo
    }
}
