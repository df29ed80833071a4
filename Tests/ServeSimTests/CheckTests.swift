import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
import ServeSim

/// `servesim check`: the comparison rule as pure functions, the summary and JUnit renderers, and
/// the command end to end (record, pass, regress, bad input).
extension CheckTests {
    @Suite struct Rule {
        typealias C = RegressionCheck

        @Test func lowerIsBetterRegressesOnlyAboveTheLimit() {
            // 2 x (1 + 0.25) = 2.5 exactly in binary.
            let atLimit = C.judge(baseline: 2, current: 2.5, lowerIsBetter: true, tolerance: 0.25)
            #expect(atLimit.status == .ok)
            #expect(atLimit.limit == 2.5)
            #expect(C.judge(baseline: 2, current: 2.5.nextUp, lowerIsBetter: true, tolerance: 0.25).status == .regressed)
            #expect(C.judge(baseline: 2, current: 2.4, lowerIsBetter: true, tolerance: 0.25).status == .ok)
            #expect(C.judge(baseline: 1, current: 1.0000001, lowerIsBetter: true, tolerance: 0).status == .regressed)
            #expect(C.judge(baseline: 1, current: 1, lowerIsBetter: true, tolerance: 0).status == .ok)
        }

        @Test func higherIsBetterIsTheMirror() {
            let atLimit = C.judge(baseline: 2, current: 1.5, lowerIsBetter: false, tolerance: 0.25)
            #expect(atLimit.status == .ok)
            #expect(atLimit.limit == 1.5)
            #expect(C.judge(baseline: 2, current: 1.5.nextDown, lowerIsBetter: false, tolerance: 0.25).status == .regressed)
            #expect(C.judge(baseline: 2, current: 2.5, lowerIsBetter: false, tolerance: 0.25).status == .ok)
            #expect(C.judge(baseline: 2, current: 2.6, lowerIsBetter: false, tolerance: 0.25).status == .improved)
        }

        @Test func zeroStaysZeroAndTheFloorIgnoresNoise() {
            #expect(C.judge(baseline: 0, current: 0, lowerIsBetter: true, tolerance: 0.05).status == .ok)
            #expect(C.judge(baseline: 0, current: 0, lowerIsBetter: false, tolerance: 0).status == .ok)
            // Within the 1e-9 absolute floor: not a regression even though the relative limit is 0.
            #expect(C.judge(baseline: 0, current: 5e-10, lowerIsBetter: true, tolerance: 0.05).status == .ok)
            #expect(C.judge(baseline: 0, current: 1e-6, lowerIsBetter: true, tolerance: 0.05).status == .regressed)
            #expect(C.judge(baseline: 1e-9, current: 1.9e-9, lowerIsBetter: true, tolerance: 0.05).status == .ok)
        }

        @Test func aMetSLOMustStayMetWhateverTheTolerance() {
            let lost = C.judge(baseline: 1, current: 0, lowerIsBetter: false, tolerance: 1, rule: .mustStayMet)
            #expect(lost.status == .regressed)
            #expect(lost.limit == 1)
            #expect(C.judge(baseline: 0, current: 1, lowerIsBetter: false, tolerance: 0, rule: .mustStayMet).status == .improved)
            #expect(C.judge(baseline: 1, current: 1, lowerIsBetter: false, tolerance: 0, rule: .mustStayMet).status == .ok)
            let stillNot = C.judge(baseline: 0, current: 0, lowerIsBetter: false, tolerance: 0, rule: .mustStayMet)
            #expect(stillNot.status == .ok)
            #expect(stillNot.limit == nil)
        }

        @Test func improvementsPass() {
            let better = C.judge(baseline: 2, current: 1, lowerIsBetter: true, tolerance: 0.05)
            #expect(better.status == .improved)
            #expect(!better.status.fails)
            // Better, but by less than the tolerance: plain ok.
            #expect(C.judge(baseline: 2, current: 1.95, lowerIsBetter: true, tolerance: 0.05).status == .ok)
            #expect(RegressionCheck.Status.regressed.fails && RegressionCheck.Status.removed.fails)
            #expect(!RegressionCheck.Status.added.fails && !RegressionCheck.Status.ok.fails)
        }

