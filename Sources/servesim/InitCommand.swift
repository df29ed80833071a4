import Foundation
import ServeSim

let initHelp = """
    USAGE: servesim init [FILE] [--template \(StarterTemplate.all.map(\.name).joined(separator: "|"))] [--force]

    Writes a commented starter scenario to FILE (default: <template>.json5), named after the
    file, ready for `servesim run FILE`. Its comments say what each part means, where the
    figures come from and which command asks the next question.

    TEMPLATES:
    \(StarterTemplate.all.map { "  " + $0.name.padding(toLength: 11, withPad: " ", startingAt: 0) + $0.summary }.joined(separator: "\n"))

    OPTIONS:
      --template NAME  the starter to write (default: chat; case is ignored)
      --force          replace FILE if it exists
    Exit codes: 0 written, 2 bad input (nothing is written).
    """

func initCommand(_ raw: [String]) -> Int32 {
    let args: Arguments
    do {
        args = try Arguments.parse(raw, command: "init", options: ["template"], flags: ["force"])
    } catch let e as UsageError {
        printError(e.message); return Exit.badInput
    } catch { return Exit.badInput }
    if args.help { print(initHelp); return Exit.ok }

    var problems: [String] = []
    let names = StarterTemplate.all.map(\.name)
    let requested = args.options["template"] ?? "chat"
    let template = NameMatch.ignoringCase(requested, among: names).flatMap(StarterTemplate.named)
    if template == nil {
        problems.append("servesim init: --template: no template \"\(requested)\" (\(NameMatch.didYouMean(requested, among: names))"
                        + names.joined(separator: ", ") + ")")
    }
    if args.positionals.count > 1 {
        problems.append("servesim init: \(args.positionals.count) files given (at most one FILE)")
    }
    let file = args.positionals.first ?? "\(template?.name ?? "chat").json5"
    if !file.hasSuffix(".json5") {
        problems.append("servesim init: \(file): is not a .json5 path (a file name ending in .json5: folders are run by their .json5 files)")
    } else if template != nil || !args.positionals.isEmpty {
        if FileManager.default.fileExists(atPath: file) && !args.flags.contains("force") {
            problems.append("servesim init: \(file): exists (another name, or --force to replace it)")
        }
        checkOutput(file, isFile: true, command: "init", option: "FILE", problems: &problems)
    }
    guard problems.isEmpty, let template else {
        problems.forEach(printError)
        return Exit.badInput
    }
    let text = template.text(named: scenarioName(forFile: file, fallback: template.name), file: file)
    do { try writeAtomically(Data(text.utf8), to: file) } catch {
        printError("servesim init: \(file): cannot write: \(error.localizedDescription)")
        return Exit.badInput
    }
    print("wrote \(file) (template \(template.name): \(template.summary))")
    print("next: servesim run \(file)")
    return Exit.ok
}

/// The scenario name for a file: its base name without `.json5` when that is a file-safe name
/// (letters, digits, '-', '_', '.', not starting with '.'), else `fallback`.
func scenarioName(forFile file: String, fallback: String) -> String {
    var base = String(file.split(separator: "/").last ?? "")
    if base.hasSuffix(".json5") { base.removeLast(6) }
    let safe = !base.isEmpty && base.count <= 100 && !base.hasPrefix(".")
        && base.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "-_.".contains($0)) }
    return safe ? base : fallback
}
