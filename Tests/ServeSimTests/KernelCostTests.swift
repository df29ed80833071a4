import Foundation
import Testing
import ServeSim

/// The measured building blocks (`KernelMeasurements`, `KernelCosts`) and the MoE arithmetic,
/// against the tables they came from and against hand calculations.
@Suite struct KernelCostTests {
    static let h100 = KernelMeasurements.named("h100_sxm")!

    @Test func allReduceInterpolationHitsTheTableAndStaysBetweenNeighbours() throws {
        var checked = 0
        for table in Self.h100.collectives {
            for (b, s) in zip(table.bytes, table.seconds) {
                #expect(table.time(bytes: b) == s, "\(table.implementation) \(table.gpus) GPUs at \(b) B")
            }
            for i in 0..<(table.bytes.count - 1) {
                let (lo, hi) = (min(table.seconds[i], table.seconds[i + 1]), max(table.seconds[i], table.seconds[i + 1]))
                let rising = table.seconds[i + 1] >= table.seconds[i]
                var previous = table.seconds[i]
                for k in 1..<16 {
                    let b = table.bytes[i] * pow(table.bytes[i + 1] / table.bytes[i], Double(k) / 16)
                    let t = table.time(bytes: b)
                    #expect(t >= lo * (1 - 1e-12) && t <= hi * (1 + 1e-12))
                    #expect(rising ? t >= previous * (1 - 1e-12) : t <= previous * (1 + 1e-12), "monotone between knots")
                    previous = t
                    checked += 1
                }
            }
        }
        #expect(checked > 1000)
        // Larger messages never take less time over the measured range of NCCL on 8 GPUs.
        let nccl8 = try #require(Self.h100.collective(.allReduce, .nccl, gpus: 8))
        #expect(nccl8.time(bytes: 256e6) > nccl8.time(bytes: 1e6))
    }

