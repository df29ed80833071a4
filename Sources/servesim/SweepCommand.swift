import Foundation
import ServeSim

let sweepHelp = """
    USAGE: servesim sweep SCENARIO --set PATH=VALUES [--set ...] [--jobs N] [--shard K/N]
                          [--out FILE] [--format csv|json] [--seed N] [--raise-limits F] [--quiet]

    Runs the scenario once per point of a parameter grid and writes one table: a row per point
    (point index, the swept values, request counts, latency percentiles in seconds, SLO
    compliance, cost in USD). Every point is validated before any runs. The table is the same,
    byte for byte, whatever --jobs is.

    OPTIONS:
      --set PATH=VALUES  a scenario field by dotted path (pools.0.replicas, slos.1.threshold)
                         and its values: a comma list (a,b,c; each read as JSON5 when it parses,
                         else as a string), an integer range (4..16) or a stepped one (4..16:4).
                         Several --set make the cartesian product, the first varying slowest.
      --jobs N           points simulated at once (default: the number of active processors)
      --shard K/N        run only the points whose index modulo N is K-1 (1 <= K <= N) and write
                         a shard for `servesim merge` (a CSV shard is a plain table; which sweep
                         it belongs to goes beside it in FILE.shard.json)
      --out FILE         write the table here, atomically (default: stdout)
      --format FORMAT    csv or json (default: from the --out extension, else csv)
      --seed N           override every point's seed
    \(raiseLimitsHelp(19))
      --quiet            no progress lines on stderr
    Exit codes: 0 ran, 2 bad input (nothing is written).
    """

func sweepCommand(_ raw: [String]) -> Int32 {
    let args: Arguments
    do {
        args = try Arguments.parse(raw, command: "sweep", options: ["set", "jobs", "shard", "out", "format", "seed", "raise-limits"],
                                   flags: ["quiet"])
    } catch let e as UsageError {
        printError(e.message); return Exit.badInput
    } catch { return Exit.badInput }
    if args.help { print(sweepHelp); return Exit.ok }

    var problems: [String] = []
    if args.positionals.count != 1 {
        problems.append("servesim sweep: SCENARIO: \(args.positionals.count) scenario files given (exactly one)")
    }
    var axes: [SweepAxis] = []
    let sets = args.repeated["set"] ?? []
    if sets.isEmpty {
        problems.append("servesim sweep: --set: none given (at least one PATH=VALUES, e.g. --set pools.0.replicas=1..8)")
    }
    for text in sets {
        do { axes.append(try SweepAxis.parse(text)) } catch { problems.append("servesim sweep: --set: \(error)") }
    }
    var grid: SweepGrid?
    if problems.isEmpty {
        do { grid = try SweepGrid(axes: axes) } catch { problems.append("servesim sweep: --set: \(error)") }
    }
    let jobs = parseCount(args.options["jobs"], option: "jobs", command: "sweep",
                          default: ProcessInfo.processInfo.activeProcessorCount, problems: &problems)
    var shard: SweepShard?
    if let text = args.options["shard"] {
        do { shard = try SweepShard.parse(text) } catch { problems.append("servesim sweep: --shard: \(error)") }
    }
    let seed = parseSeed(args.options["seed"], command: "sweep", problems: &problems)
    let limits = parseLimits(args.options["raise-limits"], command: "sweep", problems: &problems)
    checkOutput(args.options["out"], isFile: true, command: "sweep", problems: &problems)
    if seed != nil, axes.contains(where: { $0.path == ["seed"] }) {
        problems.append("servesim sweep: --seed: also swept by --set seed=... (one of the two)")
    }
    let format = tableFormat(args.options["format"], out: args.options["out"], command: "sweep", problems: &problems)
    if shard != nil && format == "csv" && args.options["out"] == nil {
        problems.append("servesim sweep: --shard: a CSV shard is written to --out FILE, its identity beside it in FILE.shard.json "
                        + "(--out FILE, or --format json to stdout)")
    }
    guard problems.isEmpty, let grid, let path = args.positionals.first else {
        problems.forEach(printError)
        return Exit.badInput
    }

    let started = Date()
    let table: SweepTable
    do {
        let plan = try SweepPlan.prepare(path: path, grid: grid, seed: seed, jobs: jobs, limits: limits)
        let quiet = args.flags.contains("quiet")
        // k of N and the time left at the pace so far, on every point's line.
        let total = shard.map { s in (0..<grid.count).filter(s.contains).count } ?? grid.count
        final class Done: @unchecked Sendable { let lock = NSLock(); var count = 0 }
        let done = Done()
        table = try plan.run(shard: shard, jobs: jobs) { point, wall in
            if !quiet {
                done.lock.lock()
                done.count += 1
                let k = done.count
                let elapsed = Date().timeIntervalSince(started)
                let left = ProgressText.timeLeft(elapsed: elapsed, fractionDone: Double(k) / Double(max(total, 1)))
                printError(String(format: "servesim sweep: point %d (%@): %.3f s wall; %d of %d points%@", point,
                                  grid.assignment(at: point), wall, k, total, left.map { ", about \($0) left" } ?? ""))
                done.lock.unlock()
            }
        }
    } catch {
        error.diagnostics.forEach { printError($0.description) }
        return Exit.badInput
    }
    let data = table.render(format: format)
    if let out = args.options["out"] {
        do {
            // The sidecar first: a shard whose CSV exists is then always complete.
            if format == "csv", let sidecar = table.sidecar() { try writeAtomically(sidecar, to: SweepTable.sidecarPath(of: out)) }
            try writeAtomically(data, to: out)
        } catch {
            printError("servesim sweep: --out: cannot write \(out): \(error.localizedDescription) (a writable file path)")
            return Exit.badInput
        }
    } else {
        FileHandle.standardOutput.write(data)
    }
    if !args.flags.contains("quiet") {
        let ran = shard.map { "shard \($0): \(table.rows.count) of \(grid.count) points" } ?? "\(grid.count) points"
        printError(String(format: "servesim sweep: %@ in %.3f s wall on %d jobs", ran, Date().timeIntervalSince(started), jobs))
    }
    return Exit.ok
}

/// A table's format: `--format` when given, else the `--out` extension (`.csv`, `.json`), else
/// `fallback`.
func tableFormat(_ option: String?, out: String?, command: String, fallback: String = "csv",
                 problems: inout [String]) -> String {
    if let option {
        guard SweepTable.formats.contains(option) else {
            problems.append("servesim \(command): --format: \"\(option)\" is not a table format (csv, json)")
            return fallback
        }
        return option
    }
    guard let out else { return fallback }
    let ext = (out as NSString).pathExtension.lowercased()
    guard SweepTable.formats.contains(ext) else {
        problems.append("servesim \(command): --out: cannot tell the format of \"\(out)\" (a .csv or .json file, or --format csv|json)")
        return fallback
    }
    return ext
}
