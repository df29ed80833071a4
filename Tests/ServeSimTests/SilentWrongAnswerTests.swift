import Foundation
import Testing
import ServeSim

/// Defects that gave a wrong answer with exit 0 (issue 14, "fix first"): each is a regression
/// case now.
@Suite struct SilentWrongAnswerTests {
    func withTimeout(_ timeout: String?) -> String {
        guard let timeout else { return CLI.smallScenario }
        return CLI.smallScenario.replacingOccurrences(
            of: "outputTokens: { distribution: \"uniform\", min: 20, max: 300 } }",
            with: "outputTokens: { distribution: \"uniform\", min: 20, max: 300 }, client: { timeout: \"\(timeout)\" } }")
    }

    @Test func pendingTimeoutsOfFinishedRequestsDoNotExtendTheRunOrTheBill() throws {
        // Nothing times out after 1 h or 6 h, so the run and its cost are the no-timeout run's.
        let (plain, e0) = parseScenario(withTimeout(nil))
        #expect(e0.isEmpty)
        let (baseReport, base) = ScenarioRunner.run(try #require(plain))
        for timeout in ["1h", "6h"] {
            let (scenario, errors) = parseScenario(withTimeout(timeout))
            #expect(errors.isEmpty, "\(errors)")
            let (report, result) = ScenarioRunner.run(try #require(scenario))
            #expect(result.endTime == base.endTime, "\(timeout): ran to \(result.endTime) s instead of \(base.endTime) s")
            #expect(result.endTime < 200)
            #expect(report.cost.total == baseReport.cost.total)
        }
    }

    @Test func aTimeoutThatFiresStillEndsItsRequestAndCounts() throws {
        // 1 ms timeouts: every request times out, and the run lasts until the last one did.
        let (scenario, errors) = parseScenario(withTimeout("1ms"))
        #expect(errors.isEmpty, "\(errors)")
        let (records, result) = simulate(try #require(scenario))
        #expect(!records.isEmpty && records.allSatisfy { $0.outcome == .timedOut })
        #expect(result.endTime >= records.map(\.end).max()!)
    }

    @Test func percentilesOfNoCompletionsAreEmptyCellsNotZeros() throws {
        // Every request times out: there is no TTFT to rank. The JSON keeps 0 with count 0 (its
        // documented contract); the CSVs leave the cell empty, which pandas reads as NaN, where a
        // 0 would read as "instant".
        let (scenario, errors) = parseScenario(withTimeout("1ms"))
        #expect(errors.isEmpty, "\(errors)")
        let (report, _) = ScenarioRunner.run(try #require(scenario))
        #expect(report.requests.completed == 0 && report.latency.ttft.count == 0 && report.latency.ttft.p95 == 0)
        let csv = String(decoding: ReportRenderer.render(report, format: "csv"), as: UTF8.self).split(separator: "\n")
        let header = csv[0].split(separator: ","), row = csv[1].split(separator: ",", omittingEmptySubsequences: false)
        for column in ["ttft.p50", "ttft.p95", "tpot.p99", "e2e.p99"] {
            #expect(row[try #require(header.firstIndex(of: Substring(column)))] == "", "\(column): \(row)")
        }
        #expect(row[try #require(header.firstIndex(of: "arrived"))] != "")
        // The sweep's table too (and it reads back as null).
        let dir = try CLI.temporaryDirectory()
        let file = writeFile(withTimeout("1ms"), "s.json5", in: dir)
        let r = try CLI.run(["sweep", file, "--set", "seed=1,2", "--quiet"], in: dir)
        let lines = r.stdout.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false) }
        let p95 = try #require(lines.first?.firstIndex(of: "ttft.p95"))
        let perRequest = try #require(lines.first?.firstIndex(of: "cost.perRequest"))
        #expect(r.code == 0 && lines.count == 3 && lines.dropFirst().allSatisfy { $0[p95] == "" && $0[perRequest] == "" }, "\(r.stdout)")
        let json = try CLI.run(["sweep", file, "--set", "seed=1", "--format", "json", "--quiet"], in: dir)
        #expect(json.stdout.contains("\"ttft.p95\": null"), "\(json.stdout)")
    }

    @Test(arguments: [
        ("time,prompt_tokens,output_tokens\n0,100,2147483648\n", "output_tokens 2147483648 is out of range"),
        ("time,prompt_tokens,output_tokens\n0,100,4294967306\n", "output_tokens 4294967306 is out of range"),
        ("time,prompt_tokens,output_tokens\n0,9223372036854775807,10\n", "prompt_tokens 9223372036854775807 is out of range"),
    ])
    func hugeCSVTokenCountsAreRejected(text: String, message: String) {
        #expect(throws: InputError.self) { try TraceReader.parse(Data(text.utf8), file: "t.csv", format: .csv) }
        do {
            _ = try TraceReader.parse(Data(text.utf8), file: "t.csv", format: .csv)
        } catch {
            #expect(error.diagnostics.contains { $0.description.contains(message) && $0.position?.line == 2 },
                    "\(error.diagnostics)")
        }
    }

    @Test func mooncakeBooleansAndHugeLengthsAreRejected() {
        for (line, message) in [("{\"timestamp\": 0, \"input_length\": true, \"output_length\": 5}", "input_length true is not an integer"),
                                ("{\"timestamp\": 0, \"input_length\": 10, \"output_length\": 4294967306}", "output_length 4294967306 is out of range")] {
            do {
                _ = try TraceReader.parse(Data(line.utf8), file: "t.jsonl", format: .mooncake)
                Issue.record("accepted \(line)")
            } catch {
                #expect(error.diagnostics.contains { $0.description.contains(message) }, "\(error.diagnostics)")
            }
        }
        // A valid row still reads, with its numbers.
        let ok = try? TraceReader.parse(Data("{\"timestamp\": 1000, \"input_length\": 10, \"output_length\": 5}".utf8),
                                        file: "t.jsonl", format: .mooncake)
        #expect(ok == [TraceRecord(time: 1, promptTokens: 10, outputTokens: 5)])
    }

    @Test func mooncakeHashIdsMustCoverThePrompt() {
        // 6758 tokens are 14 blocks of 512: 3 ids is a truncated or foreign row.
        let text = "{\"timestamp\": 0, \"input_length\": 6758, \"output_length\": 5, \"hash_ids\": [0, 1, 2]}"
        do {
            _ = try TraceReader.parse(Data(text.utf8), file: "m.jsonl", format: .mooncake)
            Issue.record("accepted")
        } catch {
            #expect(error.diagnostics.contains { $0.description.contains("m.jsonl:1:1: hash_ids has 3 ids for input_length 6758") })
        }
        // With the trace's own block size it reads.
        #expect((try? TraceReader.parse(Data(text.utf8), file: "m.jsonl", format: .mooncake, blockTokens: 2253))?.count == 1)
    }

    @Test func emptyOptionValuesAreRejected() throws {
        let dir = try CLI.temporaryDirectory()
        let file = dir.appendingPathComponent("s.json5")
        try CLI.smallScenario.write(to: file, atomically: true, encoding: .utf8)
        for command in [["run", file.path, "--out", ""], ["compare", file.path, file.path, "--out", ""],
                        ["plan", file.path, "--out", ""]] {
            let result = try CLI.run(command, in: dir)
            #expect(result.code == 2 && result.stderr.contains("--out: is empty"), "\(command): \(result.stderr)")
        }
    }
}

/// Mistakes that gave a clean exit 0 (issue 15, "wrong or silently green"): each is bad input now.
@Suite struct SilentlyGreenTests {
    @Test func aFolderWithNoScenariosIsBadInputNotAGreenCheck() throws {
        let empty = try CLI.temporaryDirectory()
        for arguments in [["run", empty.path], ["check", empty.path, "--baseline", empty.path]] {
            let r = try CLI.run(arguments + ["--quiet"])
            #expect(r.code == 2 && r.stderr.contains("\(empty.path): has no .json5 scenario files"), "\(arguments): \(r.stderr)")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: empty.path).isEmpty)   // no empty JUnit, no reports
    }

    @Test func unknownPresetsAndFilesWithoutAnOutFolderAreBadInput() throws {
        let dir = try CLI.temporaryDirectory()
        let scenario = dir.appendingPathComponent("s.json5")
        try CLI.smallScenario.write(to: scenario, atomically: true, encoding: .utf8)
        let cases: [([String], String)] = [
            (["plan", scenario.path, "--hardware", "H100"], "servesim plan: --hardware: no hardware preset \"H100\" (did you mean H100-SXM-80GB? H100-SXM-80GB, "),
            (["plan", scenario.path, "--model", "llama-9"], "servesim plan: --model: no model preset \"llama-9\" (llama-3.1-8b, "),
            (["compare", scenario.path, "--format", "html"], "servesim compare: --format: files are written only with --out DIR"),
            (["plan", scenario.path, "--format", "html"], "servesim plan: --format: files are written only with --out DIR"),
            (["run", scenario.path, "--out", "-"], "servesim run: --out: \"-\" would be a folder named - (a path; reports are not written to stdout)"),
        ]
        for (arguments, message) in cases {
            let r = try CLI.run(arguments + ["--quiet"].filter { _ in arguments[0] != "compare" }, in: dir)
            #expect(r.code == 2 && r.stderr.contains(message), "\(arguments): \(r.stderr)")
        }
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("-").path))
    }

