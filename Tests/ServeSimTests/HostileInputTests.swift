import Foundation
import Testing
import ServeSim

/// Hostile input that crashed or was quietly accepted (issue 14): each is a regression case.
@Suite struct HostileInputTests {
    func run(_ bytes: Data) throws -> CLI.Output {
        let dir = try CLI.temporaryDirectory()
        let file = dir.appendingPathComponent("s.json5")
        try bytes.write(to: file)
        let result = try CLI.run(["run", file.path, "--out", dir.appendingPathComponent("out").path, "--quiet"])
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("out").path) || result.code == 0)
        return result
    }

    @Test func invalidUTF8IsAnErrorWithItsPositionNotATrap() throws {
        let result = try run(Data([0x7B, 0xFF, 0x6E, 0x3A, 0x20, 0x31, 0x2C]))   // {\xffn: 1,
        #expect(result.code == 2, "\(result.stderr)")
        #expect(result.stderr.contains("s.json5:1:2: invalid UTF-8 (byte 1)"), "\(result.stderr)")
        // Overlong, surrogate and truncated sequences too.
        for bad in [[0xC0, 0xAF], [0xED, 0xA0, 0x80], [0xE2, 0x82], [0xF4, 0x90, 0x80, 0x80]] as [[UInt8]] {
            let r = try run(Data("{ name: \"".utf8) + Data(bad) + Data("\" }".utf8))
            #expect(r.code == 2 && r.stderr.contains("s.json5:1:10: invalid UTF-8"), "\(bad): \(r.stderr)")
        }
    }

    @Test func aByteOrderMarkIsAllowed() throws {
        let result = try run(Data([0xEF, 0xBB, 0xBF]) + Data(CLI.smallScenario.utf8))
        #expect(result.code == 0, "\(result.stderr)")
    }

    @Test func durationsFollowTheSchemaPattern() {
        for text in ["0x10s", "1.2e2s", "inf", "nan", "1.s", ".5s", "1e3"] {
            let (scenario, errors) = parseScenario(CLI.smallScenario.replacingOccurrences(of: "duration: \"2m\"", with: "duration: \"\(text)\""))
            #expect(scenario == nil && errors.contains { $0.contains("duration: \"\(text)\" is not a duration") }, "\(text): \(errors)")
        }
        for (text, seconds) in [("90", 90.0), ("1.5m", 90), ("30000ms", 30), (" 2 h ", 7200)] {
            let (scenario, errors) = parseScenario(CLI.smallScenario.replacingOccurrences(of: "duration: \"2m\"", with: "duration: \"\(text)\""))
            #expect(errors.isEmpty && scenario?.duration == seconds, "\(text): \(errors)")
        }
    }

    @Test func namesAreCheckedAndMessagesStayOnOneLine() {
        func errors(_ name: String) -> [String] {
            parseScenario(CLI.smallScenario.replacingOccurrences(of: "name: \"small\"", with: "name: \"\(name)\"")).1
        }
        #expect(errors("..").contains { $0.contains("is not a file-safe name") })
        #expect(errors(String(repeating: "a", count: 101)).contains { $0.contains("has 101 characters (at most 100)") })
        let escape = errors("chat\\u001b[31m\\nx")
        #expect(escape.contains { $0.contains("holds control characters") && $0.contains("\\u{1b}") && !$0.contains("\u{1b}") && !$0.contains("\n") },
                "\(escape)")
        // A pool name with a newline would break the report's tables.
        let pool = parseScenario(CLI.smallScenario.replacingOccurrences(of: "name: \"gpu\"", with: "name: \"g\\npu\"")).1
        #expect(pool.contains { $0.contains("pools.0.name") && $0.contains("control characters") }, "\(pool)")
    }

    @Test func numbersThatDoNotFitSayWhy() {
        for (value, message) in [("1e999", "pools.0.replicas: 1e999 is too large for a 64-bit float"),
                                 ("NaN", "pools.0.replicas: expected an integer, got NaN"),
                                 ("-Infinity", "pools.0.replicas: expected an integer, got -Infinity"),
                                 ("99999999999999999999999", "pools.0.replicas: expected an integer, got 1e+23, too large"),
                                 ("2.5", "pools.0.replicas: expected an integer, got 2.5, not a whole number")] {
            let (scenario, errors) = parseScenario(CLI.smallScenario.replacingOccurrences(of: "replicas: 1,", with: "replicas: \(value),"))
            #expect(scenario == nil && errors.contains { $0.contains(message) }, "\(value): \(errors)")
            #expect(!errors.contains { $0.contains("DecodingError") || $0.contains("Debug description") }, "\(errors)")
        }
    }

    @Test func aBadDurationIsOneProblemNotAlsoTheWarmUps() {
        let (_, errors) = parseScenario(CLI.smallScenario.replacingOccurrences(of: "duration: \"2m\"", with: "duration: \"2 fortnights\""))
        #expect(errors.count == 1 && errors[0].contains("duration: \"2 fortnights\" is not a duration"), "\(errors)")
        // A valid duration shorter than the warm-up is still the warm-up's problem.
        let (_, short) = parseScenario(CLI.smallScenario.replacingOccurrences(of: "duration: \"2m\"", with: "duration: \"5s\""))
        #expect(short == ["s.json5: warmup: must be shorter than the duration (0 <= warmup < duration)"], "\(short)")
    }

    @Test func aMillionProblemsPrintAHundredAndOneLines() throws {
        let keys = (0..<5_000).map { "bogus\($0): 1" }.joined(separator: ", ")
        let result = try run(Data(CLI.smallScenario.replacingOccurrences(of: "seed: 7,", with: "seed: 7, \(keys),").utf8))
        let lines = result.stderr.split(separator: "\n")
        #expect(result.code == 2 && lines.count == DiagnosticSink.maxKept + 1, "\(lines.count) lines")
        #expect(lines.last?.hasSuffix("4900 more problems not shown (fix those above and run again)") == true, "\(lines.last ?? "")")
    }

    @Test func tracesAreReadAsAStreamWhateverTheChunkBoundaries() throws {
        // 3 MB of CRLF rows: three 1 MiB chunks cut lines anywhere; the stream reads what the
        // whole text in memory reads.
        var text = "time,prompt_tokens,output_tokens\r\n"
        for i in 0..<150_000 { text += "\(Double(i) / 100),\(1 + i % 997),\(1 + i % 13)\r\n" }
        let dir = try CLI.temporaryDirectory()
        let file = dir.appendingPathComponent("t.csv")
        try Data(text.utf8).write(to: file)
        #expect(text.utf8.count > 2 * (1 << 20))
        let streamed = try TraceReader.read(path: file.path, format: .csv)
        #expect(streamed.count == 150_000)
        #expect(streamed == (try TraceReader.parse(Data(text.utf8), file: "t.csv", format: .csv)))
        #expect(streamed[149_999] == TraceRecord(time: 1499.99, promptTokens: 1 + 149_999 % 997, outputTokens: 1 + 149_999 % 13))
    }

    @Test func aTraceLineLongerThanTheLimitIsRefusedNotLoaded() throws {
        let dir = try CLI.temporaryDirectory()
        let file = dir.appendingPathComponent("t.csv")
        try Data(("time,prompt_tokens,output_tokens\n0,1," + String(repeating: "9", count: 5 << 20) + "\n").utf8).write(to: file)
        do {
            _ = try TraceReader.read(path: file.path, format: .csv)
            Issue.record("accepted")
        } catch {
            #expect(error.description == "\(file.path):2:1: the line is longer than \(4 << 20) bytes (one request per line)")
        }
    }

    @Test func aHugeFieldIsElidedInItsMessage() {
        let huge = Diagnostic(file: "t.csv", path: "line 2", message: "prompt_tokens \"" + String(repeating: "x", count: 1_000_000) + "\" is not an integer")
        #expect(huge.description.count < 1_000)
        #expect(huge.description.contains("more characters)"))
    }
}

