import Foundation
import ServeSim

let checkHelp = """
    USAGE: servesim check SCENARIO|DIR... --baseline DIR [--tolerance 5%] [--replications N] [--require-slos]
                          [--junit FILE] [--jobs N] [--seed N] [--set PATH=VALUE ...] [--quiet]
           servesim check SCENARIO|DIR... --baseline DIR --update [--replications N] [--jobs N] [--seed N] [--quiet]

    Re-runs each scenario (a folder means every .json5 file in it) and compares its report with the
    baseline DIR/<name>.json: TTFT and E2E p95 and p99, each SLO's met flag and projected error
    budget consumed, and cost per request. A lower-is-better metric regresses when
    new > old x (1 + tolerance), a higher-is-better one when new < old x (1 - tolerance) (changes
    of 1e-9 or less never count); an SLO that was met and no longer is regresses whatever the
    tolerance. Improvements are reported and pass; an SLO the baseline already missed is reported
    as not met and passes unless --require-slos. A Markdown summary (verdict first, then a table
    per scenario) goes to stdout, each regression (metric, old, new, limit) to stderr.

    OPTIONS:
      --baseline DIR     folder of baseline reports, one <scenario name>.json each
      --tolerance T      relative tolerance, a percentage or a fraction: 5% or 0.05 (default 5%)
      --replications N   run N seeds (the scenario's, then +1, ...) and compare means with the
                         baseline's DIR/<name>.replications.json (recorded by --update
                         --replications N): a metric regresses only when it is worse beyond the
                         tolerance and significantly (95% Welch interval of the difference)
      --require-slos     fail on every SLO that is not met, also one the baseline missed
      --junit FILE       also write JUnit XML: a testsuite per scenario, a testcase per metric,
                         a failure per regression
      --update           re-record the baselines instead: write DIR/<name>.json, .md and .csv,
                         exactly what `servesim run SCENARIO --out DIR` writes (and with
                         --replications, DIR/<name>.replications.json)
      --jobs N           simulations run in parallel (default: the number of cores; the output
                         is the same whatever N is)
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
        args = try Arguments.parse(raw, command: "check", options: ["baseline", "tolerance", "junit", "seed", "set", "raise-limits",
                                                                  "replications", "jobs"],
                                   flags: ["update", "quiet", "require-slos"])
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
    let replications = parseCount(args.options["replications"], option: "replications", command: "check", default: 1,
                                  problems: &problems)
    let jobs = parseCount(args.options["jobs"], option: "jobs", command: "check",
                          default: ProcessInfo.processInfo.activeProcessorCount, problems: &problems)
    let requireSLOs = args.flags.contains("require-slos")
    if update && requireSLOs {
        problems.append("servesim check: --require-slos: nothing is judged with --update (use one or the other)")
    }
    let limits = parseLimits(args.options["raise-limits"], command: "check", problems: &problems)
    let overrides = parseOverrides(args.repeated["set"], command: "check", problems: &problems)
    let scenarios = args.positionals.isEmpty ? [] : loadScenarios(args.positionals, seed: seed, perIteration: nil, limits: limits,
                                                                  overrides: overrides, problems: &problems)

    // Every baseline is read before anything runs, so all problems come out at once.
    var baselines: [Report] = []
    var summaries: [ReplicationSummary] = []
    if let baselineDir, !update, replications > 1 {
        for scenario in scenarios {
            let path = (baselineDir as NSString).appendingPathComponent("\(scenario.name).replications.json")
            guard let data = FileManager.default.contents(atPath: path) else {
                problems.append("servesim check: no baseline \(path) (record it with --update --replications N)")
                continue
            }
            do {
                let summary = try JSONDecoder().decode(ReplicationSummary.self, from: data)
                if summary.scenario != scenario.name {
                    problems.append("\(path): scenario: \"\(summary.scenario)\" is not the scenario's name "
                        + "(the replications of scenario \"\(scenario.name)\"; record them with --update --replications N)")
                }
                summaries.append(summary)
            } catch {
                problems.append("\(path): is not a replication summary (record it with --update --replications N)")
            }
        }
    }
    if let baselineDir, !update, replications == 1 {
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

    // Every (scenario, replication) run is independent: all of them on `jobs` threads, kept by
    // index, so the output does not depend on scheduling.
    struct Run: Sendable { var report: Report; var events: Int; var arrived: Int; var wall: Double }
    let tasks = scenarios.indices.flatMap { i in (0..<replications).map { (i, $0) } }
    let line = ProgressLine.make(name: "check", quiet: quiet)
    line?.expect(tasks.count, "runs")
    let runs = parallelMap(tasks.count, jobs: jobs) { t -> Run in
        var scenario = scenarios[tasks[t].0]
        scenario.seed = scenario.seed &+ UInt64(tasks[t].1)
        let started = Date()
        let (report, result) = ScenarioRunner.run(scenario)
        line?.tick()
        return Run(report: report, events: result.events, arrived: result.arrived, wall: Date().timeIntervalSince(started))
    }
    line?.finish()
    var results: [RegressionCheck.ScenarioResult] = []
    for (index, scenario) in scenarios.enumerated() {
        let mine = runs[(index * replications)..<((index + 1) * replications)]
        let report = mine.first!.report
        if !quiet {
            let first = mine.first!
            printError(timingLine(scenario.name, wall: first.wall, events: first.events, requests: first.arrived)
                       + (replications > 1 ? " (replication 0 of \(replications))" : ""))
        }
        if update {
            let base = (baselineDir as NSString).appendingPathComponent(scenario.name)
            do {
                // The same files and bytes as `servesim run SCENARIO --out DIR --format json,md,csv`.
                for format in ["json", "md", "csv"] {
                    try writeAtomically(ReportRenderer.render(report, format: format), to: "\(base).\(format)")
                }
                if replications > 1 {
                    let summary = ReplicationSummary.make(scenario: scenario.name,
                                                          seeds: Replications.seeds(base: scenario.seed, count: replications),
                                                          reports: mine.map(\.report))
                    try writeAtomically(try ReportRenderer.json(encodable: summary), to: "\(base).replications.json")
                }
            } catch {
                printError("servesim check: \(baselineDir): cannot write baselines: \(error.localizedDescription)")
                return Exit.badInput
            }
            if !quiet { print("servesim check: recorded \(base).json, .md and .csv" + (replications > 1 ? " and .replications.json" : "")) }
        } else if replications > 1 {
            results.append(compareReplications(baseline: summaries[index], current: mine.map(\.report), tolerance: tolerance,
                                               requireSLOs: requireSLOs))
        } else {
            results.append(RegressionCheck.compare(baseline: baselines[index], current: report, tolerance: tolerance,
                                                   requireSLOs: requireSLOs))
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

/// Replications of a scenario against its recorded replication summary (means, Welch intervals).
func compareReplications(baseline: ReplicationSummary, current: [Report], tolerance: Double,
                         requireSLOs: Bool) -> RegressionCheck.ScenarioResult {
    let baselineSLOs = baseline.metrics.compactMap { m -> String? in
        guard m.key.hasPrefix("slo."), m.key.hasSuffix(".met") else { return nil }
        return String(m.key.dropFirst(4).dropLast(4))
    }
    let guarded = RegressionCheck.metrics(sloNames: baselineSLOs + current.flatMap { $0.slos.map(\.name) })
    return RegressionCheck.compare(
        scenario: current[0].scenario, baselineSeed: baseline.seeds.first ?? 0, currentSeed: current[0].seed, guarded: guarded,
        baseline: { g in baseline.metrics.first { $0.key == g.metric.key }?.values },
        current: { RegressionCheck.values(current, $0) },
        tolerance: tolerance, requireSLOs: requireSLOs)
}
