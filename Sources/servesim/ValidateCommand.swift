import Foundation
import ServeSim

let validateHelp = """
    USAGE: servesim validate [--profile FILE] [--requests N] [--rate R] [--seed N] [--tolerance 10%] [--out FILE]
           servesim validate --replay RUN [--profile FILE] [--model PRESET] [--hardware PRESET] [--tp N]
                             [--tolerance 10%] [--out FILE]
           servesim validate --suite DIR [--fit] [--markdown] [--jobs N] [--out FILE]

    Without --replay: serves real requests on this machine with the transformer kernel of a
    calibrated profile (default profiles/kernel-base.json). Requests arrive on a seeded Poisson
    schedule in real time; the simulator's own continuous-batching scheduler decides each step and
    the kernel runs it. Then the same arrivals and token lengths are simulated with the profile.
    Prints both side by side (TTFT, TPOT, E2E, queue wait: mean, p50, p90, p95, p99) with relative
    errors and exits 1 when p95 TTFT or p95 E2E differ by more than the tolerance. First it
    re-measures the profile's reference step (a mid-grid decode sample) and warns when this
    machine is more than 10% faster or slower than the profile says.

    Replays a recorded real serving run through the simulator: the same arrivals and exact token
    counts, the run's model, tensor parallelism, formats, max_num_seqs, max_num_batched_tokens and
    KV capacity as its config states them (--model, --hardware and --tp override), one replica of
    its GPU, timed as a scenario's roofline pool would be.
    Prints measured and simulated TTFT, TPOT and E2E (mean, p50, p90, p95, p99) with relative
    errors, writes them as JSON, and exits 1 when p95 TTFT or p95 E2E differ by more than the
    tolerance. RUN is the folder of a run (config.json, vllm/meta.json, vllm/requests.jsonl) or
    its requests.jsonl.

    --suite DIR: the fidelity suite. Replays every public measurement in DIR (../shared/data:
    aiconfigurator's silicon_sample.csv vLLM rows as closed-loop benchmarks, the real_vllm runs)
    and prints each case's measured and simulated figures, then per source, metric and split
    (fit: what the defaults were fitted on; heldOut: the rest) the median and worst error. With
    --fit, searches the defaults' fitted values on the fit split instead; with --markdown, prints
    only the summary as the README's Markdown table (a test holds the suite to that table).

    OPTIONS:
      --replay RUN        the recorded run
      --model PRESET      replay: the model instead of the run's
      --hardware PRESET   replay: the GPU instead of the run's
      --tp N              replay: tensor parallelism instead of the run's
      --suite DIR         the data folder of the fidelity suite
      --fit               suite: fit the defaults on the fit split
      --markdown          suite: print the summary as a Markdown table
      --jobs N            suite: threads (default: every core)
      --profile FILE      step-time profile (replay default: the roofline of the run's GPU preset;
                          kernel default: profiles/kernel-base.json)
      --requests N        kernel mode: requests to serve (default 60)
      --rate R            kernel mode: requests per second (default 1.5)
      --seed N            kernel mode: seed of arrivals and lengths (default 1)
      --tolerance PCT     allowed |relative error| of p95 TTFT and p95 E2E (default 10%)
      --out FILE          write the comparison as JSON
    Exit codes: 0 within tolerance, 1 outside, 2 bad input.
    """

