import Foundation
import Testing
import ServeSim

/// The fuzzer beyond scenario parsing (issue 14): corrupted traces, accepted mutants actually
/// run, and every command's options given hostile values. Seeded, so a failure names a
/// reproducible case; bounded to about half a minute together. `SERVESIM_FUZZ_TRACES=1000` and
/// `SERVESIM_FUZZ_RUNS=10000` make the goal run the README reports.
@Suite struct CommandFuzzTests {
    static func count(_ variable: String, default value: Int) -> Int {
        ProcessInfo.processInfo.environment[variable].flatMap(Int.init) ?? value
    }

    /// What no message may carry: a Swift or Foundation dump instead of a sentence.
    static let leaks = ["DecodingError", "NSCocoaErrorDomain", "Optional(", "Swift.", "Foundation.", "Fatal error"]

    /// The first `lines` lines of a shared trace (CI always has ../shared).
    static func head(_ name: String, lines: Int) throws -> String {
        let text = try String(contentsOf: CLI.sharedData.appendingPathComponent(name), encoding: .utf8)
        return text.split(separator: "\n", maxSplits: lines, omittingEmptySubsequences: false).prefix(lines).joined(separator: "\n") + "\n"
    }

    @Test func corruptedTracesAreReadOrRejectedWithTheirPlace() throws {
        let bases: [(String, TraceSpec.Format)] = [
            (try Self.head("azure_llm_2023_conv.csv", lines: 120), .azure),
            (try Self.head("mooncake_conversation.jsonl", lines: 60), .mooncake),
            ("time,prompt_tokens,output_tokens\n" + (0..<100).map { "\(Double($0) / 4),\(10 + $0),\(1 + $0 % 7)" }.joined(separator: "\n") + "\n", .csv),
        ]
        let pieces = [",", "\n", "\r\n", "\"", "-1", "0", "1e999", "NaN", "9223372036854775808", "true", "{", "}", "]", "null",
                      "\u{0}", "\u{1b}[31m", "é", String(repeating: "9", count: 400), " ", "2023-13-45 25:61:61.0"]
        var rng = SplitMix64(seed: 1414)
        var rejected = 0, accepted = 0
        let count = Self.count("SERVESIM_FUZZ_TRACES", default: 600)
        for m in 0..<count {
            let (base, format) = bases[m % bases.count]
            var bytes = Array(base.utf8)
            for _ in 0...rng.below(3) {
                let at = rng.below(bytes.count)
                let piece = Array(pieces[rng.below(pieces.count)].utf8)
                switch rng.below(4) {
                case 0: bytes.replaceSubrange(at..<min(bytes.count, at + piece.count), with: piece)
                case 1: bytes.insert(contentsOf: piece, at: at)
                case 2: bytes.removeSubrange(at..<min(bytes.count, at + 1 + rng.below(20)))
                default: bytes = Array(bytes[..<at])
                }
                if bytes.isEmpty { bytes = Array("x".utf8) }
            }
            if rng.below(10) == 0 { bytes.insert(contentsOf: [0xFF, 0xC3], at: rng.below(bytes.count)) }   // invalid UTF-8
            let file = "trace-\(m).\(format == .mooncake ? "jsonl" : "csv")"
            do {
                let records = try TraceReader.parse(Data(bytes), file: file, format: format)
                accepted += 1
                #expect(!records.isEmpty && records.allSatisfy { $0.time.isFinite && $0.promptTokens >= 1 && $0.outputTokens >= 1 })
                #expect(zip(records, records.dropFirst()).allSatisfy { $0.time <= $1.time }, "mutant \(m): not sorted")
            } catch {
                rejected += 1
                #expect(error.diagnostics.count <= TraceReader.maxErrors + 1)
                for d in error.diagnostics {
                    let line = d.description
                    #expect(line.hasPrefix(file + ":") && !line.contains("\n") && line.count < 3_000, "mutant \(m): \(line)")
                    #expect(d.position != nil || d.message.hasPrefix("stopped after") || d.message == "contains no requests",
                            "mutant \(m): \(line)")
                    #expect(!d.allowed.isEmpty, "mutant \(m): no hint: \(line)")
                    for leak in Self.leaks { #expect(!line.contains(leak), "mutant \(m): \(line)") }
                }
            }
        }
        #expect(rejected > count / 4 && accepted > count / 24, "accepted \(accepted), rejected \(rejected)")
    }

