import ServingModel
/// Reads hardware, model and roofline options of a pool.
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
        guard let obj = node.object() else { return nil }
        let name = obj.required("name")?.string()
        let peak = obj.required("peakFlops", allowed: "dense BF16 FLOP/s")?.double(min: 0, exclusiveMin: true)
        let bandwidth = obj.required("memoryBandwidth", allowed: "bytes/s")?.double(min: 0, exclusiveMin: true)
        let memory = obj.required("memoryBytes")?.double(min: 0, exclusiveMin: true)
        let price = obj.optional("pricePerGpuHour")?.double(min: 0) ?? 0
        let link = obj.optional("interconnectBandwidth")?.double(min: 0, exclusiveMin: true) ?? 32e9
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
        guard let obj = node.object() else { return nil }
        let name = obj.required("name")?.string()
        let layers = obj.required("layers")?.int(min: 1)
        let hidden = obj.required("hidden")?.int(min: 1)
        let heads = obj.required("heads")?.int(min: 1)
        let kvHeads = obj.required("kvHeads")?.int(min: 1)
        let headDim = obj.optional("headDim")?.int(min: 1)
        let intermediate = obj.required("intermediate")?.int(min: 1)
        let vocab = obj.required("vocab")?.int(min: 1)
        let bytes = obj.optional("bytesPerParam")?.double(min: 0, exclusiveMin: true) ?? 2
        let tied = obj.optional("tiedEmbeddings")?.bool() ?? false
        if let heads, let kvHeads, heads % kvHeads != 0 {
            obj.sink.report(obj.childPath("kvHeads"), "\(kvHeads) does not divide heads (\(heads))", allowed: "a divisor of heads")
        }
        obj.finish()
        guard let name, let layers, let hidden, let heads, let kvHeads, let intermediate, let vocab else { return nil }
        return ModelSpec(name: name, layers: layers, hidden: hidden, heads: heads, kvHeads: kvHeads, headDim: headDim,
                         intermediate: intermediate, vocab: vocab, bytesPerParam: bytes, tiedEmbeddings: tied)
    }

    /// Roofline options from a pool's `performance` object (the caller reads `model` and calls finish).
    public static func roofline(_ obj: ObjectReader, hardware: HardwareSpec, model: ModelSpec, tensorParallel: Int) -> RooflineModel? {
        let compute = obj.optional("computeEfficiency")?.double(min: 0, max: 1, exclusiveMin: true)
        let memory = obj.optional("memoryEfficiency")?.double(min: 0, max: 1, exclusiveMin: true)
        let step = obj.optional("stepOverhead")?.duration() ?? RooflineModel.defaultStepOverhead
        let request = obj.optional("requestOverhead")?.duration() ?? RooflineModel.defaultRequestOverhead
        let allReduce = obj.optional("allReduceLatency")?.duration() ?? RooflineModel.defaultAllReduceLatency
        return RooflineModel(hardware: hardware, model: model, tensorParallel: tensorParallel, computeEfficiency: compute,
                             memoryEfficiency: memory, stepOverhead: step, requestOverhead: request, allReduceLatency: allReduce)
    }
}
