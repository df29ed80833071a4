import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import ServeSim
import Testing

@Suite("HTML reports")
struct HTMLReportTests {
    /// Runs `run --format html` on the small scenario into a fresh folder; returns the folder.
    func runHTML() throws -> URL {
        let dir = try CLI.temporaryDirectory()
        let scenario = dir.appendingPathComponent("small.json5")
        try CLI.smallScenario.write(to: scenario, atomically: true, encoding: .utf8)
        let out = dir.appendingPathComponent("out")
        let result = try CLI.run(["run", scenario.path, "--out", out.path, "--format", "html", "--quiet"])
        #expect(result.code == 0, "\(result.stderr)")
        return out
    }

    @Test("run --format html writes one well-formed, self-contained, deterministic page")
    func runWritesHTML() throws {
        let out = try runHTML()
        defer { try? FileManager.default.removeItem(at: out.deletingLastPathComponent()) }
        #expect(try FileManager.default.contentsOfDirectory(atPath: out.path) == ["small.html"])
        let data = try Data(contentsOf: out.appendingPathComponent("small.html"))
        let html = String(decoding: data, as: UTF8.self)
        #expect(html.hasPrefix("<!DOCTYPE html>\n<html"))

        let probe = XMLProbe.parse(html)
        #expect(probe.error == nil, "\(String(describing: probe.error))")
        #expect(probe.elements.first == "html")
        #expect(probe.numbersFinite)
        for heading in ["small", "Requests", "Latency distributions", "Load, queue and replicas over time",
                        "SLO burn rate over time"] {
            #expect(probe.headings.contains(heading), "missing heading \(heading)")
        }
        // TTFT and E2E CDFs and their tails, arrivals, queue, p95 TTFT per interval, replicas, burn rate.
        #expect(probe.elements.filter { $0 == "svg" }.count == 9)
        #expect(html.components(separatedBy: "<svg").count - 1 == 9)
        #expect(html.contains("<title>p95 TTFT per interval</title>") && html.contains(">SLO ttft: 500.0 ms</text>"))
        #expect(html.contains("TTFT: the tail") && html.contains(">p99.9</text>"))
        #expect(probe.elements.filter { $0 == "table" }.count >= 5)

        // Self-contained: nothing to fetch, no scripts.
        let withoutNamespace = html.replacingOccurrences(of: "xmlns=\"http://www.w3.org/2000/svg\"", with: "")
        #expect(!withoutNamespace.contains("http://"))
        #expect(!withoutNamespace.contains("https://"))
        #expect(!html.lowercased().contains("<script"))
        #expect(!html.contains("src="))
        #expect(!html.contains("@import"))
        #expect(!html.contains("url("))

        // Summary numbers appear as in the other renderers (the SLO names, the pool).
        #expect(html.contains("<td>ttft</td>"))
        #expect(html.contains("<td>gpu</td>"))

        let again = try runHTML()
        defer { try? FileManager.default.removeItem(at: again.deletingLastPathComponent()) }
        #expect(try Data(contentsOf: again.appendingPathComponent("small.html")) == data)
    }

