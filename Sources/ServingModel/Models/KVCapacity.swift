/// How many tokens of KV cache a replica holds, as vLLM sizes it: of each GPU's memory times
/// `gpu_memory_utilization`, what the weights, the activations of the largest step and the
/// runtime do not take.
///
///     tokens = (memory x utilization x gpus - weights - gpus x (runtimeReserve + activations)) / kvBytesPerToken
///
/// Activations: vLLM profiles a forward pass of `max_num_batched_tokens` tokens at start-up and
/// keeps its peak free; the largest tensors alive at once are the MLP's gate/up output and the
/// attention's QKV, so the estimate is tokens x (2 x intermediate / tp + (heads + 2 kvHeads) x
/// headDim / tp + 2 hidden) x 2 bytes per GPU. `runtimeReservePerGPU` covers CUDA graphs, NCCL
/// and cuBLAS workspaces and the CUDA context (vLLM's start-up memory profile reports these at
/// 1-3 GiB per GPU; 2 GiB is the assumption here).
public enum KVCapacity {
    public static let runtimeReservePerGPU = 2.0 * 1024 * 1024 * 1024

    /// Bytes per GPU of the activations of a step of `tokens` tokens (see above).
    public static func activationBytes(model: ModelSpec, tensorParallel tp: Int, tokens: Int) -> Double {
        let width = 2 * Double(model.moe?.expertIntermediate ?? model.intermediate) / Double(tp)
            + Double((model.heads + 2 * model.kvHeads) * model.headDim) / Double(tp) + 2 * Double(model.hidden)
        return Double(tokens) * width * 2
    }

    /// KV tokens of a replica of `gpus` GPUs (`tensorParallel` per attention rank); `extraBytes`
    /// (a draft model's weights) and `extraKVBytesPerToken` (its KV) share the memory. Never negative.
    public static func tokens(hardware: HardwareSpec, model: ModelSpec, gpus: Int, tensorParallel: Int, utilization: Double,
                              maxBatchedTokens: Int, extraBytes: Double = 0, extraKVBytesPerToken: Double = 0) -> Int {
        let perGPU = runtimeReservePerGPU + activationBytes(model: model, tensorParallel: tensorParallel, tokens: maxBatchedTokens)
        let available = hardware.memoryBytes * Double(gpus) * utilization - model.weightBytes - extraBytes - Double(gpus) * perGPU
        return Int(max(0, available) / (model.kvBytesPerToken + extraKVBytesPerToken))
    }
}
