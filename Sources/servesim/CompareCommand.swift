import Foundation
import ServeSim

let compareHelp = """
    USAGE: servesim compare SCENARIO... [--replications N] [--seed N] [--set PATH=VALUE ...] [--format md,json,html] [--out DIR]
                            [--jobs N] [--raise-limits F] [--quiet]

    Runs several scenarios on common random numbers (the same seed for all, so the same arrivals
    and lengths wherever class names match) and prints a side-by-side table: p50/p95/p99 TTFT and
    E2E, TPOT p95, per SLO compliance, met and budget consumed, completed and failed requests,
    cost per request, per 1M output tokens, total and GPU-hours. The best value in each row is
    bold and marked "best". A scenario file with `variants` contributes its base and each variant.

    OPTIONS:
      --replications N   run each scenario with N seeds (seed, seed+1, ...); cells show mean and
                         95% Student-t half-width, and "(n.s.)" marks differences from the best
                         that are not significant (paired over replications) (default 1)
      --seed N           seed of replication 0 for every scenario (default: the first scenario's)
    \(setHelp(19))
                         (to every scenario, before a variant's own set)
    \(raiseLimitsHelp(19))
      --format LIST      files to write with --out: md, json, html (default md,json)
      --out DIR          write DIR/compare.<format>; the Markdown table always goes to stdout
      --jobs N           simulations run in parallel (default: the number of cores)
      --quiet            no progress line on stderr (shown only on a terminal, after a second)
    Exit codes: 0 compared, 2 bad input (nothing is written).
    """

func compareCommand(_ raw: [String]) -> Int32 {
    let args: Arguments
    do {
        args = try Arguments.parse(raw, command: "compare", options: ["replications", "seed", "set", "format", "out", "jobs", "raise-limits"],
                                   flags: ["quiet"])
    } catch let e as UsageError {
        printError(e.message); return Exit.badInput
    } catch { return Exit.badInput }
    if args.help { print(compareHelp); return Exit.ok }

    var problems: [String] = []
    let seed = parseSeed(args.options["seed"], command: "compare", problems: &problems)
    let limits = parseLimits(args.options["raise-limits"], command: "compare", problems: &problems)
    checkOutput(args.options["out"], isFile: false, command: "compare", problems: &problems)
    requireOut(forFormat: args.options["format"], out: args.options["out"], command: "compare", problems: &problems)
    let replications = parseCount(args.options["replications"], option: "replications", command: "compare",
                                  default: 1, problems: &problems)
    let jobs = parseCount(args.options["jobs"], option: "jobs", command: "compare",
                          default: ProcessInfo.processInfo.activeProcessorCount, problems: &problems)
    let formats = parseFormats(args.options["format"] ?? "md,json", allowed: ["md", "json", "html"], command: "compare",
                               problems: &problems)
    let overrides = parseOverrides(args.repeated["set"], command: "compare", problems: &problems)
    var scenarios: [Scenario] = []
    for path in args.positionals {
        do {
            scenarios += try ScenarioLoader.loadWithVariants(path: path, overrides: overrides, limits: limits)
        } catch let e as InputError {
            problems += e.diagnostics.map(\.description)
        } catch {
            problems.append("\(path): \(error)")
        }
    }
    if problems.isEmpty && scenarios.count < 2 {
        problems.append("servesim compare: needs at least two scenarios (files, or one file with variants)")
    }
    var names = Set<String>()
    for s in scenarios where !names.insert(s.name).inserted {
        problems.append("servesim compare: two scenarios are named \"\(s.name)\" (unique names, so columns can be told apart)")
    }
    if !problems.isEmpty {
        problems.forEach(printError)
        return Exit.badInput
    }

    let base = seed ?? scenarios[0].seed
    let line = ProgressLine.make(name: "compare", quiet: args.flags.contains("quiet"))
    line?.expect(scenarios.count * replications, "runs")
    let tick: (@Sendable () -> Void)? = line.map { l in { @Sendable in l.tick() } }
    let runs = scenarios.enumerated().map { k, s -> [Report] in
        line?.update(status: "\(s.name) (\(k + 1) of \(scenarios.count))")
        var s = s
        s.seed = base
        return Replications.run(s, count: replications, jobs: jobs, finished: tick)
    }
    line?.finish()
    let metrics = ReportMetric.standard(for: runs.flatMap { $0 }) + ReportMetric.outcomes
    let comparison = Comparison.make(names: scenarios.map(\.name), seed: base, runs: runs, metrics: metrics)
    let markdown = ReportRenderer.markdown(comparison)
    if let out = args.options["out"], !writeOutputs(formats, prefix: "\(out)/compare", command: "compare", render: { format in
        switch format {
        case "json": try ReportRenderer.json(encodable: comparison)
        case "html": Data(ComparisonHTML.render(comparison).utf8)
        default: Data(markdown.utf8)
        }
    }) {
        return Exit.badInput
    }
    print(markdown, terminator: "")
    return Exit.ok
}