    @Test("the HTML renderer with a degradation ladder and several classes stays well-formed")
    func ladderAndClasses() throws {
        let text = """
            {
              version: 1, name: "crowd", seed: 5, duration: "3m", timeSeriesInterval: "10s",
              workload: { classes: [
                { name: "chat", tenant: "a&b", arrivals: { process: "schedule", steps: [{ at: "0s", rate: 2 }, { at: "60s", rate: 40 }] },
                  promptTokens: { distribution: "fixed", value: 800 }, outputTokens: { distribution: "fixed", value: 200 } },
                { name: "batch<1>", arrivals: { process: "poisson", rate: 1 },
                  promptTokens: { distribution: "fixed", value: 400 }, outputTokens: { distribution: "fixed", value: 50 } }] },
              pools: [{ name: "gpu", hardware: "H100-SXM-80GB", model: "llama-3.1-70b", tensorParallel: 2, replicas: 1,
                        maxQueueLength: 200, performance: { model: "roofline" } }],
              degradation: [{ pool: "gpu", signal: "queueDepth", checkInterval: "5s", recoverAfter: "20s",
                              steps: [{ name: "cap", when: 20, action: "limitOutput", maxOutputTokens: 64 },
                                      { name: "shed", when: 80, action: "shed", fraction: 0.5 }] }],
              slos: [{ name: "ttft \\"fast\\"", sli: "ttft", threshold: "2s", objective: 0.9 }],
            }
            """
        let scenario: Scenario
        do {
            scenario = try ScenarioLoader.parse(data: Data(text.utf8), file: "crowd.json5", baseDirectory: ".")
        } catch let e as InputError {
            Issue.record("\(e.diagnostics.map(\.description))")
            return
        }
        let (report, result) = ScenarioRunner.run(scenario)
        let html = HTMLReport.render(report, metrics: result.metrics)
        let probe = XMLProbe.parse(html)
        #expect(probe.error == nil, "\(String(describing: probe.error))")
        #expect(probe.numbersFinite)
        #expect(html.contains("batch&lt;1&gt;"))
        #expect(html.contains("a&amp;b"))
        #expect(!html.contains("batch<1>"))
        #expect(report.degradation.first?.transitions.isEmpty == false, "the ladder should engage")
        #expect(probe.headings.contains("Degradation ladder: gpu (signal queueDepth)"))
        #expect(html.contains("Steps engaged: pool gpu"))
        // Several classes: one CDF curve per class besides the overall one.
        #expect(html.contains("class batch&lt;1&gt;"))
        // Without metrics the page says so instead of drawing CDFs.
        let bare = HTMLReport.render(report)
        #expect(XMLProbe.parse(bare).error == nil)
        #expect(bare.components(separatedBy: "<svg").count < html.components(separatedBy: "<svg").count)
    }

    @Test("the page carries the topology sections of the Markdown report as well-formed tables")
    func topologySections() throws {
        // One scenario with a release and per-pool traffic, one with regions, one with a gateway.
        let expected: [(String, [String])] = [
            ("canary-rollback", ["Release: v2-rollout (canary 10.0%, v1 -> v2 from 600.000 s)"]),
            ("regions-failover", ["Regions"]),
            ("hosted-overflow", ["Gateway"]),
        ]
        for (name, headings) in expected {
            let url = CLI.repoRoot.appendingPathComponent("scenarios/\(name).json5")
            let scenario = try ScenarioLoader.load(path: url.path)
            let (report, _) = ScenarioRunner.run(scenario)
            let html = HTMLReport.render(report)
            let probe = XMLProbe.parse(html)
            #expect(probe.error == nil, "\(name): \(String(describing: probe.error))")
            #expect(probe.numbersFinite)
            for heading in headings {
                #expect(probe.headings.contains { $0.hasPrefix(heading) }, "\(name): \(heading) in \(probe.headings)")
            }
            // The Markdown's escapes and bold markers do not leak into the page.
            #expect(!html.contains("**") && !html.contains("\\|"), "\(name)")
        }
        // Without any of those sections the page has none of their headings.
        let plain = try ScenarioLoader.load(path: CLI.repoRoot.appendingPathComponent("scenarios/chat-h100.json5").path)
        let headings = XMLProbe.parse(HTMLReport.render(ScenarioRunner.run(plain).0)).headings
        #expect(!headings.contains { $0.hasPrefix("Release") || $0 == "Regions" || $0.hasPrefix("Gateway") })
    }

    @Test("the page shows the Markdown report's sections, in the same order, with the same tables")
    func sameSectionsAsMarkdown() throws {
        for name in ["chat-h100", "canary-rollback", "flash-crowd-degradation", "regions-failover", "disaggregated-prefill"] {
            let url = CLI.repoRoot.appendingPathComponent("scenarios/\(name).json5")
            let (report, result) = ScenarioRunner.run(try ScenarioLoader.load(path: url.path))
            let markdown = ReportRenderer.markdown(report).split(separator: "\n")
            let sectionTitles = markdown.filter { $0.hasPrefix("## ") }.map { String($0.dropFirst(3)).replacingOccurrences(of: "\\|", with: "|") }
            let html = HTMLReport.render(report, metrics: result.metrics)
            let probe = XMLProbe.parse(html)
            #expect(probe.error == nil)
            let pageTitles = probe.headings.filter { sectionTitles.contains($0) }
            #expect(pageTitles == sectionTitles, "\(name)")
            // Every table row of the Markdown is a row of the page: same cells, same order.
            let markdownRows = markdown.filter { $0.hasPrefix("| ") && !$0.contains("---") }.count
            #expect(html.components(separatedBy: "<tr>").count - 1 == markdownRows, "\(name)")
        }
    }

