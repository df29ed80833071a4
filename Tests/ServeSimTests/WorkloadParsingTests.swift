import Foundation
import Testing
import ServeSim

private func parseWorkload(_ text: String, base: String = "/") -> ([RequestClassSpec]?, [String]) {
    let value = try! JSONValue.parse(Data(text.utf8))
    let sink = DiagnosticSink(file: "s.json5")
    let classes = WorkloadParser.parse(FieldNode(value: value, path: "workload", sink: sink), baseDirectory: base)
    return (classes, sink.diagnostics.map(\.description))
}

@Suite struct WorkloadParsingTests {
    @Test func parsesEveryProcessAndDistribution() throws {
        let dir = workloadDirectory()
        _ = writeFile("time,prompt_tokens,output_tokens\n0,1,1\n", "t.csv", in: dir)
        _ = writeFile("prompt,output\n100,10\n200,20\n", "lengths.csv", in: dir)
        let (classes, errors) = parseWorkload("""
            { classes: [
              { name: "chat", tenant: "acme", arrivals: { process: "poisson", rate: 40 },
                promptTokens: { distribution: "lognormal", mean: 1020, p95: 3500 },
                outputTokens: { distribution: "lognormal", mu: 5, sigma: 0.5 } },
              { name: "bursty", arrivals: { process: "gamma", rate: 4, cv: 4 },
                promptTokens: { distribution: "fixed", value: 512 },
                outputTokens: { distribution: "uniform", min: 10, max: 20 } },
              { name: "ramp", arrivals: { process: "schedule", steps: [{ at: "0s", rate: 10 }, { at: "10m", rate: 0 }] },
                promptTokens: { distribution: "empirical", values: [1, 2, 3] },
                outputTokens: { distribution: "empirical", file: "lengths.csv", column: "output" } },
              { name: "replay", arrivals: { process: "trace", file: "t.csv", format: "csv", timeScale: 0.5 } },
            ] }
            """, base: dir.path)
        #expect(errors == [])
        let c = try #require(classes)
        #expect(c.map(\.name) == ["chat", "bursty", "ramp", "replay"])
        #expect(c[0].tenant == "acme" && c[1].tenant == "default")
        #expect(c[0].arrivals == .poisson(rate: 40))
        let fit = try LognormalFit.parameters(mean: 1020, p95: 3500)
        #expect(c[0].promptTokens == .lognormal(mu: fit.mu, sigma: fit.sigma))
        #expect(c[0].outputTokens == .lognormal(mu: 5, sigma: 0.5))
        #expect(c[1].arrivals == .gamma(rate: 4, cv: 4))
        #expect(c[1].outputTokens == .uniform(min: 10, max: 20))
        #expect(c[2].arrivals == .schedule(steps: [RateStep(start: 0, rate: 10), RateStep(start: 600, rate: 0)]))
        #expect(c[2].outputTokens == .empirical([10, 20]))
        #expect(c[3].arrivals == .trace(TraceSpec(file: "t.csv", format: .csv, timeScale: 0.5)))

        let traces = try WorkloadParser.loadTraces(c, baseDirectory: dir.path)
        #expect(traces.map(\.count) == [0, 0, 0, 1])
    }

