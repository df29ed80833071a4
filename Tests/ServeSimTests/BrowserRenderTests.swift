import Foundation
import Testing
import ServeSim

/// Issue 15: every page ServeSim writes, rendered by a real browser. For each committed
/// scenario's HTML report, a comparison with replications, a comparison of variants and a plan,
/// headless Chromium (Debian package `chromium`, which `make test` installs) renders the page to
/// PNG, and a copy of the page with a measuring script is loaded to read back, from the browser's
/// own layout: script or parse errors, charts with fewer than three drawn marks, and text boxes
/// of one chart that overlap (each pair of `<text>` bounding boxes, more than 1 px both ways).
@Suite(.serialized) struct BrowserRenderTests {
    /// Runs in the page after load and appends its findings as JSON in `<pre id="servesim-probe">`.
    static let probe = """
        (function () {
          var out = { errors: [], charts: 0, empty: [], overlaps: [] };
          window.addEventListener('error', function (e) { out.errors.push(String(e.message)); });
          window.addEventListener('load', function () {
            if (document.querySelector('parsererror')) out.errors.push('parser error');
            var svgs = document.querySelectorAll('svg');
            out.charts = svgs.length;
            svgs.forEach(function (svg, i) {
              var title = (svg.querySelector('title') || {}).textContent || ('chart ' + i);
              var drawn = 0;
              svg.querySelectorAll('polyline, path, rect, circle, polygon, line').forEach(function (m) {
                var b = m.getBBox(); if (b.width > 0 || b.height > 0) drawn++;
              });
              if (drawn < 3) out.empty.push(title);
              var texts = Array.prototype.slice.call(svg.querySelectorAll('text')).map(function (t) {
                return { s: t.textContent, r: t.getBoundingClientRect() };
              }).filter(function (t) { return t.r.width > 0 && t.s.trim() !== ''; });
              for (var a = 0; a < texts.length; a++) for (var b = a + 1; b < texts.length; b++) {
                var p = texts[a].r, q = texts[b].r;
                var ox = Math.min(p.right, q.right) - Math.max(p.left, q.left);
                var oy = Math.min(p.bottom, q.bottom) - Math.max(p.top, q.top);
                if (ox > 1 && oy > 1) out.overlaps.push(title + ': "' + texts[a].s + '" / "' + texts[b].s + '"');
              }
            });
            var pre = document.createElement('pre');
            pre.id = 'servesim-probe';
            pre.textContent = JSON.stringify(out);
            document.body.appendChild(pre);
          });
        })();
        """

    struct Findings: Decodable { var errors: [String]; var charts: Int; var empty: [String]; var overlaps: [String] }

