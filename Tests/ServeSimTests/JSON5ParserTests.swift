import Foundation
import Testing
import ServeSim

/// Our JSON5 reader (issue 14): what it accepts equals what Foundation's reader gave for every
/// committed scenario, every JSON5 feature reads as the spec says, every rejection names its line
/// and column, and no byte sequence traps it.
@Suite struct JSON5ParserTests {
    func parse(_ text: String) throws(JSON5Error) -> JSONValue { try JSONValue.parse(Data(text.utf8)) }

    /// The first problem of a rejected text as `LINE:COL: path: message (allowed)`.
    func problem(_ text: String) -> String {
        do {
            _ = try parse(text)
            return "accepted"
        } catch {
            let p = error.problems[0]
            return "\(p.position): " + (p.path.isEmpty ? "" : "\(p.path): ") + p.message + (p.allowed.isEmpty ? "" : " (\(p.allowed))")
        }
    }

    /// A value read by Foundation's JSON5 reader (which served before ours: the reference on
    /// valid text), as a `JSONValue`.
    static func value(_ plain: PlainJSON) -> JSONValue {
        switch plain {
        case .null: .null
        case .bool(let b): .bool(b)
        case .number(let d): .number(d)
        case .string(let s): .string(s)
        case .array(let a): .array(a.map(value))
        case .object(let o): .object(o.mapValues(value))
        }
    }

