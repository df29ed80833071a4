import ServingModel

/// The keys of one entry of `pools`: hardware, model, replicas, scheduler, routing and
/// performance model, and the sections nested in it.
enum PoolFields {
    static let name = Key.string("name", required: "", doc: "Unique among pools and routers; names its streams and report rows.")
    static let classes = Key.raw("classes", .list(.string(pattern: nil), minItems: 0),
                                 defaultNote: "the first pool serves classes no pool names", doc: "The request classes it serves.")
    static let region = Key.raw("region", .string(pattern: nil), doc: "With regions (required then): the region the pool runs in.")
    static let hardware = Key.raw("hardware", .either([
        .choice(HardwareSpec.presets.map { Choice($0.name) }), .object(HardwareFields.section),
    ]), hint: "a preset name or an object", doc: "A GPU preset or an explicit GPU; required with the roofline.")
    static let model = Key.raw("model", .either([
        .choice(ModelSpec.presets.map { Choice($0.name) }), .object(ModelFields.section),
    ]), hint: "a preset name or an object", doc: "A model preset or an explicit shape; required with the roofline.")
    static let tensorParallel = Key.integer("tensorParallel", min: 1, max: 64, default: 1,
                                            doc: "GPUs per replica (per attention data-parallel rank with dataParallel).")
    static let dataParallel = Key.integer("dataParallel", min: 1, max: 64, default: 1,
                                          doc: "MoE models with expertParallel: attention data-parallel ranks per replica, each of tensorParallel GPUs (vLLM --data-parallel-size); the replica has tensorParallel x dataParallel GPUs and one scheduler.")
    static let expertParallel = Key.boolean("expertParallel", default: false,
                                            doc: "MoE models: whole experts spread over the replica's GPUs (vLLM --enable-expert-parallel) instead of every expert split by tensor parallelism.")
    static let quantization = Key.oneOf("quantization", [
        Choice("none", "the model's own weights (BF16)"),
        Choice("fp8", "FP8 weights and GEMMs (per-tensor or per-channel scales)"),
        Choice("fp8-block", "FP8 weights with 128 x 128 block scales"),
    ], default: "none", doc: "How the weights are stored (vLLM --quantization).")
    static let kvCacheDtype = Key.oneOf("kvCacheDtype", [
        Choice("auto", "the activations' BF16"), Choice("fp8", "FP8, half the bytes per token"),
    ], default: "auto", doc: "How the KV cache is stored (vLLM --kv-cache-dtype).")
    static let servingEngine = Key.raw("servingEngine", .object(ServingEngineFields.section),
                                doc: "The serving engine around the GPU steps: scheduling lag, CPU work, streaming (default: vLLM V1).")
    static let replicas = Key.integer("replicas", min: 0, max: 100_000, hint: "an integer >= 1",
                                      defaultNote: "required without autoscaling; with it, the autoscaler's minReplicas",
                                      doc: "Replicas (with autoscaling: the initial count, which may be 0).")
    static let pricePerGpuHour = Key.number("pricePerGpuHour", min: 0,
                                            hint: "USD per GPU-hour, or a hardware preset that has one",
                                            defaultNote: "the hardware preset's", unit: "USD per GPU-hour",
                                            doc: "Price of one GPU, idle time included.")
    static let routing = Key.choice("routing", RoutingPolicy.self, docs: \.doc, default: .leastOutstanding,
                                    doc: "How requests are spread over the pool's ready replicas.")
    static let routingWeights = Key.raw("routingWeights", .list(.integer(min: 1, max: 1_000_000), minItems: 1),
                                        defaultNote: "all 1",
                                        doc: "weighted-round-robin: one weight per replica slot (replicas or the autoscaler's maximum, plus the warm pool).")
    static let prefixCaching = Key.raw("prefixCaching", .either([.boolean, .object(PrefixCachingFields.section)]),
                                       schemaDefault: .bool(false),
                                       doc: "Replicas keep prompt prefixes' KV blocks (hash chains, LRU eviction under KV pressure).")
    static let affinity = Key.raw("affinity", .object(AffinityFields.section),
                                  doc: "prefix-affinity and session-affinity routing: consistent hashing with bounded loads.")
    static let maxQueueLength = Key.integer("maxQueueLength", min: 0, defaultNote: "unbounded",
                                            doc: "Arrivals beyond this many waiting are rejected.")
    static let errorRate = Key.fraction("errorRate", exclusive: false, default: 0,
                                        doc: "Share of attempts that fail at completion, after using their GPU time (stream errors/<pool>).")
    static let quality = Key.raw("quality", .object(QualityFields.section),
                                 doc: "Quality proxies of its completed answers, for the schemaAdherence and safety SLIs and release quality triggers (default: not modelled, every answer good).")
    static let gpuMemoryUtilization = Key.fraction("gpuMemoryUtilization", exclusive: false,
                                                   default: PoolParser.defaultGpuMemoryUtilization,
                                                   doc: "vLLM's share of GPU memory for weights, activations and KV cache.")
    static let kvCacheTokens = Key.integer("kvCacheTokens", min: 1, defaultNote: "memory x utilization x TP - weights",
                                           unit: "tokens", doc: "KV cache capacity per replica, set directly.")
    static let autoscaling = Key.raw("autoscaling", .object(AutoscalingFields.section), doc: "Scales the pool (default: fixed size).")
    static let circuitBreaker = Key.raw("circuitBreaker", .object(CircuitBreakerFields.section), doc: "A consecutive-failure breaker.")
    static let coldStart = Key.raw("coldStart", .object(ColdStartFields.section), doc: "How long a replica takes to start from nothing.")
    static let warmPool = Key.raw("warmPool", .object(WarmPoolFields.section), doc: "Provisioned idle replicas that start fast.")
    static let speculative = Key.raw("speculative", .object(SpeculativeFields.section), doc: "Speculative decoding.")
    static let scheduler = Key.raw("scheduler", .object(SchedulerFields.section), doc: "How a replica batches requests.")
    static let performance = Key.raw("performance", .object(PerformanceFields.section),
                                     required: "{ model: \"roofline\" | \"profile\" | \"service\", ... }",
                                     doc: "What times a replica's work.")

