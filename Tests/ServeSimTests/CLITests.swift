import Foundation
import Testing
import ServeSim

/// End-to-end tests: spawn the binary, check exit codes, messages and files.
@Suite struct CLITests {
    func write(_ text: String, name: String = "s.json5", in dir: URL) throws -> String {
        let url = dir.appendingPathComponent(name)
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    /// Runs a bad scenario and checks: exit 2, the expected `FILE:LINE:COL: path: ...` line with the
    /// line and column where `needle` starts in the text, nothing written.
    func expectBadInput(_ text: String, path expected: String, at needle: String = "", position: String? = nil,
                        sourceLocation: SourceLocation = #_sourceLocation) throws {
        let dir = try CLI.temporaryDirectory()
        let file = try write(text, in: dir)
        let out = dir.appendingPathComponent("out")
        let result = try CLI.run(["run", file, "--out", out.path])
        let at = try #require(position ?? Self.position(of: needle, in: text), "\(needle) is not in the text", sourceLocation: sourceLocation)
        #expect(result.code == 2, "exit \(result.code): \(result.stderr)", sourceLocation: sourceLocation)
        #expect(result.stderr.contains("\(file):\(at): \(expected)"), "stderr: \(result.stderr)", sourceLocation: sourceLocation)
        #expect(!FileManager.default.fileExists(atPath: out.path), "wrote output on bad input", sourceLocation: sourceLocation)
        #expect(!result.stderr.contains("Fatal error"), sourceLocation: sourceLocation)
    }

    /// `LINE:COL` (from 1) of the first occurrence of `needle` in `text` (ASCII text), or nil.
    static func position(of needle: String, in text: String) -> String? {
        guard let range = text.range(of: needle) else { return nil }
        let before = text[..<range.lowerBound]
        let line = before.filter { $0 == "\n" }.count + 1
        let column = before.count - (before.lastIndex(of: "\n").map { before.distance(from: before.startIndex, to: $0) + 1 } ?? 0) + 1
        return "\(line):\(column)"
    }

    func patched(_ from: String, _ to: String) -> String {
        precondition(CLI.smallScenario.contains(from))
        return CLI.smallScenario.replacingOccurrences(of: from, with: to)
    }

    @Test func smallScenarioRuns() throws {
        let dir = try CLI.temporaryDirectory()
        let file = try write(CLI.smallScenario, in: dir)
        let result = try CLI.run(["run", file, "--out", dir.appendingPathComponent("out").path, "--quiet"])
        #expect(result.code == 0, "\(result.stderr)")
        for ext in ["json", "md", "csv"] {
            #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("out/small.\(ext)").path))
        }
    }

    @Test func unknownKey() throws {
        try expectBadInput(patched("replicas: 1,", "replicas: 1, replicaz: 2,"), path: "pools.0.replicaz: unknown key", at: "replicaz")
    }

    @Test func negativeRate() throws {
        try expectBadInput(patched("rate: 5", "rate: -5"), path: "workload.classes.0.arrivals.rate:", at: "rate: -5")
    }

    @Test func objectiveOutsideZeroOne() throws {
        try expectBadInput(patched("objective: 0.95", "objective: 95"), path: "slos.0.objective:", at: "objective: 95")
        try expectBadInput(patched("objective: 0.999", "objective: 1"), path: "slos.1.objective:", at: "objective: 1 ")
    }

    @Test func wrongUnits() throws {
        try expectBadInput(patched("duration: \"2m\"", "duration: \"2 fortnights\""), path: "duration:", at: "duration: ")
        try expectBadInput(patched("threshold: \"500ms\"", "threshold: \"fast\""), path: "slos.0.threshold:", at: "threshold: \"fast\"")
    }

    @Test func missingTraceFile() throws {
        try expectBadInput(patched("process: \"poisson\", rate: 5", "process: \"trace\", file: \"nope.csv\", format: \"azure\""),
                           path: "workload.classes.0.arrivals.file:", at: "file: \"nope.csv\"")
    }

    @Test func malformedTraceRowNamesItsLine() throws {
        let dir = try CLI.temporaryDirectory()
        try "time,prompt_tokens,output_tokens\n0.5,100,20\n1.0,abc,20\n".write(
            to: dir.appendingPathComponent("t.csv"), atomically: true, encoding: .utf8)
        let text = CLI.smallScenario
            .replacingOccurrences(of: "process: \"poisson\", rate: 5", with: "process: \"trace\", file: \"t.csv\", format: \"csv\"")
            .replacingOccurrences(of: "promptTokens: { distribution: \"lognormal\", mean: 600, p95: 2000 },", with: "")
            .replacingOccurrences(of: "outputTokens: { distribution: \"uniform\", min: 20, max: 300 } }", with: "}")
        let file = try write(text, in: dir)
        let result = try CLI.run(["run", file, "--out", dir.appendingPathComponent("out").path])
        #expect(result.code == 2, "\(result.stderr)")
        #expect(result.stderr.contains("t.csv:3:5: prompt_tokens \"abc\" is not an integer"), "stderr: \(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("out").path))
    }

    @Test func malformedJSON5() throws {
        // The text ends where name's value should be: the place is the end, the path is name.
        try expectBadInput("{ version: 1, name: ", path: "name: the text ends where a value should be", position: "1:21")
        try expectBadInput("{ version: 1, name: \"x\", name: \"y\" }", path: "name: duplicate key (also at line 1, column 15)",
                           at: "name: \"y\"")
    }

    @Test func everyProblemIsReportedOnItsOwnLine() throws {
        let dir = try CLI.temporaryDirectory()
        let file = try write(patched("rate: 5", "rate: -5").replacingOccurrences(of: "replicas: 1,", with: "replicas: 0,"), in: dir)
        let result = try CLI.run(["run", file])
        #expect(result.code == 2)
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.count == 2, "\(result.stderr)")
        #expect(lines.allSatisfy { $0.hasPrefix("\(file):") && $0.dropFirst(file.count).contains(/^:[0-9]+:[0-9]+:\s/) },
                "\(result.stderr)")
    }

    @Test func unknownOptionAndCommand() throws {
        let a = try CLI.run(["run", "--bogus"])
        #expect(a.code == 2 && a.stderr.contains("--bogus: unknown option"))
        let b = try CLI.run(["frobnicate"])
        #expect(b.code == 2 && b.stderr.contains("unknown command"))
        let c = try CLI.run(["run", "--seed", "minus-one"])
        #expect(c.code == 2 && c.stderr.contains("--seed"))
    }

    @Test func helpOnEveryCommand() throws {
        for command in ["run", "check", "compare", "plan", "sweep", "merge", "schema", "bench", "calibrate"] {
            let r = try CLI.run([command, "--help"])
            #expect(r.code == 0 && r.stdout.contains("USAGE: servesim \(command)"), "\(command): \(r.stdout)")
        }
    }

    @Test func sameSeedGivesByteIdenticalJSONAndAnotherSeedDiffers() throws {
        let dir = try CLI.temporaryDirectory()
        let file = try write(CLI.smallScenario, in: dir)
        var reports: [Data] = []
        for (i, seed) in ["7", "7", "8"].enumerated() {
            let out = dir.appendingPathComponent("out\(i)")
            let r = try CLI.run(["run", file, "--out", out.path, "--seed", seed, "--format", "json", "--quiet"])
            #expect(r.code == 0, "\(r.stderr)")
            reports.append(try Data(contentsOf: out.appendingPathComponent("small.json")))
        }
        #expect(reports[0] == reports[1])
        #expect(reports[0] != reports[2])
    }

    @Test func schemaIsJSONAndDeclaresEveryKeyUsedInScenarios() throws {
        let r = try CLI.run(["schema"])
        #expect(r.code == 0)
        let schema = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8))
        var declared: Set<String> = []
        func collect(_ v: Any) {
            if let d = v as? [String: Any] {
                if let props = d["properties"] as? [String: Any] { declared.formUnion(props.keys) }
                d.values.forEach(collect)
            } else if let a = v as? [Any] { a.forEach(collect) }
        }
        collect(schema)
        let folder = CLI.repoRoot.appendingPathComponent("scenarios")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".json5") }
        #expect(!files.isEmpty)
        for f in files {
            let value = try JSONValue.parse(Data(contentsOf: folder.appendingPathComponent(f)))
            var used: Set<String> = []
            func keys(_ v: JSONValue) {
                if case .object(let d) = v {
                    used.formUnion(d.keys)
                    // A region's `rtt` maps region names (data, not keys) to durations.
                    for (key, child) in d where key != "rtt" { keys(child) }
                } else if case .array(let a) = v { a.forEach(keys) }
            }
            // A variant's `set` maps dotted paths (pools.0.routing) to values: check the paths'
            // named segments and the values' keys, not the paths as keys.
            guard case .object(var top) = value else { continue }
            if case .array(let variants)? = top.removeValue(forKey: "variants") {
                used.insert("variants")
                for variant in variants {
                    guard case .object(var fields) = variant else { continue }
                    used.formUnion(fields.keys)
                    if case .object(let set)? = fields.removeValue(forKey: "set") {
                        for (path, v) in set {
                            used.formUnion(path.split(separator: ".").filter { Int($0) == nil }.map(String.init))
                            keys(v)
                        }
                    }
                    keys(.object(fields))
                }
            }
            keys(.object(top))
            #expect(used.subtracting(declared).isEmpty, "\(f): undeclared keys \(used.subtracting(declared).sorted())")
        }
    }

    @Test func defaultScenarioFileMatchesTheBuiltIn() throws {
        let r = try CLI.run(["run", "--out", try CLI.temporaryDirectory().path, "--format", "json", "--quiet"])
        #expect(r.code == 0, "\(r.stderr)")
        let file = try String(contentsOf: CLI.repoRoot.appendingPathComponent("scenarios/chat-h100.json5"), encoding: .utf8)
        #expect(r.stdout.contains("chat-h100"))
        // The binary's built-in text is DefaultScenario.text; compare through the library.
        #expect(file == DefaultScenario.text)
    }
}

