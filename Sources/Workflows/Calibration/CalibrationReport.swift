import ServingModel
import Foundation

/// The human-readable fit report that `servesim calibrate` prints (stdout).
public enum CalibrationReport {
    public static func text(_ p: CalibratedProfile) -> String {
        let m = p.model
        var lines: [String] = []
        lines.append("model \(m.name): \(m.parameters) parameters, \(m.layers) layers, hidden \(m.hidden), "
                     + "\(m.heads) heads / \(m.kvHeads) KV heads x \(m.headDim), ffn \(m.ffn), vocab \(m.vocab)")
        lines.append("machine: \(p.machine.cpuModel), \(p.machine.cores) cores; \(p.blas); threads \(p.threads)")
        let f = p.prefill
        lines.append(String(format: "prefill(t) = %.4g + %.4g*t + %.4g*pairs  [pairs = t(t+1)/2]  s", f.constant,
                            f.perToken, f.perAttentionPair))
        lines.append(String(format: "  as a + b*t + c*t^2: a = %.4g s, b = %.4g s/token, c = %.4g s/token^2",
                            f.constant, f.perToken + f.perAttentionPair / 2, f.perAttentionPair / 2))
        lines.append(String(format: "  R^2 = %.5f, max relative residual = %.2f%% (%d samples)", f.r2,
                            f.maxRelativeResidual * 100, p.prefillSamples.count))
        let d = p.decode
        lines.append(String(format: "decode(B, S) = %.4g + %.4g*B + %.4g*S  s  [S = total context tokens]",
                            d.constant, d.perSequence, d.perContextToken))
        lines.append(String(format: "  R^2 = %.5f, max relative residual = %.2f%% (%d samples)", d.r2,
                            d.maxRelativeResidual * 100, p.decodeSamples.count))
        if let t = p.throughput {
            lines.append(String(format: "sgemm peak (n=1024): %.1f GFLOP/s", t.sgemmPeakGFlops))
            lines.append(String(format: "kernel achieved: prefill %.1f GFLOP/s (%.0f%% of peak), decode %.1f GFLOP/s "
                                + "(largest batch), batch-1 decode %.1f GB/s of weights+KV",
                                t.prefillGFlops, 100 * t.prefillGFlops / t.sgemmPeakGFlops, t.decodeGFlops, t.decodeGBps))
        }
        lines.append("kvCapacityTokens: \(p.kvCapacityTokens) (\(m.kvBytesPerToken) bytes/token)")
        return lines.joined(separator: "\n") + "\n"
    }
}