    @Test func everyCommittedScenarioReadsAsFoundationReadIt() throws {
        let folder = CLI.repoRoot.appendingPathComponent("scenarios")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".json5") }
        #expect(files.count >= 10)
        let decoder = JSONDecoder()
        decoder.allowsJSON5 = true
        for name in files {
            let data = try Data(contentsOf: folder.appendingPathComponent(name))
            #expect(try JSONValue.parse(data) == Self.value(decoder.decode(PlainJSON.self, from: data)), "\(name)")
        }
    }

    @Test func everyJSON5FeatureReadsAsTheSpecSays() throws {
        let text = """
            \u{FEFF}// a comment
            { unquoted: 1, 'single': 'it\\'s', "double": "a\\"b", $dollar_1: true, café: null,
              /* block
                 comment */ trailing: [1, 2, ],
              hex: 0x1F, neg: -0XFF, lead: .5, trail: 5., plus: +3, exp: 1.5e3, small: 2E-2,
              inf: Infinity, ninf: -Infinity, nan: NaN,
              escapes: "\\x41\\u00e9\\ud83d\\ude00\\t\\v\\0\\/\\a",
              continued: "one \\
            two",
              nested: { deep: [{}, []], }, \u{00A0}spaced\u{2028}: 'u2028 \u{2028} inside',
            }
            """
        guard case .object(let o) = try parse(text) else { Issue.record("not an object"); return }
        #expect(o["unquoted"] == .number(1) && o["single"] == .string("it's") && o["double"] == .string("a\"b"))
        #expect(o["$dollar_1"] == .bool(true) && o["café"] == .null)
        #expect(o["trailing"] == .array([.number(1), .number(2)]))
        #expect(o["hex"] == .number(31) && o["neg"] == .number(-255) && o["lead"] == .number(0.5) && o["trail"] == .number(5))
        #expect(o["plus"] == .number(3) && o["exp"] == .number(1500) && o["small"] == .number(0.02))
        #expect(o["inf"] == .number(.infinity) && o["ninf"] == .number(-.infinity))
        if case .number(let n)? = o["nan"] { #expect(n.isNaN) } else { Issue.record("NaN") }
        #expect(o["escapes"] == .string("Aé😀\t\u{0B}\u{0}/a"))
        #expect(o["continued"] == .string("one two"))
        #expect(o["nested"] == .object(["deep": .array([.object([:]), .array([])])]))
        #expect(o["spaced"] == .string("u2028 \u{2028} inside"))
        // Any one value is a document, including a bare number or string (what `--set` gives).
        #expect(try parse(" 0.02044421069995506 ") == .number(0.02044421069995506))
        #expect(try parse("'H100'") == .string("H100") && (try parse("[]")) == .array([]))
    }

    @Test func everyRejectionSaysWhereAndWhatWasExpected() {
        let cases: [(String, String)] = [
            ("", "1:1: the text ends where a value should be (\(JSON5ParserTests.aValue))"),
            ("{ a: 1, a: 2 }", "1:9: a: duplicate key (also at line 1, column 3) (each key once in an object)"),
            ("{ a: 1\n  b: 2 }", "2:3: a: unexpected 'b' after the value of \"a\" (',' or '}')"),
            ("{ a: 01 }", "1:6: a: a number with a leading zero (0, or digits not starting with 0 (octal is not JSON5))"),
            ("{ a: 1e400 }", "1:6: a: 1e400 is too large for a 64-bit float (a number of magnitude below 1.8e308)"),
            ("{ a: 0x }", "1:8: a: \"0x\" without hexadecimal digits (a number such as 0x1F)"),
            ("{ a: 1e }", "1:8: a: an exponent without digits (a number such as 1.5e3)"),
            ("{ a: 12px }", "1:8: a: unexpected 'p' after a number (a number, then ',' or the end of the object or array (strings need quotes))"),
            ("{ a: H100-SXM }", "1:6: a: unexpected word H100-SXM (a string in quotes, such as \"H100-SXM\")"),
            ("{ a: \"open }", "1:6: a: a string that is never closed (a closing \")"),
            ("{ a: 'x\ny' }", "1:8: a: a line break inside a string (\\n, or a backslash before the line break to continue the string)"),
            ("{ a: '\\1' }", "1:7: a: \\1 is not an escape (\\b \\f \\n \\r \\t \\v \\0 \\xHH \\uHHHH)"),
            ("{ a: '\\ud800x' }", "1:13: a: a lone surrogate escape (a \\uD800-\\uDBFF escape followed by a \\uDC00-\\uDFFF one)"),
            ("{ a: '\\xZ1' }", "1:9: a: an escape needs 2 hexadecimal digits (\\xHH)"),
            ("{ 1a: 1 }", "1:3: unexpected '1' where a key should be (a key (a name of letters, digits, '_' and '$' not starting with a digit, or a quoted string), or '}')"),
            ("{ a: [1 2] }", "1:9: a: unexpected '2' after entry 0 (',' or ']')"),
            ("{ a: [1,, 2] }", "1:9: a.1: unexpected ',' (\(JSON5ParserTests.aValue))"),
            ("{ a: 1 } }", "1:10: unexpected '}' after the top-level value (one value per file: the end of the text)"),
            ("{ a: 1 /* x", "1:8: a /* comment that is never closed (*/ to close it)"),
            ("{ a: [", "1:7: a.0: the text ends where a value should be (\(JSON5ParserTests.aValue))"),
            ("{ a: truth }", "1:6: a: unexpected word truth (a string in quotes, such as \"truth\")"),
            ("{ é: [ 1, 2, x ] }", "1:14: é.2: unexpected word x (a string in quotes, such as \"x\")"),
            ("{\r\n a: 1,\r\n b: ? }", "3:5: b: unexpected '?' (\(JSON5ParserTests.aValue))"),
            (String(repeating: "[", count: 200), "1:129: \(Array(repeating: "0", count: 128).joined(separator: ".")): nested more than 128 levels deep (at most 128 levels)"),
        ]
        for (text, expected) in cases {
            #expect(problem(text) == expected, "\(text.debugDescription)")
        }
    }

    static let aValue = "a value: an object, array, string, number, true, false or null"

    @Test func duplicateKeysAndHugeNumbersAreAllReportedInOnePass() {
        do {
            _ = try parse("{ a: 1, b: { c: 1e999, c: 2 }, a: 3 }")
            Issue.record("accepted")
        } catch {
            #expect(error.problems.map { "\($0.position) \($0.path)" } == ["1:17 b.c", "1:24 b.c", "1:32 a"])
        }
    }

    @Test func positionsPointAtKeysEntriesAndTheObjectThatLacksAKey() throws {
        let text = "{\n  pools: [\n    { name: \"gpu\", replicas: 2 },\n    { name: \"é\", model: \"x\" },\n  ],\n  seed: 7,\n}\n"
        let (_, map) = try JSON5Parser.parse(Data(text.utf8))
        #expect(map.position(of: "")?.description == "1:1")
        #expect(map.position(of: "pools")?.description == "2:3")
        #expect(map.position(of: "pools.0")?.description == "3:5")
        #expect(map.position(of: "pools.0.replicas")?.description == "3:20")
        #expect(map.position(of: "pools.1.model")?.description == "4:18")          // "é" is one column
        #expect(map.position(of: "pools.1.hardware")?.description == "4:5")         // missing: the object lacking it
        #expect(map.position(of: "pools.7.name")?.description == "2:3")            // no such entry: the array
        #expect(map.position(of: "seed")?.description == "6:3")
        var replaced = map
        replaced.replace("pools.0")
        #expect(replaced.position(of: "pools.0.replicas") == nil && replaced.position(of: "pools.1.model") != nil)
    }

    @Test func aScenarioProblemNamesItsLineAndColumnAndAnOverrideItsOwn() throws {
        let text = CLI.smallScenario.replacingOccurrences(of: "replicas: 1,", with: "replicas: 0,")
        let (_, errors) = parseScenario(text, positions: true)
        let at = try #require(CLITests.position(of: "replicas: 0", in: text))
        #expect(errors == ["s.json5:\(at): pools.0.replicas: 0 is out of range (an integer from 1 to 100000)"], "\(errors)")
        // A value given by --set has no place in the file: the message names the path only.
        let dir = try CLI.temporaryDirectory()
        let file = dir.appendingPathComponent("s.json5")
        try CLI.smallScenario.write(to: file, atomically: true, encoding: .utf8)
        do {
            _ = try ScenarioLoader.load(path: file.path, overrides: [ScenarioOverride.parse("pools.0.replicas=-1")!])
            Issue.record("accepted")
        } catch let error as InputError {
            #expect(error.description == "\(file.path): pools.0.replicas: -1 is out of range (an integer from 1 to 100000)")
        }
    }

    @Test func noByteSequenceTrapsTheReader() throws {
        // Seeded byte-level mutations (flip, insert, delete, truncate) of a committed scenario:
        // each parses or is rejected with a position inside the text.
        let data = try Data(contentsOf: CLI.repoRoot.appendingPathComponent("scenarios/chat-h100.json5"))
        var rng = SplitMix64(seed: 14)
        let alphabet = Array("{}[]:,'\"\\/*+-.0123456789eExXIN \n\r\t".utf8) + [0x00, 0x80, 0xC3, 0xE2, 0xFF]
        var rejected = 0
        for _ in 0..<3000 {
            var bytes = [UInt8](data)
            for _ in 0...rng.below(4) {
                let at = rng.below(bytes.count)
                switch rng.below(4) {
                case 0: bytes[at] = alphabet[rng.below(alphabet.count)]
                case 1: bytes.insert(alphabet[rng.below(alphabet.count)], at: at)
                case 2: bytes.remove(at: at)
                default: bytes = Array(bytes[..<at])
                }
                if bytes.isEmpty { bytes = [0x7B] }
            }
            do {
                _ = try JSON5Parser.parse(Data(bytes))
            } catch {
                rejected += 1
                // Lines end at LF, at CR LF and at a CR alone.
                let lines = bytes.indices.filter { bytes[$0] == 0x0A || (bytes[$0] == 0x0D && bytes.indices.contains($0 + 1) && bytes[$0 + 1] != 0x0A) || (bytes[$0] == 0x0D && $0 == bytes.count - 1) }.count + 1
                for p in error.problems { #expect(p.position.line >= 1 && Int(p.position.line) <= lines && p.position.column >= 1) }
            }
        }
        #expect(rejected > 1000)
    }
}
