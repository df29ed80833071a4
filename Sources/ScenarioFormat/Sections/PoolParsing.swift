import ServingModel
import Foundation

/// Reads one entry of `pools` (keys: `PoolFields`): hardware, model, replicas, scheduler, routing,
/// performance model.
public enum PoolParser {
    /// What a pool's `performance.file` must be.
    static let profileHint = "a file written by `servesim calibrate` or `servesim profile import`"

    public struct Parsed {
        public var spec: PoolSpec
        /// Request classes this pool serves (empty: whatever no other pool claims).
        public var classes: [String]
    }

    /// vLLM's default `gpu_memory_utilization`: the share of GPU memory for weights, activations
    /// and KV cache (vLLM engine arguments documentation).
    public static let defaultGpuMemoryUtilization = 0.9

    public static func parse(_ node: FieldNode, baseDirectory: String) -> Parsed? {
        typealias K = PoolFields
        guard let obj = node.object(K.section) else { return nil }
        let sink = node.sink
        let before = sink.reportedCount
        let name = obj.read(K.name) ?? ""
        let classes = obj.node(K.classes)?.array()?.compactMap { $0.string() } ?? []
        let autoscaler = obj.node(K.autoscaling).flatMap(ControlPlaneParser.autoscaler)
        let coldStart = obj.node(K.coldStart).flatMap(ControlPlaneParser.coldStart)
        let warmPool = obj.node(K.warmPool).flatMap(ControlPlaneParser.warmPool)
        // With autoscaling, `replicas` is the initial count (default: the autoscaler's minimum).
        let autoscaled = autoscaler != nil || obj.has(K.autoscaling)
        let replicasNode = autoscaled ? obj.node(K.replicas) : obj.requiredNode(K.replicas)
        let replicas = replicasNode?.int(min: autoscaler == nil ? 1 : 0, max: 100_000) ?? autoscaler?.minReplicas ?? 1
        if let a = autoscaler, replicas < a.minReplicas || replicas > a.maxReplicas {
            sink.report(obj.childPath(K.replicas.name), "\(replicas) is outside the autoscaler's range",
                        allowed: "\(a.minReplicas) to \(a.maxReplicas)")
        }
        let tp = obj.value(K.tensorParallel)
        let dp = obj.value(K.dataParallel)
        let expertParallel = obj.value(K.expertParallel)
        let quantization = obj.value(K.quantization)
        let kvCacheDtype = obj.value(K.kvCacheDtype)
        let engine = ServingParser.engine(obj.node(K.servingEngine))
        let routing = obj.value(K.routing)
        let weightsNode = obj.node(K.routingWeights)
        let routingWeights = weightsNode?.array(minCount: 1)?.map { $0.int(min: 1, max: 1_000_000) }
        let prefixCaching = obj.node(K.prefixCaching).flatMap(PrefixCachingParser.prefixCaching) ?? false
        let affinityNode = obj.node(K.affinity)
        let affinity = affinityNode.flatMap { PrefixCachingParser.affinity($0, routing: routing) }
        let maxQueue = obj.read(K.maxQueueLength)
        let errorRate = obj.value(K.errorRate)
        var quality: AnswerQuality?
        if let q = obj.node(K.quality)?.object(QualityFields.section) {
            quality = AnswerQuality(schemaAdherence: q.value(QualityFields.schemaAdherence),
                                    safetyFlagRate: q.value(QualityFields.safetyFlagRate))
            q.finish()
        }
        let scheduler = obj.node(K.scheduler).flatMap(parseScheduler) ?? SchedulerConfig()
        let memoryUtilization = obj.value(K.gpuMemoryUtilization)
        let kvTokensOverride = obj.read(K.kvCacheTokens)
        var breaker: CircuitBreaker?
        if let cb = obj.node(K.circuitBreaker)?.object(CircuitBreakerFields.section) {
            let threshold = cb.value(CircuitBreakerFields.failureThreshold)
            let open = cb.value(CircuitBreakerFields.openDuration)
            cb.finish()
            breaker = CircuitBreaker(failureThreshold: threshold, openDuration: open)
        }

        let performanceNode = obj.requiredNode(K.performance)
        let performanceObj = performanceNode?.object(PerformanceFields.section)
        let kind = performanceObj?.requiredNode(PerformanceFields.model)?.oneOf(["roofline", "profile", "service"]) ?? "roofline"
        let needsShape = kind == "roofline"
        let hardwareNode = needsShape ? obj.requiredNode(K.hardware) : obj.node(K.hardware)
        let hardware = hardwareNode.flatMap(ServingParser.hardware)
        let modelNode = needsShape ? obj.requiredNode(K.model) : obj.node(K.model)
        var model = modelNode.flatMap(ServingParser.model)
        if let format = GEMMFormat(rawValue: quantization) { model = model?.withWeights(format) }
        if kvCacheDtype == "fp8" { model = model?.withKVCache(KVCacheFormat.fp8) }
        if let m = model, m.moe == nil, expertParallel || dp > 1 {
            sink.report(obj.childPath(expertParallel ? K.expertParallel.name : K.dataParallel.name), "\(m.name) has no experts",
                        allowed: "expertParallel and dataParallel are for MoE models; use replicas to scale a dense model")
        } else if dp > 1 && !expertParallel {
            sink.report(obj.childPath(K.dataParallel.name), "\(dp) attention ranks without expertParallel",
                        allowed: "dataParallel > 1 with expertParallel: true (otherwise, use replicas)")
        }
        let gpus = tp * dp
        let speculative = obj.node(K.speculative).flatMap { SpeculativeParser.parse($0, performanceKind: kind) }
        let price = obj.read(K.pricePerGpuHour) ?? hardware?.pricePerGpuHour
        // A hardware that is given but wrong has its own problem; the price follows from it.
        if price == nil && hardwareNode == nil {
            sink.report(obj.childPath(K.pricePerGpuHour.name), "is missing", allowed: K.pricePerGpuHour.spec.hint)
        }

        var performance: PerformanceModel?
        var timing = kind == "service" ? "service time" : "profile"
        if let perf = performanceObj {
            switch kind {
            case "service":
                performance = parseService(perf).map { .service($0) }
            case "profile":
                performance = parseProfile(perf, baseDirectory: baseDirectory, kvTokensOverride: kvTokensOverride)
            default:
                if let hw = hardware, let m = model,
                   let timed = ServingParser.stepModel(perf, hardware: hw, model: m, tensorParallel: tp, dataParallel: dp,
                                                       expertParallel: expertParallel) {
                    // A draft model's weights and KV cache share the memory with the target's.
                    let kvTokens = kvTokensOverride ?? KVCapacity.tokens(
                        hardware: hw, model: m, gpus: gpus, tensorParallel: tp, utilization: memoryUtilization,
                        maxBatchedTokens: scheduler.maxBatchedTokens, extraBytes: speculative?.draftWeightBytes ?? 0,
                        extraKVBytesPerToken: speculative?.draftKVBytesPerToken ?? 0)
                    if kvTokensOverride == nil && kvTokens < scheduler.blockSize {
                        sink.report(obj.childPath(K.tensorParallel.name),
                                    "\(m.name) weights (\(Int(m.weightBytes / 1e9)) GB) leave no room for a KV cache on \(gpus) x \(hw.name)",
                                    allowed: "more GPUs per replica, a larger GPU, or kvCacheTokens")
                    }
                    performance = .steps(timed.model, kvCapacityTokens: kvTokens, requestOverhead: timed.requestOverhead)
                    timing = timed.source
                }
            }
            perf.finish()
        }
        if let speculative, case .steps(let base, let kv, let overhead)? = performance,
           let model = SpeculativeStepModel(base: base, config: speculative, maxBatch: scheduler.maxNumSeqs) {
            performance = .steps(model, kvCapacityTokens: kv, requestOverhead: overhead)
        }
        if scheduler.maxBatchedTokens < scheduler.maxNumSeqs {
            sink.report(obj.childPath("scheduler.maxBatchedTokens"), "is smaller than maxNumSeqs (\(scheduler.maxNumSeqs))",
                        allowed: "at least maxNumSeqs, so every running sequence can decode each step")
        }
        obj.accept(K.region.spec)  // read by RegionParser
        obj.finish()
        guard sink.reportedCount == before, let performance, let price else { return nil }
        // Reports name the hardware; a profile pool is named by its profile file.
        var hardwareLabel = hardware?.name ?? "none"
        if hardware == nil, kind == "profile", case .string(let file)? = performanceObj?.fields[PerformanceFields.file.name] {
            hardwareLabel = "profile " + (file as NSString).lastPathComponent
        }
        guard let engine else { return nil }
        var spec = PoolSpec(name: name, hardware: hardwareLabel, model: model?.name ?? "none",
                            gpusPerReplica: gpus, replicas: replicas, pricePerGpuHour: price, routing: routing,
                            scheduler: scheduler, performance: performance, maxQueueLength: maxQueue)
        spec.engine = kind == "service" ? .none : engine
        spec.timing = timing
        spec.autoscaler = autoscaler
        spec.coldStart = coldStart
        spec.warmPool = warmPool
        spec.modelBytes = model?.weightBytes ?? 0
        spec.kvBytesPerToken = model?.kvBytesPerToken
        spec.circuitBreaker = breaker
        spec.errorRate = errorRate
        spec.quality = quality
        spec.prefixCaching = prefixCaching
        if let affinity { spec.affinity = affinity } else if affinityNode != nil { return nil }
        if let weights = routingWeights {
            if weights.contains(where: { $0 == nil }) { return nil }
            if weights.count != spec.replicaSlots {
                weightsNode?.report("has \(weights.count) entries",
                                    allowed: "one integer >= 1 per replica slot: \(spec.replicaSlots) (replicas, or the autoscaler's maximum, plus the warm pool)")
                return nil
            }
            spec.routingWeights = weights.compactMap { $0 }
        }
        return Parsed(spec: spec, classes: classes)
    }