    /// Runs the browser with `arguments` and a 60 s guard; its stdout.
    func browser(_ arguments: [String], profile: URL) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: headlessBrowser!)
        process.arguments = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-extensions",
                             "--user-data-dir=\(profile.path)"] + arguments
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        final class Box: @unchecked Sendable { var data = Data() }
        let box = Box()
        let done = DispatchSemaphore(value: 0)
        DispatchQueue.global().async { box.data = out.fileHandleForReading.readDataToEndOfFile(); done.signal() }
        let deadline = Date().addingTimeInterval(60)
        while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
        done.wait()
        return String(decoding: box.data, as: UTF8.self)
    }

    /// What the browser measured on `page`, and its PNG's size in bytes.
    func render(_ page: URL, in dir: URL) throws -> (Findings, Int) {
        let html = try String(contentsOf: page, encoding: .utf8)
        let probed = page.deletingPathExtension().appendingPathExtension("probe.html")
        try html.replacingOccurrences(of: "</body>", with: "<script>\(Self.probe)</script></body>")
            .write(to: probed, atomically: true, encoding: .utf8)
        let profile = dir.appendingPathComponent("profile-\(UUID().uuidString)")
        let dom = try browser(["--virtual-time-budget=5000", "--dump-dom", probed.absoluteString], profile: profile)
        guard let start = dom.range(of: "<pre id=\"servesim-probe\">"), let end = dom.range(of: "</pre>", range: start.upperBound..<dom.endIndex) else {
            return (Findings(errors: ["the browser returned no measurements"], charts: 0, empty: [], overlaps: []), 0)
        }
        let json = String(dom[start.upperBound..<end.lowerBound]).replacingOccurrences(of: "&quot;", with: "\"")
            .replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&amp;", with: "&")
        let findings = try JSONDecoder().decode(Findings.self, from: Data(json.utf8))
        let png = page.deletingPathExtension().appendingPathExtension("png")
        _ = try browser(["--screenshot=\(png.path)", "--window-size=1200,1600", page.absoluteString], profile: profile)
        let size = (try? Data(contentsOf: png))?.count ?? 0
        return (findings, size)
    }

    @Test("every page renders in a browser with charts drawn and no text overlapping",
          .enabled(if: headlessBrowser != nil, "no chromium on PATH (make test installs it)"),
          .timeLimit(.minutes(5)))
    func everyPageRendersCleanly() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let scenarios = CLI.repoRoot.appendingPathComponent("scenarios")
        func s(_ name: String) -> String { scenarios.appendingPathComponent(name).path }
        var r = try CLI.run(["run", scenarios.path, "--out", dir.path, "--format", "html", "--quiet"])
        #expect(r.code == 0, "\(r.stderr)")
        r = try CLI.run(["compare", s("morning-ramp-warm-pool.json5"), s("morning-ramp-scale-to-zero.json5"), "--replications", "2",
                         "--out", dir.appendingPathComponent("compare-replications").path, "--format", "html", "--quiet"])
        #expect(r.code == 0, "\(r.stderr)")
        r = try CLI.run(["compare", s("speculative-decoding.json5"), "--out", dir.appendingPathComponent("compare-variants").path,
                         "--format", "html", "--quiet"])
        #expect(r.code == 0, "\(r.stderr)")
        r = try CLI.run(["plan", s("chat-h100.json5"), "--hardware", "H100-SXM-80GB,A100-80GB,L40S", "--safety", "1.2",
                         "--out", dir.appendingPathComponent("plan").path, "--format", "html", "--quiet"])
        #expect(r.code == 0, "\(r.stderr)")
        let pages = try FileManager.default.subpathsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".html") }.sorted()
            .map { dir.appendingPathComponent($0) }
        let scenarioCount = try FileManager.default.contentsOfDirectory(atPath: scenarios.path).filter { $0.hasSuffix(".json5") }.count
        #expect(pages.count == scenarioCount + 3, "\(pages.map(\.lastPathComponent))")
        // Two pages at a time (the machine has two cores); findings are checked afterwards, in order.
        final class Results: @unchecked Sendable { let lock = NSLock(); var byPage: [Int: (Findings, Int)] = [:] }
        let results = Results()
        DispatchQueue.concurrentPerform(iterations: pages.count) { i in
            let rendered = (try? render(pages[i], in: dir)) ?? (Findings(errors: ["could not render"], charts: 0, empty: [], overlaps: []), 0)
            results.lock.lock(); results.byPage[i] = rendered; results.lock.unlock()
        }
        for (i, page) in pages.enumerated() {
            let (f, png) = results.byPage[i]!
            let name = page.path.replacingOccurrences(of: dir.path + "/", with: "")
            #expect(f.errors.isEmpty, "\(name): \(f.errors)")
            #expect(f.charts >= 1, "\(name): no chart")
            #expect(f.empty.isEmpty, "\(name): empty charts \(f.empty)")
            #expect(f.overlaps.isEmpty, "\(name): \(f.overlaps.count) overlapping texts, e.g. \(f.overlaps.prefix(5))")
            #expect(png > 10_000, "\(name): PNG of \(png) bytes")
        }
    }

    @Test func labelsArePlacedWithoutOverlapOrDropped() {
        // Twenty labels on one spot: some fit around it, the rest are dropped; no two placed
        // boxes meet, and all are inside the bounds.
        let bounds = TextBox(left: 0, top: 0, right: 760, bottom: 360)
        func boxes(_ labels: [(text: String, x: Double, y: Double)]) -> [TextBox] {
            let placed = ScatterChart.placeLabels(labels, order: Array(labels.indices), bounds: bounds, obstacles: [], size: 11)
            return zip(labels, placed).compactMap { l, p in p.map { TextBox(l.text, x: $0.x, y: $0.y, anchor: $0.anchor, size: 11) } }
        }
        let crowded = boxes((0..<20).map { (text: "label \($0)", x: 200.0, y: 100.0) })
        #expect(crowded.count >= 4 && crowded.count < 20)
        for (i, a) in crowded.enumerated() {
            #expect(a.left >= bounds.left && a.right <= bounds.right && a.top >= bounds.top && a.bottom <= bounds.bottom)
            for b in crowded[(i + 1)...] { #expect(!a.intersects(b)) }
        }
        // Far apart, all fit; an obstacle's place is never taken.
        #expect(boxes((0..<5).map { (text: "x\($0)", x: 60.0 + 120 * Double($0), y: 100.0) }).count == 5)
        let wall = TextBox(left: 0, top: 0, right: 760, bottom: 360)
        #expect(ScatterChart.placeLabels([(text: "a", x: 100, y: 100)], order: [0], bounds: bounds, obstacles: [wall], size: 11) == [nil])
    }
}
