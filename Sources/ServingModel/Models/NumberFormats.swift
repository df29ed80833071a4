/// How the weights a GEMM reads are stored, which decides the kernel (and its measured table) and
/// the bytes streamed per weight.
///
/// vLLM's names: `bf16` is the unquantized model (`--dtype bfloat16`); `fp8` is per-tensor or
/// per-channel FP8 (W8A8, e.g. the RedHat/neuralmagic FP8 checkpoints); `fp8-block` is FP8 with
/// 128 x 128 block scales (e.g. Qwen3-*-FP8, DeepSeek-V3).
public enum GEMMFormat: String, Sendable, CaseIterable {
    case bf16
    case fp8
    case fp8Block = "fp8-block"

    /// Bytes per stored weight.
    public var bytesPerWeight: Double { self == .bf16 ? 2 : 1 }

    /// The aiconfigurator table's `gemm_dtype` / `moe_dtype` for this format.
    public var tableName: String {
        switch self {
        case .bf16: "bfloat16"
        case .fp8: "fp8"
        case .fp8Block: "fp8_block"
        }
    }
}

/// How the KV cache is stored (vLLM `--kv-cache-dtype`: `auto` keeps the model's activation
/// dtype, BF16 here; `fp8` halves the cache).
public enum KVCacheFormat: String, Sendable, CaseIterable {
    case bf16
    case fp8

    /// Bytes per cached K or V element.
    public var bytesPerElement: Double { self == .bf16 ? 2 : 1 }

    /// The aiconfigurator attention table's `kv_cache_dtype` for this format.
    public var tableName: String { self == .bf16 ? "bfloat16" : "fp8" }
}
