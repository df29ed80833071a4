import Foundation
import Testing
import ServeSim

/// What planners reach for (issue 15): `--set` on every command that loads scenarios, `init`,
/// `--version`, names matched loosely.
@Suite struct PlannerWorkflowTests {
    /// A folder with the small scenario as `s.json5` and the same scenario edited by hand
    /// (`replicas: 2`) as `two.json5`, named alike so their reports can be compared byte for byte.
    func scenarios() throws -> (dir: URL, file: String, edited: String) {
        let dir = try CLI.temporaryDirectory()
        let file = writeFile(CLI.smallScenario, "s.json5", in: dir)
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("two"), withIntermediateDirectories: true)
        let edited = writeFile(CLI.smallScenario.replacingOccurrences(of: "replicas: 1,", with: "replicas: 2,"),
                               "two/s.json5", in: dir)
        return (dir, file, edited)
    }

    @Test func setOnRunEqualsEditingTheFile() throws {
        let (dir, file, edited) = try scenarios()
        let a = try CLI.run(["run", file, "--set", "pools.0.replicas=2", "--out", dir.appendingPathComponent("a").path,
                             "--format", "json", "--quiet"], in: dir)
        let b = try CLI.run(["run", edited, "--out", dir.appendingPathComponent("b").path, "--format", "json", "--quiet"], in: dir)
        #expect(a.code == 0 && b.code == 0, "\(a.stderr) \(b.stderr)")
        let ja = try Data(contentsOf: dir.appendingPathComponent("a/small.json"))
        let jb = try Data(contentsOf: dir.appendingPathComponent("b/small.json"))
        #expect(ja == jb)
        let plain = try CLI.run(["run", file, "--out", dir.appendingPathComponent("c").path, "--format", "json", "--quiet"], in: dir)
        #expect(plain.code == 0)
        #expect(try Data(contentsOf: dir.appendingPathComponent("c/small.json")) != ja)
    }

    @Test func setIsValidatedAndBadSyntaxIsBadInput() throws {
        let (dir, file, _) = try scenarios()
        let cases: [([String], String)] = [
            (["run", file, "--set", "pools.0.replicas=0"], "s.json5: pools.0.replicas: 0 is out of range (an integer from 1 to 100000)"),
            (["run", file, "--set", "pools.3.replicas=2"], "s.json5: pools.3: no such entry (an index from 0 to 0)"),
            (["run", file, "--set", "replicas"], "servesim run: --set: \"replicas\" is not PATH=VALUE"),
            (["compare", file, file, "--set", "pools.0.replica=2"], "pools.0.replica: unknown key"),
            (["check", file, "--baseline", dir.path, "--set", "x"], "servesim check: --set: \"x\" is not PATH=VALUE"),
            (["plan", file, "--set", "duration=-1s"], "s.json5: duration:"),
        ]
        for (arguments, message) in cases {
            let r = try CLI.run(arguments + ["--quiet"], in: dir)
            #expect(r.code == 2 && r.stderr.contains(message), "\(arguments): \(r.stderr)")
        }
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("out").path))
    }

    @Test func setOnCompareCheckAndPlan() throws {
        let (dir, file, edited) = try scenarios()
        // compare: --set applies to every compared scenario, so two copies of one file set alike
        // compare equal, and the result is the hand-edited file's.
        let copy = writeFile(CLI.smallScenario.replacingOccurrences(of: "name: \"small\"", with: "name: \"copy\""), "copy.json5", in: dir)
        let cmp = try CLI.run(["compare", file, copy, "--set", "pools.0.replicas=2", "--out", dir.appendingPathComponent("cmp").path,
                               "--format", "json", "--quiet"], in: dir)
        #expect(cmp.code == 0, "\(cmp.stderr)")
        let comparison = try JSONDecoder().decode(Comparison.self, from: Data(contentsOf: dir.appendingPathComponent("cmp/compare.json")))
        let values = try #require(comparison.rows.first { $0.key == "ttft.p95" }).values.map(\.mean)
        #expect(values.count == 2 && values[0] == values[1])
        let editedRun = try CLI.run(["run", edited, "--out", dir.appendingPathComponent("e").path, "--format", "json", "--quiet"], in: dir)
        #expect(editedRun.code == 0)
        let editedReport = try JSONDecoder().decode(Report.self, from: Data(contentsOf: dir.appendingPathComponent("e/small.json")))
        #expect(values[0] == editedReport.latency.ttft.p95)

        // check: record the file as it is; the same file with --set to a higher arrival rate
        // regresses its tails.
        let baseline = dir.appendingPathComponent("baseline").path
        #expect(try CLI.run(["check", file, "--baseline", baseline, "--update", "--quiet"], in: dir).code == 0)
        #expect(try CLI.run(["check", file, "--baseline", baseline, "--quiet"], in: dir).code == 0)
        let worse = try CLI.run(["check", file, "--baseline", baseline, "--set", "workload.classes.0.arrivals.rate=12", "--quiet"], in: dir)
        #expect(worse.code == 1 && worse.stderr.contains("small"), "\(worse.stdout) \(worse.stderr)")

        // plan: the search runs on the changed file (40 times the rate needs more replicas).
        func replicas(_ extra: [String]) throws -> Int {
            let r = try CLI.run(["plan", file, "--recheck-seeds", "0", "--out", dir.appendingPathComponent("plan").path,
                                 "--format", "json", "--quiet"] + extra, in: dir)
            #expect(r.code == 0, "\(r.stderr)")
            let plan = try JSONDecoder().decode(CapacityPlan.self, from: Data(contentsOf: dir.appendingPathComponent("plan/small.plan.json")))
            return try #require(plan.options.first?.replicas)
        }
        #expect(try replicas(["--set", "workload.classes.0.arrivals.rate=200"]) > replicas([]))
    }
}