        @Test func toleranceText() {
            #expect(C.parseTolerance("5%") == 0.05)
            #expect(C.parseTolerance("0.05") == 0.05)
            #expect(C.parseTolerance("0%") == 0)
            #expect(C.parseTolerance("100%") == 1)
            #expect(C.parseTolerance("2.5%") == 0.025)
            for bad in ["", "abc", "-5%", "-0.1", "150%", "1.5", "nan", "inf", "5%%", "%"] {
                #expect(C.parseTolerance(bad) == nil, "\(bad)")
            }
        }
    }

    @Suite struct Reports {
        /// A real report of the small scenario (2 minutes simulated: milliseconds).
        static let report: Report = {
            let scenario = try! ScenarioLoader.parse(data: Data(CLI.smallScenario.utf8), file: "small.json5", baseDirectory: ".")
            return ScenarioRunner.run(scenario).0
        }()

        @Test func identicalReportsPassOnEveryGuardedMetric() {
            let result = RegressionCheck.compare(baseline: Self.report, current: Self.report, tolerance: 0.05)
            #expect(result.passed)
            #expect(result.metrics.map(\.key) == ["ttft.p95", "ttft.p99", "e2e.p95", "e2e.p99", "slo.ttft.met",
                                                  "slo.ttft.budgetConsumed", "slo.avail.met", "slo.avail.budgetConsumed",
                                                  "cost.perRequest"])
            #expect(result.metrics.allSatisfy { $0.status == .ok })
            let md = RegressionCheck.markdown([result], tolerance: 0.05)
            #expect(md.hasPrefix("**servesim check: passed**"))
            #expect(md.contains("| TTFT p95 |"))
        }

        @Test func worseTailsAndALostSLOFail() throws {
            var worse = Self.report
            worse.latency.ttft.p95 = Self.report.latency.ttft.p95 * 1.2
            worse.cost.perRequest = Self.report.cost.perRequest * 0.5
            worse.slos[0].met = false
            let result = RegressionCheck.compare(baseline: Self.report, current: worse, tolerance: 0.05)
            #expect(!result.passed)
            #expect(result.regressions.map(\.key) == ["ttft.p95", "slo.ttft.met"])
            #expect(result.improvements.map(\.key) == ["cost.perRequest"])
            let ttft = try #require(result.regressions.first)
            #expect(ttft.limit == Self.report.latency.ttft.p95 * 1.05)
            #expect(ttft.message.hasPrefix("TTFT p95 regressed: "))
            #expect(ttft.message.contains("limit <= "))
            #expect(ttft.message.contains("+20.0%"))
            #expect(result.regressions[1].message == "ttft met regressed: met -> not met (limit met)")
            let md = RegressionCheck.markdown([result], tolerance: 0.05)
            #expect(md.hasPrefix("**servesim check: failed**: 2 regressions in 1 of 1 scenario"))
            #expect(md.contains("| **regressed** |"))
            #expect(md.contains("| improved |"))
        }

        @Test func removedSLOFailsAndNewSLOPasses() {
            var changed = Self.report
            var renamed = changed.slos[1]
            renamed.name = "avail-2"
            changed.slos[1] = renamed
            let result = RegressionCheck.compare(baseline: Self.report, current: changed, tolerance: 0.05)
            #expect(result.metrics.filter { $0.key.hasPrefix("slo.avail.") }.allSatisfy { $0.status == .removed })
            #expect(result.metrics.filter { $0.key.hasPrefix("slo.avail-2.") }.allSatisfy { $0.status == .added })
            #expect(result.regressions.count == 2)
        }

        @Test func junitIsWellFormedAndEscaped() throws {
            var baseline = Self.report
            baseline.scenario = "a<b>&\"c'"
            var worse = baseline
            worse.latency.e2e.p99 *= 2
            let result = RegressionCheck.compare(baseline: baseline, current: worse, tolerance: 0.05)
            let xml = JUnitXML.render([result, RegressionCheck.compare(baseline: baseline, current: baseline, tolerance: 0.05)])
            let cases = try JUnitShape(xml)
            #expect(cases.suites == ["a<b>&\"c'", "a<b>&\"c'"])
            #expect(cases.testcases.count == 2 * result.metrics.count)
            #expect(cases.failures.count == 1)
            #expect(cases.failures.first?.testcase == "e2e.p99")
            #expect(cases.failures.first?.message.hasPrefix("E2E p99 regressed: ") == true)
            #expect(JUnitXML.escape("a\u{1}\n<") == "a&#10;&lt;")
        }
    }

}