    @Test func acceptedScenarioMutantsRunToTheEnd() throws {
        // Mutants of the small scenario and of every committed one (cut to 2 minutes) that
        // validate are run by the binary under a 120 s guard: each exits 0 with a report whose
        // numbers are finite and not negative, or 2 when the cost estimate refuses it, with
        // nothing written. None may crash or hang, and none may take 1 GB.
        let folder = CLI.repoRoot.appendingPathComponent("scenarios")
        var bases = [try JSONValue.parse(Data(CLI.smallScenario.utf8))]
        for name in try FileManager.default.contentsOfDirectory(atPath: folder.path).filter({ $0.hasSuffix(".json5") }).sorted() {
            var tree = try JSONValue.parse(Data(contentsOf: folder.appendingPathComponent(name)))
            for (key, value) in [("duration", JSONValue.string("2m")), ("warmup", .string("10s"))] {
                tree = try ScenarioOverride(path: [key], value: value).apply(to: tree, file: name)
            }
            bases.append(tree)
        }
        let runs = Self.count("SERVESIM_FUZZ_RUNS", default: 24)
        var rng = SplitMix64(seed: 77)
        let dir = try CLI.temporaryDirectory()
        var ran = 0, refused = 0, tried = 0
        while ran + refused < runs && tried < 100 * runs {
            tried += 1
            var mutant = bases[rng.below(bases.count)]
            for _ in 0...rng.below(2) {
                let all = ScenarioFuzzTests.paths(mutant).filter { !$0.isEmpty }
                let path = all[rng.below(all.count)]
                let value: JSONValue = rng.below(2) == 0 ? .number(ScenarioFuzzTests.numbers[rng.below(ScenarioFuzzTests.numbers.count)])
                                                         : .string(ScenarioFuzzTests.strings[rng.below(ScenarioFuzzTests.strings.count)])
                mutant = ScenarioFuzzTests.replacing(mutant, at: path[...], with: value)
            }
            // The committed traces' relative paths, made absolute: the mutant lives in a temporary folder.
            let text = ScenarioFuzzTests.json(mutant).replacingOccurrences(of: "../../shared/data/", with: CLI.sharedData.path + "/")
            guard (try? ScenarioLoader.parse(data: Data(text.utf8), file: "m.json5", baseDirectory: dir.path)) != nil else { continue }
            let file = dir.appendingPathComponent("m\(tried).json5")
            try Data(text.utf8).write(to: file)
            let out = dir.appendingPathComponent("out\(tried)")
            let r = try CLI.runProgram("/usr/bin/timeout", ["120", CLI.binary.path, "run", file.path, "--out", out.path, "--quiet",
                                                           "--format", "json"], in: dir)
            #expect(r.code == 0 || r.code == 2, "mutant \(tried) exit \(r.code): \(r.stderr.prefix(500))\n\(text)")
            if r.code == 2 {
                refused += 1
                #expect(!FileManager.default.fileExists(atPath: out.path), "mutant \(tried) wrote output on refusal")
                continue
            }
            ran += 1
            let names = (try? FileManager.default.contentsOfDirectory(atPath: out.path)) ?? []
            guard let json = names.first(where: { $0.hasSuffix(".json") }) else {
                Issue.record("mutant \(tried): no report (exit \(r.code))"); continue
            }
            let report = try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent(json)))
            #expect(Self.allNumbersFiniteAndNotNegative(report), "mutant \(tried): a report number is negative or not finite\n\(text)")
            try? FileManager.default.removeItem(at: out)
        }
        #expect(ran >= runs / 2, "ran \(ran), refused \(refused) of \(tried)")
        var usage = rusage()
        getrusage(RUSAGE_CHILDREN.rawValue, &usage)
        #expect(usage.ru_maxrss < 1 << 20, "a run took \(usage.ru_maxrss) KB")   // kilobytes on Linux
        print("run fuzzer: \(ran) ran, \(refused) refused by the cost estimate, of \(tried) mutants; largest peak RSS \(usage.ru_maxrss / 1024) MB")
    }

    /// Every number of a report is finite and not negative (none of the committed reports has
    /// a negative one: counts, times, rates, costs and shares).
    static func allNumbersFiniteAndNotNegative(_ value: Any) -> Bool {
        switch value {
        case let d as [String: Any]: return d.values.allSatisfy(allNumbersFiniteAndNotNegative)
        case let a as [Any]: return a.allSatisfy(allNumbersFiniteAndNotNegative)
        case let n as NSNumber: return n.doubleValue.isFinite && n.doubleValue >= 0
        default: return true
        }
    }

    @Test func everyCommandsOptionsRejectHostileValuesCleanly() throws {
        let dir = try CLI.temporaryDirectory()
        let scenario = dir.appendingPathComponent("s.json5")
        try CLI.smallScenario.write(to: scenario, atomically: true, encoding: .utf8)
        let s = scenario.path
        let commands: [(name: String, base: [String], options: [String])] = [
            ("run", [s], ["--seed", "--set", "--format", "--replications", "--jobs", "--raise-limits", "--out"]),
            ("compare", [s, s], ["--seed", "--set", "--format", "--replications", "--jobs", "--raise-limits"]),
            ("check", [s, "--baseline", dir.path], ["--seed", "--set", "--replications", "--jobs", "--tolerance", "--junit", "--raise-limits"]),
            ("plan", [s], ["--pool", "--hardware", "--tensor-parallel", "--model", "--peak", "--growth", "--safety",
                           "--max-replicas", "--replications", "--recheck-seeds", "--seed", "--set", "--slo", "--format", "--jobs", "--raise-limits",
                           "--hosted"]),
            ("sweep", [s], ["--set", "--jobs", "--shard", "--format", "--seed", "--raise-limits"]),
            ("bench", [], ["--requests"]),
            ("merge", [s], ["--format"]),
            ("schema", [], []),
            ("init", [], ["--template"]),
        ]
        let hostile = ["-1", "1e999", "NaN", "\u{1b}[31mx", String(repeating: "9", count: 3_000), "0x10", "1/0", "a=b=c"]
        var cases = 0
        for command in commands {
            for option in command.options {
                for value in hostile {
                    let r = try CLI.runProgram("/usr/bin/timeout", ["60", CLI.binary.path, command.name] + command.base + [option, value] + ["--quiet"].filter { _ in ["run", "check", "plan", "sweep"].contains(command.name) },
                                                 in: dir)
                    cases += 1
                    let context = "\(command.name) \(option) \(value.prefix(20).debugDescription): exit \(r.code): \(r.stderr.prefix(300))"
                    // 0 and 1 are fine when the value happens to be valid (e.g. --seed 0x10 is not, --tolerance 1/0 is not).
                    #expect([0, 1, 2].contains(r.code), "\(context)")
                    for line in r.stderr.split(separator: "\n") {
                        #expect(line.count < 3_000 && !line.contains("\u{1b}"), "\(context)")
                        for leak in Self.leaks { #expect(!line.contains(leak), "\(context)") }
                    }
                }
            }
        }
        #expect(cases > 250)
    }
}
