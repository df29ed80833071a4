import Foundation
import ServeSim

let validateHelp = """
    USAGE: servesim validate --replay RUN [--profile FILE] [--tolerance 10%] [--out FILE]

    Replays a recorded real serving run through the simulator: the same arrivals and exact token
    counts, the run's max_num_seqs, max_num_batched_tokens and KV capacity, one replica of its GPU.
    Prints measured and simulated TTFT, TPOT and E2E (mean, p50, p90, p95, p99) with relative
    errors, writes them as JSON, and exits 1 when p95 TTFT or p95 E2E differ by more than the
    tolerance. RUN is the folder of a run (config.json, vllm/meta.json, vllm/requests.jsonl) or
    its requests.jsonl.

    OPTIONS:
      --replay RUN        the recorded run
      --profile FILE      step-time profile (default: the roofline of the run's GPU preset)
      --tolerance PCT     allowed |relative error| of p95 TTFT and p95 E2E (default 10%)
      --out FILE          write the comparison as JSON
    Exit codes: 0 within tolerance, 1 outside, 2 bad input.
    """

func validateCommand(_ raw: [String]) -> Int32 {
    let args: Arguments
    do {
        args = try Arguments.parse(raw, command: "validate", options: ["replay", "profile", "tolerance", "out"], flags: [])
    } catch let e as UsageError { printError(e.message); return Exit.badInput } catch { return Exit.badInput }
    if args.help { print(validateHelp); return Exit.ok }
    guard let replay = args.options["replay"] else {
        printError("servesim validate: --replay RUN is required (a recorded run to compare with)")
        return Exit.badInput
    }
    let toleranceText = args.options["tolerance"] ?? "10%"
    guard let tolerance = parsePercent(toleranceText), tolerance > 0 else {
        printError("servesim validate: --tolerance: \"\(toleranceText)\" is not a percentage (e.g. 10%)")
        return Exit.badInput
    }
    do {
        let run = try RecordedRun.load(path: replay)
        var model: (any StepTimeModel)?
        if let profile = args.options["profile"] { model = try ProfileLoader.load(path: profile).model }
        let rows = try ReplayValidation.compare(run, model: model)
        let label = args.options["profile"] ?? "roofline (\(run.hardwarePreset?.name ?? run.gpu) preset)"
        print(rows.table(title: "replay of \(run.name) (\(run.requests.count) requests) with \(label)"))
        let worst = rows.filter { $0.metric == "ttft" || $0.metric == "e2e" }.map { abs($0.relativeError("p95")) }.max() ?? 0
        let within = worst <= tolerance
        print(String(format: "p95 TTFT and E2E within %.1f%%: %@ (worst %.1f%%)", tolerance * 100, within ? "yes" : "no", worst * 100))
        if let out = args.options["out"] {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
            let result = ValidationSummary(run: run.name, model: label, requests: run.requests.count, tolerance: tolerance,
                                           withinTolerance: within, comparisons: rows)
            try writeAtomically(try encoder.encode(result), to: out)
        }
        return within ? Exit.ok : Exit.failure
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