/// The parts of a JUnit document the tests look at, read with Foundation's XML parser.
struct JUnitShape {
    var suites: [String] = []
    var testcases: [String] = []
    var failures: [(testcase: String, message: String)] = []

    init(_ xml: String) throws {
        let document = try XMLDocument(data: Data(xml.utf8))
        let root = try #require(document.rootElement())
        #expect(root.name == "testsuites")
        for suite in root.elements(forName: "testsuite") {
            suites.append(suite.attribute(forName: "name")?.stringValue ?? "")
            for testcase in suite.elements(forName: "testcase") {
                let name = testcase.attribute(forName: "name")?.stringValue ?? ""
                testcases.append(name)
                for failure in testcase.elements(forName: "failure") {
                    failures.append((name, failure.attribute(forName: "message")?.stringValue ?? ""))
                }
            }
        }
    }
}

/// End to end: the binary records baselines, passes on itself, fails on a worse deployment.
@Suite struct CheckTests {
    /// The small scenario at 10 req/s with a tight TTFT SLO: met on 2 replicas, lost on 1.
    static func scenario(replicas: Int) -> String {
        CLI.smallScenario
            .replacingOccurrences(of: "rate: 5", with: "rate: 10")
            .replacingOccurrences(of: "replicas: 1", with: "replicas: \(replicas)")
            .replacingOccurrences(of: "{ name: \"avail\"", with: "{ name: \"fast\", sli: \"ttft\", threshold: \"90ms\", objective: 0.95 },\n { name: \"avail\"")
    }

