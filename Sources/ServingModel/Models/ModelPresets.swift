extension ModelSpec {
    /// meta-llama/Llama-3.1-8B config.json (Hugging Face): 32 layers, hidden 4096, 32 heads,
    /// 8 KV heads, intermediate 14336, vocab 128256.
    public static let llama31_8b = ModelSpec(name: "llama-3.1-8b", layers: 32, hidden: 4096, heads: 32, kvHeads: 8,
                                             intermediate: 14336, vocab: 128_256)
    /// meta-llama/Llama-3.1-70B config.json: 80 layers, hidden 8192, 64 heads, 8 KV heads,
    /// intermediate 28672, vocab 128256.
    public static let llama31_70b = ModelSpec(name: "llama-3.1-70b", layers: 80, hidden: 8192, heads: 64, kvHeads: 8,
                                              intermediate: 28672, vocab: 128_256)
    /// mistralai/Mistral-7B-v0.1 config.json: 32 layers, hidden 4096, 32 heads, 8 KV heads,
    /// intermediate 14336, vocab 32000.
    public static let mistral7b = ModelSpec(name: "mistral-7b", layers: 32, hidden: 4096, heads: 32, kvHeads: 8,
                                            intermediate: 14336, vocab: 32000)
    /// Qwen/Qwen2.5-0.5B config.json: 24 layers, hidden 896, 14 heads, 2 KV heads, intermediate
    /// 4864, vocab 151936, tied embeddings.
    public static let qwen25_05b = ModelSpec(name: "qwen2.5-0.5b", layers: 24, hidden: 896, heads: 14, kvHeads: 2,
                                             intermediate: 4864, vocab: 151_936, tiedEmbeddings: true)
    /// meta-llama/Llama-2-7b-hf config.json: 32 layers, hidden 4096, 32 heads, no GQA (32 KV heads),
    /// intermediate 11008, vocab 32000.
    public static let llama2_7b = ModelSpec(name: "llama-2-7b", layers: 32, hidden: 4096, heads: 32, kvHeads: 32,
                                            intermediate: 11008, vocab: 32000)

    /// meta-llama/Llama-3.2-1B config.json: 16 layers, hidden 2048, 32 heads, 8 KV heads, head_dim
    /// 64, intermediate 8192, vocab 128256, tied embeddings (1.24 B parameters). Shares Llama 3.1's
    /// tokenizer, so it can draft for Llama-3.1 models (speculative decoding).
    public static let llama32_1b = ModelSpec(name: "llama-3.2-1b", layers: 16, hidden: 2048, heads: 32, kvHeads: 8,
                                             headDim: 64, intermediate: 8192, vocab: 128_256, tiedEmbeddings: true)

    /// meta-llama/Llama-2-70b-hf config.json: 80 layers, hidden 8192, 64 heads, 8 KV heads,
    /// intermediate 28672, vocab 32000.
    public static let llama2_70b = ModelSpec(name: "llama-2-70b", layers: 80, hidden: 8192, heads: 64, kvHeads: 8,
                                             intermediate: 28672, vocab: 32000)
    /// codellama/CodeLlama-34b-hf config.json: 48 layers, hidden 8192, 64 heads, 8 KV heads,
    /// intermediate 22016, vocab 32000.
    public static let codellama34b = ModelSpec(name: "codellama-34b", layers: 48, hidden: 8192, heads: 64, kvHeads: 8,
                                               intermediate: 22016, vocab: 32000)
    /// Qwen/Qwen3-32B config.json: 64 layers, hidden 5120, 64 heads of 128 (attention width 8192,
    /// wider than hidden), 8 KV heads, intermediate 25600, vocab 151936.
    public static let qwen3_32b = ModelSpec(name: "qwen3-32b", layers: 64, hidden: 5120, heads: 64, kvHeads: 8, headDim: 128,
                                            intermediate: 25600, vocab: 151_936)
    /// mistralai/Mixtral-8x7B-v0.1 config.json: 32 layers, hidden 4096, 32 heads, 8 KV heads,
    /// 8 experts of intermediate 14336, top-2 routing, vocab 32000 (46.7 B parameters, 12.9 B active).
    public static let mixtral8x7b = ModelSpec(name: "mixtral-8x7b", layers: 32, hidden: 4096, heads: 32, kvHeads: 8,
                                              intermediate: 14336, vocab: 32000,
                                              moe: MoESpec(experts: 8, topK: 2, expertIntermediate: 14336))
    /// Qwen/Qwen3-30B-A3B config.json: 48 layers, hidden 2048, 32 heads of 128, 4 KV heads, 128
    /// experts of moe_intermediate 768, top-8, no shared experts, vocab 151936 (30.5 B, 3.3 B active).
    public static let qwen3_30b_a3b = ModelSpec(name: "qwen3-30b-a3b", layers: 48, hidden: 2048, heads: 32, kvHeads: 4,
                                                headDim: 128, intermediate: 6144, vocab: 151_936,
                                                moe: MoESpec(experts: 128, topK: 8, expertIntermediate: 768))
    /// Qwen/Qwen3-235B-A22B config.json: 94 layers, hidden 4096, 64 heads of 128, 4 KV heads, 128
    /// experts of moe_intermediate 1536, top-8, vocab 151936 (235 B, 22 B active).
    public static let qwen3_235b_a22b = ModelSpec(name: "qwen3-235b-a22b", layers: 94, hidden: 4096, heads: 64, kvHeads: 4,
                                                  headDim: 128, intermediate: 12288, vocab: 151_936,
                                                  moe: MoESpec(experts: 128, topK: 8, expertIntermediate: 1536))

    public static let presets: [ModelSpec] = [llama31_8b, llama31_70b, mistral7b, qwen25_05b, llama2_7b, llama32_1b,
                                              llama2_70b, codellama34b, qwen3_32b, mixtral8x7b, qwen3_30b_a3b, qwen3_235b_a22b]

    public static func preset(named name: String) -> ModelSpec? { presets.first { $0.name == name } }

    /// The preset whose name equals `name` ignoring case, else the preset of a Hugging Face id
    /// (for names typed on the command line).
    public static func preset(matching name: String) -> ModelSpec? {
        NameMatch.ignoringCase(name, among: presets.map(\.name)).flatMap(preset(named:)) ?? preset(huggingFace: name)
    }

    /// The preset of a Hugging Face model id ("meta-llama/Llama-3.1-8B-Instruct",
    /// "Qwen/Qwen3-235B-A22B-FP8", "nvidia/Llama-3.1-8B-Instruct-FP8"): the id's last part, lower
    /// case, without "meta-" in front and "-instruct", "-hf", "-v0.1" and an "-fp8" suffix, names
    /// the preset (instruction-tuned variants share the base model's shape); an "-fp8" id gets FP8
    /// weights (block-scaled for Qwen3, as those checkpoints are). Nil when no preset matches.
    public static func preset(huggingFace id: String) -> ModelSpec? {
        var name = (id.split(separator: "/").last.map(String.init) ?? id).lowercased()
        if name.hasPrefix("meta-") { name.removeFirst(5) }
        var fp8 = false
        while let suffix = ["-fp8", "-instruct", "-hf", "-v0.1"].first(where: { name.hasSuffix($0) }) {
            if suffix == "-fp8" { fp8 = true }
            name.removeLast(suffix.count)
        }
        guard let model = preset(named: name) else { return nil }
        return fp8 ? model.withWeights(name.hasPrefix("qwen3") ? .fp8Block : .fp8) : model
    }
}
