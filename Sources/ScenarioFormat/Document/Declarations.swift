import ServingModel

// The scenario format is declared once, here and in the `*Fields.swift` files: every key of every
// object as one `Key` (name, type with range or choices, default, unit, doc), every object as one
// `Section`. The section readers read values only through these keys (`ObjectReader.read`), and
// `servesim schema` and the README's key tables are generated from the same sections
// (`SchemaGenerator`, `KeyTables`), so the three cannot drift. Cross-field rules (warmup <
// duration, one ladder per pool, ...) stay in code next to their section's reader.

/// A value's JSON type and constraints, as the schema and the README state them. The reader
/// applies the same constraints: each `Key` builder turns one of these into its `read`.
public indirect enum FieldType: Sendable {
    /// A non-empty string (matching `pattern`, a regular expression, when given).
    case string(pattern: String?)
    /// Any string, the empty one included.
    case text
    case boolean
    /// A finite number in the range.
    case number(NumberRange)
    /// An integer in `min ... max`.
    case integer(min: Int?, max: Int?)
    /// Seconds, as a number or a string with a unit ("250ms", "30s", "5m", "1h", "30d").
    case duration(min: Double, exclusive: Bool)
    /// A share, as a number or a percentage string ("95%"): in (0, 1) when `exclusive`, else [0, 1].
    case fraction(exclusive: Bool)
    /// Bytes per second, as a number or a string with a unit ("450GB/s", "100Gbps").
    case bandwidth
    /// One of the listed strings.
    case choice([Choice])
    /// An object, read by its section.
    case object(Section)
    /// An array of values of one type, with at least `minItems` entries.
    case list(FieldType, minItems: Int)
    /// An object whose keys are data (names), each mapped to a value of one type.
    case map(FieldType)
    /// Any of the alternatives (a preset name or an object, a number or a distribution).
    case either([FieldType])
    /// Exactly this integer.
    case constant(Int)
    /// Any JSON value (checked when it is used, as a variant's overrides are).
    case any
}

/// The range of a number: bounds nil when open, each inclusive unless marked exclusive.
public struct NumberRange: Sendable {
    public var min: Double?, max: Double?
    public var minExclusive = false, maxExclusive = false

    public init(min: Double? = nil, max: Double? = nil, minExclusive: Bool = false, maxExclusive: Bool = false) {
        self.min = min
        self.max = max
        self.minExclusive = minExclusive
        self.maxExclusive = maxExclusive
    }
}

/// One allowed value of a `choice` field, with what it means.
public struct Choice: Sendable {
    public let value: String
    public let doc: String
    public init(_ value: String, _ doc: String = "") {
        self.value = value
        self.doc = doc
    }
}

/// What the schema and the README know of one key.
public struct FieldSpec: Sendable {
    public let key: String
    public let type: FieldType
    /// Whether every object of the section must give it. A key required only in some cases (a
    /// cross-field rule) is optional here and its section's reader asks for it.
    public let required: Bool
    /// What completes "is missing (...)" when the key is required and absent (may be empty).
    public let hint: String
    /// The hint, or the type in words when the declaration gives none: "is missing" always says
    /// what would do.
    public var missingHint: String { hint.isEmpty ? type.summary : hint }
    /// The default as the schema states it (nil: none, or it depends on other keys: `defaultNote`).
    public let defaultValue: JSONValue?
    /// The default in words when it is not a plain value ("the hardware preset's").
    public let defaultNote: String?
    /// The unit of a number ("requests/s", "USD per GPU-hour"); durations and shares need none.
    public let unit: String?
    public let doc: String
}

/// One object of the format: its keys, and for a tagged object (`{ process: "gamma", ... }`) the
/// keys each value of the tag adds.
public final class Section: Sendable {
    /// Unique; the schema's `$defs` name.
    public let id: String
    /// Where it sits in a scenario file, for the README ("pools[].scheduler").
    public let title: String
    public let doc: String
    /// Keys every form of the object has (the tag included).
    public let fields: [FieldSpec]
    /// The tag key and, per value, the keys that form adds (empty for an untagged object).
    public let tag: String?
    public let variants: [Variant]

    public init(_ id: String, title: String, doc: String, fields: [FieldSpec], tag: String? = nil, variants: [Variant] = []) {
        self.id = id
        self.title = title
        self.doc = doc
        self.fields = fields
        self.tag = tag
        self.variants = variants
    }

    /// Whether `key` is one of the section's keys (in any form).
    public func declares(_ key: String) -> Bool {
        fields.contains { $0.key == key } || variants.contains { v in v.fields.contains { $0.key == key } }
    }

    /// Every key, common ones first, then each form's in form order (a key shared by forms once).
    public var allFields: [FieldSpec] {
        var seen = Set<String>()
        return (fields + variants.flatMap(\.fields)).filter { seen.insert($0.key).inserted }
    }
}

/// One form of a tagged section: the tag's value and the keys it adds. `alternatives` lists sets
/// of keys of which exactly one is given (lognormal by mean and p95, or by mu and sigma).
public struct Variant: Sendable {
    public let value: String
    public let doc: String
    public let fields: [FieldSpec]
    public let alternatives: [[String]]

