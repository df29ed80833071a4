import Foundation
import Testing
import ServeSim

/// A small deterministic run: 2 classes, 3 SLOs, one pool of 2 GPUs at $3/GPU-hour, measured
/// from warmup 300 s to end 3900 s (1 GPU-hour per GPU).
func sampleReport(seed: UInt64 = 42) -> Report {
    let classes = [MetricsClass(name: "chat", tenant: "acme"), MetricsClass(name: "batch, bulk", tenant: "globex")]
    let slos = [
        SLOSpec(name: "ttft-p95", sli: .ttft, threshold: 1.5, objective: 0.95, window: 30 * 86400),
        SLOSpec(name: "e2e-chat", sli: .e2e, threshold: 5, objective: 0.95, window: 30 * 86400, classes: ["chat"]),
        SLOSpec(name: "availability", sli: .availability, threshold: 0, objective: 0.999, window: 30 * 86400),
    ]
    let m = MetricsCollector(classes: classes, slos: slos, warmup: 300)
    let rng = RandomStream(seed: seed, name: "report-test")
    var arrived = 0
    for s in stride(from: 0.0, to: 3600, by: 0.5) {
        let cls = Int(s * 2) % 3 == 0 ? 1 : 0
        if s >= 300 { arrived += 1 }
        if Int(s * 2) % 97 == 0 {
            m.record(rejected(cls, at: s))
        } else {
            m.record(completed(cls, at: s, ttft: rng.lognormal(mu: -1, sigma: 0.8), e2e: 2 + rng.exponential(mean: 1),
                               outputTokens: cls == 0 ? 200 : 50))
        }
    }
    let pool = PoolUsage(name: "h100", hardware: "H100-SXM-80GB", replicas: 2, gpusPerReplica: 1,
                         provisionedGpuSeconds: 2 * 3600, busyGpuSeconds: 3600, pricePerGpuHour: 3)
    return makeReport(scenario: "chat-h100", description: "a test", seed: seed, collector: m, pools: [pool],
                      arrived: arrived, inFlightAtEnd: 0, events: 12345, end: 3900)
}

func value(_ root: Any, _ path: String) -> Any? {
    var node: Any? = root
    for key in path.split(separator: ".") {
        if let index = Int(key) {
            guard let array = node as? [Any], index < array.count else { return nil }
            node = array[index]
        } else {
            guard let object = node as? [String: Any] else { return nil }
            node = object[String(key)]
        }
    }
    return node
}

@Suite struct ReportTests {
    @Test func jsonIsByteIdenticalAndSorted() throws {
        let a = try ReportRenderer.json(sampleReport())
        let b = try ReportRenderer.json(sampleReport())
        #expect(a == b)
        let text = String(decoding: a, as: UTF8.self)
        // Top-level keys (two-space indent) appear in sorted order.
        let topKeys = text.split(separator: "\n").filter { $0.hasPrefix("  \"") }
            .map { String($0.dropFirst(3).prefix { $0 != "\"" }) }
        #expect(topKeys == topKeys.sorted())
        #expect(topKeys.contains("scenario") && topKeys.contains("events"))
        // Non-finite numbers cannot appear: JSONEncoder would have thrown.
        let c = try ReportRenderer.json(sampleReport(seed: 43))
        #expect(a != c)
    }

