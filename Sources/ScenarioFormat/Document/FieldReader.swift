import ServingModel
/// A value in an input document together with its path, for reading with precise error messages.
///
/// Every accessor reports a problem to the sink and returns nil instead of throwing, so one pass
/// finds every problem in a file. Example: `node.object()?.required("rate")?.double(min: 0)`.
public struct FieldNode {
    public let value: JSONValue
    /// Dotted path (`pools.0.scheduler.maxNumSeqs`).
    public let path: String
    public let sink: DiagnosticSink

    public init(value: JSONValue, path: String, sink: DiagnosticSink) {
        self.value = value
        self.path = path
        self.sink = sink
    }

    public func report(_ message: String, allowed: String = "") { sink.report(path, message, allowed: allowed) }

    /// Reports a problem of a file this field names (a profile, a CSV of lengths) at this field:
    /// `prefix` and the inner problem as it prints without its hint, then the inner hint (or
    /// `fallback` when it has none) as this problem's "(allowed)".
    public func report(_ inner: Diagnostic, prefix: String = "", fallback: String) {
        var text = inner
        text.allowed = ""
        report(prefix + text.description, allowed: inner.allowed.isEmpty ? fallback : inner.allowed)
    }

    private func wrongType(_ expected: String) {
        // A number that is not one the field takes says which: "got a number" alone reads as no error.
        if case .number(let d) = value, expected.contains("integer") || expected.contains("number") {
            let what = d.isNaN ? "NaN" : d.isInfinite ? (d > 0 ? "Infinity" : "-Infinity")
                : d != d.rounded() ? "\(FieldNode.format(d)), not a whole number" : "\(FieldNode.format(d)), too large"
            report("expected \(expected), got \(what)", allowed: expected)
            return
        }
        report("expected \(expected), got \(value.typeName)", allowed: expected)
    }

    public func object() -> ObjectReader? {
        guard case .object(let fields) = value else { wrongType("an object"); return nil }
        return ObjectReader(fields: fields, path: path, sink: sink, section: nil)
    }

    /// The object's reader for `section`: it reads only the section's keys.
    public func object(_ section: Section) -> ObjectReader? {
        guard case .object(let fields) = value else { wrongType("an object"); return nil }
        return ObjectReader(fields: fields, path: path, sink: sink, section: section)
    }

    public func array(minCount: Int = 0) -> [FieldNode]? {
        guard case .array(let items) = value else { wrongType("an array"); return nil }
        if items.count < minCount {
            report("has \(items.count) entries", allowed: "at least \(minCount)")
            return nil
        }
        return items.enumerated().map { FieldNode(value: $1, path: "\(path).\($0)", sink: sink) }
    }

    /// A string without control characters (they would break report tables and terminals), at
    /// most `maxLength` characters.
    public func string(nonEmpty: Bool = true, maxLength: Int = 4096) -> String? {
        guard case .string(let s) = value else { wrongType("a string"); return nil }
        if nonEmpty && s.isEmpty { report("is empty", allowed: "a non-empty string"); return nil }
        if s.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
            report("\"\(s)\" holds control characters", allowed: "printable text"); return nil
        }
        if s.count > maxLength { report("has \(s.count) characters", allowed: "at most \(maxLength)"); return nil }
        return s
    }

    public func bool() -> Bool? {
        guard case .bool(let b) = value else { wrongType("true or false"); return nil }
        return b
    }

    /// A finite number within `[min, max]` (or `(min, max]` when `exclusiveMin`).
    public func double(min: Double = -.infinity, max: Double = .infinity, exclusiveMin: Bool = false) -> Double? {
        guard case .number(let d) = value, d.isFinite else { wrongType("a number"); return nil }
        let tooLow = exclusiveMin ? d <= min : d < min
        if tooLow || d > max {
            report("\(Self.format(d)) is out of range", allowed: Self.rangeText(min, max, exclusiveMin))
            return nil
        }
        return d
    }

    /// An integer within `[min, max]`.
    public func int(min: Int = Int.min, max: Int = Int.max) -> Int? {
        guard case .number(let d) = value, d.isFinite, d == d.rounded(), abs(d) < 9e15 else {
            wrongType("an integer"); return nil
        }
        let i = Int(d)
        if i < min || i > max {
            report("\(i) is out of range", allowed: Self.rangeText(Double(min), Double(max), false, integer: true))
            return nil
        }
        return i
    }

    /// A duration in seconds (number or "30s"-style string), at least `min`.
    public func duration(min: Double = 0, exclusiveMin: Bool = false) -> Double? {
        let seconds: Double
        switch value {
        case .number(let d) where d.isFinite: seconds = d
        case .string(let s):
            guard let parsed = DurationParser.seconds(s) else {
                report("\"\(s)\" is not a duration", allowed: DurationParser.allowed); return nil
            }
            seconds = parsed
        default:
            wrongType("a duration"); return nil
        }
        if exclusiveMin ? seconds <= min : seconds < min {
            report("duration \(Self.format(seconds))s is out of range",
                   allowed: exclusiveMin ? "greater than \(Self.format(min))s" : "at least \(Self.format(min))s")
            return nil
        }
        return seconds
    }

    /// One of a fixed set of strings.
    public func oneOf(_ choices: [String]) -> String? {
        guard let s = string() else { return nil }
        guard choices.contains(s) else {
            report("\"\(s)\" is not supported", allowed: NameMatch.didYouMean(s, among: choices) + choices.joined(separator: ", "))
            return nil
        }
        return s
    }

    /// A fraction in (0, 1) given as a number (0.95) or a percentage string ("95%").
    public func fraction(exclusive: Bool = true) -> Double? {
        var d: Double
        switch value {
        case .number(let n) where n.isFinite: d = n
        case .string(let s) where s.hasSuffix("%"):
            guard let p = Double(s.dropLast()) else { report("\"\(s)\" is not a percentage"); return nil }
            d = p / 100
        default: wrongType("a fraction"); return nil
        }
        let ok = exclusive ? (d > 0 && d < 1) : (d >= 0 && d <= 1)
        if !ok {
            report("\(Self.format(d)) is out of range", allowed: exclusive ? "strictly between 0 and 1" : "between 0 and 1")
            return nil
        }
        return d
    }

    /// `names` for an "(allowed)" hint, or what to do when there are none (the section that
    /// defines them has problems of its own, or is absent).
    public static func known(_ names: [String], _ what: String) -> String {
        names.isEmpty ? "a \(what) defined in the file (none is valid yet)" : names.joined(separator: ", ")
    }

    static func format(_ d: Double) -> String {
        d == d.rounded() && abs(d) < 1e15 ? String(Int(d)) : String(d)
    }

    static func rangeText(_ lo: Double, _ hi: Double, _ exclusiveMin: Bool, integer: Bool = false) -> String {
        let loText = lo.isInfinite || lo <= -9e15 ? nil : format(lo)
        let hiText = hi.isInfinite || hi >= 9e15 ? nil : format(hi)
        let kind = integer ? "an integer" : "a number"
        switch (loText, hiText) {
        case let (l?, h?): return "\(kind) from \(l)\(exclusiveMin ? " (exclusive)" : "") to \(h)"
        case let (l?, nil): return exclusiveMin ? "\(kind) greater than \(l)" : "\(kind) >= \(l)"
        case let (nil, h?): return "\(kind) <= \(h)"
        default: return kind
        }
    }
}

