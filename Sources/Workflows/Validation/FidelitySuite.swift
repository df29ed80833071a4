import ServingModel
import SimulationEngine
import Foundation

/// Replays every public serving measurement ServeSim can describe and reports how far the
/// simulation is from each, metric by metric:
/// - the aggregated vLLM rows of aiconfigurator's `silicon_sample.csv` on H100 and H200
///   (`SiliconSample`), each as a closed-loop benchmark of its concurrency (TTFT and TPOT means);
/// - the recorded vLLM runs of the real_vllm measurements (`RecordedRun`, `ReplayValidation`),
///   request by request (TTFT, TPOT and E2E means and tails).
///
/// Every case is labelled with the split it belongs to: `fit` cases are the ones any default of
/// the engine pipeline was fitted on (`FidelitySuite.fitSet`); the figures worth quoting are the
/// `heldOut` ones.
public enum FidelitySuite {
    public enum Split: String, Sendable, Codable { case fit, heldOut }

    /// One measured figure and its simulation.
    public struct Comparison: Sendable, Codable, Equatable {
        public var metric: String
        public var measured: Double
        public var simulated: Double
        public var error: Double { measured == 0 ? 0 : (simulated - measured) / measured }
    }

    public struct Case: Sendable, Codable {
        public var name: String
        /// Where the measurement comes from (the benchmark harness, or "recorded vLLM runs").
        public var source: String
        /// What it is, for grouping: GPU, model, parallelism and harness.
        public var group: String
        public var split: Split
        public var comparisons: [Comparison]
    }

    /// The fit split: the InferenceX Llama-3.1-70B FP8 rows of H200 at TP1 and TP4 and of H100 at
    /// TP2 and TP8 (both GPUs, every TP degree's neighbour). `KernelStepModel.defaultStepOverhead`
    /// and `RooflineModel.defaultRequestOverhead` were fitted on these (`fit`); every other case
    /// (the other TP degrees of each GPU, the other models and harnesses, the recorded runs) is
    /// held out.
    public static func split(of row: SiliconRow) -> Split {
        guard BenchmarkHarness.of(row) == .inferenceX else { return .heldOut }
        let fitTP = row.system == "h200_sxm" ? [1, 4] : [2, 8]
        return fitTP.contains(row.tensorParallel) ? .fit : .heldOut
    }

    /// Runs the suite over `directory` (../shared/data: `aiconfigurator/silicon_sample.csv` and
    /// `real_vllm/llmservingsim/bench/examples/*/*`) on up to `jobs` threads.
    public static func run(directory: String, jobs: Int = 1, settings: SiliconSample.Settings = .init()) throws -> [Case] {
        var cases: [Case] = []
        let silicon = directory + "/aiconfigurator/silicon_sample.csv"
        if FileManager.default.fileExists(atPath: silicon) {
            let rows = try SiliconSample.load(path: silicon)
            cases += parallelMap(rows.count, jobs: jobs) { siliconCase(rows[$0], settings: settings) }
        }
        for run in try recordedRuns(directory: directory) {
            // The GPU's own per-layer vLLM timings, when the data has them: its measured kernels.
            let tables = "\(directory)/real_vllm/llmservingsim/profiler/perf/\(run.gpu)/\(run.modelName)/bf16/tp\(run.tensorParallel)"
            var model: (any StepTimeModel)?
            var timing = "datasheet roofline"
            if FileManager.default.fileExists(atPath: tables + "/dense.csv"), let shape = run.modelPreset {
                let profile = try LayerTableImport.run(directory: tables, options: .init(
                    model: shape, hardware: run.hardwarePreset, stepOverhead: KernelStepModel.defaultStepOverhead))
                model = LayerTableStepModel(profile: profile)
                timing = "its per-layer vLLM tables"
            }
            let comparisons = try ReplayValidation.compare(run, model: model)
            var figures: [Comparison] = []
            for c in comparisons {
                for (stat, measured) in c.measured.named {
                    figures.append(Comparison(metric: "\(c.metric).\(stat)", measured: measured,
                                              simulated: c.simulated.named.first { $0.0 == stat }!.1))
                }
            }
            let group = "\(run.gpu) \(run.modelName) TP\(run.tensorParallel) replay, timed by \(timing)"
            cases.append(Case(name: run.name, source: "recorded vLLM 0.19 runs (real_vllm)", group: group, split: .heldOut,
                              comparisons: figures))
        }
        guard !cases.isEmpty else {
            throw InputError(file: directory, "holds no measurements", allowed: "aiconfigurator/silicon_sample.csv or real_vllm/ runs")
        }
        return cases
    }

    /// The folders of recorded runs under the data folder.
    static func recordedRuns(directory: String) throws -> [RecordedRun] {
        let examples = directory + "/real_vllm/llmservingsim/bench/examples"
        guard let gpus = try? FileManager.default.contentsOfDirectory(atPath: examples) else { return [] }
        var runs: [RecordedRun] = []
        for gpu in gpus.sorted() {
            let models = (try? FileManager.default.contentsOfDirectory(atPath: examples + "/" + gpu)) ?? []
            for model in models.sorted() where FileManager.default.fileExists(atPath: "\(examples)/\(gpu)/\(model)/vllm/requests.jsonl") {
                runs.append(try RecordedRun.load(path: "\(examples)/\(gpu)/\(model)"))
            }
        }
        return runs
    }

