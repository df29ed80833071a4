import Foundation
import ServeSim

let runHelp = """
    USAGE: servesim run [SCENARIO|DIR ...] [--out DIR] [--seed N] [--set PATH=VALUE ...] [--format json,md,csv,series,html]
                        [--replications N] [--raise-limits F] [--jobs N] [--per-iteration] [--quiet]

    Simulates each scenario (a folder means every .json5 file in it; none means the built-in
    default, scenarios/chat-h100.json5) and writes DIR/<name>.<format> for each format (default
    json,md,csv into ./out). The Markdown summary also goes to stdout; a timing line goes to stderr,
    and a progress line while a scenario takes more than a second (when stderr is a terminal).

    OPTIONS:
      --out DIR          folder for reports (default: out)
      --seed N           override the scenarios' seed
    \(setHelp(19))
    \(raiseLimitsHelp(19))
      --format LIST      comma-separated: json, md, csv (per class), series (time series as
                         <name>.series.csv), html (one self-contained page with tables and
                         charts) (default: json,md,csv)
      --replications N   also run N seeds (the scenario's, then +1, ...) and write
                         <name>.replications.{md,json}: mean and 95% Student-t interval per metric
      --jobs N           replications run in parallel (default: the number of cores)
      --per-iteration    simulate every decode step as an event (the reference mode; slower)
      --quiet            no timing or progress line on stderr
    Exit codes: 0 ran, 2 bad input (nothing is written).
    """

func runCommand(_ raw: [String]) -> Int32 {
    let args: Arguments
    do {
        args = try Arguments.parse(raw, command: "run", options: ["out", "seed", "set", "format", "replications", "jobs", "raise-limits"],
                                   flags: ["per-iteration", "quiet"])
    } catch let e as UsageError {
        printError(e.message); return Exit.badInput
    } catch { return Exit.badInput }
    if args.help { print(runHelp); return Exit.ok }

    var problems: [String] = []
    let seed = parseSeed(args.options["seed"], command: "run", problems: &problems)
    let formats = parseFormats(args.options["format"] ?? "json,md,csv", allowed: ["json", "md", "csv", "series", "html"],
                               command: "run", problems: &problems)
    let replications = parseCount(args.options["replications"], option: "replications", command: "run", default: 1,
                                  problems: &problems)
    let jobs = parseCount(args.options["jobs"], option: "jobs", command: "run",
                          default: ProcessInfo.processInfo.activeProcessorCount, problems: &problems)
    let limits = parseLimits(args.options["raise-limits"], command: "run", problems: &problems)
    checkOutput(args.options["out"] ?? "out", isFile: false, command: "run", problems: &problems)
    let overrides = parseOverrides(args.repeated["set"], command: "run", problems: &problems)
    let scenarios = loadScenarios(args.positionals, seed: seed, perIteration: args.flags.contains("per-iteration") ? true : nil,
                                  limits: limits, overrides: overrides, problems: &problems)
    if !problems.isEmpty {
        problems.forEach(printError)
        return Exit.badInput
    }
    let outDir = args.options["out"] ?? "out"
    for scenario in scenarios {
        let started = Date()
        let progressLine = ProgressLine.make(name: scenario.name, quiet: args.flags.contains("quiet"))
        let (report, result) = ScenarioRunner.run(scenario, progress: progressLine.map { line in { line.update($0) } })
        progressLine?.finish()
        let wall = Date().timeIntervalSince(started)
        do {
            for format in formats {
                let ext = format == "series" ? "series.csv" : format
                let data = format == "html" ? Data(HTMLReport.render(report, metrics: result.metrics).utf8)
                    : ReportRenderer.render(report, format: format)
                try writeAtomically(data, to: "\(outDir)/\(scenario.name).\(ext)")
            }
        } catch {
            printError("servesim run: \(outDir): cannot write reports: \(error.localizedDescription)")
            return Exit.badInput
        }
        print(String(decoding: ReportRenderer.render(report, format: "md"), as: UTF8.self))
        if replications > 1 {
            do { try runReplications(scenario, count: replications, jobs: jobs, outDir: outDir, quiet: args.flags.contains("quiet")) } catch {
                printError("servesim run: \(outDir): cannot write reports: \(error.localizedDescription)")
                return Exit.badInput
            }
        }
        if !args.flags.contains("quiet") {
            printError(timingLine(scenario.name, wall: wall, events: result.events, requests: result.arrived))
        }
    }
    return Exit.ok
}

func timingLine(_ name: String, wall: Double, events: Int, requests: Int) -> String {
    let w = max(wall, 1e-9)
    return String(format: "%@: %.3f s wall, %d events (%.0f/s), %d requests (%.0f simulated requests/s)",
                  name, wall, events, Double(events) / w, requests, Double(requests) / w)
}

/// Loads every scenario (files, folders of .json5 files, or the built-in default) with
/// `overrides` (`--set`) applied to each, collecting all problems of all files before anything runs.
func loadScenarios(_ paths: [String], seed: UInt64?, perIteration: Bool?, limits: RunLimits = .standard,
                   overrides: [ScenarioOverride] = [], problems: inout [String]) -> [Scenario] {
    var files: [String] = []
    for path in paths {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
            let entries = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
            let found = entries.filter { $0.hasSuffix(".json5") }.sorted()  // as documented: a report folder holds .json files
            // A wrong folder must not turn a CI run green by checking nothing.
            if found.isEmpty { problems.append("\(path): has no .json5 scenario files (a folder of scenarios, or a scenario file)") }
            files += found.map { (path as NSString).appendingPathComponent($0) }
        } else {
            files.append(path)
        }
    }
    var scenarios: [Scenario] = []
    if paths.isEmpty {
        do {
            let source = try ScenarioSource.parse(Data(DefaultScenario.text.utf8), file: DefaultScenario.name, baseDirectory: ".",
                                                  limits: limits)
            scenarios.append(try source.scenario(overrides: overrides, seed: seed, perIteration: perIteration))
        } catch let e as InputError { problems += e.diagnostics.map(\.description) } catch { problems.append("\(error)") }
    }
    for file in files {
        do {
            scenarios.append(try ScenarioLoader.load(path: file, overrides: overrides, seed: seed, perIteration: perIteration,
                                                     limits: limits))
        } catch let e as InputError {
            problems += e.diagnostics.map(\.description)
        } catch {
            problems.append("\(file): \(error)")
        }
    }
    var seen: [String: String] = [:]
    for (s, file) in zip(scenarios, paths.isEmpty ? [DefaultScenario.name] : files) {
        if let other = seen[s.name] {
            problems.append("\(file): name: \"\(s.name)\" is also the name of \(other) (unique names: reports are named after them)")
        }
        seen[s.name] = file
    }
    return scenarios
}