/// Values that look valid but would exhaust memory are refused before the run (`RunLimits`).
@Suite struct RunLimitTests {
    @Test func theCapacityPlannerRefusesALoadBeyondTheLimits() throws {
        let dir = try CLI.temporaryDirectory()
        let file = dir.appendingPathComponent("s.json5")
        try CLI.smallScenario.write(to: file, atomically: true, encoding: .utf8)
        let huge = try CLI.run(["plan", file.path, "--peak", "1e9"])
        #expect(huge.code == 2 && huge.stderr.contains("--peak: \"1e9\" is not a factor"), "\(huge.stderr)")
        let scaled = try CLI.run(["plan", file.path, "--peak", "1000", "--growth", "1000", "--max-replicas", "2"])
        #expect(scaled.stdout.contains("is more than one run may simulate"), "\(scaled.stdout)")
    }

    @Test func aReplayedRunWithNoBatchIsAnError() throws {
        let source = CLI.sharedData.appendingPathComponent("real_vllm/llmservingsim/bench/examples/RTX4090/Llama-3.1-8B")
        let dir = try CLI.temporaryDirectory().appendingPathComponent("run")
        try FileManager.default.copyItem(at: source, to: dir)
        let meta = dir.appendingPathComponent("vllm/meta.json")
        var object = try JSONSerialization.jsonObject(with: Data(contentsOf: meta)) as! [String: Any]
        var engine = object["engine_kwargs"] as! [String: Any]
        engine["max_num_seqs"] = 0
        object["engine_kwargs"] = engine
        try JSONSerialization.data(withJSONObject: object).write(to: meta)
        let result = try CLI.run(["validate", "--replay", dir.path])
        #expect(result.code == 2 && result.stderr.contains("max_num_seqs 0"), "\(result.stderr)")
    }

