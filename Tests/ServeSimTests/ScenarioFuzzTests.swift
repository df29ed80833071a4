import Foundation
import Testing
import ServeSim

/// A seeded mutation fuzzer over the committed scenarios (issue 14): each mutant is parsed in
/// process. A trap would end the test run; every rejection must name the file and a field path
/// (or say the file is not valid JSON5), carry no Swift or Foundation type dump, and fit one line.
/// Bounded: 2,000 mutants, parse only (what a run may cost is `RunLimits`' job, tested apart);
/// `SERVESIM_FUZZ_MUTANTS=10000` runs more (the goal run the README reports).
@Suite struct ScenarioFuzzTests {

    static let numbers: [Double] = [-1, 0, 0.5, 1, 3, 1e9, 1e15, 1e300, -1e300, 9_007_199_254_740_993, 2_147_483_648, 4_294_967_306]
    static let strings = ["", "x", "-1ms", "0x10s", "1.2e2s", "inf", "nan", "..", String(repeating: "a", count: 300),
                          "a\u{1b}[31mb", "line\nbreak", "1e999", "H100-SXM-80GB", "closed-loop", "9999999h"]

    /// Every path to a value in the tree, as keys and indices.
    static func paths(_ value: JSONValue, _ prefix: [String] = []) -> [[String]] {
        var out = [prefix]
        switch value {
        case .object(let o): for (k, v) in o.sorted(by: { $0.key < $1.key }) { out += paths(v, prefix + [k]) }
        case .array(let a): for (i, v) in a.enumerated() { out += paths(v, prefix + [String(i)]) }
        default: break
        }
        return out
    }

    static func replacing(_ value: JSONValue, at path: ArraySlice<String>, with new: JSONValue?) -> JSONValue {
        guard let head = path.first else { return new ?? .null }
        switch value {
        case .object(var o):
            if path.count == 1, new == nil { o[head] = nil } else if let child = o[head] { o[head] = replacing(child, at: path.dropFirst(), with: new) }
            return .object(o)
        case .array(var a):
            guard let i = Int(head), a.indices.contains(i) else { return value }
            if path.count == 1, new == nil { a.remove(at: i) } else { a[i] = replacing(a[i], at: path.dropFirst(), with: new) }
            return .array(a)
        default: return value
        }
    }

    static func json(_ v: JSONValue) -> String {
        switch v {
        case .null: "null"
        case .bool(let b): b ? "true" : "false"
        case .number(let d): d == d.rounded() && abs(d) < 1e18 ? String(Int64(d)) : "\(d)"
        case .string(let s):
            "\"" + s.unicodeScalars.map { c in
                c == "\"" ? "\\\"" : c == "\\" ? "\\\\" : c.value < 0x20 ? String(format: "\\u%04x", c.value) : String(c)
            }.joined() + "\""
        case .array(let a): "[" + a.map(json).joined(separator: ",") + "]"
        case .object(let o): "{" + o.sorted(by: { $0.key < $1.key }).map { json(.string($0.key)) + ":" + json($0.value) }.joined(separator: ",") + "}"
        }
    }

    @Test func mutatedCommittedScenariosAreAcceptedOrRejectedCleanly() throws {
        let folder = CLI.repoRoot.appendingPathComponent("scenarios")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".json5") }.sorted()
        let trees = try files.map { try JSONValue.parse(Data(contentsOf: folder.appendingPathComponent($0))) }
        var rng = SplitMix64(seed: 2026)
        var rejected = 0, accepted = 0
        let start = Date()
        let count = ProcessInfo.processInfo.environment["SERVESIM_FUZZ_MUTANTS"].flatMap(Int.init) ?? 2000
        for m in 0..<count {
            let t = rng.below(trees.count)
            var tree = trees[t]
            for _ in 0...rng.below(3) {
                let all = Self.paths(tree).filter { !$0.isEmpty }
                let path = all[rng.below(all.count)]
                let replacement: JSONValue?
                switch rng.below(7) {
                case 0: replacement = .number(Self.numbers[rng.below(Self.numbers.count)])
                case 1: replacement = .string(Self.strings[rng.below(Self.strings.count)])
                case 2: replacement = nil                                      // delete the key or element
                case 3: replacement = .object(["unknownKey": .number(1)])
                case 4: replacement = .array([])
                case 5: replacement = .bool(rng.below(2) == 0)
                default: replacement = .null
                }
                tree = Self.replacing(tree, at: path[...], with: replacement)
            }
            let text = Self.json(tree)
            let file = "fuzz-\(m).json5"
            do {
                // Base directory: the scenarios folder, so relative trace paths resolve as committed.
                _ = try ScenarioLoader.parse(data: Data(text.utf8), file: file, baseDirectory: folder.path)
                accepted += 1
            } catch let error as InputError {
                rejected += 1
                #expect(!error.diagnostics.isEmpty)
                for d in error.diagnostics {
                    let line = d.description
                    let context = "mutant \(m) of \(files[t]): \(line)"
                    #expect(line.hasPrefix(file) || line.contains(".csv") || line.contains(".jsonl"), "\(context)")
                    #expect(!d.path.isEmpty || line.contains("UTF-8") || line.contains("line "), "\(context)")
                    // Every problem of the scenario file itself names its line and column.
                    if line.hasPrefix(file) { #expect(d.position != nil && !d.allowed.isEmpty, "\(context)") }
                    for leak in ["DecodingError", "NSCocoaErrorDomain", "Optional(", "Swift.", "Foundation."] {
                        #expect(!line.contains(leak), "\(context)")
                    }
                    #expect(!line.contains("\n") && line.count < 3_000, "\(context)")
                }
            } catch {
                Issue.record("mutant \(m) of \(files[t]) threw \(type(of: error)), not an InputError: \(error)")
            }
        }
        #expect(rejected > 500 && accepted > 50, "accepted \(accepted), rejected \(rejected)")
        #expect(Date().timeIntervalSince(start) < 60 * Double(max(1, count / 2000)))
    }
}
