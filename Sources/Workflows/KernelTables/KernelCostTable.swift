import ServingModel
import Foundation

/// `servesim profile show`: what `KernelCosts` gives a pool, in milliseconds.
public enum KernelCostTable {
    public static func text(_ costs: KernelCosts) -> String {
        let m = costs.model
        var lines = ["\(m.name) (\(m.gemmFormat.rawValue) weights, \(costs.kvCacheFormat.rawValue) KV) on \(costs.gpus) x \(costs.hardware.name): "
                     + costs.source]
        lines.append(String(format: "weights %.1f GB, KV %.1f KB/token", m.weightBytes / 1e9, m.kvBytesPerToken / 1e3))
        lines.append("tokens   layers (ms)   one GEMM qkv (us)   all-reduce (us)   LM head for as many sequences (ms)")
        for t in [1, 8, 32, 64, 128, 256, 512, 1024, 2048, 4096, 8192, 16384] {
            let qkv = costs.gemm(m: t, n: (costs.localHeads + 2 * costs.localKVHeads) * m.headDim, k: m.hidden)
            let ar = costs.allReduce(bytes: Double(t * m.hidden) * 2, tokens: t)
            lines.append(String(format: "%6d  %12.3f  %18.1f  %16.1f  %12.3f", t, costs.layers(tokens: t) * 1e3, qkv * 1e6, ar * 1e6,
                                costs.head(sequences: t) * 1e3))
        }
        let (p, d) = costs.attention()
        lines.append(String(format: "attention per layer: prefill %.2f us + %.3g s/pair + %.3g s/token; decode %.2f us + %.3g s/context token + %.3g s/sequence",
                            p.constant * 1e6, p.perPair, p.perToken, d.constant * 1e6, d.perContextToken, d.perSequence))
        let model = KernelStepModel(costs: costs)
        lines.append("decode step (ms) by batch and context per sequence:")
        lines.append("batch    ctx 1k    ctx 4k   ctx 16k")
        for b in [1, 8, 32, 64, 128, 256] {
            let cells = [1024, 4096, 16384].map { String(format: "%8.2f", model.stepTime(StepShape(decodeSeqs: b, decodeContext: b * $0)) * 1e3) }
            lines.append(String(format: "%5d  ", b) + cells.joined(separator: "  "))
        }
        lines.append("prefill step of one prompt (ms):")
        for t in [128, 1024, 4096, 8192] {
            let s = StepShape(prefillTokens: t, prefillAttentionPairs: StepShape.attentionPairs(chunk: t, cached: 0), prefillSeqs: 1)
            lines.append(String(format: "%6d tokens  %8.2f", t, model.stepTime(s) * 1e3))
        }
        return lines.joined(separator: "\n")
    }
}
