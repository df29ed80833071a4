import Foundation
import Testing
import ServeSim

/// The fuzzer beyond scenario parsing (issue 14): corrupted traces, accepted mutants actually
/// run, and every command's options given hostile values. Seeded, so a failure names a
/// reproducible case; bounded to about half a minute together.
@Suite struct CommandFuzzTests {
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
        var rng = ScenarioFuzzTests.Mix(state: 1414)
        var rejected = 0, accepted = 0
        for m in 0..<600 {
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
                    for leak in Self.leaks { #expect(!line.contains(leak), "mutant \(m): \(line)") }
                }
            }
        }
        #expect(rejected > 150 && accepted > 25, "accepted \(accepted), rejected \(rejected)")
    }

    @Test func acceptedScenarioMutantsRunToTheEnd() throws {
        // Mutants of the small scenario that validate are run by the binary (a 60 s guard each):
        // each exits 0 with a report whose numbers are finite, or 2 when the cost estimate
        // refuses it. None may crash, hang or leave output behind on refusal.
        let tree = try JSONValue.parse(Data(CLI.smallScenario.utf8))
        var rng = ScenarioFuzzTests.Mix(state: 77)
        let dir = try CLI.temporaryDirectory()
        var ran = 0, refused = 0, tried = 0
        while ran < 24 && tried < 2_000 {
            tried += 1
            var mutant = tree
            for _ in 0...rng.below(2) {
                let all = ScenarioFuzzTests.paths(mutant).filter { !$0.isEmpty }
                let path = all[rng.below(all.count)]
                let value: JSONValue = rng.below(2) == 0 ? .number(ScenarioFuzzTests.numbers[rng.below(ScenarioFuzzTests.numbers.count)])
                                                         : .string(ScenarioFuzzTests.strings[rng.below(ScenarioFuzzTests.strings.count)])
                mutant = ScenarioFuzzTests.replacing(mutant, at: path[...], with: value)
            }
            let text = ScenarioFuzzTests.json(mutant)
            guard (try? ScenarioLoader.parse(data: Data(text.utf8), file: "m.json5", baseDirectory: ".")) != nil else { continue }
            let file = dir.appendingPathComponent("m\(tried).json5")
            try Data(text.utf8).write(to: file)
            let out = dir.appendingPathComponent("out\(tried)")
            let r = try CLI.runProgram("/usr/bin/timeout", ["60", CLI.binary.path, "run", file.path, "--out", out.path, "--quiet",
                                                           "--format", "json"])
            #expect(r.code == 0 || r.code == 2, "mutant \(tried) exit \(r.code): \(r.stderr.prefix(500))\n\(text)")
            if r.code == 2 {
                refused += 1
                #expect(!FileManager.default.fileExists(atPath: out.path), "mutant \(tried) wrote output on refusal")
                continue
            }
            ran += 1
            let names = (try? FileManager.default.contentsOfDirectory(atPath: out.path)) ?? []
            let json = try #require(names.first { $0.hasSuffix(".json") }, "mutant \(tried): no report")
            let report = try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent(json)))
            #expect(Self.allNumbersFinite(report), "mutant \(tried): a report number is not finite")
        }
        #expect(ran >= 24, "ran \(ran), refused \(refused) of \(tried)")
    }

    static func allNumbersFinite(_ value: Any) -> Bool {
        switch value {
        case let d as [String: Any]: return d.values.allSatisfy(allNumbersFinite)
        case let a as [Any]: return a.allSatisfy(allNumbersFinite)
        case let n as NSNumber: return n.doubleValue.isFinite
        default: return true
        }
    }

    @Test func everyCommandsOptionsRejectHostileValuesCleanly() throws {
        let dir = try CLI.temporaryDirectory()
        let scenario = dir.appendingPathComponent("s.json5")
        try CLI.smallScenario.write(to: scenario, atomically: true, encoding: .utf8)
        let s = scenario.path
        let commands: [(name: String, base: [String], options: [String])] = [
            ("run", [s], ["--seed", "--format", "--replications", "--jobs", "--raise-limits", "--out"]),
            ("compare", [s, s], ["--seed", "--format", "--replications", "--jobs", "--raise-limits"]),
            ("check", [s, "--baseline", dir.path], ["--seed", "--tolerance", "--junit", "--raise-limits"]),
            ("plan", [s], ["--pool", "--hardware", "--tensor-parallel", "--model", "--peak", "--growth", "--safety",
                           "--max-replicas", "--replications", "--recheck-seeds", "--seed", "--format", "--jobs", "--raise-limits"]),
            ("sweep", [s], ["--set", "--jobs", "--shard", "--format", "--seed", "--raise-limits"]),
            ("bench", [], ["--requests"]),
            ("merge", [s], ["--format"]),
            ("schema", [], []),
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
