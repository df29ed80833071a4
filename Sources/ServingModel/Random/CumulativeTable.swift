import Foundation

/// Draws an index with given weights from one uniform: the cumulative shares, searched by bisection.
///
/// Invariant: `cumulative` is non-decreasing and ends at exactly 1. Building is O(n); a draw is
/// O(log n) and depends only on the uniform, so a stream's draws map to the same indices everywhere.
public struct CumulativeTable: Sendable, Equatable {
    public let cumulative: [Double]

    /// `weights`: non-negative, some positive.
    public init(weights: [Double]) {
        let total = weights.reduce(0, +)
        var running = 0.0
        var c = weights.map { w -> Double in running += w; return running / total }
        c[c.count - 1] = 1
        cumulative = c
    }

    /// Zipf's law over `count` items: item k (0-based) weighs 1 / (k + 1)^skew (all 1 at skew 0).
    public static func zipfWeights(count: Int, skew: Double) -> [Double] {
        (0..<count).map { skew == 0 ? 1 : 1 / pow(Double($0 + 1), skew) }
    }

    /// The first index whose cumulative share reaches `u` (u in (0, 1]).
    public func index(_ u: Double) -> Int {
        var lo = 0, hi = cumulative.count - 1
        while lo < hi {
            let mid = (lo + hi) / 2
            if cumulative[mid] < u { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }
}