    static let section = Section("pool", title: "pools[]", doc: "A pool of identical replicas.", fields: [
        name.spec, classes.spec, region.spec, hardware.spec, model.spec, tensorParallel.spec, dataParallel.spec,
        expertParallel.spec, quantization.spec, kvCacheDtype.spec, replicas.spec,
        pricePerGpuHour.spec, routing.spec, routingWeights.spec, prefixCaching.spec, affinity.spec, maxQueueLength.spec,
        errorRate.spec, quality.spec, gpuMemoryUtilization.spec, kvCacheTokens.spec, autoscaling.spec, circuitBreaker.spec,
        coldStart.spec, warmPool.spec, speculative.spec, scheduler.spec, servingEngine.spec, performance.spec,
    ])
}

/// `pools[].quality`: the probabilities behind the quality SLIs (`AnswerQuality`).
enum QualityFields {
    static let schemaAdherence = Key.fraction("schemaAdherence", exclusive: false, default: 1,
                                              doc: "Probability that a completed answer follows its output schema (stream quality/<pool>).")
    static let safetyFlagRate = Key.fraction("safetyFlagRate", exclusive: false, default: 0,
                                             doc: "Probability that the safety classifier flags a completed answer.")
    static let section = Section("quality", title: "pools[].quality",
                                 doc: "Quality proxies of the pool's answers: each completed attempt draws both from stream quality/<pool>.",
                                 fields: [schemaAdherence.spec, safetyFlagRate.spec])
}