    public init(_ value: String, doc: String = "", fields: [FieldSpec], alternatives: [[String]] = []) {
        self.value = value
        self.doc = doc
        self.fields = fields
        self.alternatives = alternatives
    }
}

/// A key declared once: what the schema and README say of it (`spec`) and how the reader turns its
/// value into a `Value`, applying the same constraints.
public struct Key<Value: Sendable>: Sendable {
    public let spec: FieldSpec
    /// Reads a present value, reporting any problem at the node; nil when it was not valid.
    let read: @Sendable (FieldNode) -> Value?
    /// The value when the key is absent (nil: no default).
    let fallback: Value?

    public var name: String { spec.key }

    /// A key of any type read by `read` (an object section, a list, an either).
    /// `required`: the key is required, and this completes "is missing (...)"; `hint` the same for a
    /// key that is optional in the schema but that the reader requires in some cases.
    public init(_ key: String, _ type: FieldType, required: String? = nil, hint: String? = nil,
                default fallback: Value? = nil, schemaDefault: JSONValue? = nil, defaultNote: String? = nil,
                unit: String? = nil, doc: String, read: @escaping @Sendable (FieldNode) -> Value?) {
        spec = FieldSpec(key: key, type: type, required: required != nil, hint: required ?? hint ?? "",
                         defaultValue: schemaDefault, defaultNote: defaultNote, unit: unit, doc: doc)
        self.read = read
        self.fallback = fallback
    }

    /// The same key with another reader of the same type (one that needs data only the parser has,
    /// such as the pools' names).
    public func reading(_ read: @escaping @Sendable (FieldNode) -> Value?) -> Key<Value> {
        Key(spec: spec, read: read, fallback: fallback)
    }

    private init(spec: FieldSpec, read: @escaping @Sendable (FieldNode) -> Value?, fallback: Value?) {
        self.spec = spec
        self.read = read
        self.fallback = fallback
    }
}

extension Key where Value == JSONValue {
    /// A key whose value the section's reader parses itself, with what only it knows (the pools'
    /// names, the trace's format): read it through `ObjectReader.node`.
    public static func raw(_ key: String, _ type: FieldType, required: String? = nil, hint: String? = nil, schemaDefault: JSONValue? = nil,
                           defaultNote: String? = nil, unit: String? = nil, doc: String) -> Key {
        Key(key, type, required: required, hint: hint, schemaDefault: schemaDefault, defaultNote: defaultNote, unit: unit, doc: doc) {
            $0.value
        }
    }
}

extension Key where Value == String {
    /// A non-empty string.
    public static func string(_ key: String, required: String? = nil, hint: String? = nil, default fallback: String? = nil,
                              defaultNote: String? = nil, pattern: String? = nil, doc: String) -> Key {
        Key(key, .string(pattern: pattern), required: required, hint: hint, default: fallback, schemaDefault: fallback.map(JSONValue.string),
            defaultNote: defaultNote, doc: doc) { $0.string(maxLength: key == "name" ? Self.maxNameLength : 4096) }
    }

    /// Longest name (of a scenario, pool, class, SLO, ...), characters: names become file names
    /// and report columns.
    public static var maxNameLength: Int { 100 }

    /// Any string, the empty one included.
    public static func text(_ key: String, default fallback: String? = nil, doc: String) -> Key {
        Key(key, .text, default: fallback, doc: doc) { $0.string(nonEmpty: false) }
    }

    /// One of `choices` (reported as "is not supported (a, b, c)" otherwise).
    public static func oneOf(_ key: String, _ choices: [Choice], required: String? = nil, hint: String? = nil, default fallback: String? = nil,
                             doc: String) -> Key {
        let values = choices.map(\.value)
        return Key(key, .choice(choices), required: required, hint: hint, default: fallback, schemaDefault: fallback.map(JSONValue.string),
                   doc: doc) { $0.oneOf(values) }
    }
}

extension Key where Value: RawRepresentable & CaseIterable, Value.RawValue == String {
    /// One of an enumeration's raw values, each documented by `docs`.
    public static func choice(_ key: String, _ type: Value.Type, docs: (Value) -> String = { _ in "" },
                              required: String? = nil, hint: String? = nil, default fallback: Value? = nil, doc: String) -> Key {
        let choices = Value.allCases.map { Choice($0.rawValue, docs($0)) }
        let values = choices.map(\.value)
        return Key(key, .choice(choices), required: required, hint: hint, default: fallback,
                   schemaDefault: fallback.map { .string($0.rawValue) }, doc: doc) { node in
            node.oneOf(values).flatMap(Value.init(rawValue:))
        }
    }
}

extension Key where Value == Bool {
    public static func boolean(_ key: String, required: String? = nil, hint: String? = nil, default fallback: Bool? = nil, doc: String) -> Key {
        Key(key, .boolean, required: required, hint: hint, default: fallback, schemaDefault: fallback.map(JSONValue.bool), doc: doc) {
            $0.bool()
        }
    }
}

