import ServingModel
import Foundation

/// One point of an empirical cumulative distribution: `fraction` of the samples are at or below
/// `seconds` (to the histogram's bucket resolution, 1%).
public struct CDFPoint: Sendable, Equatable {
    /// Sample value, seconds (>= 0).
    public var seconds: Double
    /// Cumulative fraction of the samples, 0...1.
    public var fraction: Double

    public init(seconds: Double, fraction: Double) {
        self.seconds = seconds
        self.fraction = fraction
    }
}

extension LogHistogram {
    /// The empirical CDF of the samples as points for a chart, in increasing order of both
    /// `seconds` and `fraction`; empty when the histogram is.
    ///
    /// The first point is `(min, 0)`, the start of the curve. Then one point per non-empty bucket:
    /// its upper edge (clamped to the observed `[min, max]`) with the fraction of samples in it
    /// and below, so the curve is within one bucket (1%) of the exact empirical CDF. Zeros give
    /// a point at 0 s, values under 1e-6 s one at 1e-6 s (or `max` if smaller), values from 1e7 s
    /// one at `max`. The last point is `(max, 1)` exactly.
    ///
    /// - Parameter maxPoints: at most this many points (>= 2): more are thinned by keeping evenly
    ///   spaced ones (bucket edges are log-spaced, so the shape on a log axis is kept), always
    ///   with the first and the last.
    public func cdfPoints(maxPoints: Int = 400) -> [CDFPoint] {
        guard count > 0 else { return [] }
        let n = Double(count)
        var points = [CDFPoint(seconds: min, fraction: 0)]
        var cumulative = 0
        func add(_ seconds: Double, _ c: Int) {
            cumulative += c
            let x = Swift.min(Swift.max(seconds, min), max)
            points.append(CDFPoint(seconds: x, fraction: cumulative == count ? 1 : Double(cumulative) / n))
        }
        if zeroCount > 0 { add(0, zeroCount) }
        if underflowCount > 0 { add(Self.lowest, underflowCount) }
        for (i, c) in buckets.enumerated() where c > 0 {
            add(Foundation.exp(Self.logLowest + Double(i + 1) * Self.logRatio), c)
        }
        if overflowCount > 0 { add(max, overflowCount) }
        let limit = Swift.max(2, maxPoints)
        guard points.count > limit else { return points }
        let last = points.count - 1
        return (0..<limit).map { k in points[(k * last + (limit - 1) / 2) / (limit - 1)] }
    }
}
