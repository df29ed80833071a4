import ServingModel
import Foundation

/// A plain-text summary of an imported profile and its fits.
public enum LayerTableReport {
    public static func text(_ p: LayerTableProfile) -> String {
        func ms(_ s: Double) -> String { String(format: "%.3f ms", s * 1000) }
        let d = p.decodeAttention, a = p.prefillAttention
        var lines = [
            "profile: \(p.gpu), \(p.model), \(p.layers) layers",
            "dense (all layers): \(p.dense.count) points, \(ms(p.dense.first!.seconds)) at \(Int(p.dense.first!.x)) tokens"
                + " .. \(ms(p.dense.last!.seconds)) at \(Int(p.dense.last!.x)) tokens",
            "lm_head + sampler: \(p.perSequence.count) points, \(ms(p.perSequence.first!.seconds)) .. \(ms(p.perSequence.last!.seconds))",
            String(format: "decode attention per layer: %.3g s + %.3g s/context token + %.3g s/sequence (R^2 %.4f, max residual %.1f%%)",
                   d.constant, d.perContextToken, d.perSequence, d.r2, d.maxRelativeResidual * 100),
            String(format: "prefill attention per layer: %.3g s + %.3g s/token pair + %.3g s/token (R^2 %.4f, max residual %.1f%%)",
                   a.constant, a.perPair, a.perToken, a.r2, a.maxRelativeResidual * 100),
            "step overhead (CPU side, not in the tables): \(ms(p.stepOverhead))",
        ]
        if let r = p.roofline {
            lines.append(String(format: "roofline fit: computeEfficiency %.3f, memoryEfficiency %.3f of %.1f TFLOP/s and %.0f GB/s (R^2 %.4f on the projection GEMMs)",
                                r.computeEfficiency, r.memoryEfficiency, r.peakFlops / 1e12, r.memoryBandwidth / 1e9, r.denseR2))
        }
        return lines.joined(separator: "\n")
    }
}
