import Foundation
import Testing
import ServeSim

@Suite struct ModelShapeTests {
    @Test func kvBytesPerTokenMatchReferenceNumbers() {
        #expect(ModelSpec.llama31_8b.kvBytesPerToken == 128 * 1024)   // 2 x 32 x 8 x 128 x 2
        #expect(ModelSpec.llama31_70b.kvBytesPerToken == 320 * 1024)  // 2 x 80 x 8 x 128 x 2
        #expect(ModelSpec.llama2_7b.kvBytesPerToken == 512 * 1024)    // 2 x 32 x 32 x 128 x 2
    }

    @Test func parameterCountsMatchPublishedSizes() {
        // Published: Llama-3.1-8B 8.03e9, Llama-3.1-70B 70.6e9, Mistral-7B 7.24e9, Qwen2.5-0.5B 0.49e9.
        for (model, published) in [(ModelSpec.llama31_8b, 8.03e9), (.llama31_70b, 70.6e9), (.mistral7b, 7.24e9),
                                   (.qwen25_05b, 0.494e9)] {
            #expect(abs(model.parameters - published) / published < 0.01, "\(model.name): \(model.parameters)")
        }
    }
}

@Suite struct RooflineTests {
    let h100 = RooflineModel(hardware: .h100, model: .llama31_8b)

    @Test func decodeStepOfLlama8BOnH100MatchesAHandCalculation() {
        // Weights-bound at batch 1: bytes = layer weights + lm_head + KV read (1024 context + 1 new).
        let attention: Double = 4096 * 4096 * 2 + 2 * 4096 * 1024   // q and o; k and v
        let mlp: Double = 3 * 4096 * 14336
        let weights: Double = (32 * (attention + mlp) + 4096 * 128_256) * 2
        let bytes = weights + 1025 * 131_072
        let hand = bytes / (3.35e12 * 0.9) + h100.stepOverhead   // datasheet bandwidth x 0.9, plus overhead
        let model = h100.stepTime(StepShape(decodeSeqs: 1, decodeContext: 1024))
        #expect(abs(model - hand) / hand < 0.10, "model \(model) s vs hand \(hand) s")
        // Reference (docs/reference-numbers.md): about 5 ms per decode step from weights alone.
        #expect(abs((model - h100.stepOverhead) - 0.005) < 0.0005)
    }

    @Test func prefillOf1kTokensMatchesAHandCalculationAndTheReferenceBand() {
        // 2 FLOPs per weight per token through the 32 layers (6.98e9 weights; the embedding is a
        // lookup), lm_head for the last token only, and causal attention over 1024 x 1025 / 2 pairs
        // (QK^T and AV: 4 FLOPs per pair per head dimension, 32 heads x 128, 32 layers).
        let layers: Double = 32 * (4096 * 4096 * 2 + 2 * 4096 * 1024 + 3 * 4096 * 14336)
        let flops: Double = 2 * layers * 1024 + 2 * 4096 * 128_256 + 4 * 32 * 32 * 128 * (1024 * 1025 / 2)
        let hand = flops / (989e12 * 0.7) + h100.stepOverhead   // at 70% of the dense BF16 peak, plus overhead
        let model = h100.stepTime(StepShape(prefillTokens: 1024, prefillAttentionPairs: StepShape.attentionPairs(chunk: 1024, cached: 0),
                                            prefillSeqs: 1))
        #expect(abs(model - hand) / hand < 0.10, "model \(model) s vs hand \(hand) s")
        #expect(model > 0.020 && model < 0.025)   // reference: 20-25 ms
    }

    @Test func decodeCostIsStepTimeForDecodeOnlySteps() {
        for model in [h100, RooflineModel(hardware: .a100, model: .llama31_70b, tensorParallel: 4)] {
            for batch in [1, 7, 64, 256] {
                let cost = model.decodeCost(batch: batch)
                for context in [0, 100, 5_000, 400_000] {
                    #expect(model.stepTime(StepShape(decodeSeqs: batch, decodeContext: context))
                            == cost.time(context: Double(context)))
                }
            }
        }
    }

    @Test func stepTimeGrowsWithWork() {
        var last = 0.0
        for tokens in [1, 16, 256, 2048, 8192] {
            let t = h100.stepTime(StepShape(prefillTokens: tokens, prefillAttentionPairs: StepShape.attentionPairs(chunk: tokens, cached: 0),
                                            prefillSeqs: 1))
            #expect(t > last)
            last = t
        }
        #expect(h100.stepTime(StepShape(decodeSeqs: 8, decodeContext: 80_000)) > h100.stepTime(StepShape(decodeSeqs: 8, decodeContext: 8_000)))
    }

    @Test func tensorParallelPaysForItsAllReduces() {
        let tp1 = RooflineModel(hardware: .h100, model: .llama31_70b, tensorParallel: 1)
        let tp4 = RooflineModel(hardware: .h100, model: .llama31_70b, tensorParallel: 4)
        let shape = StepShape(prefillTokens: 2048, prefillAttentionPairs: StepShape.attentionPairs(chunk: 2048, cached: 0), prefillSeqs: 1)
        let ideal = (tp1.stepTime(shape) - tp1.fixedTime(tokens: 2048)) / 4 + tp1.stepOverhead
        #expect(tp4.fixedTime(tokens: 2048) > tp4.stepOverhead)
        #expect(tp4.stepTime(shape) > ideal)
        #expect(tp4.stepTime(shape) < tp1.stepTime(shape))
    }
}

@Suite struct ServingParserTests {
    func parse(_ json: String, _ body: (FieldNode) -> Void) -> [Diagnostic] {
        let sink = DiagnosticSink(file: "f.json5")
        body(FieldNode(value: try! JSONValue.parse(Data(json.utf8)), path: "pools.0.hardware", sink: sink))
        return sink.diagnostics
    }

    @Test func unknownPresetListsTheKnownOnes() {
        let d = parse("\"H200\"") { _ = ServingParser.hardware($0) }
        #expect(d.count == 1)
        #expect(d.first?.description.hasPrefix("f.json5: pools.0.hardware: unknown hardware \"H200\" (did you mean H200-SXM-141GB? H100-SXM-80GB, ") == true)
    }

    @Test func explicitHardwareNeedsItsFieldsAndRejectsUnknownKeys() {
        let d = parse("{ name: \"X\", peakFlops: 1e15, memoryBandwidth: -1, memoryBytes: 8e10, colour: \"red\" }") {
            _ = ServingParser.hardware($0)
        }
        #expect(d.map(\.path) == ["pools.0.hardware.memoryBandwidth", "pools.0.hardware.colour"])
    }

    @Test func explicitModelChecksGroupedQueryHeads() {
        let d = parse("{ name: \"m\", layers: 2, hidden: 64, heads: 6, kvHeads: 4, intermediate: 128, vocab: 100 }") {
            _ = ServingParser.model($0)
        }
        #expect(d.map(\.path) == ["pools.0.hardware.kvHeads"])
    }
}
