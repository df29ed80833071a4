import Foundation
import Testing
import ServeSim

/// `servesim sweep` and `servesim merge`: grid expansion, sharding, the table's lossless
/// round trip, merging, and the commands end to end.
@Suite struct SweepTests {
    // MARK: Grid expansion (pure)

    func numbers(_ values: [JSONValue]) -> [Double] {
        values.map { if case .number(let n) = $0 { n } else { .nan } }
    }

    @Test func rangesStepsAndLists() throws {
        #expect(numbers(try SweepAxis.values("4..16")) == (4...16).map(Double.init))
        #expect(numbers(try SweepAxis.values("4..16:4")) == [4, 8, 12, 16])
        #expect(numbers(try SweepAxis.values("4..15:4")) == [4, 8, 12])
        #expect(numbers(try SweepAxis.values("-2..1")) == [-2, -1, 0, 1])
        #expect(numbers(try SweepAxis.values("7..7")) == [7])
        #expect(numbers(try SweepAxis.values("1..3,8, 16")) == [1, 2, 3, 8, 16])
        #expect(try SweepAxis.values("H100-SXM-80GB,A100-80GB") == [.string("H100-SXM-80GB"), .string("A100-80GB")])
        #expect(try SweepAxis.values("0.5,1.5s,true") == [.number(0.5), .string("1.5s"), .bool(true)])
        // Commas inside brackets, braces and quotes do not split.
        #expect(try SweepAxis.values("{ size: 2, startTime: \"30s\" },[1,2],\"a,b\"") == [
            .object(["size": .number(2), "startTime": .string("30s")]),
            .array([.number(1), .number(2)]), .string("a,b"),
        ])
        // A relative path is a value, not a range.
        #expect(try SweepAxis.values("../data/a.csv") == [.string("../data/a.csv")])

        let axis = try SweepAxis.parse("pools.0.replicas=2..6:2")
        #expect(axis.path == ["pools", "0", "replicas"] && axis.dottedPath == "pools.0.replicas")
        #expect(numbers(axis.values) == [2, 4, 6])
    }

    @Test func productOrderFirstAxisSlowest() throws {
        let grid = try SweepGrid(axes: [try SweepAxis.parse("a=1,2"), try SweepAxis.parse("b=x,y,z")])
        #expect(grid.count == 6)
        let points = (0..<grid.count).map { grid.values(at: $0).map(\.label).joined(separator: " ") }
        #expect(points == ["1 x", "1 y", "1 z", "2 x", "2 y", "2 z"])
        #expect(grid.assignment(at: 4) == "a=2, b=y")
        #expect(grid.overrides(at: 5) == [ScenarioOverride(path: ["a"], value: .number(2)),
                                          ScenarioOverride(path: ["b"], value: .string("z"))])
        let three = try SweepGrid(axes: ["a=1..2", "b=1..3", "c=1..4"].map { try SweepAxis.parse($0) })
        #expect(three.count == 24)
        // Mixed radix: point = ((a * 3) + b) * 4 + c, zero-based.
        #expect(three.values(at: 1 * 12 + 2 * 4 + 3).map(\.label) == ["2", "3", "4"])
    }

    @Test func badSetTextIsRejectedWithWhatIsAllowed() throws {
        for bad in ["nonsense", "=1", "a..b=1", "pools.0.replicas=5..1", "a=1..3:0", "a=1..3:x", "a=0.5..2",
                    "a=a,,b", "a=", "a=1..x", "a=1..1000000"] {
            #expect(throws: SweepSpecError.self, "\(bad)") { try SweepAxis.parse(bad) }
        }
        do {
            _ = try SweepAxis.parse("pools.0.replicas=5..1")
        } catch {
            #expect(error.description.contains("\"5..1\" is empty") && error.description.contains("START <= END"))
        }
        #expect(throws: SweepSpecError.self) { try SweepGrid(axes: [try SweepAxis.parse("a=1"), try SweepAxis.parse("a=2")]) }
        #expect(throws: SweepSpecError.self) {
            try SweepGrid(axes: ["a=1..1000", "b=1..1000", "c=1..2"].map { try SweepAxis.parse($0) })
        }
    }

    @Test func shardsPartitionTheGrid() throws {
        #expect(try SweepShard.parse("1/3").points(of: 10) == [0, 3, 6, 9])
        #expect(try SweepShard.parse("3/3").points(of: 10) == [2, 5, 8])
        #expect(try SweepShard.parse("5/5").points(of: 3) == [])
        var covered: [Int] = []
        for k in 1...4 { covered += try SweepShard.parse("\(k)/4").points(of: 11) }
        #expect(covered.sorted() == Array(0..<11))
        for bad in ["0/3", "4/3", "3", "a/b", "1/0", "-1/2"] {
            #expect(throws: SweepSpecError.self, "\(bad)") { try SweepShard.parse(bad) }
        }
    }

    @Test func scalarValuesParseWithoutTrapping() throws {
        // Foundation's JSON5 scanner could read past a bare number at the end of the text and
        // trap; JSONValue.parse reads scalars inside brackets. Thousands of 17-digit numbers:
        var rng = SplitMix64(seed: 9)
        for _ in 0..<3000 {
            let x = Double(rng.next() >> 11) / Double(1 << 53) * pow(10, Double(Int(rng.next() % 21) - 10))
            #expect(ScenarioOverride.value(from: "\(x)") == .number(x))
        }
        #expect(ScenarioOverride.value(from: " 0.02044421069995506 ") == .number(0.02044421069995506))
        #expect(try JSONValue.parse(Data("// note\n5".utf8)) == .number(5))
        #expect(try JSONValue.parse(Data("\"a\"".utf8)) == .string("a"))
        for bad in ["1,2", "1,", "", "1 2"] {
            #expect(throws: (any Error).self, "\(bad)") { try JSONValue.parse(Data(bad.utf8)) }
        }
        #expect(ScenarioOverride.value(from: "1,2") == .string("1,2"))
    }

    // MARK: The table (pure)

    /// A table whose cells are hard to round-trip: long doubles, strings that look like other
    /// JSON, CSV specials.
    func trickyTable(shard: SweepShard?, seed: UInt64 = 1) -> SweepTable {
        var rng = SplitMix64(seed: seed)
        let strings: [JSONValue] = [.string("4"), .string("true"), .string("a,b"), .string("a\"b"), .string(" x"),
                                    .string("H100-SXM-80GB"), .string("line\nbreak"), .string(""), .string("null")]
        let others: [JSONValue] = [.object(["b": .string("c,d"), "a": .number(1)]), .array([.number(1), .string("x")]),
                                   .bool(false), .null, .number(-0.5), .number(1e-05), .number(1e20), .number(123456789)]
        let params = strings + others
        let points = 40
        let all = (0..<points).map { p -> [JSONValue] in
            var row: [JSONValue] = [.number(Double(p)), params[p % params.count]]
            for _ in 0..<30 {
                let x = Double(rng.next() >> 11) / Double(1 << 53) * pow(10, Double(Int(rng.next() % 17) - 8))
                row.append(.number(x))
            }
            return row
        }
        let rows = all.indices.filter { shard?.contains($0) ?? true }.map { all[$0] }
        return SweepTable(scenario: "t", points: points, grid: "0123456789abcdef", shard: shard,
                          columns: ["point", "p"] + (0..<30).map { "m\($0)" }, rows: rows)
    }

    @Test func tablesRoundTripLosslesslyInBothFormats() throws {
        for shard in [SweepShard(index: 2, count: 3), SweepShard(index: 1, count: 1)] {
            let table = trickyTable(shard: shard)
            for format in SweepTable.formats {
                let data = table.render(format: format)
                #expect(SweepTable.format(of: data) == format)
                let back = try SweepTable.parse(data, file: "t.\(format)", sidecar: format == "csv" ? table.sidecar() : nil)
                #expect(back == table, "\(format)")
                #expect(back.render(format: format) == data, "\(format)")
            }
        }
        // Every CSV cell reads back as its value, strings that look like JSON included; a null
        // (a percentile of no completions) is an empty cell and an empty string is quoted.
        for value in trickyTable(shard: nil).rows.flatMap({ $0 }) + [.null, .string("")] {
            #expect(SweepTable.cellValue(SweepTable.cellText(value)) == value, "\(value)")
        }
        #expect(SweepTable.cellText(.null) == "" && SweepTable.cellText(.string("")) == "\"\"")
        // A shard's CSV is a plain table, header first; its identity is in the sidecar.
        let half = trickyTable(shard: SweepShard(index: 1, count: 2))
        let csv = String(decoding: half.render(format: "csv"), as: UTF8.self)
        #expect(csv.hasPrefix("point,p,m0,"))
        #expect(half.sidecar() == Data("{\"grid\": \"0123456789abcdef\", \"points\": 40, \"scenario\": \"t\", \"shard\": \"1/2\"}\n".utf8))
        #expect(trickyTable(shard: nil).sidecar() == nil)
        #expect(csv.contains("\n0,\"\"\"4\"\"\","))
        let whole = String(decoding: trickyTable(shard: nil).render(format: "csv"), as: UTF8.self)
        #expect(whole.hasPrefix("point,p,m0,"))
    }

    @Test func mergeChecksCompleteness() throws {
        let whole = trickyTable(shard: nil)
        let shards = (1...3).map { k in ("s\(k).csv", trickyTable(shard: SweepShard(index: k, count: 3))) }
        let merged = try SweepTable.merge([shards[2], shards[0], shards[1]], command: "merge")
        #expect(merged == whole)
        #expect(merged.render(format: "csv") == whole.render(format: "csv"))

        func problems(_ given: [(String, SweepTable)]) -> [String] {
            do { _ = try SweepTable.merge(given, command: "merge"); return [] } catch { return error.diagnostics.map(\.description) }
        }
        let missing = problems([shards[0], shards[2]])
        #expect(missing.count == 1)
        #expect(missing.first?.hasPrefix("merge: 13 of 40 points are missing: 1, 4, 7, 10,") == true, "\(missing)")
        #expect(missing.first?.contains("shard 2/3 not given") == true)

        let overlap = problems([shards[0], shards[1], ("again.csv", shards[0].1), shards[2]])
        #expect(overlap == ["again.csv: points 0, 3, 6, 9, 12, 15, 18, 21, 24, 27, 30, 33, 36, 39 are also in s1.csv "
                            + "(each point in one shard: give each shard once)"])

        var other = shards[1].1
        other.grid = "fedcba9876543210"
        let foreign = problems([shards[0], ("other.csv", other), shards[2]])
        #expect(foreign.count == 1 && foreign[0].hasPrefix("other.csv: is shard 2/3 of another sweep"), "\(foreign)")

        var renamed = shards[1].1
        renamed.columns[3] = "m9x"
        #expect(problems([shards[0], ("cols.csv", renamed), shards[2]]).first?.hasPrefix("cols.csv: its columns differ") == true)
    }

    @Test func malformedShardsAreReportedNotTrapped() throws {
        let table = trickyTable(shard: SweepShard(index: 1, count: 2))
        let good = String(decoding: table.render(format: "csv"), as: UTF8.self)
        let meta = String(decoding: table.sidecar()!, as: UTF8.self)
        let cases: [(String, String?, String)] = [
            ("point,a\n0,1\n", nil, "x: not a sweep shard: no x.shard.json beside it"),
            (good, meta.replacingOccurrences(of: "1/2", with: "3/2"), "x.shard.json: shard:"),
            (good, "{\"grid\": 1}", "x.shard.json: grid: missing or not a string"),
            (good, "{", "x.shard.json:1:2:"),
            (good.replacingOccurrences(of: "\n2,", with: "\n1,"), meta, "point 1 is not in shard 1/2"),
            (good.replacingOccurrences(of: "\n2,", with: "\n99,"), meta, "point 99 is not a point of the grid"),
            (good + "1,2\n", meta, "has 2 fields"),
            ("{\"columns\": [\"point\"], \"rows\": [{\"point\": 0}]}", nil, "grid: missing"),
            ("{", nil, "x:1:2: the text ends inside an object (a key, or '}')"),
        ]
        for (text, sidecar, expected) in cases {
            do {
                _ = try SweepTable.parse(Data(text.utf8), file: "x", sidecar: sidecar.map { Data($0.utf8) })
                Issue.record("accepted: \(expected)")
            } catch {
                #expect(error.description.contains(expected), "\(error.description)")
            }
        }
    }

    // MARK: End to end

    func scenario(rate: Double = 5, in dir: URL) throws -> String {
        let url = dir.appendingPathComponent("small.json5")
        try CLI.smallScenario.replacingOccurrences(of: "rate: 5 }", with: "rate: \(rate) }")
            .write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    func read(_ url: URL) throws -> Data { try Data(contentsOf: url) }

    static let grid = ["--set", "pools.0.replicas=1..3", "--set", "pools.0.hardware=H100-SXM-80GB,A100-80GB"]

    @Test func shardsMergeIntoTheUnshardedTableByteForByte() throws {
        let dir = try CLI.temporaryDirectory()
        let file = try scenario(in: dir)
        for format in ["csv", "json"] {
            let whole = dir.appendingPathComponent("whole.\(format)")
            var r = try CLI.run(["sweep", file] + Self.grid + ["--jobs", "1", "--out", whole.path, "--quiet"])
            #expect(r.code == 0, "\(r.stderr)")
            var shards: [String] = []
            for k in 1...3 {
                let shard = dir.appendingPathComponent("shard\(k).\(format)")
                r = try CLI.run(["sweep", file] + Self.grid + ["--shard", "\(k)/3", "--jobs", "2", "--out", shard.path, "--quiet"])
                #expect(r.code == 0, "\(r.stderr)")
                shards.append(shard.path)
            }
            let merged = dir.appendingPathComponent("merged.\(format)")
            r = try CLI.run(["merge", shards[1], shards[2], shards[0], "--out", merged.path])
            #expect(r.code == 0, "\(r.stderr)")
            #expect(try read(merged) == read(whole), "\(format)")
            // Without --out: the first shard's format, to stdout.
            r = try CLI.run(["merge"] + shards)
            #expect(Data(r.stdout.utf8) == (try read(whole)))
        }
        let text = String(decoding: try read(dir.appendingPathComponent("whole.csv")), as: UTF8.self)
        let lines = text.split(separator: "\n")
        #expect(lines.count == 7)
        #expect(lines[0].hasPrefix("point,pools.0.replicas,pools.0.hardware,requests.arrived,requests.completed,"
                                   + "requests.rejected,requests.timedOut,requests.failed,ttft.p50,ttft.p95,"))
        #expect(lines[0].hasSuffix(",slo.avail.budgetConsumed,cost.perRequest,cost.perMillionOutputTokens,cost.total,cost.gpuHours"))
        #expect(lines[4].hasPrefix("3,2,A100-80GB,"))
        let shard = String(decoding: try read(dir.appendingPathComponent("shard2.csv")), as: UTF8.self)
        #expect(shard.split(separator: "\n").map { $0.prefix(2) } == ["po", "1,", "4,"])   // header first, as pandas reads it
        let meta = String(decoding: try read(dir.appendingPathComponent("shard2.csv.shard.json")), as: UTF8.self)
        #expect(meta.hasPrefix("{\"grid\": \"") && meta.hasSuffix("\"points\": 6, \"scenario\": \"small\", \"shard\": \"2/3\"}\n"))
        // csv.DictReader reads a shard as it is: the header names every column.
        if FileManager.default.isExecutableFile(atPath: "/usr/bin/python3") {
            let py = try CLI.runProgram("/usr/bin/python3", ["-c", "import csv,sys; r=list(csv.DictReader(open(sys.argv[1]))); print(len(r), r[0]['point'], r[0]['pools.0.hardware'])",
                                                             dir.appendingPathComponent("shard2.csv").path])
            #expect(py.stdout == "2 1 A100-80GB\n", "\(py.stderr)")
        }
        // merge given the sidecars too (as `merge results/*` names them) reads each with its CSV.
        let globbed = try CLI.run(["merge"] + (1...3).flatMap { k in ["shard\(k).csv", "shard\(k).csv.shard.json"].map { dir.appendingPathComponent($0).path } })
        let wholeCSV = try read(dir.appendingPathComponent("whole.csv"))
        #expect(globbed.code == 0 && Data(globbed.stdout.utf8) == wholeCSV, "\(globbed.stderr)")
        // A CSV shard without --out would lose its identity.
        let stdoutShard = try CLI.run(["sweep", file] + Self.grid + ["--shard", "1/3", "--quiet"])
        #expect(stdoutShard.code == 2 && stdoutShard.stderr.contains("a CSV shard is written to --out FILE"), "\(stdoutShard.stderr)")
    }

    @Test func jobsDoNotChangeTheBytes() throws {
        let dir = try CLI.temporaryDirectory()
        let file = try scenario(in: dir)
        let one = try CLI.run(["sweep", file] + Self.grid + ["--jobs", "1", "--quiet", "--format", "json"])
        let two = try CLI.run(["sweep", file] + Self.grid + ["--jobs", "2", "--quiet", "--format", "json"])
        let many = try CLI.run(["sweep", file] + Self.grid + ["--jobs", "5", "--quiet", "--format", "json"])
        #expect(one.code == 0 && two.code == 0 && many.code == 0, "\(one.stderr)\(two.stderr)")
        #expect(!one.stdout.isEmpty && one.stdout == two.stdout && two.stdout == many.stdout)
        // Same rows as `run` gives for the point: the sweep's point 3 is 2 A100s.
        let patched = CLI.smallScenario.replacingOccurrences(of: "\"H100-SXM-80GB\", model: \"llama-3.1-8b\", replicas: 1",
                                                             with: "\"A100-80GB\", model: \"llama-3.1-8b\", replicas: 2")
        let scenario = try ScenarioLoader.parse(data: Data(patched.utf8), file: "p", baseDirectory: ".")
        let (report, _) = ScenarioRunner.run(scenario)
        let table = try SweepTable.parse(Data(one.stdout.utf8), file: "stdout")
        let row = table.rows[3]
        #expect(row[table.columns.firstIndex(of: "ttft.p95")!] == .number(report.latency.ttft.p95))
        #expect(row[table.columns.firstIndex(of: "cost.total")!] == .number(report.cost.total))
        #expect(row[table.columns.firstIndex(of: "requests.completed")!] == .number(Double(report.requests.completed)))
    }

    @Test func p95TTFTDoesNotGrowWithReplicas() throws {
        let dir = try CLI.temporaryDirectory()
        let file = try scenario(rate: 30, in: dir)
        let r = try CLI.run(["sweep", file, "--set", "pools.0.replicas=1..4", "--format", "json", "--quiet"])
        #expect(r.code == 0, "\(r.stderr)")
        let table = try SweepTable.parse(Data(r.stdout.utf8), file: "stdout")
        let column = try #require(table.columns.firstIndex(of: "ttft.p95"))
        let p95 = numbers(table.rows.map { $0[column] })
        #expect(p95.count == 4)
        // Queueing shrinks from one replica to three; beyond that there is no queue left and p95
        // TTFT sits at its floor (request overhead, the async step lag, the prefill), where the
        // routing of individual requests moves it by a few percent either way.
        #expect(p95[1] <= p95[0] && p95[2] <= p95[1], "\(p95)")
        #expect(abs(p95[3] - p95[2]) <= 0.05 * p95[2], "\(p95)")
        #expect(p95[0] > 1.5 * p95[3], "one replica should be clearly slower at 30 req/s: \(p95)")
    }

    @Test func badSetSyntaxExits2AndWritesNothing() throws {
        let dir = try CLI.temporaryDirectory()
        let file = try scenario(in: dir)
        let out = dir.appendingPathComponent("t.csv")
        for bad in ["nonsense", "pools.0.replicas=5..1"] {
            let r = try CLI.run(["sweep", file, "--set", bad, "--out", out.path])
            #expect(r.code == 2, "\(bad): \(r.stderr)")
            #expect(r.stderr.hasPrefix("servesim sweep: --set: "), "\(r.stderr)")
            #expect(r.stderr.split(separator: "\n").count == 1, "\(r.stderr)")
        }
        let r = try CLI.run(["sweep", file, "--set", "a=1..2:0", "--shard", "0/2", "--jobs", "none", "--format", "xml"])
        #expect(r.code == 2)
        #expect(r.stderr.split(separator: "\n").count == 4, "\(r.stderr)")
        #expect(r.stdout.isEmpty)
        let none = try CLI.run(["sweep", file])
        #expect(none.code == 2 && none.stderr.contains("--set: none given"))
        #expect(!FileManager.default.fileExists(atPath: out.path))
    }

    @Test func aBadValueAtOnePointNamesThePoint() throws {
        let dir = try CLI.temporaryDirectory()
        let file = try scenario(in: dir)
        let out = dir.appendingPathComponent("t.csv")
        let r = try CLI.run(["sweep", file, "--set", "pools.0.replicas=0..2", "--set", "seed=1,2", "--out", out.path])
        #expect(r.code == 2)
        let lines = r.stderr.split(separator: "\n").map(String.init)
        #expect(lines.count == 2, "\(r.stderr)")
        #expect(lines.first?.hasPrefix("\(file): pools.0.replicas: 0 is out of range") == true, "\(r.stderr)")
        #expect(lines.first?.hasSuffix(" (sweep point 0: pools.0.replicas=0, seed=1)") == true, "\(r.stderr)")
        #expect(lines.last?.hasSuffix(" (sweep point 1: pools.0.replicas=0, seed=2)") == true, "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out.path))

        // A problem every point has is reported once.
        let all = try CLI.run(["sweep", file, "--set", "pools.4.replicas=1..3", "--out", out.path])
        #expect(all.code == 2)
        #expect(all.stderr == "\(file): pools.4: no such entry (an index from 0 to 0) (all 3 sweep points)\n", "\(all.stderr)")
    }

    @Test func mergeRejectsIncompleteOrOverlappingShards() throws {
        let dir = try CLI.temporaryDirectory()
        let file = try scenario(in: dir)
        var shards: [String] = []
        for k in 1...3 {
            let shard = dir.appendingPathComponent("s\(k).csv").path
            let r = try CLI.run(["sweep", file] + Self.grid + ["--shard", "\(k)/3", "--out", shard, "--quiet"])
            #expect(r.code == 0, "\(r.stderr)")
            shards.append(shard)
        }
        let out = dir.appendingPathComponent("m.csv")
        let missing = try CLI.run(["merge", shards[0], shards[2], "--out", out.path])
        #expect(missing.code == 2)
        #expect(missing.stderr == "servesim merge: 2 of 6 points are missing: 1, 4 (shard 2/3 not given; "
                + "every point of the grid, from the shards of one sweep)\n", "\(missing.stderr)")
        let overlap = try CLI.run(["merge", shards[0], shards[1], shards[2], shards[1], "--out", out.path])
        #expect(overlap.code == 2 && overlap.stderr.contains("points 1, 4 are also in \(shards[1])"), "\(overlap.stderr)")
        let other = dir.appendingPathComponent("other.csv").path
        _ = try CLI.run(["sweep", file, "--set", "pools.0.replicas=1..6", "--shard", "2/3", "--out", other, "--quiet"])
        let foreign = try CLI.run(["merge", shards[0], other, shards[2], "--out", out.path])
        #expect(foreign.code == 2 && foreign.stderr.hasPrefix("\(other): is shard 2/3 of another sweep"), "\(foreign.stderr)")
        let unsharded = dir.appendingPathComponent("whole.csv").path
        _ = try CLI.run(["sweep", file] + Self.grid + ["--out", unsharded, "--quiet"])
        let plain = try CLI.run(["merge", unsharded, "--out", out.path])
        #expect(plain.code == 2 && plain.stderr.contains("not a sweep shard"), "\(plain.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out.path))
    }
}


