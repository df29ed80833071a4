import Testing
import ServeSim

/// The scenario keys of issue 13 (parallelism, formats, the engine pipeline, measured kernels,
/// MoE shapes): what they parse to, and one clear error per mistake.
@Suite struct ServingFormatTests {
    func pool(_ extra: String, hardware: String = "H100-SXM-80GB", model: String = "\"llama-3.1-8b\"",
              performance: String = "{ model: \"roofline\" }") -> String {
        CLI.smallScenario
            .replacingOccurrences(of: "hardware: \"H100-SXM-80GB\", model: \"llama-3.1-8b\", replicas: 1,",
                                  with: "hardware: \"\(hardware)\", model: \(model), replicas: 1, \(extra)")
            .replacingOccurrences(of: "performance: { model: \"roofline\" }", with: "performance: \(performance)")
    }

    func expectError(_ text: String, _ fragment: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let (scenario, errors) = parseScenario(text)
        let rejected = scenario == nil
        #expect(rejected, sourceLocation: sourceLocation)
        #expect(errors.contains { $0.contains(fragment) }, "\(errors)", sourceLocation: sourceLocation)
        #expect(errors.allSatisfy { $0.hasPrefix("s.json5:") }, "\(errors)", sourceLocation: sourceLocation)
    }

    @Test func templateIsTheSmallScenario() {
        #expect(pool("", hardware: "L40S") != CLI.smallScenario && pool("") .contains("H100-SXM-80GB"))
        let (scenario, errors) = parseScenario(pool(""))
        #expect(errors.isEmpty && scenario != nil, "\(errors)")
        #expect(scenario?.pools[0].timing.contains("measured h100_sxm") == true)
    }

    @Test func parallelismAndFormatsParse() throws {
        let (s, errors) = parseScenario(pool("dataParallel: 2, expertParallel: true, quantization: \"fp8\", kvCacheDtype: \"fp8\",",
                                             hardware: "H200-SXM-141GB", model: "\"qwen3-30b-a3b\""))
        #expect(errors.isEmpty, "\(errors)")
        let spec = try #require(s?.pools[0])
        #expect(spec.gpusPerReplica == 2)
        #expect(spec.timing.contains("measured h200_sxm"))
        #expect(spec.timing.contains("MoE"))
    }

    @Test func datasheetKernelsAreTheRooflineFallback() {
        let (s, _) = parseScenario(pool("", performance: "{ model: \"roofline\", kernels: \"datasheet\" }"))
        #expect(s?.pools[0].timing == "datasheet roofline")
        let (rtx, _) = parseScenario(pool("", hardware: "RTX-4090-24GB"))
        #expect(rtx?.pools[0].timing == "datasheet roofline")
    }

    @Test func mistakesInTheNewKeys() {
        expectError(pool("expertParallel: true,"), "pools.0.expertParallel: llama-3.1-8b has no experts")
        expectError(pool("dataParallel: 2,", model: "\"mixtral-8x7b\""), "pools.0.dataParallel: 2 attention ranks without expertParallel")
        expectError(pool("quantization: \"int4\","), "pools.0.quantization:")
        expectError(pool("kvCacheDtype: \"fp4\","), "pools.0.kvCacheDtype:")
        expectError(pool("servingEngine: { asyncScheduling: true, cpuPerStepp: \"1ms\" },"), "pools.0.servingEngine.cpuPerStepp: unknown key")
        expectError(pool("servingEngine: { cpuPerStep: \"-1ms\" },"), "pools.0.servingEngine.cpuPerStep:")
        expectError(pool("", hardware: "RTX-4090-24GB", performance: "{ model: \"roofline\", kernels: \"measured\" }"),
                    "pools.0.performance.kernels: RTX-4090-24GB has no measured kernel tables")
        let moe = "{ name: \"m\", layers: 4, hidden: 512, heads: 8, kvHeads: 8, intermediate: 1024, vocab: 1000, moe: { experts: 4, topK: 8, intermediate: 256 } }"
        expectError(pool("", model: moe), "pools.0.model.moe.topK: 8 is more than experts (4)")
    }

    @Test func customMoEModelParses() throws {
        let moe = "{ name: \"m\", layers: 4, hidden: 512, heads: 8, kvHeads: 8, intermediate: 1024, vocab: 1000, moe: { experts: 16, topK: 2, intermediate: 256, sharedIntermediate: 512, denseLayers: 1 } }"
        let (s, errors) = parseScenario(pool("", model: moe))
        #expect(errors.isEmpty, "\(errors)")
        #expect(s != nil)
    }
}