    @Test func jsonHasTheContractKeys() throws {
        let data = try ReportRenderer.json(sampleReport())
        let root = try JSONSerialization.jsonObject(with: data)
        var paths = ["scenario", "seed", "events", "simulatedSeconds", "throughput.requestsPerSecond",
                     "throughput.outputTokensPerSecond",
                     "cost.total", "cost.perRequest", "cost.perMillionOutputTokens", "cost.gpuHours",
                     "cost.byPool.0.cost", "cost.byTenant.1.tenant", "cost.byClass.1.cost",
                     "requests.inFlightAtEnd", "requests.warmupExcluded",
                     "classes.0.name", "classes.1.latency.ttft.p95", "classes.0.requests.completed",
                     "pools.0.name", "pools.0.hardware", "pools.0.replicas", "pools.0.gpus", "pools.0.gpuHours",
                     "pools.0.utilization"]
        paths += ["arrived", "completed", "rejected", "timedOut", "failed"].map { "requests.\($0)" }
        for metric in ["ttft", "tpot", "e2e", "queueWait"] {
            paths += ["mean", "p50", "p90", "p95", "p99", "max", "count", "min"].map { "latency.\(metric).\($0)" }
        }
        for i in 0..<3 {
            paths += ["name", "sli", "threshold", "objective", "target", "compliance", "burnRate",
                      "errorBudgetConsumed", "errorBudgetConsumedProjected", "met", "policy",
                      "alerts.0.name", "alerts.0.fired", "alerts.0.firstFiredAt", "alerts.3.firingSeconds"]
                .map { "slos.\(i).\($0)" }
        }
        for path in paths { #expect(value(root, path) != nil, "missing \(path)") }
        #expect(value(root, "scenario") as? String == "chat-h100")
        #expect((value(root, "seed") as? NSNumber)?.intValue == 42)
        #expect((value(root, "events") as? NSNumber)?.intValue == 12345)
        #expect(value(root, "slos.0.policy") as? String != nil)
    }

    @Test func costAndCountsAreConsistent() {
        let r = sampleReport()
        #expect(r.cost.gpuHours == 2)
        #expect(r.cost.total == 6)
        #expect(r.pools[0].utilization == 0.5)
        #expect(r.pools[0].gpus == 2)
        #expect(r.measuredSeconds == 3600)
        let q = r.requests
        #expect(q.arrived == q.completed + q.rejected + q.timedOut + q.failed + q.inFlightAtEnd)
        #expect(q.warmupExcluded == 600)
        #expect(abs(r.cost.perRequest - 6 / Double(q.completed)) < 1e-12)
        let outputTokens = r.classes.reduce(0) { $0 + $1.outputTokens }
        #expect(abs(r.cost.perMillionOutputTokens - 6e6 / Double(outputTokens)) < 1e-9)
        #expect(abs(r.cost.byTenant.reduce(0) { $0 + $1.cost } - 6) < 1e-9)
        #expect(abs(r.cost.byClass.reduce(0) { $0 + $1.cost } - 6) < 1e-9)
        #expect(r.cost.byTenant.map(\.tenant) == ["acme", "globex"])
        #expect(r.classes.map(\.requests.completed).reduce(0, +) == q.completed)
        #expect(abs(r.throughput.requestsPerSecond - Double(q.completed) / 3600) < 1e-12)
        for s in r.slos {
            #expect(s.target == s.objective)
            #expect(abs(s.compliance - Double(s.good) / Double(s.total)) < 1e-12)
            #expect(abs(s.errorBudgetConsumed - s.burnRate * 3600 / (30 * 86400)) < 1e-12)
            #expect(s.errorBudgetConsumedProjected == s.burnRate)
        }
        // 1 in 97 rejected: availability 98.97% < 99.9%, burn about 10.3 -> rollback.
        let avail = r.slos.first { $0.name == "availability" }!
        #expect(!avail.met && avail.policy == .rollback)
        #expect(avail.threshold == 0)
        #expect(r.slos.first { $0.name == "e2e-chat" }!.total == r.classes[0].requests.completed + r.classes[0].requests.rejected)
    }

    @Test func emptyRunHasOnlyFiniteZeros() throws {
        let m = MetricsCollector(classes: [MetricsClass(name: "chat", tenant: "acme")],
                                 slos: [SLOSpec(name: "a", sli: .availability, threshold: 0, objective: 0.99, window: 86400)],
                                 warmup: 10)
        let r = makeReport(scenario: "empty", description: "", seed: 1, collector: m, pools: [],
                           arrived: 0, inFlightAtEnd: 0, events: 0, end: 5)
        #expect(r.latency.ttft == LatencySummary(count: 0, mean: 0, min: 0, p50: 0, p90: 0, p95: 0, p99: 0, max: 0))
        #expect(r.cost.perRequest == 0 && r.throughput.requestsPerSecond == 0 && r.measuredSeconds == 0)
        #expect(r.slos[0].compliance == 1 && r.slos[0].met && r.slos[0].policy == .ok)
        _ = try ReportRenderer.json(r)  // would throw on NaN
        _ = ReportRenderer.markdown(r)
        #expect(ReportRenderer.csv(r).split(separator: "\n").count == 2)
    }

    @Test func csvHasAHeaderAndOneRowPerClass() {
        let csv = ReportRenderer.csv(sampleReport())
        #expect(csv == ReportRenderer.csv(sampleReport()))
        let lines = csv.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == 4 && lines[3].isEmpty)
        #expect(lines[0] == Substring(ReportRenderer.csvColumns.joined(separator: ",")))
        #expect(lines[0].hasPrefix("class,tenant,arrived,completed,rejected,timedOut,failed"))
        #expect(lines[1].hasPrefix("chat,acme,"))
        #expect(lines[2].hasPrefix("\"batch, bulk\",globex,"))
        let r = sampleReport()
        let fields = lines[1].split(separator: ",")
        #expect(fields.count == ReportRenderer.csvColumns.count)
        #expect(Int(fields[3]) == r.classes[0].requests.completed)
        let ttftP95 = Double(fields[ReportRenderer.csvColumns.firstIndex(of: "ttft.p95")!])!
        #expect(abs(ttftP95 - r.classes[0].latency.ttft.p95) < 1e-6)
    }