/// Every scenario in scenarios/ runs (trace scenarios read ../shared/data), and its JSON report is
/// byte-identical to the committed one in reports/ (`make reports` re-records them on purpose).
@Suite struct ScenarioBaselineTests {
    @Test func everyScenarioRunsAndMatchesItsCommittedReport() throws {
        let out = try CLI.temporaryDirectory()
        let r = try CLI.run(["run", "scenarios", "--out", out.path, "--format", "json", "--quiet"])
        #expect(r.code == 0, "\(r.stderr)")
        let scenarios = try FileManager.default.contentsOfDirectory(atPath: CLI.repoRoot.appendingPathComponent("scenarios").path)
            .filter { $0.hasSuffix(".json5") }
        #expect(scenarios.count >= 4)
        let produced = try FileManager.default.contentsOfDirectory(atPath: out.path).filter { $0.hasSuffix(".json") }
        #expect(produced.count == scenarios.count)
        for name in produced {
            let committed = try Data(contentsOf: CLI.repoRoot.appendingPathComponent("reports/\(name)"))
            let fresh = try Data(contentsOf: out.appendingPathComponent(name))
            // Compare first: a failed #expect on two large Data values spends a minute rendering a diff.
            let identical = committed == fresh
            #expect(identical, "reports/\(name) is stale: run `make reports` and review the diff")
        }
    }
}
