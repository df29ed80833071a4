import Foundation
import Testing
import ServeSim

/// Speculative decoding: the expected-tokens formula, the round's timing model, the engine (both
/// modes, the ladder's `disableSpeculation`), the report and the scenario keys.
@Suite struct SpeculativeModelTests {
    typealias Spec = SpeculativeDecoding

    static let h100x4_70b = RooflineModel(hardware: .h100, model: .llama31_70b, tensorParallel: 4)
    static let h100_8b = RooflineModel(hardware: .h100, model: .llama31_8b)

    static func model(_ base: any StepTimeModel, k: Int = 4, alpha: Double = 0.7,
                      draft: Spec.Draft = .model(.llama32_1b, stepOverhead: nil), limit: Int? = nil) -> SpeculativeStepModel {
        SpeculativeStepModel(base: base, config: Spec(draftTokens: k, acceptance: alpha, draft: draft, disableAboveBatch: limit))!
    }

    @Test func expectedTokensPerRound() {
        #expect(Spec.expectedTokensPerRound(draftTokens: 4, acceptance: 0) == 1)
        // (1 - 0.5^5) / 0.5 and (1 - 0.8^5) / 0.2.
        #expect(abs(Spec.expectedTokensPerRound(draftTokens: 4, acceptance: 0.5) - 1.9375) < 1e-12)
        #expect(abs(Spec.expectedTokensPerRound(draftTokens: 4, acceptance: 0.8) - 3.3616) < 1e-12)
        // Tends to k + 1 as alpha -> 1, and grows with alpha and with k.
        #expect(abs(Spec.expectedTokensPerRound(draftTokens: 4, acceptance: 1 - 1e-9) - 5) < 1e-6)
        #expect(Spec.expectedTokensPerRound(draftTokens: 4, acceptance: 1) == 5)
        var previous = 0.0
        for alpha in stride(from: 0.0, to: 1, by: 0.05) {
            let e = Spec.expectedTokensPerRound(draftTokens: 4, acceptance: alpha)
            #expect(e > previous && e >= 1 && e < 5)
            previous = e
            #expect(Spec.expectedTokensPerRound(draftTokens: 5, acceptance: alpha) >= e)
        }
        // Equals the sum of the acceptance-run probabilities: sum_{i=0..k} alpha^i.
        for k in 1...16 {
            let direct = (0...k).reduce(0.0) { $0 + pow(0.63, Double($1)) }
            #expect(abs(Spec.expectedTokensPerRound(draftTokens: k, acceptance: 0.63) - direct) < 1e-12)
        }
    }

    @Test func aVerifyStepWithoutDraftTokensIsAPlainDecodeStep() {
        for base in [Self.h100x4_70b, Self.h100_8b] {
            for b in [1, 7, 64, 300] {
                #expect(base.verifyCost(batch: b, draftTokens: 0) == base.decodeCost(batch: b))
                // k + 1 tokens per sequence never cost less than one.
                let v = base.verifyCost(batch: b, draftTokens: 4), d = base.decodeCost(batch: b)
                #expect(v.a1 > d.a1 && v.b1 > d.b1 && v.a2 > d.a2 && v.b2 == d.b2)
            }
        }
    }

    /// Bases and drafts of the grid: roofline with a draft model, roofline with a cost ratio, and
    /// the non-roofline test models (the approximate verify path) with a cost ratio.
    static func grid(alpha: Double, k: Int, limit: Int? = nil) -> [(String, SpeculativeStepModel)] {
        [("70B TP4 + 1B", model(h100x4_70b, k: k, alpha: alpha, limit: limit)),
         ("8B + 1B", model(h100_8b, k: k, alpha: alpha, limit: limit)),
         ("70B TP4 ratio", model(h100x4_70b, k: k, alpha: alpha, draft: .costRatio(0.05), limit: limit)),
         ("linear ratio", model(LinearTestModel(), k: k, alpha: alpha, draft: .costRatio(0.1), limit: limit)),
         ("two-line ratio", model(TwoLineTestModel(), k: k, alpha: alpha, draft: .costRatio(0.2), limit: limit))]
    }

