import Foundation
import ServeSim

/// Command-line arguments of one subcommand: `--flag`, `--option value` (or `--option=value`) and
/// positionals. Unknown options are errors; `--help` is always known.
struct Arguments {
    var positionals: [String] = []
    /// The last value of each option given.
    var options: [String: String] = [:]
    /// Every value of each option, in order (for options that may repeat, like `--set`).
    var repeated: [String: [String]] = [:]
    var flags: Set<String> = []

    /// Parses `arguments` against the known option names (which take a value) and flag names.
    static func parse(_ arguments: [String], command: String, options known: [String], flags knownFlags: [String]) throws -> Arguments {
        var result = Arguments()
        var i = 0
        while i < arguments.count {
            let arg = arguments[i]
            if arg == "--help" || arg == "-h" {
                result.flags.insert("help")
            } else if arg.hasPrefix("--") {
                var name = String(arg.dropFirst(2))
                var value: String?
                if let eq = name.firstIndex(of: "=") {
                    value = String(name[name.index(after: eq)...])
                    name = String(name[..<eq])
                }
                if known.contains(name) {
                    if value == nil {
                        i += 1
                        guard i < arguments.count else { throw UsageError("servesim \(command): --\(name): missing value") }
                        value = arguments[i]
                    }
                    // An empty value is never meant: `--out ""` would write into the current
                    // folder's root (or `/`), `--seed ""` is no number.
                    if value!.trimmingCharacters(in: .whitespaces).isEmpty {
                        throw UsageError("servesim \(command): --\(name): is empty (give a value)")
                    }
                    result.options[name] = value
                    result.repeated[name, default: []].append(value!)
                } else if knownFlags.contains(name) && value == nil {
                    result.flags.insert(name)
                } else {
                    let all = (known + knownFlags).map { "--" + $0 }.joined(separator: ", ")
                    throw UsageError("servesim \(command): --\(name): unknown option (known: \(all), --help)")
                }
            } else {
                result.positionals.append(arg)
            }
            i += 1
        }
        return result
    }

    var help: Bool { flags.contains("help") }
}

/// A command-line usage problem: printed on one line, exit code 2.
struct UsageError: Error {
    let message: String
    init(_ message: String) { self.message = message }
}

enum Exit {
    static let ok: Int32 = 0
    static let failure: Int32 = 1
    static let badInput: Int32 = 2
}

/// Writes `text` to stderr, each of its lines made safe for a terminal (control characters as
/// `\u{..}` escapes, at most 2,000 characters): a value echoed from the command line or a file
/// never reaches the terminal raw.
func printError(_ text: String) {
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { Diagnostic.printable(String($0)) }
    FileHandle.standardError.write(Data((lines.joined(separator: "\n") + "\n").utf8))
}

/// Writes `prefix.<format>` for each format, rendered by `render`, atomically. On failure prints
/// one line and returns false.
func writeOutputs(_ formats: [String], prefix: String, command: String, render: (String) throws -> Data) -> Bool {
    do {
        for format in formats { try writeAtomically(try render(format), to: "\(prefix).\(format)") }
        return true
    } catch {
        printError("servesim \(command): \(prefix): cannot write: \(error.localizedDescription)")
        return false
    }
}

/// Writes `data` to `path` atomically (temporary file in the same folder, then rename).
func writeAtomically(_ data: Data, to path: String) throws { try AtomicFile.write(data, to: path) }

// MARK: - Option values shared by the commands

func parseSeed(_ text: String?, command: String, problems: inout [String]) -> UInt64? {
    guard let text else { return nil }
    guard let seed = UInt64(text) else {
        problems.append("servesim \(command): --seed: \"\(text)\" is not a seed (a non-negative integer)")
        return nil
    }
    return seed
}

func parseFormats(_ text: String, allowed: [String], command: String, problems: inout [String]) -> [String] {
    let formats = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
    for f in formats where !allowed.contains(f) {
        problems.append("servesim \(command): --format: \"\(f)\" is not a format (\(allowed.joined(separator: ", ")))")
    }
    return formats.isEmpty ? ["json"] : formats
}