    /// Writes `text` as `dir/small.json5` and returns its path.
    func write(_ text: String, in dir: URL) throws -> String {
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let url = dir.appendingPathComponent("small.json5")
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    /// A temp folder with the good scenario and its recorded baseline (in `baseline/`).
    func recorded() throws -> (dir: URL, good: String, baseline: String) {
        let dir = try CLI.temporaryDirectory()
        let good = try write(Self.scenario(replicas: 2), in: dir.appendingPathComponent("good"))
        let baseline = dir.appendingPathComponent("baseline").path
        let r = try CLI.run(["check", good, "--baseline", baseline, "--update", "--quiet"])
        #expect(r.code == 0, "\(r.stderr)")
        return (dir, good, baseline)
    }

    @Test func updateWritesWhatRunWritesAndCheckPassesOnItself() throws {
        let (dir, good, baseline) = try recorded()
        let out = dir.appendingPathComponent("run").path
        let run = try CLI.run(["run", good, "--out", out, "--format", "json,md,csv", "--quiet"])
        #expect(run.code == 0, "\(run.stderr)")
        for ext in ["json", "md", "csv"] {
            let recordedFile = try Data(contentsOf: URL(fileURLWithPath: "\(baseline)/small.\(ext)"))
            let runFile = try Data(contentsOf: URL(fileURLWithPath: "\(out)/small.\(ext)"))
            #expect(recordedFile == runFile, "small.\(ext) differs from what run writes")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: baseline).sorted() == ["small.csv", "small.json", "small.md"])

        let r = try CLI.run(["check", good, "--baseline", baseline])
        #expect(r.code == 0, "\(r.stderr)")
        #expect(r.stdout.hasPrefix("**servesim check: passed**: no regression in 1 scenario (11 metrics, tolerance 5%)"))
        #expect(r.stdout.contains("### small"))
        #expect(r.stdout.contains("| metric | baseline | current | change | limit | status |"))
        #expect(!r.stderr.contains("regressed"))
    }

    @Test func fewerReplicasRegressAndJUnitSaysWhere() throws {
        let (dir, _, baseline) = try recorded()
        let worse = try write(Self.scenario(replicas: 1), in: dir.appendingPathComponent("worse"))
        let junit = dir.appendingPathComponent("ci/junit.xml")
        let r = try CLI.run(["check", worse, "--baseline", baseline, "--junit", junit.path])
        #expect(r.code == 1, "\(r.stderr)")
        #expect(r.stdout.hasPrefix("**servesim check: failed**"))
        // One stderr line per regression, naming the metric, old -> new and the limit.
        let ttft = r.stderr.split(separator: "\n").first { $0.contains("TTFT p95 regressed") }
        let line = try #require(ttft, "stderr: \(r.stderr)")
        #expect(line.hasPrefix("servesim check: small: TTFT p95 regressed: "))
        #expect(line.contains(" ms -> ") && line.contains("(limit <= "))
        #expect(r.stderr.contains("servesim check: small: fast met regressed: met -> not met (limit met)"))
        // Fewer GPUs cost less per request: reported as an improvement, not a failure.
        #expect(!r.stderr.contains("cost per request"))
        #expect(r.stdout.contains("| cost per request |") && r.stdout.contains("| improved |"))

        let shape = try JUnitShape(try String(contentsOf: junit, encoding: .utf8))
        #expect(shape.suites == ["small"])
        #expect(shape.testcases == ["ttft.p95", "ttft.p99", "e2e.p95", "e2e.p99", "slo.ttft.met", "slo.ttft.budgetConsumed",
                                    "slo.fast.met", "slo.fast.budgetConsumed", "slo.avail.met", "slo.avail.budgetConsumed",
                                    "cost.perRequest"])
        #expect(shape.failures.map(\.testcase).contains("ttft.p95"))
        #expect(shape.failures.map(\.testcase).contains("slo.fast.met"))
        #expect(!shape.failures.map(\.testcase).contains("cost.perRequest"))
        #expect(shape.failures.first { $0.testcase == "ttft.p95" }?.message.contains("limit <= ") == true)
    }

    @Test func aLostSLOFailsEvenAtFullTolerance() throws {
        let (dir, _, baseline) = try recorded()
        let worse = try write(Self.scenario(replicas: 1), in: dir.appendingPathComponent("worse"))
        let r = try CLI.run(["check", worse, "--baseline", baseline, "--tolerance", "100%", "--quiet"])
        #expect(r.code == 1, "\(r.stderr)")
        #expect(r.stderr.contains("fast met regressed"))
        #expect(!r.stderr.contains("TTFT p95 regressed"))
        // --quiet: the verdict line only.
        #expect(r.stdout.split(separator: "\n").count == 1)
    }

    @Test func missingBaselineIsBadInputAndWritesNothing() throws {
        let dir = try CLI.temporaryDirectory()
        let good = try write(Self.scenario(replicas: 2), in: dir)
        let empty = dir.appendingPathComponent("empty").path
        try FileManager.default.createDirectory(atPath: empty, withIntermediateDirectories: true)
        let junit = dir.appendingPathComponent("junit.xml")
        let r = try CLI.run(["check", good, "--baseline", empty, "--junit", junit.path])
        #expect(r.code == 2)
        #expect(r.stderr == "servesim check: no baseline \(empty)/small.json (run with --update to record it)\n")
        #expect(r.stdout.isEmpty)
        #expect(!FileManager.default.fileExists(atPath: junit.path))
        #expect(try FileManager.default.contentsOfDirectory(atPath: empty).isEmpty)
    }

