/// Measured GEMM efficiency of one GPU and weight format: the fraction of the roofline
/// `max(2mnk / peak, bytes / bandwidth)` a vLLM GEMM of `m` tokens by an `n x k` weight reaches.
///
/// The roofline's `max()` is optimistic where compute and memory meet (a few hundred tokens) and
/// for small weights (launch and tail effects); the table says by how much. Knots are at powers
/// of two of `m` and of the weight size `n * k`; between them the efficiency is interpolated
/// bilinearly in (log2 m, log2 nk), and held at the edge value outside.
///
/// Invariant: `efficiency.count == log2Tokens.count * log2Weights.count`, every entry in (0, 1.5]
/// (a few small shapes beat the datasheet bandwidth by caching), both knot lists ascending.
public struct GEMMTable: Sendable, Equatable {
    public var format: GEMMFormat
    /// The roofline the efficiencies are relative to: FLOP/s for `format` and bytes/s.
    public var peakFlops: Double
    public var memoryBandwidth: Double
    /// log2 of the token count m at the knots.
    public var log2Tokens: [Double]
    /// log2 of the weight elements n * k at the knots.
    public var log2Weights: [Double]
    /// Row-major by tokens: `efficiency[i * log2Weights.count + j]`.
    public var efficiency: [Double]
    public var quality: FitQuality

    public init(format: GEMMFormat, peakFlops: Double, memoryBandwidth: Double, log2Tokens: [Double],
                log2Weights: [Double], efficiency: [Double], quality: FitQuality) {
        precondition(efficiency.count == log2Tokens.count * log2Weights.count, "GEMM table shape")
        self.format = format
        self.peakFlops = peakFlops
        self.memoryBandwidth = memoryBandwidth
        self.log2Tokens = log2Tokens
        self.log2Weights = log2Weights
        self.efficiency = efficiency
        self.quality = quality
    }

    /// Roofline time of an `m x k` by `k x n` GEMM: weights in `format`, BF16 activations in and
    /// out (2 bytes each), seconds.
    public static func rooflineTime(m: Int, n: Int, k: Int, format: GEMMFormat, peakFlops: Double,
                                    memoryBandwidth: Double) -> Double {
        let (m, n, k) = (Double(m), Double(n), Double(k))
        let bytes = n * k * format.bytesPerWeight + 2 * (m * k + m * n)
        return max(2 * m * n * k / peakFlops, bytes / memoryBandwidth)
    }

    /// The efficiency at m tokens and n * k weights.
    public func efficiency(m: Int, weights: Double) -> Double {
        bilinear(x: log2(Double(max(1, m))), y: log2(max(1, weights)), xs: log2Tokens, ys: log2Weights, values: efficiency)
    }

    /// Measured-table time of the GEMM, seconds.
    public func time(m: Int, n: Int, k: Int) -> Double {
        Self.rooflineTime(m: m, n: n, k: k, format: format, peakFlops: peakFlops, memoryBandwidth: memoryBandwidth)
            / efficiency(m: m, weights: Double(n) * Double(k))
    }
}

import Foundation
