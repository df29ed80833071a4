import Foundation
import Testing
import ServeSim

/// The scenario format is declared once: the README's key tables and `servesim schema` are
/// generated from the declarations the parser reads, and the committed scenarios pass an
/// independent JSON Schema validator (Python's `jsonschema`, Draft 2020-12) against the generated
/// schema.
@Suite struct SchemaTests {
    @Test func readmeKeyTablesAreUpToDate() throws {
        let readme = try String(contentsOf: CLI.repoRoot.appendingPathComponent("README.md"), encoding: .utf8)
        let start = try #require(readme.range(of: KeyTables.begin))
        let end = try #require(readme.range(of: KeyTables.end))
        let generated = readme[start.upperBound..<end.lowerBound].drop { $0 == "\n" }
        #expect(String(generated) == KeyTables.markdown, "the README's key tables are stale: run `make readme`")
    }

    @Test func everyDeclaredKeyIsInTheReadmeTablesAndTheSchema() throws {
        let schema = ScenarioSchema.text
        let tables = KeyTables.markdown
        var sections: [Section] = []
        var seen = Set<String>()
        func visit(_ s: Section) {
            guard seen.insert(s.id).inserted else { return }
            sections.append(s)
            for f in s.allFields { children(f.type).forEach(visit) }
        }
        func children(_ t: FieldType) -> [Section] {
            switch t {
            case .object(let s): [s]
            case .list(let i, _), .map(let i): children(i)
            case .either(let ts): ts.flatMap(children)
            default: []
            }
        }
        visit(ScenarioSchema.root)
        #expect(sections.count >= 40, "\(sections.count) sections")
        for s in sections {
            #expect(tables.contains("#### `\(s.title)`"), "\(s.id)")
            if s !== ScenarioSchema.root { #expect(schema.contains("\"\(s.id)\": {"), "\(s.id)") }
            for f in s.allFields {
                #expect(tables.contains("| `\(f.key)` |"), "\(s.id).\(f.key)")
                #expect(schema.contains("\"\(f.key)\": {"), "\(s.id).\(f.key)")
            }
        }
    }

    @Test func committedScenariosPassAnIndependentValidatorAndMistakesDoNot() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let schemaPath = dir.appendingPathComponent("schema.json")
        try Data(ScenarioSchema.text.utf8).write(to: schemaPath)
        let folder = CLI.repoRoot.appendingPathComponent("scenarios")
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".json5") }.sorted()
        #expect(names.count >= 19)
        var good: [String] = []
        for name in names {
            let json = try PlainJSON.convert(Data(contentsOf: folder.appendingPathComponent(name)))
            let path = dir.appendingPathComponent(name + ".json")
            try json.write(to: path)
            good.append(path.path)
        }
        // Mistakes the loader rejects must fail the schema too: an unknown key, an out-of-range
        // number, a value that is not one of the choices, a form's key under another form.
        let base = try String(contentsOf: folder.appendingPathComponent("chat-h100.json5"), encoding: .utf8)
        let mistakes = [("replicas: 3", "replicas: 3, replicaz: 2"), ("replicas: 3", "replicas: -3"),
                        ("routing: \"least-outstanding\"", "routing: \"fastest\""),
                        ("process: \"poisson\", rate: 40", "process: \"poisson\", rate: 40, cv: 2")]
        var bad: [String] = []
        for (k, (from, to)) in mistakes.enumerated() {
            #expect(base.contains(from), "\(from)")
            let text = base.replacingOccurrences(of: from, with: to)
            #expect(throws: InputError.self) {
                try ScenarioLoader.parse(data: Data(text.utf8), file: "m.json5", baseDirectory: folder.path)
            }
            let path = dir.appendingPathComponent("mistake-\(k).json")
            try PlainJSON.convert(Data(text.utf8)).write(to: path)
            bad.append(path.path)
        }
        let errors = try JSONSchemaValidator.errorCounts(schema: schemaPath.path, documents: good + bad)
        for path in good { #expect(errors[path] == 0, "\(path): \(errors[path] ?? -1) errors") }
        for path in bad { #expect((errors[path] ?? 0) > 0, "\(path) passed the schema") }
    }
}

/// A JSON5 document as plain JSON, read with Foundation's own JSON5 decoder (not the scenario
/// format's reader), so the validation above is independent of the code under test.
enum PlainJSON: Decodable {
    case null, bool(Bool), number(Double), string(String), array([PlainJSON]), object([String: PlainJSON])

    struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    init(from decoder: Decoder) throws {
        if let keyed = try? decoder.container(keyedBy: Key.self) {
            var fields: [String: PlainJSON] = [:]
            for key in keyed.allKeys { fields[key.stringValue] = try keyed.decode(PlainJSON.self, forKey: key) }
            self = .object(fields)
        } else if var items = try? decoder.unkeyedContainer() {
            var list: [PlainJSON] = []
            while !items.isAtEnd { list.append(try items.decode(PlainJSON.self)) }
            self = .array(list)
        } else {
            let single = try decoder.singleValueContainer()
            if single.decodeNil() { self = .null }
            else if let b = try? single.decode(Bool.self) { self = .bool(b) }
            else if let d = try? single.decode(Double.self) { self = .number(d) }
            else { self = .string(try single.decode(String.self)) }
        }
    }

    var object: Any {
        switch self {
        case .null: NSNull()
        case .bool(let b): b
        case .number(let d): d == d.rounded() && abs(d) < 1e15 ? Int(d) as Any : d as Any
        case .string(let s): s
        case .array(let items): items.map(\.object)
        case .object(let fields): fields.mapValues(\.object)
        }
    }

    static func convert(_ json5: Data) throws -> Data {
        let decoder = JSONDecoder()
        decoder.allowsJSON5 = true
        return try JSONSerialization.data(withJSONObject: decoder.decode(PlainJSON.self, from: json5).object, options: [.sortedKeys])
    }
}

/// Python's `jsonschema` (Draft 2020-12), the reference validator; `make test` installs it when
/// missing (Debian's python3-jsonschema).
enum JSONSchemaValidator {
    static let script = """
        import json, sys
        import jsonschema
        schema = json.load(open(sys.argv[1]))
        jsonschema.Draft202012Validator.check_schema(schema)
        validator = jsonschema.Draft202012Validator(schema)
        for path in sys.argv[2:]:
            errors = list(validator.iter_errors(json.load(open(path))))
            print(len(errors), path)
            for e in errors[:3]:
                print("   ", list(e.absolute_path), e.message[:160], file=sys.stderr)
        """

    /// Errors per document path.
    static func errorCounts(schema: String, documents: [String]) throws -> [String: Int] {
        for python in ["python3", "/usr/bin/python3"] {
            let r = try CLI.runProgram("/usr/bin/env", [python, "-c", script, schema] + documents)
            if r.code == 0 {
                var counts: [String: Int] = [:]
                for line in r.stdout.split(separator: "\n") {
                    let parts = line.split(separator: " ", maxSplits: 1)
                    if parts.count == 2, let n = Int(parts[0]) { counts[String(parts[1])] = n }
                }
                if !r.stderr.isEmpty { print(r.stderr) }
                return counts
            }
        }
        Issue.record("no python3 with jsonschema: install Debian's python3-jsonschema (make test does)")
        return [:]
    }
}