/// Checks, before anything runs, that `--out` can be written: a folder (`isFile` false) that
/// exists or can be created, or a file whose folder exists; adds a problem otherwise.
func checkOutput(_ path: String?, isFile: Bool, command: String, option: String = "--out", problems: inout [String]) {
    guard let path else { return }
    if path == "-" {
        problems.append("servesim \(command): \(option): \"-\" would be a \(isFile ? "file" : "folder") named - (a path; reports are not written to stdout)")
        return
    }
    let fm = FileManager.default
    var isDirectory: ObjCBool = false
    if fm.fileExists(atPath: path, isDirectory: &isDirectory) {
        if isDirectory.boolValue == isFile {
            problems.append("servesim \(command): \(option): \(path) is \(isFile ? "a folder" : "a file") (\(isFile ? "a file path" : "a folder, or a path to create one"))")
        } else if !fm.isWritableFile(atPath: isFile ? FilePath.folderOrCurrent(of: path) : path) {
            problems.append("servesim \(command): \(option): \(path) is not writable (a writable \(isFile ? "file" : "folder"))")
        }
        return
    }
    // The nearest existing ancestor must be a writable folder (a file folder is not created).
    var ancestor = FilePath.folderOrCurrent(of: path)
    if isFile {
        guard fm.fileExists(atPath: ancestor, isDirectory: &isDirectory), isDirectory.boolValue else {
            problems.append("servesim \(command): \(option): the folder \(ancestor) does not exist (a file in an existing folder)")
            return
        }
    }
    while !fm.fileExists(atPath: ancestor, isDirectory: &isDirectory) && ancestor != "/" && ancestor != "." {
        ancestor = FilePath.folderOrCurrent(of: ancestor)
    }
    if !isDirectory.boolValue || !fm.isWritableFile(atPath: ancestor) {
        problems.append("servesim \(command): \(option): \(path) cannot be created (\(ancestor) is \(isDirectory.boolValue ? "not writable" : "not a folder"))")
    }
}

/// `--format` names files, which only `--out` writes: given without it, nothing would be written
/// and nothing said.
func requireOut(forFormat format: String?, out: String?, command: String, problems: inout [String]) {
    if format != nil && out == nil {
        problems.append("servesim \(command): --format: files are written only with --out DIR (the Markdown always goes to stdout)")
    }
}

/// `--raise-limits FACTOR`: how many times the standard run limits (`RunLimits`) a run may use.
func parseLimits(_ text: String?, command: String, problems: inout [String]) -> RunLimits {
    guard let text else { return .standard }
    guard let f = Double(text), f.isFinite, f >= 1, f <= RunLimits.maxFactor else {
        problems.append("servesim \(command): --raise-limits: \"\(text)\" is not a factor (a number from 1 to \(Int(RunLimits.maxFactor)))")
        return .standard
    }
    return RunLimits(factor: f)
}

/// The help line of `--raise-limits`, the same for every command that runs scenarios; its text
/// starts at `column` (where the command's other option texts start).
func raiseLimitsHelp(_ column: Int) -> String {
    "  " + "--raise-limits F".padding(toLength: column, withPad: " ", startingAt: 0)
        + "allow F times the run limits (requests, attempts, time-series rows, routing work; 1 to 1000)"
}

/// A positive integer option (`--replications`, `--jobs`), or `default` when absent.
func parseCount(_ text: String?, option: String, command: String, default value: Int, problems: inout [String]) -> Int {
    guard let text else { return value }
    guard let n = Int(text), n >= 1, n <= 100_000 else {
        problems.append("servesim \(command): --\(option): \"\(text)\" is not a count (an integer from 1 to 100000)")
        return value
    }
    return n
}

/// `--set PATH=VALUE`, repeatable: field overrides applied, in order, to every scenario the
/// command loads (the sweep's syntax with one value). Validated with the scenario, so a bad value
/// gets the usual field error.
func parseOverrides(_ texts: [String]?, command: String, problems: inout [String]) -> [ScenarioOverride] {
    (texts ?? []).compactMap { text in
        guard let o = ScenarioOverride.parse(text) else {
            problems.append("servesim \(command): --set: \"\(text)\" is not PATH=VALUE (a dotted field path and a value, e.g. pools.0.replicas=4)")
            return nil
        }
        return o
    }
}

/// The help line of `--set`, the same for every command that loads scenarios.
func setHelp(_ column: Int) -> String {
    "  " + "--set PATH=VALUE".padding(toLength: column, withPad: " ", startingAt: 0)
        + "change a scenario field before it runs (dotted path, e.g. pools.0.replicas=4; repeatable)"
}

/// The problem line for a preset name typed on the command line that matches none (case is
/// ignored before this): the nearest names first when some are close, then the list.
func unknownPreset(_ text: String, kind: String, names: [String], option: String, command: String, or more: String? = nil) -> String {
    "servesim \(command): --\(option): no \(kind) preset \"\(text)\" (\(NameMatch.didYouMean(text, among: names))"
        + names.joined(separator: ", ") + (more.map { ", " + $0 } ?? "") + ")"
}
