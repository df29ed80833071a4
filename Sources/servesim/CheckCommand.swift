import Foundation
import ServeSim

let checkHelp = """
    USAGE: servesim check SCENARIO|DIR... --baseline DIR [--tolerance 5%] [--junit FILE] [--seed N] [--set PATH=VALUE ...] [--quiet]
           servesim check SCENARIO|DIR... --baseline DIR --update [--seed N] [--set PATH=VALUE ...] [--quiet]

    Re-runs each scenario (a folder means every .json5 file in it) and compares its report with the
    baseline DIR/<name>.json: TTFT and E2E p95 and p99, each SLO's met flag and projected error
    budget consumed, and cost per request. A lower-is-better metric regresses when
    new > old x (1 + tolerance), a higher-is-better one when new < old x (1 - tolerance) (changes
    of 1e-9 or less never count); an SLO that was met and no longer is regresses whatever the
    tolerance. Improvements are reported and pass. A Markdown summary (verdict first, then a
    table per scenario) goes to stdout, each regression (metric, old, new, limit) to stderr.

    OPTIONS:
      --baseline DIR     folder of baseline reports, one <scenario name>.json each
      --tolerance T      relative tolerance, a percentage or a fraction: 5% or 0.05 (default 5%)
      --junit FILE       also write JUnit XML: a testsuite per scenario, a testcase per metric,
                         a failure per regression
      --update           re-record the baselines instead: write DIR/<name>.json, .md and .csv,
                         exactly what `servesim run SCENARIO --out DIR` writes
      --seed N           override the scenarios' seed
    \(setHelp(19))
    \(raiseLimitsHelp(19))
      --quiet            print only the verdict line (and regressions on stderr); no timing lines
    Exit codes: 0 no regression (or baselines recorded), 1 regression, 2 bad input (nothing is
    written).
    """

func checkCommand(_ raw: [String]) -> Int32 {
    let args: Arguments
    do {
        args = try Arguments.parse(raw, command: "check", options: ["baseline", "tolerance", "junit", "seed", "set", "raise-limits"],
                                   flags: ["update", "quiet"])
    } catch let e as UsageError {
        printError(e.message); return Exit.badInput
    } catch { return Exit.badInput }
    if args.help { print(checkHelp); return Exit.ok }

    var problems: [String] = []
    let update = args.flags.contains("update"), quiet = args.flags.contains("quiet")
    if args.positionals.isEmpty {
        problems.append("servesim check: no scenario given (one or more scenario files or folders of .json5 files)")
    }
    let baselineDir = args.options["baseline"]
    if baselineDir == nil {
        problems.append("servesim check: --baseline: missing (the folder of baseline reports, DIR/<scenario name>.json)")
    }
    let toleranceText = args.options["tolerance"] ?? "5%"
    let tolerance = RegressionCheck.parseTolerance(toleranceText)
    if tolerance == nil {
        problems.append("servesim check: --tolerance: \"\(toleranceText)\" is not a tolerance "
            + "(a percentage from 0% to 100% or a fraction from 0 to 1, e.g. 5% or 0.05)")
    }
    if update && args.options["junit"] != nil {
        problems.append("servesim check: --junit: nothing is compared with --update (use one or the other)")
    }
    let seed = parseSeed(args.options["seed"], command: "check", problems: &problems)
    let limits = parseLimits(args.options["raise-limits"], command: "check", problems: &problems)
    let overrides = parseOverrides(args.repeated["set"], command: "check", problems: &problems)
    let scenarios = args.positionals.isEmpty ? [] : loadScenarios(args.positionals, seed: seed, perIteration: nil, limits: limits,
                                                                  overrides: overrides, problems: &problems)

    // Every baseline is read before anything runs, so all problems come out at once.
    var baselines: [Report] = []
    if let baselineDir, !update {
        for scenario in scenarios {
            let path = (baselineDir as NSString).appendingPathComponent("\(scenario.name).json")
            guard FileManager.default.fileExists(atPath: path) else {
                problems.append("servesim check: no baseline \(path) (run with --update to record it)")
                continue
            }
            do {
                let baseline = try RegressionCheck.loadBaseline(path: path)
                if baseline.scenario != scenario.name {
                    problems.append("\(path): scenario: \"\(baseline.scenario)\" is not the scenario's name "
                        + "(the report of scenario \"\(scenario.name)\"; run with --update to record it)")
                }
                baselines.append(baseline)
            } catch let e as InputError {
                problems += e.diagnostics.map(\.description)
            } catch {
                problems.append("\(path): \(error)")
            }
        }
    }
    guard problems.isEmpty, let baselineDir, let tolerance else {
        problems.forEach(printError)
        return Exit.badInput
    }

    var results: [RegressionCheck.ScenarioResult] = []
    for (index, scenario) in scenarios.enumerated() {
        let started = Date()
        let (report, result) = ScenarioRunner.run(scenario)
        let wall = Date().timeIntervalSince(started)
        if !quiet { printError(timingLine(scenario.name, wall: wall, events: result.events, requests: result.arrived)) }
        if update {
            let base = (baselineDir as NSString).appendingPathComponent(scenario.name)
            do {
                // The same files and bytes as `servesim run SCENARIO --out DIR --format json,md,csv`.
                for format in ["json", "md", "csv"] {
                    try writeAtomically(ReportRenderer.render(report, format: format), to: "\(base).\(format)")
                }
            } catch {
                printError("servesim check: \(baselineDir): cannot write baselines: \(error.localizedDescription)")
                return Exit.badInput
            }
            if !quiet { print("servesim check: recorded \(base).json, .md and .csv") }
        } else {
            results.append(RegressionCheck.compare(baseline: baselines[index], current: report, tolerance: tolerance))
        }
    }
    if update { return Exit.ok }

    if let junit = args.options["junit"] {
        do {
            try writeAtomically(Data(JUnitXML.render(results).utf8), to: junit)
        } catch {
            printError("servesim check: --junit: \(junit): cannot write: \(error.localizedDescription)")
            return Exit.badInput
        }
    }
    if quiet {
        print(RegressionCheck.verdict(results, tolerance: tolerance))
    } else {
        print(RegressionCheck.markdown(results, tolerance: tolerance), terminator: "")
    }
    for result in results {
        for metric in result.regressions { printError("servesim check: \(result.scenario): \(metric.message)") }
    }
    return results.allSatisfy(\.passed) ? Exit.ok : Exit.failure
}
