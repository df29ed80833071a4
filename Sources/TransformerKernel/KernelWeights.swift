import ServingModel
/// Random weights of one transformer layer. Linear maps are stored row-major as `[out x in]`
/// (PyTorch's layout), applied as `Y = X * W^T`.
final class LayerWeights {
    /// RMSNorm gain before attention, `[hidden]`.
    let attentionNorm: FloatBuffer
    /// Fused query/key/value projection, `[(heads + 2 kvHeads) * headDim x hidden]`.
    let qkv: FloatBuffer
    /// Attention output projection, `[hidden x heads * headDim]`.
    let output: FloatBuffer
    /// RMSNorm gain before the MLP, `[hidden]`.
    let mlpNorm: FloatBuffer
    /// Fused SwiGLU gate and up projections, `[2 ffn x hidden]` (gate rows first).
    let gateUp: FloatBuffer
    /// MLP down projection, `[hidden x ffn]`.
    let down: FloatBuffer

    init(config c: KernelConfig, rng: RandomStream) {
        attentionNorm = FloatBuffer(count: c.hidden)
        attentionNorm.fill(1)
        mlpNorm = FloatBuffer(count: c.hidden)
        mlpNorm.fill(1)
        // N(0, 1/fan_in) keeps activations O(1) through each matrix; the residual branches are
        // scaled down by sqrt(2 layers) so the residual stream does not grow with depth.
        let residualScale = 1 / (2 * Double(c.layers)).squareRoot()
        qkv = FloatBuffer(count: c.qkvWidth * c.hidden)
        qkv.fillGaussian(rng, sigma: 1 / Double(c.hidden).squareRoot())
        output = FloatBuffer(count: c.hidden * c.qWidth)
        output.fillGaussian(rng, sigma: residualScale / Double(c.qWidth).squareRoot())
        gateUp = FloatBuffer(count: 2 * c.ffn * c.hidden)
        gateUp.fillGaussian(rng, sigma: 1 / Double(c.hidden).squareRoot())
        down = FloatBuffer(count: c.hidden * c.ffn)
        down.fillGaussian(rng, sigma: residualScale / Double(c.ffn).squareRoot())
    }
}

/// All weights of the model, drawn from one seeded GSL stream (`kernel/weights`) in a fixed
/// order, so the same (config, seed) always gives the same model.
final class KernelWeights {
    /// Token embedding table, `[vocab x hidden]`, N(0, 1).
    let embedding: FloatBuffer
    let layers: [LayerWeights]
    /// Final RMSNorm gain, `[hidden]`.
    let finalNorm: FloatBuffer
    /// Output projection to logits (untied from the embedding), `[vocab x hidden]`.
    let lmHead: FloatBuffer

    init(config c: KernelConfig, seed: UInt64) {
        let rng = RandomStream(seed: seed, name: "kernel/weights")
        embedding = FloatBuffer(count: c.vocab * c.hidden)
        embedding.fillGaussian(rng, sigma: 1)
        layers = (0..<c.layers).map { _ in LayerWeights(config: c, rng: rng) }
        finalNorm = FloatBuffer(count: c.hidden)
        finalNorm.fill(1)
        lmHead = FloatBuffer(count: c.vocab * c.hidden)
        lmHead.fillGaussian(rng, sigma: 1 / Double(c.hidden).squareRoot())
    }
}