    static let batches = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024]
    static let contexts = [0, 100, 1000, 4000, 16000]  // per sequence

    @Test func withAcceptanceZeroSpeculationIsNeverFaster() {
        for k in [1, 2, 4, 8, 16] {
            for (name, m) in Self.grid(alpha: 0, k: k) {
                for b in Self.batches {
                    let spec = m.decodeCost(batch: b), plain = m.base.decodeCost(batch: b)
                    for c in Self.contexts {
                        let s = Double(b * c)
                        #expect(spec.time(context: s) > plain.time(context: s), "\(name) k \(k) batch \(b) context \(c)")
                    }
                }
            }
        }
    }

    @Test func stepTimeAgreesWithDecodeCostAndPrefillIsUnchanged() {
        for (name, m) in Self.grid(alpha: 0.7, k: 4, limit: 48) {
            for b in Self.batches {
                let shape = StepShape(decodeSeqs: b, decodeContext: b * 1500)
                #expect(m.stepTime(shape) == m.decodeCost(batch: b).time(context: Double(b * 1500)), "\(name) batch \(b)")
            }
            let mixed = StepShape(prefillTokens: 2000, prefillAttentionPairs: StepShape.attentionPairs(chunk: 2000, cached: 0),
                                  prefillSeqs: 1, decodeSeqs: 10, decodeContext: 12000)
            #expect(m.stepTime(mixed) == m.base.stepTime(mixed))
        }
    }

    @Test func disableAboveBatchCostsExactlyThePlainStepAboveTheLimit() {
        for (name, m) in Self.grid(alpha: 0.8, k: 4, limit: 32) {
            for b in Self.batches {
                if b > 32 {
                    #expect(m.decodeCost(batch: b) == m.base.decodeCost(batch: b), "\(name) batch \(b)")
                } else {
                    #expect(m.decodeCost(batch: b) == m.speculativeCost(batch: b), "\(name) batch \(b)")
                    #expect(m.decodeCost(batch: b) != m.base.decodeCost(batch: b))
                }
            }
        }
    }

    /// `roundCost` (two lines, for closed-form stretches) against the plain sum of the round's
    /// steps: never above it, exact at batch 1 (every step memory-bound), and within the bounds the
    /// README states on this grid of batches 1 ... 1024 and contexts 0 ... 16k tokens per sequence.
    @Test func theTwoLineRoundIsALowerBoundCloseToTheSumOfItsSteps() {
        var worst: [String: Double] = [:]
        for k in [1, 4, 8] {
            for (name, m) in Self.grid(alpha: 0.7, k: k) {
                for b in Self.batches {
                    let round = m.roundCost(batch: b)
                    for c in Self.contexts {
                        let s = Double(b * c)
                        let exact = m.exactRoundTime(batch: b, context: s), approx = round.time(context: s)
                        #expect(approx <= exact * (1 + 1e-12), "\(name) k \(k) batch \(b) context \(c)")
                        worst[name] = max(worst[name] ?? 0, (exact - approx) / exact)
                    }
                }
            }
        }
        #expect(worst["70B TP4 + 1B"]! < 0.01, "\(worst)")
        #expect(worst["70B TP4 ratio"]! < 0.03 && worst["8B + 1B"]! < 0.08, "\(worst)")
        #expect(worst.values.allSatisfy { $0 < 0.11 }, "\(worst)")
        // At batch 1 every step of the 70B round is memory-bound: exact.
        let m = Self.model(Self.h100x4_70b)
        for c in Self.contexts {
            let s = Double(c)
            #expect(abs(m.roundCost(batch: 1).time(context: s) - m.exactRoundTime(batch: 1, context: s)) < 1e-15)
        }
    }

    @Test func theFitIsExactWhenAtMostOneStepSwitchesAndPicksTheBestPairOtherwise() {
        // One switching component among flat ones: exact.
        let flat = DecodeCost(a: 0.002, b: 0), switching = DecodeCost(a1: 0.01, b1: 0, a2: 0.004, b2: 1e-6)
        let one = TwoLineFit.fit([flat, flat, switching], keep: 2)
        for s in [0.0, 1000, 6000, 1e5] { #expect(abs(one.time(context: s) - (0.004 + max(0.01, 0.004 + 1e-6 * s))) < 1e-15) }
        // Two components switching far apart: f has three pieces; the fit keeps the two that
        // minimise the largest relative error, and both lines of the kept component.
        let early = DecodeCost(a1: 0.01, b1: 0, a2: 0, b2: 1e-5)      // switches at S = 1000
        let late = DecodeCost(a1: 0.01, b1: 0, a2: 0, b2: 1e-7)       // switches at S = 100000
        let fit = TwoLineFit.fit([early, late], keep: 1)
        let f = { (s: Double) in early.time(context: s) + late.time(context: s) }
        for s in [0.0, 500, 1000, 5e4, 1e5, 1e6] { #expect(fit.time(context: s) <= f(s) * (1 + 1e-12)) }
        #expect(fit.time(context: 2e6) >= late.time(context: 2e6))
        #expect(fit.time(context: 0) >= late.time(context: 0))
    }

    /// The figures the README quotes for the scenario's pool, from the model alone.
    @Test func llama70bWithA1BDraftIsFasterAtSmallBatchesAndSlowerAtLargeOnes() {
        let m = Self.model(Self.h100x4_70b)
        func ratio(_ b: Int) -> Double {
            let s = Double(b * 1500)
            return m.speculativeCost(batch: b).time(context: s) / m.base.decodeCost(batch: b).time(context: s)
        }
        #expect(ratio(1) < 0.75)
        #expect(ratio(512) > 1)
        // Slower from some batch on, and at every batch beyond it on the grid.
        let crossing = Self.batches.firstIndex { ratio($0) > 1 }!
        #expect(Self.batches[crossing...].allSatisfy { ratio($0) > 1 })
    }
}

/// Speculative decoding in the engine and through scenario files.
@Suite struct SpeculativeEngineTests {
    static func text(speculative: String?, rate: Double = 0.5, ladder: String = "", pool: String = "") -> String {
        """
        { version: 1, name: "spec", seed: 3, duration: "10m",
          workload: { classes: [{ name: "chat", arrivals: { process: "poisson", rate: \(rate) },
            promptTokens: { distribution: "lognormal", mean: 1000, p95: 3000 },
            outputTokens: { distribution: "lognormal", mean: 200, p95: 500 } }] },
          pools: [{ name: "p", hardware: "H100-SXM-80GB", model: "llama-3.1-70b", tensorParallel: 4, replicas: 1,
                    performance: { model: "roofline" }\(speculative.map { ", speculative: \($0)" } ?? "")\(pool) }],
          \(ladder)
        }
        """
    }

    static func run(_ text: String) throws -> (Report, SimulationResult, [RequestRecord]) {
        let (parsed, errors) = parseScenario(text)
        let scenario = try #require(parsed, "\(errors)")
        var records: [RequestRecord] = []
        let sim = Simulation(scenario: scenario)
        sim.recordObserver = { records.append($0) }
        let result = sim.run()
        let report = makeReport(scenario: scenario.name, description: "", seed: scenario.seed, collector: result.metrics,
                                pools: result.pools, arrived: result.arrived, inFlightAtEnd: result.inFlightAtEnd,
                                events: result.events, end: result.endTime, degradation: result.degradation)
        return (report, result, records.filter { $0.outcome == .completed })
    }

    @Test func withAcceptanceZeroTPOTIsNeverLowerEndToEnd() throws {
        for rate in [0.5, 4] {
            let plain = try Self.run(Self.text(speculative: nil, rate: rate)).0.latency.tpot
            let zero = try Self.run(Self.text(speculative: "{ draftTokens: 4, acceptance: 0, draftModel: \"llama-3.2-1b\" }",
                                              rate: rate)).0.latency.tpot
            #expect(zero.count == plain.count && zero.count > 200)
            #expect(zero.mean > plain.mean && zero.p50 > plain.p50 && zero.p95 > plain.p95 && zero.p99 > plain.p99,
                    "rate \(rate): \(zero) vs \(plain)")
        }
    }

    /// At very low load most requests have the replica to themselves: their TPOT is then exactly the
    /// model's decode stretch of batch 1, with and without speculation.
    @Test func highAcceptanceAtLowLoadCutsTPOTByWhatTheModelPredicts() throws {
        let specText = "{ draftTokens: 4, acceptance: 0.8, draftModel: \"llama-3.2-1b\" }"
        let (plainReport, _, plain) = try Self.run(Self.text(speculative: nil, rate: 0.05))
        let (specReport, specResult, spec) = try Self.run(Self.text(speculative: specText, rate: 0.05))
        #expect(plain.count == spec.count && plain.count > 20)
        let model = try #require(parseScenario(Self.text(speculative: specText)).0?.pools[0].speculation)
        func alone(_ r: [RequestRecord], _ i: Int) -> Bool {
            r.indices.allSatisfy { j in j == i || r[j].end <= r[i].arrival || r[j].arrival >= r[i].end }
        }
        var checked = 0
        for i in plain.indices where alone(plain, i) && alone(spec, i) && plain[i].outputTokens > 1 {
            #expect(plain[i].arrival == spec[i].arrival && plain[i].promptTokens == spec[i].promptTokens)
            let steps = plain[i].outputTokens - 1, s0 = plain[i].promptTokens + 1
            func predicted(_ cost: DecodeCost) -> Double {
                DecodeStretch(start: 0, batch: 1, initialContext: s0, cost: cost).cumulative(steps) / Double(steps)
            }
            let p = predicted(model.base.decodeCost(batch: 1)), q = predicted(model.decodeCost(batch: 1))
            #expect(abs(plain[i].tpot - p) < 1e-9 * p && abs(spec[i].tpot - q) < 1e-9 * q)
            #expect(spec[i].tpot / plain[i].tpot < 0.7)
            checked += 1
        }
        #expect(checked > plain.count / 2)
        #expect(specReport.latency.tpot.mean < 0.7 * plainReport.latency.tpot.mean)
        let s = try #require(specReport.pools[0].speculative)
        #expect(s.speculativeTokens > 0 && s.plainTokens == 0 && s.speculativeShare == 1)
        #expect(plainReport.pools[0].speculative == nil)
        // Every token not from a prefill step was a speculative decode token (one replica, batch 1).
        #expect(s.speculativeTokens <= specResult.metrics.overall.outputTokens)
    }

    @Test func disableAboveBatchDecodesLargeBatchesPlainly() throws {
        let limited = try Self.run(Self.text(speculative: "{ draftTokens: 4, acceptance: 0.7, draftCostRatio: 0.1, disableAboveBatch: 8 }",
                                             rate: 4)).0.pools[0].speculative!
        #expect(limited.plainTokens > 0 && limited.speculativeTokens > 0)
        let always = try Self.run(Self.text(speculative: "{ draftTokens: 4, acceptance: 0.7, draftCostRatio: 0.1 }",
                                            rate: 4)).0.pools[0].speculative!
        #expect(always.plainTokens == 0 && always.speculativeTokens > 0)
        #expect(limited.disableAboveBatch == 8 && always.disableAboveBatch == nil)
    }

    static let ladder = """
        degradation: [{ pool: "p", checkInterval: "5s", recoverAfter: "30s",
                        steps: [{ name: "plain", when: 5, action: "disableSpeculation" }] }],
        """
    static let burst = """
        { version: 1, name: "burst", seed: 4, duration: "6m",
          workload: { classes: [{ name: "chat",
            arrivals: { process: "schedule", steps: [{ at: 0, rate: 0.5 }, { at: 120, rate: 20 }, { at: 150, rate: 0.5 }] },
            promptTokens: { distribution: "lognormal", mean: 1000, p95: 3000 },
            outputTokens: { distribution: "lognormal", mean: 200, p95: 500 } }] },
          pools: [{ name: "p", hardware: "H100-SXM-80GB", model: "llama-3.1-70b", tensorParallel: 4, replicas: 1,
                    scheduler: { maxNumSeqs: 48 }, performance: { model: "roofline" },
                    speculative: { draftTokens: 4, acceptance: 0.7, draftModel: "llama-3.2-1b" } }],
          LADDER
        }
        """

    @Test func theLadderTurnsSpeculationOffWhileEngaged() throws {
        let (without, _, _) = try Self.run(Self.burst.replacingOccurrences(of: "LADDER", with: ""))
        let (with, result, _) = try Self.run(Self.burst.replacingOccurrences(of: "LADDER", with: Self.ladder))
        let off = try #require(without.pools[0].speculative), on = try #require(with.pools[0].speculative)
        #expect(off.plainTokens == 0)
        let step = try #require(result.degradation.first?.steps.first)
        #expect(step.action == "disableSpeculation" && step.engagements >= 1 && step.engagedSeconds > 30)
        #expect(step.requestsAffected == 0)
        #expect(on.plainTokens > 0 && on.speculativeTokens > 0)
        // Before the burst and after the release everything speculates; during it nothing does.
        #expect(on.speculativeShare < 0.9)
        #expect(result.degradation[0].transitions.last?.engaged == false)
    }

    @Test func jumpAheadEqualsPerIterationWithSpeculation() throws {
        let config = SpeculativeDecoding(draftTokens: 3, acceptance: 0.75, draft: .costRatio(0.15), disableAboveBatch: 6)
        for base in [LinearTestModel() as any StepTimeModel, TwoLineTestModel()] {
            let model = try #require(SpeculativeStepModel(base: base, config: config))
            for (kv, routing) in [(1_000_000, RoutingPolicy.leastOutstanding), (30_000, .roundRobin)] {
                func run(_ perIteration: Bool) -> ([RequestRecord], SimulationResult) {
                    simulate(TestScenarios.batching(rate: 10, replicas: 2, kvTokens: kv, duration: 120, seed: 5,
                                                    perIteration: perIteration, model: model, routing: routing))
                }
                let fast = run(false), slow = run(true)
                #expect(fast.0.count > 500)
                #expect(fast.0 == slow.0)
                #expect(fast.1.steps == slow.1.steps && fast.1.preemptions == slow.1.preemptions)
                #expect(fast.1.pools[0].speculative == slow.1.pools[0].speculative)
                let s = try #require(fast.1.pools[0].speculative)
                #expect(s.speculativeTokens > 0 && s.plainTokens > 0)
            }
        }
        // With the ladder switching speculation off and on mid-stretch.
        let burst = Self.burst.replacingOccurrences(of: "LADDER", with: Self.ladder)
        let fast = try #require(parseScenario(burst).0)
        var slow = fast
        slow.perIteration = true
        let a = simulate(fast), b = simulate(slow)
        #expect(a.records == b.records && a.result.steps == b.result.steps)
        #expect(a.result.pools[0].speculative == b.result.pools[0].speculative)
        #expect(a.result.degradation == b.result.degradation)
    }

    @Test func reportsAreByteIdenticalAndOnlySpeculatingPoolsCarryTheKey() throws {
        let text = Self.text(speculative: "{ draftTokens: 4, acceptance: 0.7, draftModel: \"llama-3.2-1b\", disableAboveBatch: 16 }", rate: 3)
        let first = try ReportRenderer.json(Self.run(text).0), second = try ReportRenderer.json(Self.run(text).0)
        #expect(first == second)
        let json = String(decoding: first, as: UTF8.self)
        #expect(json.contains("\"speculative\"") && json.contains("\"speculativeShare\""))
        let plain = String(decoding: try ReportRenderer.json(Self.run(Self.text(speculative: nil)).0), as: UTF8.self)
        #expect(!plain.contains("speculative"))
        let md = ReportRenderer.markdown(try Self.run(text).0)
        #expect(md.contains("## Speculative decoding") && md.contains("| p | llama-3.2-1b | 4 | 0.7 | 2.77 | 16 |"))
    }

    @Test func aDraftModelTakesItsWeightsAndKVFromTheCache() throws {
        func kv(_ s: String?) throws -> Int {
            let scenario = try #require(parseScenario(Self.text(speculative: s)).0)
            guard case .steps(_, let tokens, _) = scenario.pools[0].performance else { return 0 }
            return tokens
        }
        let plain = try kv(nil), drafted = try kv("{ draftTokens: 4, acceptance: 0.7, draftModel: \"llama-3.2-1b\" }")
        let ratio = try kv("{ draftTokens: 4, acceptance: 0.7, draftCostRatio: 0.1 }")
        // 4 H100s (nvidia-smi's 81,559 MiB each) at vLLM's 0.9, less the weights and, per GPU, the
        // runtime's 2 GiB and the activations of an 8192-token step: 8192 x (2 x 28672 / 4 + (64 +
        // 2 x 8) x 128 / 4 + 2 x 8192) x 2 bytes.
        let width: Double = 2.0 * 28672 / 4 + 80.0 * 128 / 4 + 2.0 * 8192
        let activations: Double = 8192 * width * 2
        let reserve: Double = 2 * 1024 * 1024 * 1024 + activations
        let budget: Double = 85.52e9 * 4 * 0.9 - ModelSpec.llama31_70b.weightBytes - 4 * reserve
        #expect(plain == Int(budget / ModelSpec.llama31_70b.kvBytesPerToken))
        #expect(drafted == Int((budget - ModelSpec.llama32_1b.weightBytes)
                               / (ModelSpec.llama31_70b.kvBytesPerToken + ModelSpec.llama32_1b.kvBytesPerToken)))
        #expect(ratio == plain && drafted < plain)
    }

    @Test(arguments: [
        ("{ draftTokens: 0, acceptance: 0.7, draftCostRatio: 0.1 }",
         "s.json5: pools.0.speculative.draftTokens: 0 is out of range (an integer from 1 to 16)"),
        ("{ draftTokens: 17, acceptance: 0.7, draftCostRatio: 0.1 }",
         "s.json5: pools.0.speculative.draftTokens: 17 is out of range (an integer from 1 to 16)"),
        ("{ draftTokens: 4, acceptance: 1, draftCostRatio: 0.1 }",
         "s.json5: pools.0.speculative.acceptance: 1 is out of range (a number >= 0 and < 1)"),
        ("{ draftTokens: 4, acceptance: -0.1, draftCostRatio: 0.1 }",
         "s.json5: pools.0.speculative.acceptance: -0.1 is out of range (a number >= 0)"),
        ("{ draftTokens: 4, draftCostRatio: 0.1 }",
         "s.json5: pools.0.speculative.acceptance: is missing (a number >= 0 and < 1: the probability that the target accepts a draft token)"),
        ("{ draftTokens: 4, acceptance: 0.7 }",
         "s.json5: pools.0.speculative.draftModel: is missing (draftModel (a model preset or object) or draftCostRatio (a number in (0, 1]))"),
        ("{ draftTokens: 4, acceptance: 0.7, draftModel: \"llama-3.2-1b\", draftCostRatio: 0.1 }",
         "s.json5: pools.0.speculative.draftCostRatio: is given with draftModel (one of draftModel and draftCostRatio)"),
        ("{ draftTokens: 4, acceptance: 0.7, draftCostRatio: 0 }",
         "s.json5: pools.0.speculative.draftCostRatio: 0 is out of range (a number from 0 (exclusive) to 1)"),
        ("{ draftTokens: 4, acceptance: 0.7, draftModel: \"llama-0b\" }",
         "s.json5: pools.0.speculative.draftModel: unknown model \"llama-0b\" (llama-3.1-8b, llama-3.1-70b, mistral-7b, qwen2.5-0.5b, llama-2-7b, llama-3.2-1b, llama-2-70b, codellama-34b, qwen3-32b, mixtral-8x7b, qwen3-30b-a3b, qwen3-235b-a22b, or an object)"),
        ("{ draftTokens: 4, acceptance: 0.7, draftCostRatio: 0.1, draftStepOverhead: \"1ms\" }",
         "s.json5: pools.0.speculative.draftStepOverhead: applies only with draftModel (remove it, or give draftModel)"),
        ("{ draftTokens: 4, acceptance: 0.7, draftCostRatio: 0.1, disableAboveBatch: 0 }",
         "s.json5: pools.0.speculative.disableAboveBatch: 0 is out of range (an integer from 1 to 65536)"),
        ("{ draftTokens: 4, acceptance: 0.7, draftCostRatio: 0.1, draftTokenz: 3 }",
         "s.json5: pools.0.speculative.draftTokenz: unknown key (did you mean draftTokens? known keys: acceptance, disableAboveBatch, draftCostRatio, draftModel, draftStepOverhead, draftTokens)"),
        ("4", "s.json5: pools.0.speculative: expected an object, got a number (an object)"),
    ])
    func badSpeculativeSectionsAreReported(section: String, message: String) {
        let (scenario, errors) = parseScenario(Self.text(speculative: section))
        #expect(scenario == nil)
        #expect(errors == [message])
    }

    @Test func speculationNeedsATokenLevelPoolAndTheLadderASpeculatingPool() {
        let service = """
            { version: 1, name: "svc", duration: "1m",
              workload: { classes: [{ name: "c", arrivals: { process: "poisson", rate: 1 },
                promptTokens: { distribution: "fixed", value: 10 }, outputTokens: { distribution: "fixed", value: 10 } }] },
              pools: [{ name: "p", replicas: 1, pricePerGpuHour: 1, performance: { model: "service", distribution: "exponential", mean: "1s" },
                        speculative: { draftTokens: 4, acceptance: 0.7, draftCostRatio: 0.1 } }] }
            """
        #expect(parseScenario(service).1 == [
            "s.json5: pools.0.speculative: applies only to token-level pools (performance model \"roofline\" or \"profile\", or remove it)"])
        let ladder = Self.ladder.replacingOccurrences(of: "degradation:", with: "degradation:")
        #expect(parseScenario(Self.text(speculative: nil, ladder: ladder)).1 == [
            "s.json5: degradation.0.steps.0.action: pool \"p\" has no speculative decoding (a pool with a speculative section, or another action)"])
    }
}