    @Test func reportsExactPaths() {
        let (classes, errors) = parseWorkload("""
            { classes: [
              { name: "a", arrivals: { process: "poisson", rate: -1, cv: 2 },
                promptTokens: { distribution: "zipf" }, outputTokens: { distribution: "fixed", value: 0 } },
              { name: "b", arrivals: { process: "gamma", rate: 1 }, promptTokens: { distribution: "fixed", value: 1 } },
              { name: "a", colour: "red", arrivals: { process: "poisson", rate: 1 },
                promptTokens: { distribution: "uniform", min: 5, max: 2 },
                outputTokens: { distribution: "lognormal", mean: 1020, p95: 4083 } },
            ] }
            """)
        #expect(classes == nil)
        #expect(errors == [
            "s.json5: workload.classes.0.arrivals.rate: -1 is out of range (a number greater than 0)",
            "s.json5: workload.classes.0.arrivals.cv: unknown key (known keys: process, rate)",
            "s.json5: workload.classes.0.promptTokens.distribution: \"zipf\" is not supported (fixed, uniform, lognormal, empirical)",
            "s.json5: workload.classes.0.outputTokens.value: 0 is out of range (an integer >= 1)",
            "s.json5: workload.classes.1.arrivals.cv: is missing (coefficient of variation > 0 (1 = Poisson))",
            "s.json5: workload.classes.1.outputTokens: is missing (an object with distribution: fixed, uniform, lognormal, empirical)",
            "s.json5: workload.classes.2.promptTokens.max: 2 is less than min 5 (an integer >= min)",
            "s.json5: workload.classes.2.outputTokens.p95: p95/mean = 4.003 is more than any lognormal has (at most 3.868); give mu and sigma, or an empirical distribution (p95 at most 3.868 x mean)",
            "s.json5: workload.classes.2.colour: unknown key (known keys: arrivals, client, failover, name, origin, origins, outputTokens, pools, promptTokens, sessions, sharedPrefix, tenant)",
        ])
    }

    @Test func duplicateAndEmptyNames() {
        let cls = #"arrivals: { process: "poisson", rate: 1 }, promptTokens: { distribution: "fixed", value: 1 }, outputTokens: { distribution: "fixed", value: 1 }"#
        let (_, errors) = parseWorkload("{ classes: [{ name: \"x\", \(cls) }, { name: \"x\", \(cls) }, { name: \"\", \(cls) }] }")
        #expect(errors == [
            "s.json5: workload.classes.1.name: duplicate class name \"x\" (unique names; also used at workload.classes.0.name)",
            "s.json5: workload.classes.2.name: is empty (a non-empty string)",
        ])
        #expect(parseWorkload("{ classes: [] }").1 == ["s.json5: workload.classes: has 0 entries (at least 1)"])
        #expect(parseWorkload("{ clases: [] }").1 == [
            "s.json5: workload.classes: is missing (an array of request classes)",
            "s.json5: workload.clases: unknown key (did you mean classes? known keys: classes)",
        ])
    }

    @Test func scheduleAndTraceProblems() {
        let (_, errors) = parseWorkload("""
            { classes: [
              { name: "s", arrivals: { process: "schedule", steps: [{ at: "1m", rate: 1 }, { at: "30s", rate: -2 }] },
                promptTokens: { distribution: "fixed", value: 1 }, outputTokens: { distribution: "fixed", value: 1 } },
              { name: "t", arrivals: { process: "trace", file: "missing.csv", format: "azure" },
                promptTokens: { distribution: "fixed", value: 1 } },
              { name: "u", arrivals: { process: "trace", file: "/", format: "parquet" } },
            ] }
            """, base: "/nonexistent")
        #expect(errors == [
            "s.json5: workload.classes.0.arrivals.steps.0.at: the first step starts at 60s (0)",
            "s.json5: workload.classes.0.arrivals.steps.1.rate: -2 is out of range (a number >= 0)",
            "s.json5: workload.classes.1.arrivals.file: file not found: /nonexistent/missing.csv (a path relative to the scenario file's folder, or absolute)",
            "s.json5: workload.classes.1.promptTokens: not allowed with trace arrivals (remove it: the trace gives each request's tokens)",
            "s.json5: workload.classes.2.arrivals.format: \"parquet\" is not supported (azure, mooncake, csv)",
            "s.json5: workload.classes.2.arrivals.file: file not found: / (a path relative to the scenario file's folder, or absolute)",
        ])
    }

    @Test func loadTracesReportsBadContentsWithTheTracePath() throws {
        let dir = workloadDirectory()
        let path = writeFile("time,prompt_tokens,output_tokens\n0,1,1\n1,zero,1\n", "bad.csv", in: dir)
        let (classes, errors) = parseWorkload("""
            { classes: [{ name: "r", arrivals: { process: "trace", file: "bad.csv", format: "csv" } }] }
            """, base: dir.path)
        #expect(errors == [])
        let parsed = try #require(classes)
        do {
            _ = try WorkloadParser.loadTraces(parsed, baseDirectory: dir.path)
            Issue.record("expected an error")
        } catch {
            #expect(error.description == "\(path):3:3: prompt_tokens \"zero\" is not an integer (a positive integer)")
        }
    }

    @Test func anEmpiricalLengthFileIsReportedOnceWithItsHint() {
        let dir = workloadDirectory()
        let wrong = writeFile("prompt,out\n100,10\n", "wrong.csv", in: dir)
        let empty = writeFile("\n\n", "empty.csv", in: dir)
        func errors(_ file: String) -> [String] {
            parseWorkload("""
                { classes: [{ name: "c", arrivals: { process: "poisson", rate: 1 },
                  promptTokens: { distribution: "fixed", value: 10 },
                  outputTokens: { distribution: "empirical", file: "\(file)", column: "output" } }] }
                """, base: dir.path).1
        }
        #expect(errors("wrong.csv") == ["s.json5: workload.classes.0.outputTokens.file: \(wrong) has no column \"output\" (columns: prompt, out)"])
        #expect(errors("empty.csv") == ["s.json5: workload.classes.0.outputTokens.file: \(empty) has no header row (a header row naming output)"])
    }

    @Test func theSinkCountsProblemsPastItsCap() {
        let sink = DiagnosticSink(file: "s.json5")
        for i in 0..<150 { sink.report("k\(i)", "bad") }
        #expect(sink.reportedCount == 150)
        #expect(sink.diagnostics.count == DiagnosticSink.maxKept + 1)
        #expect(sink.diagnostics.last?.message == "50 more problems not shown")
    }
}