/// Reads the fields of one JSON object; `finish()` reports every key that nobody asked for, so a
/// typo never silently becomes a default.
public final class ObjectReader {
    public let fields: [String: JSONValue]
    public let path: String
    public let sink: DiagnosticSink
    /// The declaration of this object; every key read must be one of its keys.
    public let section: Section?
    private var consumed: Set<String> = []

    init(fields: [String: JSONValue], path: String, sink: DiagnosticSink, section: Section?) {
        self.fields = fields
        self.path = path
        self.sink = sink
        self.section = section
    }

    /// The value of `key`: its declared default when absent (reporting "is missing" when the key is
    /// required), nil when present but not valid (reported at the value).
    public func read<V>(_ key: Key<V>, required: Bool) -> V? {
        required && !has(key) ? requiredNode(key).flatMap(key.read) : read(key)
    }

    /// The value of `key` as `read` gives it.
    public func read<V>(_ key: Key<V>) -> V? {
        guard let node = node(key) else {
            if key.spec.required { sink.report(childPath(key.name), "is missing", allowed: key.spec.missingHint) }
            return key.fallback
        }
        return key.read(node)
    }

    /// The value of a key that has a default, that default also when the value given is not valid
    /// (the problem is reported either way, so the result is only ever used for further checks).
    public func value<V>(_ key: Key<V>) -> V {
        guard let fallback = key.fallback else { preconditionFailure("\(key.name) has no default") }
        return read(key) ?? fallback
    }

    /// The node of `key` (an explicit `null` counts as absent), marking it read; nil when absent.
    public func node<V>(_ key: Key<V>) -> FieldNode? {
        // A programmer's mistake, not the user's: trap in every build (a precondition would vanish
        // under -Ounchecked).
        if let section, !section.declares(key.name) { fatalError("\(key.name) is not declared in section \(section.id)") }
        return optional(key.name)
    }

    /// The node of a key the reader requires here (declared required, or required in this case),
    /// reporting "is missing (its hint)" when absent.
    public func requiredNode<V>(_ key: Key<V>) -> FieldNode? {
        guard let node = node(key) else {
            sink.report(childPath(key.name), "is missing", allowed: key.spec.missingHint)
            return nil
        }
        return node
    }

    /// Whether the object gives `key` (not `null`); does not mark it read.
    public func has<V>(_ key: Key<V>) -> Bool { has(key.name) }

    /// Marks keys as known without reading them (when another reader handles them, or when they
    /// cannot be judged because the object's tag is not valid).
    public func accept(_ specs: FieldSpec...) { specs.forEach { consumed.insert($0.key) } }

    /// Marks every key of the section's forms as known (its tag was not valid).
    public func acceptAll() { section?.allFields.forEach { consumed.insert($0.key) } }

    public func childPath(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    private func has(_ key: String) -> Bool { fields[key] != nil }

    /// The value of `key` in an object whose keys are data (a map such as a region's `rtt`), or nil
    /// when absent; marks it read.
    public func entry(_ key: String) -> FieldNode? { optional(key) }

    /// The field, or nil without complaint when absent (an explicit `null` counts as absent).
    private func optional(_ key: String) -> FieldNode? {
        consumed.insert(key)
        guard let value = fields[key], value != .null else { return nil }
        return FieldNode(value: value, path: childPath(key), sink: sink)
    }

    /// Reports unknown keys (sorted, so output order is deterministic).
    public func finish(known: [String] = []) {
        for key in fields.keys.sorted() where !consumed.contains(key) {
            let expected = (Array(consumed) + known).sorted()
            sink.report(childPath(key), "unknown key",
                        allowed: NameMatch.didYouMean(key, among: expected) + "known keys: " + expected.joined(separator: ", "))
        }
    }
}