    static func siliconCase(_ row: SiliconRow, settings: SiliconSample.Settings) -> Case {
        let harness = BenchmarkHarness.of(row)
        let sim = Simulation(scenario: SiliconSample.scenario(for: row, harness: harness, settings: settings))
        var ttft: [Double] = [], tpot: [Double] = []
        sim.recordObserver = { r in
            guard r.outcome == .completed else { return }
            ttft.append(r.ttft)
            tpot.append(r.tpot)
        }
        _ = sim.run()
        let mean = { (v: [Double]) in v.isEmpty ? 0 : v.reduce(0, +) / Double(v.count) }
        let parallel = "TP\(row.tensorParallel)" + (row.expertParallel ? " EP\(row.tensorParallel)" : "")
        let group = "\(row.system) \(row.model.name) \(row.model.gemmFormat.rawValue) \(parallel), \(harness.name)"
            + (split(of: row) == .fit ? " [fit]" : "")
        return Case(name: "\(row.system) \(row.model.name) \(parallel) \(row.inputTokens)/\(row.outputTokens) c\(row.concurrency)",
                    source: harness.name, group: group, split: split(of: row),
                    comparisons: [Comparison(metric: "ttft.mean", measured: row.ttft, simulated: mean(ttft)),
                                  Comparison(metric: "tpot.mean", measured: row.tpot, simulated: mean(tpot))])
    }

    /// Per source, metric and split: how many cases, the median and the largest absolute relative error.
    public struct Summary: Sendable, Codable, Equatable {
        public var source: String
        public var metric: String
        public var split: Split
        public var cases: Int
        public var medianAbsoluteError: Double
        public var worstError: Double
        public var worstCase: String
    }

    public static func summarize(_ cases: [Case]) -> [Summary] {
        var keys: [(source: String, metric: String, split: Split)] = []
        for c in cases {
            for m in c.comparisons where !keys.contains(where: { $0 == (c.source, m.metric, c.split) }) {
                keys.append((c.source, m.metric, c.split))
            }
        }
        return keys.map { key in
            let errors = cases.filter { $0.split == key.split && $0.source == key.source }.compactMap { c in
                c.comparisons.first { $0.metric == key.metric }.map { (c.name, $0.error) }
            }
            let worst = errors.max { abs($0.1) < abs($1.1) }!
            return Summary(source: key.source, metric: key.metric, split: key.split, cases: errors.count,
                           medianAbsoluteError: median(errors.map { abs($0.1) }), worstError: worst.1, worstCase: worst.0)
        }
    }
}

extension FidelitySuite {
    /// The result of `fit`: the settings found and the fit split's errors with them.
    public struct Fit: Sendable {
        public var settings: SiliconSample.Settings
        /// Median |error| of TTFT and TPOT means over the fit split.
        public var ttftError: Double
        public var tpotError: Double
    }

    /// Searches the GPU-side step overhead (0 to 3 ms by 0.1 ms) and the per-request overhead
    /// (0 to 80 ms by 1 ms) for the least mean of the fit split's median |error| of TTFT and TPOT.
    /// TPOT hardly depends on the request overhead, so the step overhead is chosen on TPOT first
    /// (at the current request overhead), then the request overhead on TTFT.
    public static func fit(directory: String, jobs: Int = 1) throws -> Fit {
        let rows = try SiliconSample.load(path: directory + "/aiconfigurator/silicon_sample.csv").filter { split(of: $0) == .fit }
        guard !rows.isEmpty else { throw InputError(file: directory, "has no rows of the fit split") }
        func errors(_ settings: SiliconSample.Settings) -> (ttft: Double, tpot: Double) {
            let cases = parallelMap(rows.count, jobs: jobs) { siliconCase(rows[$0], settings: settings) }
            func medianError(_ metric: String) -> Double {
                median(cases.compactMap { c in c.comparisons.first { $0.metric == metric }.map { abs($0.error) } })
            }
            return (medianError("ttft.mean"), medianError("tpot.mean"))
        }
        var best = SiliconSample.Settings()
        var bestTPOT = Double.infinity
        for step in stride(from: 0.0, through: 0.003, by: 0.0001) {
            var s = best
            s.stepOverhead = step
            let e = errors(s).tpot
            if e < bestTPOT - 1e-12 { bestTPOT = e; best.stepOverhead = step }
        }
        var bestTTFT = Double.infinity
        var chosen = best
        for request in stride(from: 0.0, through: 0.08, by: 0.001) {
            var s = best
            s.requestOverhead = request
            let e = errors(s).ttft
            if e < bestTTFT - 1e-12 { bestTTFT = e; chosen = s }
        }
        let final = errors(chosen)
        return Fit(settings: chosen, ttftError: final.ttft, tpotError: final.tpot)
    }
}
