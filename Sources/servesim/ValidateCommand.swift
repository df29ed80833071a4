import Foundation
import ServeSim

let validateHelp = """
    USAGE: servesim validate [--profile FILE] [--requests N] [--rate R] [--seed N] [--tolerance 10%] [--out FILE]
           servesim validate --replay RUN [--profile FILE] [--tolerance 10%] [--out FILE]

    Without --replay: serves real requests on this machine with the transformer kernel of a
    calibrated profile (default profiles/kernel-base.json). Requests arrive on a seeded Poisson
    schedule in real time; the simulator's own continuous-batching scheduler decides each step and
    the kernel runs it. Then the same arrivals and token lengths are simulated with the profile.
    Prints both side by side (TTFT, TPOT, E2E, queue wait: mean, p50, p90, p95, p99) with relative
    errors and exits 1 when p95 TTFT or p95 E2E differ by more than the tolerance.

    Replays a recorded real serving run through the simulator: the same arrivals and exact token
    counts, the run's max_num_seqs, max_num_batched_tokens and KV capacity, one replica of its GPU.
    Prints measured and simulated TTFT, TPOT and E2E (mean, p50, p90, p95, p99) with relative
    errors, writes them as JSON, and exits 1 when p95 TTFT or p95 E2E differ by more than the
    tolerance. RUN is the folder of a run (config.json, vllm/meta.json, vllm/requests.jsonl) or
    its requests.jsonl.

    OPTIONS:
      --replay RUN        the recorded run
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
        args = try Arguments.parse(raw, command: "validate", options: ["replay", "profile", "tolerance", "out", "requests", "rate", "seed"],
                                   flags: [])
    } catch let e as UsageError { printError(e.message); return Exit.badInput } catch { return Exit.badInput }
    if args.help { print(validateHelp); return Exit.ok }
    let toleranceText = args.options["tolerance"] ?? "10%"
    guard let tolerance = parsePercent(toleranceText), tolerance > 0 else {
        printError("servesim validate: --tolerance: \"\(toleranceText)\" is not a percentage (e.g. 10%)")
        return Exit.badInput
    }
    guard let replay = args.options["replay"] else { return validateKernel(args, tolerance: tolerance) }
    do {
        let run = try RecordedRun.load(path: replay)
        var model: (any StepTimeModel)?
        if let profile = args.options["profile"] { model = try ProfileLoader.load(path: profile).model }
        let rows = try ReplayValidation.compare(run, model: model)
        let label = args.options["profile"] ?? "roofline (\(run.hardwarePreset?.name ?? run.gpu) preset)"
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