    @Test func badToleranceAndBadBaselineAreBadInput() throws {
        let (dir, good, baseline) = try recorded()
        let junit = dir.appendingPathComponent("junit.xml")
        for bad in ["abc", "-5%", "150%"] {
            let r = try CLI.run(["check", good, "--baseline", baseline, "--tolerance", bad, "--junit", junit.path])
            #expect(r.code == 2, "\(bad)")
            #expect(r.stderr.hasPrefix("servesim check: --tolerance: \"\(bad)\" is not a tolerance ("), "\(r.stderr)")
            #expect(r.stdout.isEmpty)
        }
        #expect(!FileManager.default.fileExists(atPath: junit.path))

        // A baseline that is not a report: the file named, exit 2, no run.
        try Data("{\"scenario\": \"small\"}".utf8).write(to: URL(fileURLWithPath: "\(baseline)/small.json"))
        let corrupt = try CLI.run(["check", good, "--baseline", baseline])
        #expect(corrupt.code == 2)
        #expect(corrupt.stderr.hasPrefix("\(baseline)/small.json: "), "\(corrupt.stderr)")
        #expect(corrupt.stderr.contains("run with --update"))

        // Usage: no --baseline, no scenario, --junit with --update.
        #expect(try CLI.run(["check", good]).stderr.contains("servesim check: --baseline: missing"))
        #expect(try CLI.run(["check", "--baseline", baseline]).code == 2)
        let both = try CLI.run(["check", good, "--baseline", baseline, "--update", "--junit", junit.path])
        #expect(both.code == 2)
        #expect(!FileManager.default.fileExists(atPath: junit.path))
    }

    @Test func badScenarioWithUpdateWritesNothing() throws {
        let dir = try CLI.temporaryDirectory()
        let bad = try write(Self.scenario(replicas: 2).replacingOccurrences(of: "replicas: 2", with: "replicaz: 2"), in: dir)
        let baseline = dir.appendingPathComponent("baseline")
        let r = try CLI.run(["check", bad, "--baseline", baseline.path, "--update"])
        #expect(r.code == 2)
        #expect(r.stderr.contains(/:[0-9]+:[0-9]+: pools.0.replicaz: unknown key/) && r.stderr.hasPrefix(bad), "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: baseline.path))
    }

    /// What CI runs (`make test`): every committed scenario against its committed report.
    @Test func committedScenariosPassAgainstCommittedReports() throws {
        let r = try CLI.run(["check", "scenarios", "--baseline", "reports", "--quiet"])
        #expect(r.code == 0, "\(r.stdout)\n\(r.stderr)")
        #expect(r.stdout.hasPrefix("**servesim check: passed**: no regression in "))
        #expect(r.stderr.isEmpty)
    }
}

/// Issue 15: replications with significance, the absolute gate, and parallel runs.
extension CheckTests {
    @Suite struct Gates {
        static let metric = ReportMetric.latency.first { $0.key == "ttft.p95" }!

        @Test func welchIntervalOfADifference() {
            let a = Estimate.of([1, 2, 3, 4]), b = Estimate.of([2, 4, 6, 8])
            let d = b.welchDifference(from: a)
            #expect(d.mean == 2.5)
            // se = sqrt(1.667/4 + 6.667/4) = 1.443 on about 4.4 degrees of freedom: between the
            // t quantiles of 5 and 4 degrees (2.571 and 2.776) times se.
            #expect(d.halfWidth > 2.571 * 1.4433 && d.halfWidth < 2.776 * 1.4434, "\(d.halfWidth)")
            #expect(!d.excludes(0))
            #expect(Estimate.of([5, 5.1, 4.9]).welchDifference(from: Estimate.of([1, 1.1, 0.9])).excludes(0))
            #expect(!Estimate.of([5]).welchDifference(from: Estimate.of([1, 2])).excludes(0))   // one run: no interval
        }