    @Test func aPriceGivenForOneHardwareDoesNotFollowAHardwareOverride() throws {
        // The file prices its H100 at $3.50; an override to A100 must price the A100 at its
        // preset's $1.80 (it used to keep $3.50 in sweeps), unless the override names a price.
        let text = CLI.smallScenario.replacingOccurrences(of: "replicas: 1,", with: "replicas: 1, pricePerGpuHour: 3.5,")
        let dir = try CLI.temporaryDirectory()
        let file = writeFile(text, "s.json5", in: dir)
        let source = try ScenarioSource.read(path: file)
        func price(_ sets: [String]) throws -> Double {
            try source.scenario(overrides: sets.map { ScenarioOverride.parse($0)! }).pools[0].pricePerGpuHour
        }
        let a100 = try #require(HardwareSpec.preset(named: "A100-80GB")).pricePerGpuHour
        #expect(try price([]) == 3.5)
        #expect(try price(["pools.0.hardware=A100-80GB"]) == a100)
        #expect(try price(["pools.0.hardware=H100-SXM-80GB"]) == 3.5)   // the file's own hardware keeps its price
        #expect(try price(["pools.0.hardware=A100-80GB", "pools.0.pricePerGpuHour=1.2"]) == 1.2)
        #expect(try price(["pools.0.pricePerGpuHour=1.2", "pools.0.hardware=A100-80GB"]) == 1.2)
        #expect(try price(["pools.0.replicas=2"]) == 3.5)

        // End to end: the sweep's A100 row costs A100 GPU-hours at the A100 price.
        let r = try CLI.run(["sweep", file, "--set", "pools.0.hardware=H100-SXM-80GB,A100-80GB", "--quiet"], in: dir)
        #expect(r.code == 0, "\(r.stderr)")
        let rows = r.stdout.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        let header = try #require(rows.first)
        let total = try #require(header.firstIndex(of: "cost.total")), hours = try #require(header.firstIndex(of: "cost.gpuHours"))
        let perHour = rows.dropFirst().map { Double($0[total])! / Double($0[hours])! }
        #expect(perHour.count == 2)
        #expect(abs(perHour[0] - 3.5) < 1e-9 && abs(perHour[1] - a100) < 1e-9, "\(perHour)")

        // compare's variants follow the same rule.
        let withVariant = text.replacingOccurrences(of: "version: 1,", with:
            "version: 1, variants: [{ name: \"a100\", set: { \"pools.0.hardware\": \"A100-80GB\" } }],")
        let both = try ScenarioLoader.loadWithVariants(path: writeFile(withVariant, "v.json5", in: dir))
        #expect(both.map { $0.pools[0].pricePerGpuHour } == [3.5, a100])
    }
}