enum ServingEngineFields {
    private static let v1 = EnginePipeline.vllmV1
    static let asyncScheduling = Key.boolean("asyncScheduling", default: v1.asyncScheduling,
                                             doc: "Plan step N+1 while step N runs (vLLM V1): a request that arrives during a step joins the step after next, and a step's CPU work overlaps the next GPU step. false: synchronous (CPU work added to every step).")
    static let cpuPerStep = Key.duration("cpuPerStep", default: v1.cpuPerStep,
                                         doc: "CPU time of every step (scheduling, input preparation, output processing).")
    static let cpuPerSequence = Key.duration("cpuPerSequence", default: v1.cpuPerSequence,
                                             doc: "CPU time per sequence in a step (output processing grows with the batch).")
    static let streamingDelay = Key.duration("streamingDelay", default: v1.streamingDelay,
                                             doc: "From a token's output processing to the client (detokenisation, streaming).")
    static let section = Section("servingEngine", title: "pools[].servingEngine",
                                 doc: "The engine's pipeline: a token reaches the client cpuPerStep + cpuPerSequence x batch + streamingDelay after its step ends. All zero with asyncScheduling false: tokens seen when their step ends.",
                                 fields: [asyncScheduling.spec, cpuPerStep.spec, cpuPerSequence.spec, streamingDelay.spec])
}

enum HardwareFields {
    static let name = Key.string("name", required: "", doc: "Names it in reports.")
    static let peakFlops = Key.number("peakFlops", min: 0, exclusiveMin: true, required: "dense BF16 FLOP/s", unit: "FLOP/s",
                                      doc: "Dense BF16 peak.")
    static let memoryBandwidth = Key.number("memoryBandwidth", min: 0, exclusiveMin: true, required: "bytes/s", unit: "bytes/s",
                                            doc: "HBM bandwidth.")
    static let memoryBytes = Key.number("memoryBytes", min: 0, exclusiveMin: true, required: "", unit: "bytes", doc: "GPU memory.")
    static let pricePerGpuHour = Key.number("pricePerGpuHour", min: 0, default: 0, unit: "USD per GPU-hour", doc: "Its price.")
    static let interconnectBandwidth = Key.number("interconnectBandwidth", min: 0, exclusiveMin: true, default: 32e9,
                                                  unit: "bytes/s per GPU", doc: "For tensor-parallel all-reduce.")
    static let section = Section("hardware", title: "pools[].hardware (object)", doc: "An explicit GPU.", fields: [
        name.spec, peakFlops.spec, memoryBandwidth.spec, memoryBytes.spec, pricePerGpuHour.spec, interconnectBandwidth.spec,
    ])
}

enum ModelFields {
    static let name = Key.string("name", required: "", doc: "Names it in reports.")
    static let layers = Key.integer("layers", min: 1, required: "", doc: "Transformer layers.")
    static let hidden = Key.integer("hidden", min: 1, required: "", doc: "Hidden size.")
    static let heads = Key.integer("heads", min: 1, required: "", doc: "Attention heads.")
    static let kvHeads = Key.integer("kvHeads", min: 1, required: "", doc: "KV heads (a divisor of heads).")
    static let headDim = Key.integer("headDim", min: 1, defaultNote: "hidden / heads", doc: "Head dimension.")
    static let intermediate = Key.integer("intermediate", min: 1, required: "", doc: "MLP intermediate size.")
    static let vocab = Key.integer("vocab", min: 1, required: "", doc: "Vocabulary size.")
    static let bytesPerParam = Key.number("bytesPerParam", min: 0, exclusiveMin: true, default: 2, unit: "bytes",
                                          doc: "Bytes per weight and KV element (2: BF16; the pool's quantization and kvCacheDtype override it).")
    static let tiedEmbeddings = Key.boolean("tiedEmbeddings", default: false, doc: "The LM head shares the embedding's weights.")
    static let moe = Key.raw("moe", .object(MoEFields.section), doc: "A mixture-of-experts MLP (default: dense).")
    static let section = Section("model", title: "pools[].model (object)", doc: "An explicit model shape (a Hugging Face config's fields).",
                                 fields: [name.spec, layers.spec, hidden.spec, heads.spec, kvHeads.spec, headDim.spec,
                                          intermediate.spec, vocab.spec, bytesPerParam.spec, tiedEmbeddings.spec, moe.spec])
}