        func judge(_ old: [Double], _ new: [Double], requireSLOs: Bool = false) -> RegressionCheck.Status {
            let g = RegressionCheck.Guarded(metric: Self.metric, rule: .relative, slo: nil)
            return RegressionCheck.compare(scenario: "s", baselineSeed: 1, currentSeed: 1, guarded: [g], baseline: { _ in old },
                                           current: { _ in new }, tolerance: 0.05).metrics[0].status
        }

        @Test func replicationsFailOnlyOnSignificantRegressions() {
            // +8% on average but within the noise of 4 replications: reported, passes.
            #expect(judge([1.0, 1.2, 0.8, 1.1], [1.1, 1.4, 0.85, 1.2]) == .notSignificant)
            // +50% with little spread: a regression.
            #expect(judge([1.0, 1.01, 0.99, 1.0], [1.5, 1.52, 1.49, 1.5]) == .regressed)
            // One value per side: the tolerance alone decides, as without replications.
            #expect(judge([1.0], [1.1]) == .regressed)
            #expect(!RegressionCheck.Status.notSignificant.fails && !RegressionCheck.Status.unmet.fails && RegressionCheck.Status.required.fails)
        }

        @Test func anSLOTheBaselineMissesIsReportedAndFailsWhenRequired() throws {
            let dir = try CLI.temporaryDirectory()
            let text = CLI.smallScenario.replacingOccurrences(of: "{ name: \"avail\",",
                                                              with: "{ name: \"impossible\", sli: \"ttft\", threshold: \"1ms\", objective: 0.99 },\n { name: \"avail\",")
            let file = writeFile(text, "s.json5", in: dir)
            let baseline = dir.appendingPathComponent("base").path
            #expect(try CLI.run(["check", file, "--baseline", baseline, "--update", "--quiet"]).code == 0)
            let plain = try CLI.run(["check", file, "--baseline", baseline])
            #expect(plain.code == 0, "\(plain.stderr)")
            #expect(plain.stdout.contains("1 SLO is not met, as in the baseline (--require-slos fails on them)"), "\(plain.stdout)")
            #expect(plain.stdout.contains("| impossible met | not met | not met | - | - | **not met (as in the baseline)** |"), "\(plain.stdout)")
            let required = try CLI.run(["check", file, "--baseline", baseline, "--require-slos", "--quiet"])
            #expect(required.code == 1 && required.stderr.contains("impossible met is not met (--require-slos)"), "\(required.stderr)")
            // The met SLOs still pass under --require-slos: only the missed one is named.
            #expect(!required.stderr.contains("avail met"))
        }

        @Test func replicationsAreRecordedComparedAndTheSameWhateverTheJobs() throws {
            let dir = try CLI.temporaryDirectory()
            let file = writeFile(CLI.smallScenario, "s.json5", in: dir)
            let baseline = dir.appendingPathComponent("base").path
            let missing = try CLI.run(["check", file, "--baseline", baseline, "--replications", "3", "--quiet"])
            #expect(missing.code == 2 && missing.stderr.contains("small.replications.json (record it with --update --replications N)"))
            #expect(try CLI.run(["check", file, "--baseline", baseline, "--update", "--replications", "3", "--quiet"]).code == 0)
            #expect(FileManager.default.fileExists(atPath: baseline + "/small.replications.json"))
            // The single-run baseline is what `run` writes, so a plain check passes too.
            #expect(try CLI.run(["check", file, "--baseline", baseline, "--quiet"]).code == 0)
            let one = try CLI.run(["check", file, "--baseline", baseline, "--replications", "3", "--jobs", "1"])
            let two = try CLI.run(["check", file, "--baseline", baseline, "--replications", "3", "--jobs", "2"])
            #expect(one.code == 0 && one.stdout == two.stdout && one.stdout.contains(" ± "), "\(one.stdout)")
            // Much more load: significantly worse tails.
            let worse = try CLI.run(["check", file, "--baseline", baseline, "--replications", "3",
                                     "--set", "workload.classes.0.arrivals.rate=12", "--quiet"])
            #expect(worse.code == 1 && worse.stderr.contains("regressed"), "\(worse.stderr)")
        }
    }
}
