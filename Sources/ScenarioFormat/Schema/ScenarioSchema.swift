import Foundation
import ServingModel

/// JSON Schema (draft 2020-12) of scenario files, printed by `servesim schema`, generated from the
/// declarations (`ScenarioFields.section` and every section below it).
///
/// Editors use it for completion and validation; the loader stays the authority for cross-field
/// rules (warmup < duration, a class served by one pool, ...). Every object section is one entry
/// of `$defs` (by its id); a tagged section is a `oneOf` of its forms, each closed.
public enum ScenarioSchema {
    /// The top-level section of the format; every other section hangs below it.
    public static var root: Section { ScenarioFields.section }

    /// The schema as pretty-printed JSON (deterministic: keys in declaration order).
    public static var text: String { render(document) + "\n" }

    static var document: SchemaValue {
        var defs: [String: Section] = [:]
        collect(ScenarioFields.section, into: &defs)
        let root = ScenarioFields.section
        var head: [(String, SchemaValue)] = [
            ("$schema", .string("https://json-schema.org/draft/2020-12/schema")),
            ("$id", .string("https://servesim.dev/schema/scenario-v1.json")),
            ("title", .string("ServeSim scenario")),
        ]
        guard case .object(let body) = sectionSchema(root) else { return .object(head) }
        head += body
        defs[root.id] = nil
        head.append(("$defs", .object(defs.keys.sorted().map { ($0, sectionSchema(defs[$0]!)) })))
        return .object(head)
    }

    /// Every section reachable from `section` (itself included), by id.
    static func collect(_ section: Section, into defs: inout [String: Section]) {
        guard defs[section.id] == nil else { return }
        defs[section.id] = section
        for field in section.allFields { collect(field.type, into: &defs) }
    }

    private static func collect(_ type: FieldType, into defs: inout [String: Section]) {
        switch type {
        case .object(let s): collect(s, into: &defs)
        case .list(let t, _), .map(let t): collect(t, into: &defs)
        case .either(let ts): ts.forEach { collect($0, into: &defs) }
        default: break
        }
    }

    static func sectionSchema(_ section: Section) -> SchemaValue {
        guard let tag = section.tag else {
            return .object(objectSchema(description: section.doc, fields: section.fields, alternatives: []))
        }
        // One closed object per form, its tag fixed to the form's value.
        let forms = section.variants.map { variant in
            SchemaValue.object(objectSchema(description: nil, fields: section.fields + variant.fields,
                                            alternatives: variant.alternatives, tag: (tag, variant.value)))
        }
        return .object([("type", .string("object")), ("description", .string(section.doc)),
                        ("required", .array([.string(tag)])), ("oneOf", .array(forms))])
    }

    private static func objectSchema(description: String?, fields: [FieldSpec], alternatives: [[String]],
                                     tag: (key: String, value: String)? = nil) -> [(String, SchemaValue)] {
        var out: [(String, SchemaValue)] = [("type", .string("object")), ("additionalProperties", .bool(false))]
        if let description { out.append(("description", .string(description))) }
        let required = fields.filter(\.required).map(\.key)
        if !required.isEmpty { out.append(("required", .array(required.map(SchemaValue.string)))) }
        out.append(("properties", .object(fields.map { field in
            if let tag, field.key == tag.key { return (field.key, .object([("const", .string(tag.value))])) }
            return (field.key, property(field))
        })))
        if !alternatives.isEmpty {
            out.append(("oneOf", .array(alternatives.map { .object([("required", .array($0.map(SchemaValue.string)))]) })))
        }
        return out
    }

    static func property(_ field: FieldSpec) -> SchemaValue {
        guard case .object(var schema) = typeSchema(field.type) else { return typeSchema(field.type) }
        var text = field.doc
        if let unit = field.unit { text += " Unit: \(unit)." }
        if let note = field.defaultNote { text += " Default: \(note)." }
        if case .choice(let choices) = field.type, choices.contains(where: { !$0.doc.isEmpty }) {
            text += " " + choices.map { $0.doc.isEmpty ? $0.value : "\($0.value): \($0.doc)" }.joined(separator: "; ") + "."
        }
        schema.append(("description", .string(text)))
        if let value = field.defaultValue { schema.append(("default", SchemaValue(value))) }
        return .object(schema)
    }