enum MoEFields {
    static let experts = Key.integer("experts", min: 1, max: 4096, required: "", doc: "Routed experts per layer (num_experts).")
    static let topK = Key.integer("topK", min: 1, max: 4096, required: "", doc: "Experts per token (num_experts_per_tok), at most experts.")
    static let intermediate = Key.integer("intermediate", min: 1, required: "", doc: "One expert's MLP width (moe_intermediate_size).")
    static let sharedIntermediate = Key.integer("sharedIntermediate", min: 0, default: 0,
                                                doc: "Total width of the always-on shared experts (0: none).")
    static let denseLayers = Key.integer("denseLayers", min: 0, default: 0,
                                         doc: "Leading layers with a dense MLP of the model's intermediate width (first_k_dense_replace).")
    static let section = Section("moe", title: "pools[].model.moe", doc: "A mixture-of-experts MLP: each token goes to topK of experts.",
                                 fields: [experts.spec, topK.spec, intermediate.spec, sharedIntermediate.spec, denseLayers.spec])
}

enum SchedulerFields {
    private static let d = SchedulerConfig()
    static let policy = Key.choice("policy", SchedulerConfig.Policy.self, docs: {
        switch $0 {
        case .continuous: "vLLM-style continuous batching"
        case .fcfs: "static batching: an idle replica takes up to maxNumSeqs requests and runs them until all finish"
        }
    }, default: d.policy, doc: "How a replica batches.")
    static let maxNumSeqs = Key.integer("maxNumSeqs", min: 1, max: 65_536, default: d.maxNumSeqs, doc: "Most sequences in a batch (vLLM max_num_seqs).")
    static let maxBatchedTokens = Key.integer("maxBatchedTokens", min: 1, max: 10_000_000, default: d.maxBatchedTokens,
                                              unit: "tokens", doc: "Step token budget (vLLM max_num_batched_tokens), at least maxNumSeqs.")
    static let chunkedPrefill = Key.boolean("chunkedPrefill", default: d.chunkedPrefill, doc: "Split long prompts across steps.")
    static let blockSize = Key.integer("blockSize", min: 1, max: 1024, default: d.blockSize, unit: "tokens", doc: "Tokens per KV block.")
    static let section = Section("scheduler", title: "pools[].scheduler", doc: "vLLM's scheduler settings.",
                                 fields: [policy.spec, maxNumSeqs.spec, maxBatchedTokens.spec, chunkedPrefill.spec, blockSize.spec])
}

enum PerformanceFields {
    static let model = Key.oneOf("model", [
        Choice("roofline", "step time from the pool's hardware and model: measured kernel tables where the GPU has them, else FLOPs and bytes on the datasheet (kernels)"),
        Choice("profile", "a calibrated or imported timing profile"),
        Choice("service", "each request holds a slot for a drawn service time (no tokens, no KV)"),
    ], required: "", doc: "The performance model.")
    static let computeEfficiency = Key.number("computeEfficiency", min: 0, max: 1, exclusiveMin: true,
                                              defaultNote: "the hardware preset's", doc: "Share of peak FLOP/s reached.")
    static let memoryEfficiency = Key.number("memoryEfficiency", min: 0, max: 1, exclusiveMin: true,
                                             defaultNote: "the hardware preset's", doc: "Share of memory bandwidth reached.")
    static let stepOverhead = Key.duration("stepOverhead", defaultNote: "1.4 ms with measured kernels (fitted), 3 ms with the datasheet roofline",
                                           doc: "Fixed GPU-side cost of every step beyond the modelled operators (the engine's CPU work is engine's).")
    static let requestOverhead = Key.duration("requestOverhead", default: RooflineModel.defaultRequestOverhead,
                                              doc: "From a request's send to its arrival at the scheduler, plus the response's way back (API, tokenisation, streaming; fitted).")
    static let allReduceLatency = Key.duration("allReduceLatency", default: RooflineModel.defaultAllReduceLatency,
                                               doc: "Latency of one tensor-parallel all-reduce (datasheet roofline; measured kernels use the GPU's tables).")
    static let kernels = Key.oneOf("kernels", [
        Choice("auto", "measured where the GPU has tables, else datasheet"),
        Choice("measured", "the GPU's measured GEMM, attention, MoE and all-reduce tables, operator by operator"),
        Choice("datasheet", "FLOPs and bytes of the whole step on the datasheet peaks"),
    ], default: "auto", doc: "What times the operators.")
    static let file = Key.string("file", required: "path of a profile JSON written by `servesim calibrate`",
                                 doc: "Profile JSON, relative to the scenario file's folder.")
    static let profileOverhead = Key.duration("requestOverhead", default: 0,
                                              doc: "From a request's send to its arrival at the scheduler.")
    static let distribution = Key.oneOf("distribution", [
        Choice("exponential"), Choice("deterministic"), Choice("lognormal", "with cv"), Choice("gamma", "with cv"),
    ], required: "", doc: "Service-time distribution.")
    static let mean = Key.duration("mean", min: 0, exclusiveMin: true, required: "seconds per request", doc: "Mean service time.")
    static let cv = Key.number("cv", min: 0, exclusiveMin: true, hint: "coefficient of variation > 0",
                               doc: "Coefficient of variation (lognormal, gamma).")
    static let section = Section("performance", title: "pools[].performance", doc: "What times a replica's work.",
                                 fields: [model.spec], tag: "model", variants: [
        Variant("roofline", fields: [kernels.spec, computeEfficiency.spec, memoryEfficiency.spec, stepOverhead.spec,
                                     requestOverhead.spec, allReduceLatency.spec]),
        Variant("profile", fields: [file.spec, profileOverhead.spec]),
        Variant("service", fields: [distribution.spec, mean.spec, cv.spec]),
    ])
}

