import ServingModel
import Foundation

/// A fixed-memory histogram of non-negative values (seconds) with log-spaced buckets.
///
/// Buckets: bucket `i` covers `[lowest * ratio^i, lowest * ratio^(i+1))` with `ratio = 1.01`,
/// `lowest = 1e-6` and enough buckets to reach `1e7` (about 3,000 counters, ~24 KiB, whatever the
/// number of samples). Values `<= 0` go to a separate zero bucket (reported as exactly 0);
/// values in `(0, 1e-6)` to an underflow bucket (reported as the exact observed minimum); values
/// `>= 1e7` or infinite to an overflow bucket (reported as the exact observed maximum). NaN is
/// ignored (not counted).
///
/// Error bound: a percentile is reported as its bucket's geometric midpoint `L * sqrt(ratio)`,
/// clamped to the exact observed `[min, max]`. Any value `x` in `[L, L * ratio)` is then within a
/// relative error of `sqrt(1.01) - 1 = 0.4988% < 0.5%` (the worst case is `x = L`; at the top edge
/// it is `1 - 1/sqrt(1.01) = 0.496%`), and clamping only moves the answer towards `x`. So every
/// percentile of values in `[1e-6, 1e7)` is within 0.5% of the exact nearest-rank percentile; the
/// 0th-rank and top-rank percentiles are exact (`min`, `max`). `count`, `sum`, `mean`, `min` and
/// `max` are exact (up to floating-point summation).
///
/// Percentiles use the nearest-rank definition: the value of rank `ceil(p * n)` (at least 1) in
/// the sorted samples (see `nearestRank(_:count:)`).
///
/// `add` is on the simulator's hot path: one `log`, no allocation.
public struct LogHistogram: Sendable, Equatable {
    /// Bucket growth factor.
    public static let ratio = 1.01
    /// Lower edge of the first log bucket, seconds.
    public static let lowest = 1e-6
    /// Upper edge of the last log bucket, seconds.
    public static let highest = 1e7

    static let logRatio = Foundation.log(ratio)
    static let inverseLogRatio = 1 / logRatio
    static let logLowest = Foundation.log(lowest)
    static let bucketCount = Int((Foundation.log(highest / lowest) / logRatio).rounded(.up))

    /// Log-bucket counts, allocated on the first positive sample (read by `cdfPoints`).
    private(set) var buckets: [Int] = []
    public private(set) var zeroCount = 0
    public private(set) var underflowCount = 0
    public private(set) var overflowCount = 0
    /// Number of samples (NaN excluded).
    public private(set) var count = 0
    /// Sum of the samples, seconds.
    public private(set) var sum = 0.0
    /// Smallest sample; `+infinity` when empty.
    public private(set) var min = Double.infinity
    /// Largest sample; `-infinity` when empty.
    public private(set) var max = -Double.infinity

    public init() {}

    /// Arithmetic mean; NaN when empty.
    public var mean: Double { count == 0 ? .nan : sum / Double(count) }

    /// Adds one sample. Negative values count as zero.
    @inline(__always)
    public mutating func add(_ value: Double) {
        if value.isNaN { return }
        let x = value < 0 ? 0 : value
        count += 1
        sum += x
        if x < min { min = x }
        if x > max { max = x }
        if x == 0 {
            zeroCount += 1
        } else if x < Self.lowest {
            underflowCount += 1
        } else if x >= Self.highest {
            overflowCount += 1
        } else {
            if buckets.isEmpty { buckets = Array(repeating: 0, count: Self.bucketCount) }
            var i = Int((Foundation.log(x) - Self.logLowest) * Self.inverseLogRatio)
            if i >= Self.bucketCount { i = Self.bucketCount - 1 }
            if i < 0 { i = 0 }
            buckets[i] += 1
        }
    }

    /// Adds every sample of `other` (same bucket layout, so merging loses nothing).
    public mutating func merge(_ other: LogHistogram) {
        guard other.count > 0 else { return }
        if !other.buckets.isEmpty {
            if buckets.isEmpty { buckets = other.buckets } else {
                for i in buckets.indices { buckets[i] += other.buckets[i] }
            }
        }
        zeroCount += other.zeroCount
        underflowCount += other.underflowCount
        overflowCount += other.overflowCount
        count += other.count
        sum += other.sum
        min = Swift.min(min, other.min)
        max = Swift.max(max, other.max)
    }

    /// The 1-based nearest rank `ceil(p * n)`, clamped to `1...n` (`n >= 1`). A relative slack of
    /// 1e-12 keeps `0.07 * 100` (7.000000000000001 in binary) at rank 7.
    public static func nearestRank(_ p: Double, count n: Int) -> Int {
        let x = p * Double(n)
        let rank = Int((x - abs(x) * 1e-12).rounded(.up))
        return Swift.min(Swift.max(rank, 1), n)
    }

    /// Nearest-rank percentile, `p` in `[0, 1]`; NaN when empty. Within 0.5% of the exact value
    /// (see the type's documentation).
    public func percentile(_ p: Double) -> Double {
        guard count > 0 else { return .nan }
        let rank = Self.nearestRank(p, count: count)
        if rank == 1 { return min }
        if rank == count { return max }
        var seen = zeroCount
        if rank <= seen { return 0 }
        seen += underflowCount
        if rank <= seen { return min }
        for i in buckets.indices {
            seen += buckets[i]
            if rank <= seen {
                let midpoint = Foundation.exp(Self.logLowest + (Double(i) + 0.5) * Self.logRatio)
                return Swift.min(Swift.max(midpoint, min), max)
            }
        }
        return max  // overflow bucket
    }
}
