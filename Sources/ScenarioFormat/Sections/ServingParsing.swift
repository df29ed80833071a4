import ServingModel
/// Reads hardware, model and roofline options of a pool (keys: `HardwareFields`, `ModelFields`,
/// `PerformanceFields`).
public enum ServingParser {
    /// A hardware preset name, or an explicit object.
    public static func hardware(_ node: FieldNode) -> HardwareSpec? {
        if case .string(let name) = node.value {
            guard let spec = HardwareSpec.preset(named: name) else {
                node.report("unknown hardware \"\(name)\"", allowed: HardwareSpec.presets.map(\.name).joined(separator: ", ")
                            + ", or an object")
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
                node.report("unknown model \"\(name)\"", allowed: ModelSpec.presets.map(\.name).joined(separator: ", ")
                            + ", or an object")
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
        if let heads, let kvHeads, heads % kvHeads != 0 {
            obj.sink.report(obj.childPath(K.kvHeads.name), "\(kvHeads) does not divide heads (\(heads))", allowed: "a divisor of heads")
        }
        obj.finish()
        guard let name, let layers, let hidden, let heads, let kvHeads, let intermediate, let vocab else { return nil }
        return ModelSpec(name: name, layers: layers, hidden: hidden, heads: heads, kvHeads: kvHeads, headDim: headDim,
                         intermediate: intermediate, vocab: vocab, bytesPerParam: bytes, tiedEmbeddings: tied)
    }

    /// Roofline options from a pool's `performance` object (the caller reads `model` and calls finish).
    public static func roofline(_ obj: ObjectReader, hardware: HardwareSpec, model: ModelSpec, tensorParallel: Int) -> RooflineModel? {
        typealias K = PerformanceFields
        let compute = obj.read(K.computeEfficiency)
        let memory = obj.read(K.memoryEfficiency)
        let step = obj.value(K.stepOverhead)
        let request = obj.value(K.requestOverhead)
        let allReduce = obj.value(K.allReduceLatency)
        return RooflineModel(hardware: hardware, model: model, tensorParallel: tensorParallel, computeEfficiency: compute,
                             memoryEfficiency: memory, stepOverhead: step, requestOverhead: request, allReduceLatency: allReduce)
    }
}
