/// Step time from the operators of `KernelCosts`, measured where the GPU has tables: the
/// token-dependent work of all layers tabulated over tokens per step, the LM head over sequences,
/// attention as linear per-layer coefficients, plus a fixed GPU-side overhead per step. It is a
/// `LayerTableProfile` computed instead of imported, so it steps exactly like one: a decode-only
/// step is `constant(B) + slope * S`, the jump-ahead form.
///
/// Knots: every token count up to 32, then eight per doubling up to 2^17 (linear interpolation
/// between them; the operators themselves interpolate their tables in log space, so the knot
/// spacing keeps the added error well under 1%).
public struct KernelStepModel: StepTimeModel, Equatable {
    /// Default GPU-side seconds per step beyond the modelled operators (sampling, logits copy,
    /// input preparation on the GPU, gaps between CUDA graphs): fitted by `servesim validate
    /// --suite ../shared/data --fit` on the suite's fit split (see `FidelitySuite`).
    public static let defaultStepOverhead = 0.0014
    public let table: LayerTableStepModel
    /// The operators it was tabulated from, and its GPU-side overhead per step.
    public let costs: KernelCosts
    public let stepOverhead: Double
    /// Which operators were measured (`KernelCosts.source`), for reports.
    public let source: String

    /// - Parameter stepOverhead: GPU-side seconds per step not in the operators (CPU work is the
    ///   engine pipeline's, `EnginePipeline`).
    public init(costs: KernelCosts, stepOverhead: Double = defaultStepOverhead) {
        let tokens = Self.knots(upTo: 1 << 17)
        let sequences = Self.knots(upTo: 1 << 16)
        let dense = tokens.map { LayerTableProfile.Point(x: Double($0), seconds: costs.layers(tokens: $0)) }
        let head = sequences.map { LayerTableProfile.Point(x: Double($0), seconds: costs.head(sequences: $0)) }
        let (prefill, decode) = costs.attention()
        let profile = LayerTableProfile(gpu: costs.hardware.name, model: costs.model.name, layers: costs.model.layers,
                                        dense: dense, perSequence: head, decodeAttention: decode, prefillAttention: prefill,
                                        stepOverhead: stepOverhead)
        table = LayerTableStepModel(profile: profile)
        self.costs = costs
        self.stepOverhead = stepOverhead
        source = costs.source
    }

    /// 1...32, then `2^(i/8)` rounded (distinct, ascending) up to `limit`.
    static func knots(upTo limit: Int) -> [Int] {
        var knots = Array(1...32)
        var i = 41  // 2^(41/8) = 34.9
        while true {
            let k = Int((pow(2, Double(i) / 8)).rounded())
            if k > limit { break }
            if k > knots.last! { knots.append(k) }
            i += 1
        }
        if knots.last! < limit { knots.append(limit) }
        return knots
    }

    public func stepTime(_ shape: StepShape) -> Double { table.stepTime(shape) }
    public func decodeCost(batch: Int) -> DecodeCost { table.decodeCost(batch: batch) }
}

import Foundation