    @Test func allReduceChoosesCustomInsideCUDAGraphsAndNCCLForLargeMessages() throws {
        let costs = KernelCosts(hardware: .h100, model: .llama31_70b, tensorParallel: 4, measurements: Self.h100)
        let graph = try #require(Self.h100.collective(.allReduce, .customGraph, gpus: 4))
        let eager = try #require(Self.h100.collective(.allReduce, .customEager, gpus: 4))
        let nccl = try #require(Self.h100.collective(.allReduce, .nccl, gpus: 4))
        #expect(costs.allReduce(bytes: 1e5, tokens: 64) == graph.time(bytes: 1e5))
        #expect(costs.allReduce(bytes: 1e6, tokens: 1024) == eager.time(bytes: 1e6))
        #expect(costs.allReduce(bytes: 64e6, tokens: 8192) == nccl.time(bytes: 64e6))
        #expect(KernelCosts(hardware: .h100, model: .llama31_70b, tensorParallel: 1, measurements: Self.h100)
                .allReduce(bytes: 1e6, tokens: 64) == 0)
    }

    // Mixtral-8x7B (mistralai/Mixtral-8x7B-v0.1 config.json): 32 layers, hidden 4096, 32 heads of
    // 128, 8 KV heads, 8 experts of 14336, top-2, vocab 32000.
    static let attention: Double = 16_777_216 + 8_388_608 + 16_777_216   // Q 4096x4096, K+V 2x4096x1024, O
    static let expert: Double = 176_160_768                              // gate, up, down: 3 x 4096 x 14336
    static let router: Double = 32_768                                   // 4096 x 8
    static let head: Double = 131_072_000                                // 4096 x 32000

    @Test func mixtralParametersBytesAndFlopsByHand() {
        let m = ModelSpec.mixtral8x7b
        #expect(m.layerParameters == 32 * (Self.attention + 8 * Self.expert + Self.router))
        #expect(m.parameters == 46_702_526_464)     // 46.7 B, as Mistral states
        #expect(m.weightBytes == 2 * 46_702_526_464)
        #expect(m.activeLayerParameters == 32 * (Self.attention + 2 * Self.expert + Self.router))   // 12.6 B
        // One token touches its 2 experts; 64 tokens touch practically all 8 (8 (1 - 0.75^64)).
        #expect(m.streamedWeightBytes(tokens: 1) == 2 * (32 * (Self.attention + 2 * Self.expert + Self.router) + Self.head))
        let touched64 = 8 * (1 - pow(0.75, 64.0))
        #expect(abs(m.streamedWeightBytes(tokens: 64) - 2 * (32 * (Self.attention + touched64 * Self.expert + Self.router) + Self.head)) < 1)

        // A decode step of one sequence at context 0 on the datasheet roofline (1 H100, efficiency 1):
        // FLOPs = 2 x (active + head), bytes = its streamed weights + one token's KV written.
        let roofline = RooflineModel(hardware: .h100, model: m, computeEfficiency: 1, memoryEfficiency: 1, stepOverhead: 0)
        let flops = 2 * (m.activeLayerParameters + Self.head)
        let bytes = m.streamedWeightBytes(tokens: 1) + 2 * 32 * 8 * 128 * 2
        let byHand = max(flops / HardwareSpec.h100.peakFlops, bytes / HardwareSpec.h100.memoryBandwidth)
        let step = roofline.stepTime(StepShape(decodeSeqs: 1, decodeContext: 0))
        #expect(abs(step - byHand) / byHand < 1e-12, "\(step) vs \(byHand)")
        #expect(bytes / HardwareSpec.h100.memoryBandwidth > flops / HardwareSpec.h100.peakFlops)   // memory-bound
    }

    @Test func expertParallelWithOneExpertPerGPUIsADenseExpertPlusAllToAll() {
        // 8 GPUs, 8 experts, attention data parallel 8, expert parallel: each GPU holds one expert,
        // which sees topK / experts of all tokens. Datasheet operators (no measured tables).
        let m = ModelSpec.mixtral8x7b, hw = HardwareSpec.h100
        let costs = KernelCosts(hardware: hw, model: m, tensorParallel: 1, dataParallel: 8, expertParallel: true,
                                measurements: nil, computeEfficiency: 1, memoryEfficiency: 1)
        let perRank = 512, all = perRank * 8
        let tokensPerExpert = Double(all * 2) / 8           // 1024 tokens reach each expert
        let flops = 2 * tokensPerExpert * Self.expert       // one dense SwiGLU MLP of width 14336
        let touched = 8 * (1 - pow(0.75, Double(all)))      // all 8 experts, to 1e-300
        let bytes = touched / 8 * Self.expert * 2 + 2 * 2 * tokensPerExpert * 4096
        let expertTime = max(flops / hw.peakFlops, bytes / hw.memoryBandwidth)
        #expect(abs(costs.moeExperts(tokens: all) - expertTime) / expertTime < 1e-12)
        // Dispatch and combine: each rank sends its tokens' hidden states to the experts' GPUs
        // (7/8 of them leave the GPU), BF16; one all-to-all each way.
        let sent = Double(perRank * 2) * 4096 * 2 * 7 / 8
        let allToAll = costs.allToAll(bytes: sent, gpus: 8)
        #expect(allToAll == RooflineModel.defaultAllReduceLatency + 7.0 / 8 * sent / hw.interconnectBandwidth)
        let routerGEMM = costs.gemm(m: perRank, n: 8, k: 4096)
        let layer = costs.moeLayer(tokensPerRank: perRank)
        #expect(abs(layer - (routerGEMM + expertTime + 2 * allToAll)) / layer < 1e-12, "\(layer)")
    }

    @Test func measuredMoETableIsUsedWhenTheShapeWasMeasured() {
        let costs = KernelCosts(hardware: .h100, model: .mixtral8x7b, tensorParallel: 2, measurements: Self.h100)
        let table = Self.h100.moeTable(hidden: 4096, intermediate: 14336, topK: 2, experts: 8, tensorParallel: 2,
                                        expertParallel: 1, format: .bf16)
        #expect(table != nil)
        #expect(costs.moeExperts(tokens: 64) == table!.time(tokens: 64))
        #expect(costs.source.contains("MoE"))
        #expect(KernelCosts(hardware: .rtx4090, model: .llama31_8b, measurements: nil).source == "datasheet roofline")
    }

    @Test func shippedKernelTablesAreTheOnesTheDataRebuilds() throws {
        let data = CLI.sharedData.appendingPathComponent("aiconfigurator").path
        for shipped in KernelMeasurements.shipped {
            let rebuilt = try KernelTableBuilder.build(gpu: shipped.gpu, directory: data)
            #expect(rebuilt == shipped, "\(shipped.gpu): run `make kernel-tables`")
            let file = CLI.repoRoot.appendingPathComponent("Sources/ServingModel/Hardware/Measured/KernelMeasurements+\(shipped.gpu).swift")
            #expect(try String(contentsOf: file, encoding: .utf8) == KernelTableSource.swift(rebuilt))
        }
    }

    @Test func kvCapacityIsAConservativeEstimateOfWhatVLLMReported() throws {
        // vLLM 0.19 logged 41408 KV tokens for Llama-3.1-8B on the RTX 4090 (utilization 0.9,
        // max_num_batched_tokens 2048; real_vllm's meta.json). Of 0.9 x 24,564 MiB, that leaves
        // 1.69 GB beyond weights and KV; the estimate sets aside 2 GiB plus 0.18 GB of activations
        // (an assumption, not fitted), so it holds the difference, 0.63 GB or about 4,800 tokens
        // (12%), fewer: conservative.
        let run = try ReplayValidationTests.run("RTX4090")
        let tokens = KVCapacity.tokens(hardware: .rtx4090, model: .llama31_8b, gpus: 1, tensorParallel: 1, utilization: 0.9,
                                       maxBatchedTokens: run.maxBatchedTokens)
        let reported = try #require(run.kvCacheTokens)
        let freed = 0.9 * HardwareSpec.rtx4090.memoryBytes - ModelSpec.llama31_8b.weightBytes - Double(reported) * 131_072
        #expect(abs(freed - 1.69e9) < 0.01e9, "\(freed)")
        let setAside = KVCapacity.runtimeReservePerGPU + KVCapacity.activationBytes(model: .llama31_8b, tensorParallel: 1, tokens: 2048)
        #expect(tokens == Int((0.9 * HardwareSpec.rtx4090.memoryBytes - ModelSpec.llama31_8b.weightBytes - setAside) / 131_072))
        #expect(abs(Double(reported - tokens) - (setAside - freed) / 131_072) <= 1, "\(tokens) vs \(reported)")
        #expect(tokens < reported && reported - tokens < 5000)
    }

    @Test func huggingFaceIdsNameTheirPresets() {
        #expect(ModelSpec.preset(huggingFace: "meta-llama/Llama-3.1-8B-Instruct") == .llama31_8b)
        #expect(ModelSpec.preset(huggingFace: "mistralai/Mixtral-8x7B-Instruct-v0.1") == .mixtral8x7b)
        #expect(ModelSpec.preset(huggingFace: "Qwen/Qwen3-235B-A22B-FP8")?.gemmFormat == .fp8Block)
        #expect(ModelSpec.preset(huggingFace: "nvidia/Llama-3.1-8B-Instruct-FP8")?.gemmFormat == .fp8)
        #expect(ModelSpec.preset(huggingFace: "meta-llama/Llama-2-70b-hf") == .llama2_70b)
        #expect(ModelSpec.preset(huggingFace: "someone/unknown-model") == nil)
    }

    @Test func profileShowAndHardwareCommands() throws {
        let show = try CLI.run(["profile", "show", "--hardware", "H100-SXM-80GB", "--model", "llama-3.1-70b", "--tp", "4"])
        #expect(show.code == 0, "\(show.stderr)")
        #expect(show.stdout.contains("measured h100_sxm kernels") && show.stdout.contains("decode step (ms)"))
        let datasheet = try CLI.run(["profile", "show", "--hardware", "H100-SXM-80GB", "--model", "llama-3.1-8b", "--kernels", "datasheet"])
        #expect(datasheet.code == 0 && datasheet.stdout.contains("datasheet roofline"))
        let bad = try CLI.run(["profile", "show", "--hardware", "H900", "--model", "llama-3.1-8b"])
        #expect(bad.code == 2 && bad.stderr.contains("H900"))
        let data = CLI.sharedData.appendingPathComponent("aiconfigurator").path
        let hardware = try CLI.run(["profile", "hardware", data, "--gpu", "h100_sxm"])
        #expect(hardware.code == 0, "\(hardware.stderr)")
        #expect(hardware.stdout.contains("GEMM bf16") && hardware.stdout.contains("held out"))
        let unknown = try CLI.run(["profile", "hardware", data, "--gpu", "h900"])
        #expect(unknown.code == 2 && unknown.stderr.contains("h900"))
    }
}
