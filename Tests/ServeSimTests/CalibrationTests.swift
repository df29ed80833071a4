import Foundation
import Testing
import ServeSim

/// Calibration end to end on the "tiny" model, the profile file format and `ProfileStepModel`.
/// No assertion looks at timing values (they depend on the machine and its load).
@Suite struct CalibrationTests {
    static func profile() -> CalibratedProfile {
        Calibration.run(.standard(model: .tiny, threads: 1, quick: true))
    }

    @Test func quickTinyCalibrationRoundTripsAndAgrees() throws {
        let p = Self.profile()
        #expect(p.source == "kernel" && p.version == 1)
        #expect(p.prefillSamples.count == 5 && p.decodeSamples.count == 12)
        for v in [p.prefill.r2, p.prefill.maxRelativeResidual, p.decode.r2, p.decode.maxRelativeResidual] {
            #expect(v.isFinite)
        }
        for v in [p.prefill.constant, p.prefill.perToken, p.prefill.perAttentionPair,
                  p.decode.constant, p.decode.perSequence, p.decode.perContextToken] {
            #expect(v >= 0 && v.isFinite)
        }
        #expect(p.throughput.map { $0.sgemmPeakGFlops > 0 && $0.prefillGFlops > 0 } == true)
        #expect(p.kvCapacityTokens == (4 << 30) / KernelConfig.tiny.kvBytesPerToken)

        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("servesim-cal-\(getpid())")
        let path = dir.appendingPathComponent("nested/p.json").path
        try p.write(to: path)
        defer { try? FileManager.default.removeItem(at: dir) }
        let loaded = try CalibratedProfile.load(path: path)
        #expect(loaded == p)
        #expect(try loaded.jsonData() == p.jsonData())
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent("nested").path)
        #expect(leftovers == ["p.json"])