enum PrefixCachingFields {
    static let enabled = Key.boolean("enabled", required: "true or false", doc: "Whether replicas keep prefixes.")
    static let section = Section("prefixCaching", title: "pools[].prefixCaching (object)", doc: "Prefix caching as an object.",
                                 fields: [enabled.spec])
}

enum AffinityFields {
    static let keyBlocks = Key.integer("keyBlocks", min: 1, max: 1_000_000, default: AffinitySpec.defaultKeyBlocks,
                                       doc: "prefix-affinity only: leading hash blocks in the routing key.")
    static let epsilon = Key.number("epsilon", min: 0, max: 1_000, exclusiveMin: true, default: AffinitySpec.defaultEpsilon,
                                    doc: "A replica takes at most (1 + epsilon) x the mean outstanding (bounded loads).")
    static let virtualNodes = Key.integer("virtualNodes", min: 1, max: 10_000, default: AffinitySpec.defaultVirtualNodes,
                                          doc: "Ring points per replica slot.")
    static let section = Section("affinity", title: "pools[].affinity", doc: "Consistent hashing with bounded loads.",
                                 fields: [keyBlocks.spec, epsilon.spec, virtualNodes.spec])
}

enum SpeculativeFields {
    static let maxDraftTokens = 16
    static let draftTokens = Key.integer("draftTokens", min: 1, max: maxDraftTokens,
                                         required: "an integer from 1 to \(maxDraftTokens)", doc: "k: draft tokens per sequence per round.")
    static let acceptance = Key.raw("acceptance", .number(NumberRange(min: 0, max: 1, maxExclusive: true)),
                                    required: "a number >= 0 and < 1: the probability that the target accepts a draft token",
                                    doc: "alpha: the probability that the target accepts a draft token.")
    static let draftModel = Key.raw("draftModel", .either([
        .choice(ModelSpec.presets.map { Choice($0.name) }), .object(ModelFields.section),
    ]), hint: "draftModel (a model preset or object) or draftCostRatio (a number in (0, 1])",
        doc: "The draft's shape, run through the pool's roofline (roofline pools only); or give draftCostRatio.")
    static let draftCostRatio = Key.number("draftCostRatio", min: 0, max: 1, exclusiveMin: true,
                                           doc: "Draft step time / target decode step time at the same batch and context.")
    static let draftStepOverhead = Key.duration("draftStepOverhead", defaultNote: "the pool's stepOverhead",
                                                doc: "draftModel only: fixed cost per draft step.")
    static let disableAboveBatch = Key.integer("disableAboveBatch", min: 1, max: 65_536,
                                               doc: "Decode batches larger than this decode plainly.")
    static let section = Section("speculative", title: "pools[].speculative",
                                 doc: "A draft proposes draftTokens per sequence; one target step verifies them.",
                                 fields: [draftTokens.spec, acceptance.spec, draftModel.spec, draftCostRatio.spec,
                                          draftStepOverhead.spec, disableAboveBatch.spec])
}
