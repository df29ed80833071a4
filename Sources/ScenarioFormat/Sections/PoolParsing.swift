import ServingModel
import Foundation

/// Reads one entry of `pools`: hardware, model, replicas, scheduler, routing, performance model.
public enum PoolParser {
    public struct Parsed {
        public var spec: PoolSpec
        /// Request classes this pool serves (empty: whatever no other pool claims).
        public var classes: [String]
    }

    /// vLLM's default `gpu_memory_utilization`: the share of GPU memory for weights, activations
    /// and KV cache (vLLM engine arguments documentation).
    public static let defaultGpuMemoryUtilization = 0.9

    public static func parse(_ node: FieldNode, baseDirectory: String) -> Parsed? {
        guard let obj = node.object() else { return nil }
        let sink = node.sink
        let before = sink.diagnostics.count
        let name = obj.required("name")?.string() ?? ""
        let classes = obj.optional("classes")?.array()?.compactMap { $0.string() } ?? []
        let autoscaler = obj.optional("autoscaling").flatMap(ElasticParser.autoscaler)
        let coldStart = obj.optional("coldStart").flatMap(ElasticParser.coldStart)
        let warmPool = obj.optional("warmPool").flatMap(ElasticParser.warmPool)
        // With autoscaling, `replicas` is the initial count (default: the autoscaler's minimum).
        let replicasNode = autoscaler == nil && !obj.has("autoscaling") ? obj.required("replicas", allowed: "an integer >= 1")
                                                                         : obj.optional("replicas")
        let replicas = replicasNode?.int(min: autoscaler == nil ? 1 : 0, max: 100_000) ?? autoscaler?.minReplicas ?? 1
        if let a = autoscaler, replicas < a.minReplicas || replicas > a.maxReplicas {
            sink.report(obj.childPath("replicas"), "\(replicas) is outside the autoscaler's range",
                        allowed: "\(a.minReplicas) to \(a.maxReplicas)")
        }
        let tp = obj.optional("tensorParallel")?.int(min: 1, max: 64) ?? 1
        let routing = obj.optional("routing")?.oneOf(RoutingPolicy.allCases.map(\.rawValue))
            .flatMap(RoutingPolicy.init(rawValue:)) ?? .leastOutstanding
        let weightsNode = obj.optional("routingWeights")
        let routingWeights = weightsNode?.array(minCount: 1)?.map { $0.int(min: 1, max: 1_000_000) }
        let prefixCaching = obj.optional("prefixCaching").flatMap(PrefixCachingParser.prefixCaching) ?? false
        let affinityNode = obj.optional("affinity")
        let affinity = affinityNode.flatMap { PrefixCachingParser.affinity($0, routing: routing) }
        let maxQueue = obj.optional("maxQueueLength")?.int(min: 0)
        let errorRate = obj.optional("errorRate")?.fraction(exclusive: false) ?? 0
        let scheduler = obj.optional("scheduler").flatMap(parseScheduler) ?? SchedulerConfig()
        let memoryUtilization = obj.optional("gpuMemoryUtilization")?.fraction(exclusive: false) ?? defaultGpuMemoryUtilization
        let kvTokensOverride = obj.optional("kvCacheTokens")?.int(min: 1)
        var breaker: CircuitBreaker?
        if let node = obj.optional("circuitBreaker"), let cb = node.object() {
            let threshold = cb.optional("failureThreshold")?.int(min: 1) ?? 5
            let open = cb.optional("openDuration")?.duration(min: 0, exclusiveMin: true) ?? 30
            cb.finish()
            breaker = CircuitBreaker(failureThreshold: threshold, openDuration: open)
        }

        let performanceNode = obj.required("performance", allowed: "{ model: \"roofline\" | \"profile\" | \"service\", ... }")
        let performanceObj = performanceNode?.object()
        let kind = performanceObj?.required("model")?.oneOf(["roofline", "profile", "service"]) ?? "roofline"
        let needsShape = kind == "roofline"
        let hardwareNode = needsShape ? obj.required("hardware", allowed: "a preset name or an object")
                                      : obj.optional("hardware")
        let hardware = hardwareNode.flatMap(ServingParser.hardware)
        let modelNode = needsShape ? obj.required("model", allowed: "a preset name or an object") : obj.optional("model")
        let model = modelNode.flatMap(ServingParser.model)
        let speculative = obj.optional("speculative").flatMap { SpeculativeParser.parse($0, performanceKind: kind) }
        let price = obj.optional("pricePerGpuHour")?.double(min: 0) ?? hardware?.pricePerGpuHour
        if price == nil && hardware == nil {
            sink.report(obj.childPath("pricePerGpuHour"), "is missing", allowed: "USD per GPU-hour, or a hardware preset that has one")
        }

        var performance: PerformanceModel?
        if let perf = performanceObj {
            switch kind {
            case "service":
                performance = parseService(perf).map { .service($0) }
            case "profile":
                performance = parseProfile(perf, baseDirectory: baseDirectory, kvTokensOverride: kvTokensOverride)
            default:
                if let hw = hardware, let m = model, let roofline = ServingParser.roofline(perf, hardware: hw, model: m, tensorParallel: tp) {
                    // A draft model's weights and KV cache share the memory with the target's.
                    let available = hw.memoryBytes * Double(tp) * memoryUtilization - m.weightBytes
                        - (speculative?.draftWeightBytes ?? 0)
                    let kvPerToken = m.kvBytesPerToken + (speculative?.draftKVBytesPerToken ?? 0)
                    let kvTokens = kvTokensOverride ?? Int(max(0, available) / kvPerToken)
                    if kvTokensOverride == nil && kvTokens < scheduler.blockSize {
                        sink.report(obj.childPath("tensorParallel"),
                                    "\(m.name) weights (\(Int(m.weightBytes / 1e9)) GB) leave no room for a KV cache on \(tp) x \(hw.name)",
                                    allowed: "more GPUs per replica, a larger GPU, or kvCacheTokens")
                    }
                    performance = .steps(roofline, kvCapacityTokens: kvTokens, requestOverhead: roofline.requestOverhead)
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
        obj.accept("region")  // read by RegionParser
        obj.finish()
        guard sink.diagnostics.count == before, let performance, let price else { return nil }
        // Reports name the hardware; a profile pool is named by its profile file.
        var hardwareLabel = hardware?.name ?? "none"
        if hardware == nil, kind == "profile", case .string(let file)? = performanceObj?.fields["file"] {
            hardwareLabel = "profile " + (file as NSString).lastPathComponent
        }
        var spec = PoolSpec(name: name, hardware: hardwareLabel, model: model?.name ?? "none",
                            gpusPerReplica: tp, replicas: replicas, pricePerGpuHour: price, routing: routing,
                            scheduler: scheduler, performance: performance, maxQueueLength: maxQueue)
        spec.autoscaler = autoscaler
        spec.coldStart = coldStart
        spec.warmPool = warmPool
        spec.modelBytes = model?.weightBytes ?? 0
        spec.kvBytesPerToken = model?.kvBytesPerToken
        spec.circuitBreaker = breaker
        spec.errorRate = errorRate
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
        guard let obj = node.object() else { return nil }
        var config = SchedulerConfig()
        if let p = obj.optional("policy")?.oneOf(SchedulerConfig.Policy.allCases.map(\.rawValue)) {
            config.policy = SchedulerConfig.Policy(rawValue: p)!
        }
        if let n = obj.optional("maxNumSeqs")?.int(min: 1, max: 65_536) { config.maxNumSeqs = n }
        if let n = obj.optional("maxBatchedTokens")?.int(min: 1, max: 10_000_000) { config.maxBatchedTokens = n }
        if let b = obj.optional("chunkedPrefill")?.bool() { config.chunkedPrefill = b }
        if let n = obj.optional("blockSize")?.int(min: 1, max: 1024) { config.blockSize = n }
        obj.finish()
        return config
    }

    static func parseService(_ obj: ObjectReader) -> ServiceTimeDistribution? {
        let kind = obj.required("distribution")?.oneOf(["exponential", "deterministic", "lognormal", "gamma"])
        let mean = obj.required("mean", allowed: "seconds per request")?.duration(min: 0, exclusiveMin: true)
        var cv: Double?
        if kind == "lognormal" || kind == "gamma" {
            cv = obj.required("cv", allowed: "coefficient of variation > 0")?.double(min: 0, exclusiveMin: true)
        }
        guard let kind, let mean else { return nil }
        switch kind {
        case "exponential": return .exponential(mean: mean)
        case "deterministic": return .deterministic(mean: mean)
        case "lognormal": return cv.map { .lognormal(mean: mean, cv: $0) }
        default: return cv.map { .gamma(mean: mean, cv: $0) }
        }
    }

    static func parseProfile(_ obj: ObjectReader, baseDirectory: String, kvTokensOverride: Int?) -> PerformanceModel? {
        let overhead = obj.optional("requestOverhead")?.duration() ?? 0
        guard let fileNode = obj.required("file", allowed: "path of a profile JSON written by `servesim calibrate`"),
              let file = fileNode.string() else { return nil }
        let path = file.hasPrefix("/") ? file : baseDirectory + "/" + file
        do {
            let (model, kvTokens) = try ProfileLoader.load(path: path)
            guard let kv = kvTokensOverride ?? kvTokens else {
                fileNode.report("the profile has no kvCapacityTokens", allowed: "set the pool's kvCacheTokens")
                return nil
            }
            return .steps(model, kvCapacityTokens: kv, requestOverhead: overhead)
        } catch let error as InputError {
            for d in error.diagnostics { fileNode.report("profile \(d.description)") }
        } catch {
            fileNode.report("cannot read profile: \(error)")
        }
        return nil
    }
}