func validateCommand(_ raw: [String]) -> Int32 {
    let args: Arguments
    do {
        args = try Arguments.parse(raw, command: "validate", options: ["replay", "profile", "tolerance", "out", "requests", "rate", "seed",
                                                                       "suite", "jobs", "model", "hardware", "tp"],
                                   flags: ["fit", "markdown"])
    } catch let e as UsageError { printError(e.message); return Exit.badInput } catch { return Exit.badInput }
    if args.help { print(validateHelp); return Exit.ok }
    let toleranceText = args.options["tolerance"] ?? "10%"
    guard let tolerance = parsePercent(toleranceText), tolerance > 0 else {
        printError("servesim validate: --tolerance: \"\(toleranceText)\" is not a percentage (e.g. 10%)")
        return Exit.badInput
    }
    if let suite = args.options["suite"] { return validateSuite(suite, args) }
    guard let replay = args.options["replay"] else { return validateKernel(args, tolerance: tolerance) }
    do {
        let run = try RecordedRun.load(path: replay)
        var model: (any StepTimeModel)?
        if let profile = args.options["profile"] { model = try ProfileLoader.load(path: profile).model }
        var overrides = ReplayValidation.Overrides()
        var problems: [String] = []
        if let name = args.options["model"] {
            overrides.model = ModelSpec.preset(matching: name)
            if overrides.model == nil {
                problems.append(unknownPreset(name, kind: "model", names: ModelSpec.presets.map(\.name), option: "model", command: "validate",
                                              or: "or a Hugging Face id of one"))
            }
        }
        if let name = args.options["hardware"] {
            overrides.hardware = HardwareSpec.preset(matching: name)
            if overrides.hardware == nil {
                problems.append(unknownPreset(name, kind: "hardware", names: HardwareSpec.presets.map(\.name), option: "hardware", command: "validate"))
            }
        }
        if let text = args.options["tp"] {
            if let n = Int(text), n >= 1, n <= 64 { overrides.tensorParallel = n } else { problems.append("servesim validate: --tp: an integer from 1 to 64") }
        }
        guard problems.isEmpty else { problems.forEach(printError); return Exit.badInput }
        let scenario = try ReplayValidation.scenario(for: run, model: model, overrides: overrides)
        let rows = try ReplayValidation.compare(run, model: model, overrides: overrides)
        let shape = scenario.pools[0]
        let label = args.options["profile"] ?? "\(shape.model) on \(shape.gpusPerReplica) x \(shape.hardware), \(shape.timing)"
        print(rows.table(title: "replay of \(run.name) (\(run.requests.count) requests) with \(label)"))
        return verdict(rows, run: run.name, model: label, requests: run.requests.count, tolerance: tolerance,
                       out: args.options["out"])
    } catch let e as InputError {
        e.diagnostics.forEach { printError($0.description) }
        return Exit.badInput
    } catch {
        printError("servesim validate: \(error)")
        return Exit.badInput
    }
}

/// "10%" or "0.1" as a fraction.
func parsePercent(_ text: String) -> Double? {
    text.hasSuffix("%") ? Double(text.dropLast()).map { $0 / 100 } : Double(text)
}

/// `servesim validate` without --replay: a real serving loop on the kernel against the simulation.
func validateKernel(_ args: Arguments, tolerance: Double) -> Int32 {
    var options = KernelValidation.Options()
    var problems: [String] = []
    if let text = args.options["requests"] {
        if let n = Int(text), n >= 1 { options.requests = n } else { problems.append("servesim validate: --requests: must be an integer >= 1") }
    }
    if let text = args.options["rate"] {
        if let r = Double(text), r > 0, r.isFinite { options.rate = r } else { problems.append("servesim validate: --rate: must be a number > 0") }
    }
    if let text = args.options["seed"] {
        if let s = UInt64(text) { options.seed = s } else { problems.append("servesim validate: --seed: must be a non-negative integer") }
    }
    let path = args.options["profile"] ?? "profiles/kernel-base.json"
    var profile: CalibratedProfile?
    do { profile = try CalibratedProfile.load(path: path) } catch let e as InputError {
        problems += e.diagnostics.map(\.description)
    } catch { problems.append("\(path): \(error)") }
    guard problems.isEmpty, let profile else { problems.forEach(printError); return Exit.badInput }
    if let drift = KernelValidation.drift(profile: profile) {
        let line = String(format: "reference step (decode batch %d, context %d): %.3f ms now, %.3f ms in the profile (%+.1f%%)",
                          drift.sample.batch, drift.sample.context, drift.measured * 1e3, drift.sample.seconds * 1e3, drift.change * 100)
        if abs(drift.change) > KernelValidation.driftWarningThreshold {
            printError("servesim validate: warning: this machine's speed has drifted from the profile's: \(line); "
                       + "re-run `servesim calibrate` for figures that hold here")
        } else {
            printError("servesim validate: \(line)")
        }
    }
    printError("servesim validate: serving \(options.requests) requests at \(options.rate) req/s on the \(profile.model.name) kernel"
               + " (about \(Int(Double(options.requests) / options.rate)) s), then simulating them")
    guard let outcome = KernelValidation.run(profile: profile, options: options) else {
        printError("\(path): model.name: \"\(profile.model.name)\" is not a kernel model (tiny, small, base)")
        return Exit.badInput
    }
    let rows = outcome.comparisons
    print(rows.table(title: "kernel \(profile.model.name): real serving (measured) vs simulation with \(path)"))
    print(String(format: "real run: %.1f s wall, %d steps, kernel busy %.0f%% of the time", outcome.wallSeconds, outcome.steps,
                 outcome.utilization * 100))
    return verdict(rows, run: "kernel-\(profile.model.name)", model: path, requests: options.requests, tolerance: tolerance,
                   out: args.options["out"])
}

