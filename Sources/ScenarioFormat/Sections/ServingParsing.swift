import ServingModel
/// Reads hardware, model and roofline options of a pool (keys: `HardwareFields`, `ModelFields`,
/// `PerformanceFields`).
public enum ServingParser {
    /// A hardware preset name, or an explicit object.
    public static func hardware(_ node: FieldNode) -> HardwareSpec? {
        if case .string(let name) = node.value {
            guard let spec = HardwareSpec.preset(named: name) else {
                let names = HardwareSpec.presets.map(\.name)
                node.report("unknown hardware \"\(name)\"", allowed: NameMatch.didYouMean(name, among: names)
                            + names.joined(separator: ", ") + ", or an object")
                return nil
            }
            return spec
        }
        typealias K = HardwareFields
        guard let obj = node.object(K.section) else { return nil }
        let name = obj.read(K.name)
        let peak = obj.read(K.peakFlops)
        let bandwidth = obj.read(K.memoryBandwidth)
        let memory = obj.read(K.memoryBytes)
        let price = obj.value(K.pricePerGpuHour)
        let link = obj.value(K.interconnectBandwidth)
        obj.finish()
        guard let name, let peak, let bandwidth, let memory else { return nil }
        return HardwareSpec(name: name, peakFlops: peak, memoryBandwidth: bandwidth, memoryBytes: memory,
                            pricePerGpuHour: price, interconnectBandwidth: link)
    }

    /// A model preset name, or an explicit object.
    public static func model(_ node: FieldNode) -> ModelSpec? {
        if case .string(let name) = node.value {
            guard let spec = ModelSpec.preset(named: name) else {
                let names = ModelSpec.presets.map(\.name)
                node.report("unknown model \"\(name)\"", allowed: NameMatch.didYouMean(name, among: names)
                            + names.joined(separator: ", ") + ", or an object")
                return nil
            }
            return spec
        }
        typealias K = ModelFields
        guard let obj = node.object(K.section) else { return nil }
        let name = obj.read(K.name)
        let layers = obj.read(K.layers)
        let hidden = obj.read(K.hidden)
        let heads = obj.read(K.heads)
        let kvHeads = obj.read(K.kvHeads)
        let headDim = obj.read(K.headDim)
        let intermediate = obj.read(K.intermediate)
        let vocab = obj.read(K.vocab)
        let bytes = obj.value(K.bytesPerParam)
        let tied = obj.value(K.tiedEmbeddings)
        let moeNode = obj.node(K.moe)
        let moe = moeNode.flatMap { mixtureOfExperts($0, layers: layers) }
        if let heads, let kvHeads, heads % kvHeads != 0 {
            obj.sink.report(obj.childPath(K.kvHeads.name), "\(kvHeads) does not divide heads (\(heads))", allowed: "a divisor of heads")
        }
        obj.finish()
        guard let name, let layers, let hidden, let heads, let kvHeads, let intermediate, let vocab else { return nil }
        if moeNode != nil && moe == nil { return nil }
        return ModelSpec(name: name, layers: layers, hidden: hidden, heads: heads, kvHeads: kvHeads, headDim: headDim,
                         intermediate: intermediate, vocab: vocab, bytesPerParam: bytes, tiedEmbeddings: tied, moe: moe)
    }

    /// A model's `moe` object (keys: `MoEFields`).
    static func mixtureOfExperts(_ node: FieldNode, layers: Int?) -> MoESpec? {
        typealias K = MoEFields
        guard let obj = node.object(K.section) else { return nil }
        let experts = obj.read(K.experts), topK = obj.read(K.topK), intermediate = obj.read(K.intermediate)
        let shared = obj.value(K.sharedIntermediate), dense = obj.value(K.denseLayers)
        if let experts, let topK, topK > experts {
            obj.sink.report(obj.childPath(K.topK.name), "\(topK) is more than experts (\(experts))", allowed: "1 to experts")
        }
        if let layers, dense >= layers {
            obj.sink.report(obj.childPath(K.denseLayers.name), "\(dense) leaves no MoE layer of \(layers)", allowed: "fewer than layers")
        }
        let before = obj.sink.reportedCount
        obj.finish()
        guard let experts, let topK, let intermediate, topK <= experts, obj.sink.reportedCount == before,
              layers.map({ dense < $0 }) ?? true else { return nil }
        return MoESpec(experts: experts, topK: topK, expertIntermediate: intermediate, sharedIntermediate: shared, denseLayers: dense)
    }

    /// The step-time model of a `roofline` pool from its `performance` object (the caller reads
    /// `model` and calls finish): the measured kernel tables of the GPU (`KernelStepModel`) when it
    /// has them and `kernels` is not "datasheet", else the datasheet roofline (`RooflineModel`).
    /// Returns the model, its source for reports, and the request overhead.
    public static func stepModel(_ obj: ObjectReader, hardware: HardwareSpec, model: ModelSpec, tensorParallel: Int,
                                 dataParallel: Int, expertParallel: Bool) -> (model: any StepTimeModel, source: String, requestOverhead: Double)? {
        typealias K = PerformanceFields
        let kernels = obj.value(K.kernels)
        let compute = obj.read(K.computeEfficiency)
        let memory = obj.read(K.memoryEfficiency)
        let step = obj.read(K.stepOverhead)
        let request = obj.value(K.requestOverhead)
        let allReduce = obj.value(K.allReduceLatency)
        let measurements = hardware.measurements.flatMap(KernelMeasurements.named)
        if kernels == "measured" && measurements == nil {
            obj.sink.report(obj.childPath(K.kernels.name), "\(hardware.name) has no measured kernel tables",
                            allowed: "auto or datasheet; measured tables: " + HardwareSpec.presets.filter { $0.measurements != nil }
                                .map(\.name).joined(separator: ", "))
            return nil
        }
        let useTables = kernels != "datasheet" && measurements != nil
        // Dense models and unsharded MoE run the whole-step datasheet roofline; attention data
        // parallelism and expert parallelism need the operator model even without tables.
        if useTables || dataParallel > 1 || expertParallel {
            let costs = KernelCosts(hardware: hardware, model: model, tensorParallel: tensorParallel, dataParallel: dataParallel,
                                    expertParallel: expertParallel, measurements: useTables ? measurements : nil,
                                    computeEfficiency: compute, memoryEfficiency: memory, allReduceLatency: allReduce)
            let kernel = KernelStepModel(costs: costs, stepOverhead: step ?? (useTables ? KernelStepModel.defaultStepOverhead
                                                                               : RooflineModel.defaultStepOverhead))
            return (kernel, kernel.source, request)
        }
        let roofline = RooflineModel(hardware: hardware, model: model, tensorParallel: tensorParallel, computeEfficiency: compute,
                                     memoryEfficiency: memory, stepOverhead: step ?? RooflineModel.defaultStepOverhead,
                                     requestOverhead: request, allReduceLatency: allReduce)
        return (roofline, "datasheet roofline", request)
    }

    /// The pool's `servingEngine` object (keys: `ServingEngineFields`); the vLLM V1 pipeline when absent.
    public static func engine(_ node: FieldNode?) -> EnginePipeline? {
        typealias K = ServingEngineFields
        guard let node else { return .vllmV1 }
        guard let obj = node.object(K.section) else { return nil }
        let pipeline = EnginePipeline(asyncScheduling: obj.value(K.asyncScheduling), cpuPerStep: obj.value(K.cpuPerStep),
                                      cpuPerSequence: obj.value(K.cpuPerSequence), streamingDelay: obj.value(K.streamingDelay))
        obj.finish()
        return pipeline
    }
}