extension Key where Value == Double {
    /// A finite number in `[min, max]` (`(min, max]` when `exclusiveMin`).
    public static func number(_ key: String, min: Double = -.infinity, max: Double = .infinity, exclusiveMin: Bool = false,
                              required: String? = nil, hint: String? = nil, default fallback: Double? = nil, defaultNote: String? = nil,
                              unit: String? = nil, doc: String) -> Key {
        let range = NumberRange(min: min.isFinite ? min : nil, max: max.isFinite ? max : nil, minExclusive: exclusiveMin)
        return Key(key, .number(range), required: required, hint: hint, default: fallback, schemaDefault: fallback.map(JSONValue.number),
                   defaultNote: defaultNote, unit: unit, doc: doc) { $0.double(min: min, max: max, exclusiveMin: exclusiveMin) }
    }

    /// Seconds, at least `min` (more than `min` when `exclusiveMin`).
    public static func duration(_ key: String, min: Double = 0, exclusiveMin: Bool = false, required: String? = nil, hint: String? = nil,
                                default fallback: Double? = nil, defaultNote: String? = nil, doc: String) -> Key {
        Key(key, .duration(min: min, exclusive: exclusiveMin), required: required, hint: hint, default: fallback,
            schemaDefault: fallback.map { .string(DurationParser.text($0)) }, defaultNote: defaultNote, doc: doc) {
            $0.duration(min: min, exclusiveMin: exclusiveMin)
        }
    }

    /// A share: a number or "95%", strictly between 0 and 1 when `exclusive`, else from 0 to 1.
    public static func fraction(_ key: String, exclusive: Bool, required: String? = nil, hint: String? = nil, default fallback: Double? = nil,
                                doc: String) -> Key {
        Key(key, .fraction(exclusive: exclusive), required: required, hint: hint, default: fallback,
            schemaDefault: fallback.map(JSONValue.number), doc: doc) { $0.fraction(exclusive: exclusive) }
    }
}

extension Key where Value == Int {
    /// An integer in `min ... max`.
    public static func integer(_ key: String, min: Int = Int.min, max: Int = Int.max, required: String? = nil, hint: String? = nil,
                               default fallback: Int? = nil, defaultNote: String? = nil, unit: String? = nil,
                               doc: String) -> Key {
        Key(key, .integer(min: min == Int.min ? nil : min, max: max == Int.max ? nil : max), required: required, hint: hint,
            default: fallback, schemaDefault: fallback.map { .number(Double($0)) }, defaultNote: defaultNote, unit: unit,
            doc: doc) { $0.int(min: min, max: max) }
    }
}

extension Key where Value == [String] {
    /// A list of non-empty strings (names), at least `minItems` of them.
    public static func names(_ key: String, minItems: Int = 0, required: String? = nil, hint: String? = nil, doc: String) -> Key {
        Key(key, .list(.string(pattern: nil), minItems: minItems), required: required, hint: hint, doc: doc) { node in
            guard let items = node.array(minCount: minItems) else { return nil }
            let names = items.map { $0.string() }
            return names.contains { $0 == nil } ? nil : names.compactMap { $0 }
        }
    }
}

extension FieldType {
    /// The type in words, as the README's key tables and "is missing (...)" messages give it.
    public var summary: String {
        switch self {
        case .string: "string"
        case .text: "string"
        case .boolean: "true or false"
        case .number(let r): "number" + Self.range(r)
        case .integer(let lo, let hi):
            "integer" + Self.range(NumberRange(min: lo.map(Double.init), max: hi.map(Double.init)))
        case .duration(let min, let exclusive): "duration" + (exclusive ? " > \(Self.number(min))" : min > 0 ? " >= \(Self.number(min))" : "")
        case .fraction(let exclusive): exclusive ? "share in (0, 1)" : "share in [0, 1]"
        case .bandwidth: "bytes/s, or a rate with a unit"
        case .choice(let choices): choices.map { "`\($0.value)`" }.joined(separator: " or ")
        case .object(let s): "object (`\(s.title)`)"
        case .list(let t, let minItems): (minItems > 0 ? "non-empty " : "") + "list of " + t.summary
        case .map(let t): "object of names to " + t.summary
        case .either(let ts): ts.map(\.summary).joined(separator: ", or ")
        case .constant(let n): "\(n)"
        case .any: "any value"
        }
    }

    fileprivate static func range(_ r: NumberRange) -> String {
        switch (r.min, r.max) {
        case let (lo?, hi?): " " + (r.minExclusive ? "(" : "[") + Self.number(lo) + ", " + Self.number(hi) + (r.maxExclusive ? ")" : "]")
        case let (lo?, nil): (r.minExclusive ? " > " : " >= ") + Self.number(lo)
        case let (nil, hi?): (r.maxExclusive ? " < " : " <= ") + Self.number(hi)
        default: ""
        }
    }

    fileprivate static func number(_ d: Double) -> String { FieldNode.format(d) }
}