/// Prints whether p95 TTFT and p95 E2E are within tolerance, writes the JSON summary when asked,
/// and returns the exit code (0 within, 1 outside, 2 when the summary cannot be written).
func verdict(_ rows: [MetricComparison], run: String, model: String, requests: Int, tolerance: Double, out: String?) -> Int32 {
    let worst = rows.filter { $0.metric == "ttft" || $0.metric == "e2e" }.map { abs($0.relativeError("p95")) }.max() ?? 0
    let within = worst <= tolerance
    print(String(format: "p95 TTFT and E2E within %.1f%%: %@ (worst %.1f%%)", tolerance * 100, within ? "yes" : "no", worst * 100))
    if let out {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        let summary = ValidationSummary(run: run, model: model, requests: requests, tolerance: tolerance,
                                        withinTolerance: within, comparisons: rows)
        do { try writeAtomically(try encoder.encode(summary), to: out) } catch {
            printError("servesim validate: \(out): \(error)"); return Exit.badInput
        }
    }
    return within ? Exit.ok : Exit.failure
}

/// `servesim validate --suite DIR`: every public measurement replayed (`FidelitySuite`); prints a
/// line per case and the median and worst error per metric and split; `--out` writes both as JSON.
func validateSuite(_ directory: String, _ args: Arguments) -> Int32 {
    let jobs = args.options["jobs"].flatMap(Int.init) ?? ProcessInfo.processInfo.activeProcessorCount
    do {
        if args.flags.contains("fit") {
            let fit = try FidelitySuite.fit(directory: directory, jobs: max(1, jobs))
            print(String(format: "fit split: stepOverhead %.1f ms, requestOverhead %.0f ms: median |error| TTFT %.1f%%, TPOT %.1f%%",
                         fit.settings.stepOverhead * 1e3, fit.settings.requestOverhead * 1e3, fit.ttftError * 100, fit.tpotError * 100))
            return Exit.ok
        }
        let cases = try FidelitySuite.run(directory: directory, jobs: max(1, jobs))
        print(args.flags.contains("markdown") ? FidelityTable.markdown(cases) : FidelityTable.text(cases))
        if let out = args.options["out"] {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
            struct Output: Encodable { var cases: [FidelitySuite.Case]; var summary: [FidelitySuite.Summary] }
            try writeAtomically(try encoder.encode(Output(cases: cases, summary: FidelitySuite.summarize(cases))), to: out)
        }
        return Exit.ok
    } catch let e as InputError {
        e.diagnostics.forEach { printError($0.description) }
        return Exit.badInput
    } catch {
        printError("servesim validate --suite: \(error)")
        return Exit.badInput
    }
}