    @Test("the XML probe rejects markup that is not well-formed")
    func probeRejectsBadMarkup() {
        #expect(XMLProbe.parse("<!DOCTYPE html>\n<html><body><p>ok</p></body></html>").error == nil)
        for bad in ["<!DOCTYPE html>\n<html><p>a & b</p></html>", "<html><p>open</html>", "<html><td a=1></td></html>",
                    "<html><p>&nbsp;</p></html>", "<html></html><html></html>"] {
            #expect(XMLProbe.parse(bad).error != nil, "\(bad)")
        }
    }

    @Test("CDF points: non-decreasing in both coordinates, from (min, 0) to (max, 1)")
    func cdfPoints() {
        var h = LogHistogram()
        #expect(h.cdfPoints().isEmpty)
        var state: UInt64 = 12345
        for i in 0..<5000 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            let u = Double(state >> 11) / Double(1 << 53)
            h.add(i % 500 == 0 ? 0 : i % 777 == 0 ? 2e-7 : i == 4999 ? 2e7 : exp(u * 8 - 5))
        }
        for maxPoints in [400, 50, 2] {
            let points = h.cdfPoints(maxPoints: maxPoints)
            #expect(points.count <= maxPoints)
            #expect(points.count >= 2)
            #expect(points.first == CDFPoint(seconds: h.min, fraction: 0))
            #expect(points.last == CDFPoint(seconds: h.max, fraction: 1))
            for (a, b) in zip(points, points.dropFirst()) {
                #expect(b.seconds >= a.seconds && b.fraction >= a.fraction)
            }
            #expect(points.allSatisfy { $0.seconds.isFinite && (0...1).contains($0.fraction) })
        }
        // Within a bucket of the exact median: the point at the median's fraction.
        let points = h.cdfPoints(maxPoints: 10_000)
        let median = h.percentile(0.5)
        let first = points.first { $0.fraction >= 0.5 }!
        #expect(abs(first.seconds / median - 1) < 0.02)