    static func typeSchema(_ type: FieldType) -> SchemaValue {
        switch type {
        case .string(let pattern):
            var s: [(String, SchemaValue)] = [("type", .string("string")), ("minLength", .int(1))]
            if let pattern { s.append(("pattern", .string(pattern))) }
            return .object(s)
        case .text: return .object([("type", .string("string"))])
        case .boolean: return .object([("type", .string("boolean"))])
        case .number(let range): return .object([("type", .string("number"))] + bounds(range))
        case .integer(let lo, let hi):
            var s: [(String, SchemaValue)] = [("type", .string("integer"))]
            if let lo { s.append(("minimum", .int(lo))) }
            if let hi { s.append(("maximum", .int(hi))) }
            return .object(s)
        case .duration(let min, let exclusive):
            return .object([("oneOf", .array([
                .object([("type", .string("number"))] + bounds(NumberRange(min: min, minExclusive: exclusive))),
                .object([("type", .string("string")), ("pattern", .string(durationPattern))]),
            ]))])
        case .fraction(let exclusive):
            let range = NumberRange(min: 0, max: 1, minExclusive: exclusive, maxExclusive: exclusive)
            return .object([("oneOf", .array([
                .object([("type", .string("number"))] + bounds(range)),
                .object([("type", .string("string")), ("pattern", .string("^[0-9.]+%$"))]),
            ]))])
        case .bandwidth:
            return .object([("oneOf", .array([
                .object([("type", .string("number")), ("exclusiveMinimum", .int(0))]),
                .object([("type", .string("string")), ("pattern", .string(bandwidthPattern))]),
            ]))])
        case .choice(let choices): return .object([("enum", .array(choices.map { .string($0.value) }))])
        case .object(let section): return .object([("$ref", .string("#/$defs/\(section.id)"))])
        case .list(let item, let minItems):
            var s: [(String, SchemaValue)] = [("type", .string("array")), ("items", typeSchema(item))]
            if minItems > 0 { s.append(("minItems", .int(minItems))) }
            return .object(s)
        case .map(let value): return .object([("type", .string("object")), ("additionalProperties", typeSchema(value))])
        case .either(let types): return .object([("anyOf", .array(types.map(typeSchema)))])
        case .constant(let n): return .object([("const", .int(n))])
        case .any: return .object([])
        }
    }

    private static func bounds(_ r: NumberRange) -> [(String, SchemaValue)] {
        var out: [(String, SchemaValue)] = []
        if let lo = r.min { out.append((r.minExclusive ? "exclusiveMinimum" : "minimum", .number(lo))) }
        if let hi = r.max { out.append((r.maxExclusive ? "exclusiveMaximum" : "maximum", .number(hi))) }
        return out
    }

    /// Seconds with an optional unit, as `DurationParser` reads them.
    static let durationPattern = "^ *[0-9]+(\\.[0-9]+)? *(us|ms|s|m|h|d)? *$"
    /// A rate with a unit, as `LinkBandwidth` reads it.
    static let bandwidthPattern = "^ *[0-9]+(\\.[0-9]+)? *(TiB/s|GiB/s|MiB/s|KiB/s|TB/s|GB/s|MB/s|KB/s|kB/s|B/s|Tbps|Gbps|Mbps|Kbps|kbps|Tb/s|Gb/s|Mb/s|bps) *$"
}

/// A JSON value with ordered keys, for deterministic schema output.
indirect enum SchemaValue: Equatable {
    case object([(String, SchemaValue)])
    case array([SchemaValue])
    case string(String)
    case number(Double)
    case int(Int)
    case bool(Bool)

    init(_ value: JSONValue) {
        switch value {
        case .null: self = .object([])
        case .bool(let b): self = .bool(b)
        case .number(let d): self = d == d.rounded() && abs(d) < 1e15 ? .int(Int(d)) : .number(d)
        case .string(let s): self = .string(s)
        case .array(let items): self = .array(items.map(SchemaValue.init))
        case .object(let fields): self = .object(fields.keys.sorted().map { ($0, SchemaValue(fields[$0]!)) })
        }
    }

    static func == (a: SchemaValue, b: SchemaValue) -> Bool { render(a) == render(b) }
}

/// Pretty-printed JSON of `value`, two spaces per level; short arrays of scalars on one line.
func render(_ value: SchemaValue, indent: String = "") -> String {
    let inner = indent + "  "
    switch value {
    case .object(let fields):
        if fields.isEmpty { return "{}" }
        return "{\n" + fields.map { "\(inner)\(quote($0.0)): \(render($0.1, indent: inner))" }.joined(separator: ",\n")
            + "\n\(indent)}"
    case .array(let items):
        if items.isEmpty { return "[]" }
        if items.allSatisfy({ if case .object = $0 { return false }; if case .array = $0 { return false }; return true }) {
            return "[" + items.map { render($0) }.joined(separator: ", ") + "]"
        }
        return "[\n" + items.map { inner + render($0, indent: inner) }.joined(separator: ",\n") + "\n\(indent)]"
    case .string(let s): return quote(s)
    case .int(let n): return String(n)
    case .number(let d): return d == d.rounded() && abs(d) < 1e15 ? String(Int(d)) : "\(d)"
    case .bool(let b): return b ? "true" : "false"
    }
}

private func quote(_ s: String) -> String {
    var out = "\""
    for ch in s.unicodeScalars {
        switch ch {
        case "\"": out += "\\\""
        case "\\": out += "\\\\"
        case "\n": out += "\\n"
        case "\t": out += "\\t"
        default:
            if ch.value < 0x20 { out += String(format: "\\u%04x", ch.value) } else { out.unicodeScalars.append(ch) }
        }
    }
    return out + "\""
}