    @Test func markdownSummarisesForPlanners() {
        let md = ReportRenderer.markdown(sampleReport())
        #expect(md.hasPrefix("# chat-h100\n"))
        for needle in ["## Requests", "## Latency", "| TTFT |", "| TPOT |", "| E2E |", "| Queue wait |",
                       "## SLOs", "| ttft-p95 | ttft |", "| availability | availability |", "rollback",
                       "## Cost", "| $6.00 |", "## Pools", "| h100 | H100-SXM-80GB | 2 | 2 |", "## Classes"] {
            #expect(md.contains(needle), "missing \(needle)")
        }
        #expect(md == ReportRenderer.markdown(sampleReport()))
    }
}

@Suite struct SLOParserTests {
    func parse(_ text: String, knownClasses: [String]? = nil) throws -> ([SLOSpec]?, [Diagnostic]) {
        let sink = DiagnosticSink(file: "s.json5")
        let node = FieldNode(value: try JSONValue.parse(Data(text.utf8)), path: "slos", sink: sink)
        return (SLOParser.parse(node, knownClasses: knownClasses), sink.diagnostics)
    }

    @Test func readsValidSLOs() throws {
        let (specs, diagnostics) = try parse("""
            [ { name: "ttft-p95", sli: "ttft", threshold: "1.5s", objective: "95%" },
              { name: "avail", sli: "availability", objective: 0.999, window: "7d", classes: ["chat"] }, ]
            """, knownClasses: ["chat", "batch"])
        #expect(diagnostics.isEmpty)
        #expect(specs == [
            SLOSpec(name: "ttft-p95", sli: .ttft, threshold: 1.5, objective: 0.95, window: 30 * 86400),
            SLOSpec(name: "avail", sli: .availability, threshold: 0, objective: 0.999, window: 7 * 86400, classes: ["chat"]),
        ])
    }

    @Test func reportsEveryProblemWithItsPath() throws {
        let (specs, diagnostics) = try parse("""
            [ { name: "a", sli: "availability", threshold: "1s", objective: 0.99 },
              { name: "a", sli: "ttft", objective: 1.2 },
              { name: "b", sli: "latency", objective: "95%", windw: "1d" },
              { name: "c", sli: "e2e", threshold: 0, objective: 0.9, window: "soon", classes: ["chat", "nope", "chat"] },
              "d" ]
            """, knownClasses: ["chat"])
        #expect(specs == nil)
        let paths = diagnostics.map(\.path)
        #expect(paths == ["slos.0.threshold", "slos.1.name", "slos.1.threshold", "slos.1.objective",
                          "slos.2.sli", "slos.2.windw", "slos.3.threshold", "slos.3.window",
                          "slos.3.classes.1", "slos.3.classes.2", "slos.4"])
        #expect(diagnostics[0].message.contains("not allowed"))
        #expect(diagnostics[1].message == "duplicate SLO name \"a\"" && diagnostics[1].allowed.contains("slos.0.name"))
        #expect(diagnostics[2].message == "is missing")
        #expect(diagnostics[3].allowed == "strictly between 0 and 1")
        #expect(diagnostics[5].message == "unknown key")
        #expect(diagnostics[0].description.hasPrefix("s.json5: slos.0.threshold: "))
    }

    @Test func notAnArray() throws {
        let (specs, diagnostics) = try parse("{ name: \"a\" }")
        #expect(specs == nil)
        #expect(diagnostics.map(\.path) == ["slos"])
    }
}