        var one = LogHistogram()
        one.add(0.25)
        #expect(one.cdfPoints() == [CDFPoint(seconds: 0.25, fraction: 0), CDFPoint(seconds: 0.25, fraction: 1)])
    }

    @Test("chart and document text is escaped")
    func escaping() {
        let nasty = "a<b & \"c\" 'd'\u{1}"
        #expect(HTMLText.escape(nasty) == "a&lt;b &amp; &quot;c&quot; &#39;d&#39;\u{FFFD}")
        let line = LineChart(title: nasty, x: ChartAxis(nasty), y: ChartAxis(nasty),
                             series: [ChartSeries(nasty, points: [ChartPoint(x: 1, y: 2), ChartPoint(x: 2, y: 3)])],
                             references: [ReferenceLine(.horizontal, at: 2.5, label: nasty)]).svg()
        let bars = BarChart(title: nasty, categories: [nasty, "b"], series: [BarSeries(nasty, values: [1, 2])],
                            y: ChartAxis(nasty), xLabel: nasty).svg()
        let scatter = ScatterChart(title: nasty, x: ChartAxis(nasty), y: ChartAxis(nasty),
                                   points: [ScatterPoint(nasty, x: 1, y: 1), ScatterPoint("b", x: 2, y: 0.5)],
                                   frontier: [0, 1], frontierName: nasty).svg()
        var doc = HTMLDocument(title: nasty)
        doc.heading(nasty)
        doc.paragraph(nasty)
        doc.list([nasty])
        doc.table(ReportTable(caption: nasty, header: [nasty], rows: [[ReportCell(nasty, mark: .best)]]))
        doc.figure(svg: line, caption: nasty)
        let page = doc.render()
        for markup in [line, bars, scatter, page] {
            #expect(XMLProbe.parse(markup).error == nil)
            #expect(markup.contains("a&lt;b &amp; &quot;c&quot;"))
            #expect(!markup.contains("a<b"))
            #expect(!markup.contains("\u{1}"))
        }
        #expect(page.contains(ReportTable.bestNote))
        #expect(page.contains("class=\"num best\"") || page.contains("class=\"best\""))
    }

    @Test("charts with no points, one point or all-equal values are valid SVG without NaN")
    func degenerateCharts() {
        let width = 600, height = 300
        // Circles above the legend (which starts below `height`) are data markers, and must lie in
        // the plot area of a 600 x 300 chart (see LineChart).
        func markers(_ probe: XMLProbe) -> [(Double, Double)] { probe.circles.filter { $0.1 < Double(height) } }
        func inside(_ probe: XMLProbe) -> Bool {
            markers(probe).allSatisfy { $0.0 >= 65 && $0.0 <= Double(width) - 15 && $0.1 >= 28 && $0.1 <= Double(height) - 42 }
        }
        var charts: [(String, Int)] = []
        for scale in [ChartAxis.Scale.linear, .log] {
            let x = ChartAxis("x (s)", scale: scale), y = ChartAxis("y (s)", scale: scale)
            for points in [[], [ChartPoint(x: 5, y: 5)], [ChartPoint(x: 0, y: 0)], [ChartPoint(x: 3, y: 7), ChartPoint(x: 3, y: 7)],
                           [ChartPoint(x: .nan, y: 1), ChartPoint(x: .infinity, y: 2), ChartPoint(x: 1e-3, y: -.infinity)]] {
                let markers = points.filter { p in p.x.isFinite && p.y.isFinite && (scale == .linear || (p.x > 0 && p.y > 0)) }
                charts.append((LineChart(title: "t", x: x, y: y, series: [ChartSeries("s", points: points), ChartSeries("empty", points: [])],
                                         width: width, height: height).svg(), markers.count))
                charts.append((ScatterChart(title: "t", x: x, y: y,
                                            points: points.enumerated().map { ScatterPoint("p\($0.offset)", x: $0.element.x, y: $0.element.y) },
                                            width: width, height: height).svg(), markers.count))
            }
            charts.append((LineChart(title: "t", x: x, y: y, series: [], width: width, height: height).svg(), 0))
        }
        for values in [[], [0.0], [4.0, 4.0], [-2.0], [.nan, 3]] {
            charts.append((BarChart(title: "t", categories: values.indices.map { "c\($0)" }, series: [BarSeries("s", values: values)],
                                    y: ChartAxis("v"), width: width, height: height).svg(), 0))
        }
        charts.append((BarChart(title: "t", categories: [], series: [], y: ChartAxis("v")).svg(), 0))
        for (svg, expected) in charts {
            let probe = XMLProbe.parse(svg)
            #expect(probe.error == nil)
            #expect(probe.elements.first == "svg")
            #expect(probe.numbersFinite, "\(svg)")
            #expect(!svg.lowercased().contains("nan") && !svg.lowercased().contains("inf"))
            #expect(markers(probe).count == expected, "\(svg)")
            #expect(inside(probe), "\(svg)")
        }
    }

    @Test("line chart: series differ by dash pattern, legend names them, log axis ticks are decades")
    func lineChartStyles() {
        let series = (0..<3).map { i in
            ChartSeries("series \(i)", points: (1...100).map { ChartPoint(x: Double($0) / 100, y: Double(i) + Double($0)) })
        }
        let svg = LineChart(title: "t", x: ChartAxis("x (s, log scale)", scale: .log), y: ChartAxis("y"), series: series).svg()
        #expect(svg.contains("series 0") && svg.contains("series 1") && svg.contains("series 2"))
        let dashes = svg.components(separatedBy: "<path").dropFirst().map { path -> String in
            guard let r = path.range(of: "stroke-dasharray=\"") else { return "" }
            return String(path[r.upperBound...].prefix { $0 != "\"" })
        }
        #expect(dashes.count == 3)
        #expect(Set(dashes).count == 3)
        // Log x from 0.01 to 1: ticks 0.01, 0.02, 0.05, 0.1, ..., 1.
        for tick in [">0.01<", ">0.1<", ">1<", ">0.05<"] { #expect(svg.contains(tick)) }
    }

    @Test("Pareto frontier: lower is better on both axes")
    func paretoFrontier() {
        let points = [ScatterPoint("a", x: 1, y: 10), ScatterPoint("b", x: 2, y: 5), ScatterPoint("c", x: 3, y: 6),
                      ScatterPoint("d", x: 4, y: 1), ScatterPoint("e", x: 2, y: 5), ScatterPoint("f", x: .nan, y: 0),
                      ScatterPoint("g", x: 0.5, y: 10)]
        #expect(ScatterChart.paretoFrontier(points) == [6, 1, 3])
        #expect(ScatterChart.paretoFrontier([]) == [])
        let svg = ScatterChart(title: "cost vs p95 TTFT", x: ChartAxis("cost per request (USD)"), y: ChartAxis("p95 TTFT (s)"),
                               points: points, frontier: ScatterChart.paretoFrontier(points)).svg()
        #expect(XMLProbe.parse(svg).error == nil)
        #expect(svg.contains("Pareto frontier"))
        #expect(svg.contains("<path"))
    }

    @Test("progress hook: fractions non-decreasing in [0, 1], ending at 1, and no effect on the report")
    func progressHook() throws {
        let text = """
            {
              version: 1, name: "progress", seed: 3, duration: "6m",
              workload: { classes: [{ name: "chat", arrivals: { process: "poisson", rate: 150 },
                promptTokens: { distribution: "fixed", value: 200 }, outputTokens: { distribution: "fixed", value: 20 } }] },
              pools: [{ name: "gpu", hardware: "H100-SXM-80GB", model: "llama-3.1-8b", replicas: 4,
                        performance: { model: "roofline" } }],
              slos: [{ name: "ttft", sli: "ttft", threshold: "500ms", objective: 0.95 }],
            }
            """
        let scenario = try ScenarioLoader.parse(data: Data(text.utf8), file: "progress.json5", baseDirectory: ".")
        final class Box { var fractions: [Double] = [] }
        let box = Box()
        let (withHook, result) = ScenarioRunner.run(scenario, progress: { box.fractions.append($0) })
        let (without, _) = ScenarioRunner.run(scenario)
        #expect(withHook == without)
        #expect(result.events > 2 * Simulation.progressInterval)
        // One call per 2^16 events, plus the final one.
        #expect(box.fractions.count == result.events / Simulation.progressInterval + 1)
        #expect(box.fractions.last == 1)
        #expect(box.fractions.allSatisfy { (0...1).contains($0) })
        #expect(zip(box.fractions, box.fractions.dropFirst()).allSatisfy { $0 <= $1 })
        #expect(box.fractions.first! > 0 && box.fractions.first! < 1)
    }

    @Test("run without a terminal writes no progress line", .timeLimit(.minutes(1)))
    func noProgressWithoutTerminal() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let scenario = dir.appendingPathComponent("small.json5")
        try CLI.smallScenario.write(to: scenario, atomically: true, encoding: .utf8)
        let result = try CLI.run(["run", scenario.path, "--out", dir.path, "--format", "json"])
        #expect(result.code == 0)
        #expect(!result.stderr.contains("\r"))
        #expect(!result.stderr.contains("of simulated time"))
    }

    @Test("a headless browser renders the page", .enabled(if: headlessBrowser != nil, "no chromium or chrome on PATH"),
          .timeLimit(.minutes(1)))
    func headlessRender() throws {
        let out = try runHTML()
        let dir = out.deletingLastPathComponent()
        defer { try? FileManager.default.removeItem(at: dir) }
        let png = dir.appendingPathComponent("page.png")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: headlessBrowser!)
        process.arguments = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-extensions",
                             "--user-data-dir=\(dir.appendingPathComponent("profile").path)",
                             "--screenshot=\(png.path)", "--window-size=1200,2000",
                             out.appendingPathComponent("small.html").absoluteString]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        // A browser that hangs must not hang the suite.
        let deadline = Date().addingTimeInterval(45)
        while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
        let data = try Data(contentsOf: png)
        #expect(data.count > 10_000)
        #expect(data.prefix(8) == Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]))
    }
}