    static func parseScheduler(_ node: FieldNode) -> SchedulerConfig? {
        typealias K = SchedulerFields
        guard let obj = node.object(K.section) else { return nil }
        let config = SchedulerConfig(policy: obj.value(K.policy), maxNumSeqs: obj.value(K.maxNumSeqs),
                                     maxBatchedTokens: obj.value(K.maxBatchedTokens), chunkedPrefill: obj.value(K.chunkedPrefill),
                                     blockSize: obj.value(K.blockSize))
        obj.finish()
        return config
    }

    static func parseService(_ obj: ObjectReader) -> ServiceTimeDistribution? {
        typealias K = PerformanceFields
        let kind = obj.read(K.distribution)
        let mean = obj.read(K.mean)
        var cv: Double?
        if kind == "lognormal" || kind == "gamma" { cv = obj.read(K.cv, required: true) }
        guard let kind, let mean else { return nil }
        switch kind {
        case "exponential": return .exponential(mean: mean)
        case "deterministic": return .deterministic(mean: mean)
        case "lognormal": return cv.map { .lognormal(mean: mean, cv: $0) }
        default: return cv.map { .gamma(mean: mean, cv: $0) }
        }
    }

    static func parseProfile(_ obj: ObjectReader, baseDirectory: String, kvTokensOverride: Int?) -> PerformanceModel? {
        typealias K = PerformanceFields
        let overhead = obj.value(K.profileOverhead)
        guard let fileNode = obj.requiredNode(K.file), let file = fileNode.string() else { return nil }
        let path = file.hasPrefix("/") ? file : baseDirectory + "/" + file
        do {
            let (model, kvTokens) = try ProfileLoader.load(path: path)
            guard let kv = kvTokensOverride ?? kvTokens else {
                fileNode.report("the profile has no kvCapacityTokens", allowed: "set the pool's kvCacheTokens")
                return nil
            }
            return .steps(model, kvCapacityTokens: kv, requestOverhead: overhead)
        } catch let error as InputError {
            for d in error.diagnostics { fileNode.report(d, prefix: "profile ", fallback: Self.profileHint) }
        } catch {
            fileNode.report("cannot read profile: \(error)", allowed: Self.profileHint)
        }
        return nil
    }
}