    @Test func anArrivalRateBeyondTheRequestLimitIsRefusedOnItsField() {
        let (scenario, errors) = parseScenario(CLI.smallScenario.replacingOccurrences(of: "rate: 5", with: "rate: 1000000"))
        #expect(scenario == nil)
        #expect(errors.contains { $0.contains("workload.classes.0.arrivals: about 120000000 requests in 2m") && $0.contains("at most 100000000") },
                "\(errors)")
        // Just under the limit is accepted (parsing only; nothing runs).
        let (ok, none) = parseScenario(CLI.smallScenario.replacingOccurrences(of: "rate: 5", with: "rate: 800000"))
        #expect(ok != nil && none.isEmpty, "\(none)")
    }

    /// Validates `text` with `limits`: the diagnostics, empty when accepted.
    func limitErrors(_ text: String, _ limits: RunLimits = .standard) -> [String] {
        do {
            _ = try ScenarioLoader.parse(data: Data(text.utf8), file: "s.json5", baseDirectory: ".", limits: limits)
            return []
        } catch let e as InputError { return e.diagnostics.map(\.description) } catch { return ["\(error)"] }
    }

    @Test func manyReplicasForManyRequestsAreRefusedOnTheReplicas() throws {
        // 1,000 req/s for 2 minutes (120,000 requests) over 100,000 replica slots: 1.2e10
        // replica looks fit; 10x the requests do not.
        let wide = CLI.smallScenario.replacingOccurrences(of: "replicas: 1,", with: "replicas: 100000,")
        #expect(limitErrors(wide.replacingOccurrences(of: "rate: 5", with: "rate: 1000")).isEmpty)
        let errors = limitErrors(wide.replacingOccurrences(of: "rate: 5", with: "rate: 10000"))
        let at = try #require(CLITests.position(of: "replicas: 100000", in: wide))
        #expect(errors == ["s.json5:\(at): pools.0.replicas: 100000 replica slots for about 1200000 requests is more routing work than one run may do (requests x replica slots at most 2e+10: fewer replicas or fewer requests, or --raise-limits FACTOR to allow it on purpose)"],
                "\(errors)")
        // Raised on purpose, it is accepted (nothing runs here).
        #expect(limitErrors(wide.replacingOccurrences(of: "rate: 5", with: "rate: 10000"), RunLimits(factor: 10)).isEmpty)
    }

    @Test func retriesAndSessionsCountInTheEstimate() {
        // 20M requests with up to 100 attempts each: 2e9 attempts at worst.
        let retried = CLI.smallScenario.replacingOccurrences(of: "rate: 5 }", with: "rate: 166667 }, client: { retry: { maxAttempts: 100 } }")
        #expect(limitErrors(retried).contains { $0.contains("workload.classes.0.client.retry.maxAttempts: up to 2000004000 attempts if every try fails") },
                "\(limitErrors(retried))")
        #expect(limitErrors(retried, RunLimits(factor: 3)).isEmpty)
        // 60M sessions of 2 turns on average are 120M requests.
        let sessions = CLI.smallScenario.replacingOccurrences(of: "rate: 5 }", with: "rate: 500000 }, sessions: { turns: 2, thinkTime: \"5s\" }")
        #expect(limitErrors(sessions).contains { $0.contains("about 120000000 requests in 2m") }, "\(limitErrors(sessions))")
    }

    @Test func raiseLimitsIsAFactorFromOneToAThousand() throws {
        let dir = try CLI.temporaryDirectory()
        let file = dir.appendingPathComponent("s.json5")
        try CLI.smallScenario.replacingOccurrences(of: "rate: 5", with: "rate: 1000000").write(to: file, atomically: true, encoding: .utf8)
        for command in ["run", "check", "compare", "sweep", "plan"] {
            let bad = try CLI.run([command, file.path, "--raise-limits", "0.5"] + (command == "check" ? ["--baseline", dir.path] : []))
            #expect(bad.code == 2 && bad.stderr.contains("servesim \(command): --raise-limits: \"0.5\" is not a factor (a number from 1 to 1000)"),
                    "\(command): \(bad.stderr)")
        }
        let refused = try CLI.run(["run", file.path, "--out", dir.appendingPathComponent("out").path])
        #expect(refused.code == 2 && refused.stderr.contains("or --raise-limits FACTOR to allow it on purpose"), "\(refused.stderr)")
    }

    @Test func aPoolThatNeverStartsEndsADayAfterTheRunNotInAHundredYears() throws {
        // Found by the run fuzzer: a cold start of 2^32 seconds kept the run alive (autoscaler
        // ticks, time-series rows) until the machine ran out of memory.
        let text = CLI.smallScenario.replacingOccurrences(of: "replicas: 1,", with: "replicas: 0, autoscaling: { minReplicas: 0, maxReplicas: 2, target: 4 }, coldStart: { provision: 4294967306 },")
        let (scenario, errors) = parseScenario(text)
        let s = try #require(scenario, "\(errors)")
        #expect(s.drainLimit == Scenario.minimumDrainLimit)
        let (records, result) = simulate(s)
        #expect(records.isEmpty && result.inFlightAtEnd > 0)
        #expect(result.endTime == s.duration + Scenario.minimumDrainLimit)
        // The time series keeps the run's rows, as many again for the drain, and one for the rest.
        let rows = result.timeSeries
        #expect(rows.count == 2 * Int((s.duration / s.timeSeriesInterval).rounded(.up)) + 2, "\(rows.count)")
        #expect(rows.last?.end == result.endTime && zip(rows, rows.dropFirst()).allSatisfy { $0.end == $1.start })
        // A drain timeout given is kept as given.
        let (given, _) = parseScenario(text.replacingOccurrences(of: "warmup: \"10s\",", with: "warmup: \"10s\", drainTimeout: \"3d\","))
        #expect(given?.drainLimit == 259_200.0)
    }

    @Test func aTimeSeriesIntervalBeyondTheRowLimitIsRefused() {
        let (scenario, errors) = parseScenario(CLI.smallScenario.replacingOccurrences(of: "warmup: \"10s\",", with: "warmup: \"10s\", timeSeriesInterval: \"1us\","))
        #expect(scenario == nil)
        #expect(errors.contains { $0.contains("timeSeriesInterval: 1us over 2m is 120000000 time-series rows") }, "\(errors)")
    }
}

