import Foundation
import ServeSim

let mergeHelp = """
    USAGE: servesim merge SHARD... [--out FILE] [--format csv|json]

    Combines the shards written by `servesim sweep --shard K/N` (CSV or JSON, mixed is fine) into
    exactly the table one unsharded sweep writes: rows sorted by point index, the header once.
    A CSV shard is read with FILE.shard.json beside it (sidecars given as SHARDs are skipped).
    Checks that the shards come from one sweep (same scenario, seed and --set), that no point is
    in two of them and that none is missing (naming the missing points).

    OPTIONS:
      --out FILE         write the table here, atomically (default: stdout)
      --format FORMAT    csv or json (default: from the --out extension, else the first shard's)
    Exit codes: 0 merged, 2 bad input (nothing is written).
    """

func mergeCommand(_ raw: [String]) -> Int32 {
    let args: Arguments
    do {
        args = try Arguments.parse(raw, command: "merge", options: ["out", "format"], flags: [])
    } catch let e as UsageError {
        printError(e.message); return Exit.badInput
    } catch { return Exit.badInput }
    if args.help { print(mergeHelp); return Exit.ok }

    var problems: [String] = []
    if args.positionals.isEmpty {
        problems.append("servesim merge: SHARD: none given (one or more files written by servesim sweep --shard K/N)")
    }
    var shards: [(file: String, table: SweepTable)] = []
    var firstFormat: String?
    for file in args.positionals {
        // `merge results/*` names the sidecars too: each is read with its CSV.
        if file.hasSuffix(".shard.json") {
            let csv = String(file.dropLast(".shard.json".count))
            if !args.positionals.contains(csv) {
                problems.append("\(file): is the sidecar of \(csv), which is not given (give the CSV shard; its sidecar is read with it)")
            }
            continue
        }
        guard let data = FileManager.default.contents(atPath: file) else {
            problems.append("\(file): cannot read the file (a shard written by servesim sweep --shard K/N)")
            continue
        }
        if firstFormat == nil { firstFormat = SweepTable.format(of: data) }
        let sidecar = FileManager.default.contents(atPath: SweepTable.sidecarPath(of: file))
        do { shards.append((file, try SweepTable.parse(data, file: file, sidecar: sidecar))) } catch {
            problems += error.diagnostics.map(\.description)
        }
    }
    let format = tableFormat(args.options["format"], out: args.options["out"], command: "merge",
                             fallback: firstFormat ?? "csv", problems: &problems)
    checkOutput(args.options["out"], isFile: true, command: "merge", problems: &problems)
    if problems.isEmpty {
        do {
            let table = try SweepTable.merge(shards, command: "servesim merge")
            let data = table.render(format: format)
            if let out = args.options["out"] {
                do { try writeAtomically(data, to: out) } catch {
                    printError("servesim merge: --out: cannot write \(out): \(error.localizedDescription) (a writable file path)")
                    return Exit.badInput
                }
            } else {
                FileHandle.standardOutput.write(data)
            }
            return Exit.ok
        } catch {
            problems += error.diagnostics.map(\.description)
        }
    }
    problems.forEach(printError)
    return Exit.badInput
}
