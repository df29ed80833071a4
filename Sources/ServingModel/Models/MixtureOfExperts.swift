/// The mixture-of-experts MLP of a model: each token goes to `topK` of `experts` expert MLPs
/// (SwiGLU, width `expertIntermediate`), plus always-on shared experts of total width
/// `sharedIntermediate`. Leading `denseLayers` layers keep a dense MLP of the model's
/// `intermediate` width (DeepSeek's `first_k_dense_replace`).
///
/// Invariants: 1 <= topK <= experts; widths >= 0; denseLayers < layers (checked by the loader).
public struct MoESpec: Sendable, Equatable {
    public var experts: Int
    public var topK: Int
    public var expertIntermediate: Int
    public var sharedIntermediate: Int
    public var denseLayers: Int

    public init(experts: Int, topK: Int, expertIntermediate: Int, sharedIntermediate: Int = 0, denseLayers: Int = 0) {
        self.experts = experts
        self.topK = topK
        self.expertIntermediate = expertIntermediate
        self.sharedIntermediate = sharedIntermediate
        self.denseLayers = denseLayers
    }

    /// Weights of one expert: gate, up and down projections.
    public func expertParameters(hidden: Int) -> Double { 3 * Double(hidden) * Double(expertIntermediate) }

    /// Router (gate) and shared-expert weights of one MoE layer.
    public func alwaysOnParameters(hidden: Int) -> Double {
        Double(hidden) * Double(experts) + 3 * Double(hidden) * Double(sharedIntermediate)
    }

    /// Expected number of distinct experts that `tokens` tokens route to, each to `topK` of
    /// `experts` uniformly at random: E (1 - (1 - k/E)^T). Their weights are what a step streams.
    /// Balanced routing is the assumption (real routers are skewed, which touches fewer experts
    /// per token but loads some experts more; the measured fused-MoE tables are balanced too).
    public func expertsTouched(tokens: Int) -> Double {
        guard tokens > 0 else { return 0 }
        let e = Double(experts)
        return e * (1 - pow(1 - Double(topK) / e, Double(tokens)))
    }
}

import Foundation