        let model = ProfileStepModel(profile: loaded)
        for b in [1, 3, 8, 40] {
            for s in [0, 17, 1000, 123_456] {
                let shape = StepShape(decodeSeqs: b, decodeContext: s)
                #expect(model.stepTime(shape) == model.decodeCost(batch: b).time(context: Double(s)))
            }
        }
    }

    @Test func stepModelComposesMixedSteps() {
        var p = Self.fixture()
        p.prefill = .init(constant: 0.01, perToken: 1e-4, perAttentionPair: 1e-7, r2: 1, maxRelativeResidual: 0)
        p.decode = .init(constant: 0.008, perSequence: 5e-4, perContextToken: 1e-6, r2: 1, maxRelativeResidual: 0)
        let m = ProfileStepModel(profile: p)
        let pairs = StepShape.attentionPairs(chunk: 100, cached: 0)
        let prefillOnly = m.stepTime(StepShape(prefillTokens: 100, prefillAttentionPairs: pairs, prefillSeqs: 1))
        #expect(abs(prefillOnly - (0.01 + 0.01 + 1e-7 * 5050)) < 1e-15)
        let decodeOnly = m.stepTime(StepShape(decodeSeqs: 4, decodeContext: 1000))
        #expect(abs(decodeOnly - (0.008 + 0.002 + 0.001)) < 1e-15)
        let mixed = m.stepTime(StepShape(prefillTokens: 100, prefillAttentionPairs: pairs, prefillSeqs: 1,
                                         decodeSeqs: 4, decodeContext: 1000))
        #expect(abs(mixed - (prefillOnly + decodeOnly - 0.008)) < 1e-15)
        #expect(mixed >= max(prefillOnly, decodeOnly))
        #expect(m.stepTime(StepShape()) == 0)

        // The serving loop's measured time per step is added to every step, once.
        p.loopOverhead = 0.003
        let looped = ProfileStepModel(profile: p)
        #expect(abs(looped.stepTime(StepShape(prefillTokens: 100, prefillAttentionPairs: pairs, prefillSeqs: 1)) - (prefillOnly + 0.003)) < 1e-15)
        #expect(abs(looped.stepTime(StepShape(decodeSeqs: 4, decodeContext: 1000)) - (decodeOnly + 0.003)) < 1e-15)
        #expect(abs(looped.stepTime(StepShape(prefillTokens: 100, prefillAttentionPairs: pairs, prefillSeqs: 1,
                                              decodeSeqs: 4, decodeContext: 1000)) - (mixed + 0.003)) < 1e-15)
        #expect(looped.decodeCost(batch: 4).time(context: 1000) == looped.stepTime(StepShape(decodeSeqs: 4, decodeContext: 1000)))
        #expect(looped.stepTime(StepShape()) == 0)
    }

    @Test func loopOverheadIsOptionalAndValidated() throws {
        var p = Self.fixture()
        p.loopOverhead = nil
        let old = try CalibratedProfile.decode(p.jsonData(), file: "p.json")   // profiles written before it
        #expect(old.loopOverhead == nil && ProfileStepModel(profile: old).loopOverhead == 0)
        p.loopOverhead = -0.001
        #expect(throws: InputError.self) { try CalibratedProfile.decode(p.jsonData(), file: "p.json") }
        // The committed reference profile carries its measured loop.
        let base = try CalibratedProfile.load(path: CLI.repoRoot.appendingPathComponent("profiles/kernel-base.json").path)
        #expect((base.loopOverhead ?? 0) > 0)
    }

    @Test func executorShapesWorkAsTheSchedulerCountsIt() {
        let work = [SequenceWork(sequence: 0, newTokens: 100, cachedTokens: 0, isDecode: false),
                    SequenceWork(sequence: 1, newTokens: 50, cachedTokens: 200, isDecode: false),
                    SequenceWork(sequence: 2, newTokens: 1, cachedTokens: 300, isDecode: true),
                    SequenceWork(sequence: 3, newTokens: 1, cachedTokens: 41, isDecode: true)]
        let shape = KernelExecutor.shape(of: work)
        #expect(shape.prefillTokens == 150 && shape.prefillSeqs == 2 && shape.decodeSeqs == 2 && shape.decodeContext == 341)
        #expect(shape.prefillAttentionPairs == StepShape.attentionPairs(chunk: 100, cached: 0) + StepShape.attentionPairs(chunk: 50, cached: 200))
    }

    @Test func fitRecoversExactCoefficients() {
        let samples = [16, 32, 64, 128, 256].map { t in
            CalibratedProfile.PrefillSample(tokens: t, seconds: 0.002 + 3e-5 * Double(t)
                                            + 4e-8 * StepShape.attentionPairs(chunk: t, cached: 0))
        }
        let f = Calibration.fitPrefill(samples)
        #expect(abs(f.constant - 0.002) < 1e-9 && abs(f.perToken - 3e-5) < 1e-11 && abs(f.perAttentionPair - 4e-8) < 1e-13)
        #expect(f.r2 > 0.999999 && f.maxRelativeResidual < 1e-8)
        // A negative unconstrained slope is dropped (coefficient 0), not kept.
        let flat = [1, 2, 4, 8].map { CalibratedProfile.DecodeSample(batch: $0, context: 100 * $0, seconds: 0.01 - 1e-5 * Double($0)) }
        let d = Calibration.fitDecode(flat)
        #expect(d.perSequence >= 0 && d.perContextToken >= 0 && d.constant > 0)
    }

    static func fixture() -> CalibratedProfile {
        CalibratedProfile(source: "imported", machine: .init(cpuModel: "test", cores: 1, accelerator: "GPU"),
                          blas: "none", threads: 1, model: Calibration.shape(of: .tiny),
                          prefillSamples: [.init(tokens: 8, seconds: 0.01)],
                          decodeSamples: [.init(batch: 1, context: 8, seconds: 0.01)],
                          prefill: .init(constant: 0.01, perToken: 0, perAttentionPair: 0, r2: 1, maxRelativeResidual: 0),
                          decode: .init(constant: 0.01, perSequence: 0, perContextToken: 0, r2: 1, maxRelativeResidual: 0),
                          kvCapacityTokens: 1000)
    }

    static func loadErrors(_ json: String) -> String {
        do {
            _ = try CalibratedProfile.decode(Data(json.utf8), file: "p.json")
            return ""
        } catch {
            return "\(error)"
        }
    }

    @Test func loadReportsMissingFileAndFieldPaths() throws {
        #expect(throws: InputError.self) { try CalibratedProfile.load(path: "/nonexistent/profile.json") }
        do { _ = try CalibratedProfile.load(path: "/nonexistent/profile.json") } catch {
            #expect("\(error)".hasPrefix("/nonexistent/profile.json: no such file"))
        }
        #expect(Self.loadErrors("{ not json").hasPrefix("p.json: is not valid JSON"))
        let good = String(decoding: try Self.fixture().jsonData(), as: UTF8.self)
        #expect(Self.loadErrors(good) == "")
        let missing = good.replacingOccurrences(of: "\"perToken\"", with: "\"perTokenX\"")
        #expect(Self.loadErrors(missing) == "p.json: prefill.perToken: is missing")
        let wrongType = good.replacingOccurrences(of: "\"tokens\" : 8", with: "\"tokens\" : \"eight\"")
        #expect(Self.loadErrors(wrongType).hasPrefix("p.json: prefillSamples.0.tokens: has the wrong type"))
        var bad = Self.fixture()
        bad.version = 2
        bad.source = "guess"
        bad.decode.perContextToken = -1
        let text = Self.loadErrors(String(decoding: try bad.jsonData(), as: UTF8.self))
        #expect(text.contains("p.json: version: 2 is not supported (1)"))
        #expect(text.contains("p.json: source: \"guess\" is not supported (kernel, imported)"))
        #expect(text.contains("p.json: decode.perContextToken: -1.0 is out of range"))
    }
}