@Suite struct OutputFileTests {
    @Test func oneCharacterPathsDoNotTrap() throws {
        // Foundation's deletingLastPathComponent traps on "x" (Linux, Swift 6.3): a scenario
        // named x, and --out 1/0, crashed with SIGILL.
        let dir = try CLI.temporaryDirectory()
        try CLI.smallScenario.write(to: dir.appendingPathComponent("x"), atomically: true, encoding: .utf8)
        let r = try CLI.run(["run", "x", "--out", "1/0", "--quiet"], in: dir)
        #expect(r.code == 0, "\(r.stderr)")
        #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("1/0/small.json").path))
        #expect(["x", "/x", "a/b/", "/", "a//b", ""].map(FilePath.folder) == ["", "/", "a", "/", "a", ""])
    }

    @Test func anOutputPathThatCannotBeWrittenIsRefusedBeforeAnythingRuns() throws {
        let dir = try CLI.temporaryDirectory()
        let scenario = dir.appendingPathComponent("s.json5")
        try CLI.smallScenario.write(to: scenario, atomically: true, encoding: .utf8)
        let file = dir.appendingPathComponent("a-file")
        try Data().write(to: file)
        let cases: [([String], String)] = [
            (["run", scenario.path, "--out", file.path], "servesim run: --out: \(file.path) is a file (a folder, or a path to create one)"),
            (["compare", scenario.path, "--out", file.path + "/x"], "servesim compare: --out: \(file.path)/x cannot be created (\(file.path) is not a folder)"),
            (["plan", scenario.path, "--out", file.path], "servesim plan: --out: \(file.path) is a file"),
            (["sweep", scenario.path, "--set", "seed=1,2", "--out", dir.path], "servesim sweep: --out: \(dir.path) is a folder (a file path)"),
            (["sweep", scenario.path, "--set", "seed=1,2", "--out", dir.path + "/no/such/t.csv"], "the folder \(dir.path)/no/such does not exist"),
        ]
        for (arguments, message) in cases {
            let r = try CLI.run(arguments + ["--quiet"])
            #expect(r.code == 2 && r.stderr.contains(message) && r.stdout.isEmpty, "\(arguments): \(r.stderr)")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted() == ["a-file", "s.json5"])
    }

    @Test func temporariesOfAKilledWriteAreRemovedByTheNextRun() throws {
        let dir = try CLI.temporaryDirectory()
        let scenario = dir.appendingPathComponent("s.json5")
        try CLI.smallScenario.write(to: scenario, atomically: true, encoding: .utf8)
        // A process that has exited: its pid names the leftover, as a write killed mid-way leaves it.
        let gone = Process()
        gone.executableURL = URL(fileURLWithPath: "/bin/true")
        try gone.run()
        gone.waitUntilExit()
        let out = dir.appendingPathComponent("out")
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        let stale = out.appendingPathComponent(".servesim-tmp.\(gone.processIdentifier).small.json")
        try Data("half a report".utf8).write(to: stale)
        let result = try CLI.run(["run", scenario.path, "--out", out.path, "--quiet"])
        #expect(result.code == 0, "\(result.stderr)")
        let names = try FileManager.default.contentsOfDirectory(atPath: out.path).sorted()
        #expect(names == ["small.csv", "small.json", "small.md"], "\(names)")
    }

    @Test func aFolderMeansItsJSON5FilesOnly() throws {
        let dir = try CLI.temporaryDirectory()
        try CLI.smallScenario.write(to: dir.appendingPathComponent("s.json5"), atomically: true, encoding: .utf8)
        try Data("{\"not\": \"a scenario\"}".utf8).write(to: dir.appendingPathComponent("report.json"))
        let result = try CLI.run(["run", dir.path, "--out", dir.appendingPathComponent("out").path, "--quiet"])
        #expect(result.code == 0, "\(result.stderr)")
    }
}
