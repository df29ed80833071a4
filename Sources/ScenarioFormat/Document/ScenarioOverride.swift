import ServingModel
import Foundation

/// One `path=value` change to a scenario file's value tree, as `--set`, sweeps and variants give it.
///
/// The path is dotted, with array indices as numbers: `pools.0.replicas`, `slos.1.threshold`,
/// `workload.classes.0.arrivals.rate`. The value is read as JSON5 when it parses as such (`4`,
/// `true`, `"1.5s"`, `{ size: 2 }`), otherwise taken as a plain string (`H100-SXM-80GB`, `30s`).
/// The changed tree is validated like any scenario, so a wrong value gets the usual field error.
public struct ScenarioOverride: Sendable, Equatable {
    /// Path segments: object keys, or decimal indices into arrays.
    public var path: [String]
    public var value: JSONValue

    public init(path: [String], value: JSONValue) {
        self.path = path
        self.value = value
    }

    /// The dotted path as written.
    public var dottedPath: String { path.joined(separator: ".") }

    /// Parses `path=value`; nil when there is no `=` or the path is empty.
    public static func parse(_ text: String) -> ScenarioOverride? {
        guard let eq = text.firstIndex(of: "=") else { return nil }
        let path = text[..<eq].split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard !path.isEmpty, path.allSatisfy({ !$0.isEmpty }) else { return nil }
        return ScenarioOverride(path: path, value: value(from: String(text[text.index(after: eq)...])))
    }

    /// A command-line value as JSON5 when it is one, else as a string.
    public static func value(from text: String) -> JSONValue {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if let v = try? JSONValue.parse(Data(trimmed.utf8)) { return v }
        return .string(trimmed)
    }

    /// Applies the override to `root`. Missing object keys are created (the loader then judges
    /// them); an array index must exist.
    public func apply(to root: JSONValue, file: String) throws -> JSONValue {
        try Self.set(root, path[...], value, done: [], file: file)
    }

    /// `overrides` followed by a `pools.N.pricePerGpuHour = null` for each pool whose hardware they
    /// change (to a value other than the file's) without naming that pool's price: a price given
    /// for one GPU must not silently apply to another.
    public static func pricesFollowHardware(_ overrides: [ScenarioOverride], in document: JSONValue) -> [ScenarioOverride] {
        var dropped: [ScenarioOverride] = []
        for o in overrides where o.path.count == 3 && o.path[0] == "pools" && o.path[2] == "hardware" {
            let pricePath = ["pools", o.path[1], "pricePerGpuHour"]
            let pricedHere = overrides.contains { $0.path == pricePath || $0.path == ["pools", o.path[1]] || $0.path == ["pools"] }
            let unchanged = document.value(at: o.path) == o.value
            let already = dropped.contains { $0.path == pricePath }
            if !pricedHere && !unchanged && !already && document.value(at: pricePath) != nil {
                dropped.append(ScenarioOverride(path: pricePath, value: .null))
            }
        }
        return overrides + dropped
    }

    private static func set(_ node: JSONValue, _ rest: ArraySlice<String>, _ value: JSONValue, done: [String],
                            file: String) throws -> JSONValue {
        guard let key = rest.first else { return value }
        let here = done + [key]
        switch node {
        case .object(var fields):
            fields[key] = try set(fields[key] ?? .object([:]), rest.dropFirst(), value, done: here, file: file)
            return .object(fields)
        case .array(var items):
            guard let index = Int(key), items.indices.contains(index) else {
                throw InputError(file: file, path: here.joined(separator: "."), "no such entry",
                                 allowed: "an index from 0 to \(items.count - 1)")
            }
            items[index] = try set(items[index], rest.dropFirst(), value, done: here, file: file)
            return .array(items)
        default:
            throw InputError(file: file, path: done.joined(separator: "."), "is \(node.typeName), not an object or array",
                             allowed: "a path to a field of an object or an entry of an array")
        }
    }
}

extension JSONValue {
    /// The value at a dotted path's segments, or nil when any segment is missing.
    public func value(at path: [String]) -> JSONValue? {
        var node = self
        for key in path {
            switch node {
            case .object(let fields): guard let next = fields[key] else { return nil }; node = next
            case .array(let items): guard let i = Int(key), items.indices.contains(i) else { return nil }; node = items[i]
            default: return nil
            }
        }
        return node
    }

    /// Short text for labels and table cells: strings bare, integers without decimals, others as
    /// compact JSON with sorted keys.
    public var label: String {
        switch self {
        case .null: return "null"
        case .bool(let b): return b ? "true" : "false"
        case .number(let n): return n == n.rounded() && abs(n) < 1e15 ? String(Int(n)) : String(n)
        case .string(let s): return s
        case .array(let items): return "[" + items.map(\.jsonText).joined(separator: ",") + "]"
        case .object(let fields):
            return "{" + fields.keys.sorted().map { "\"\($0)\":\(fields[$0]!.jsonText)" }.joined(separator: ",") + "}"
        }
    }

    /// Compact JSON text with sorted keys.
    public var jsonText: String {
        switch self {
        case .string(let s):
            let encoder = JSONEncoder()
            encoder.outputFormatting = .withoutEscapingSlashes
            let data = (try? encoder.encode(s)) ?? Data()
            return String(decoding: data, as: UTF8.self)
        default: return label
        }
    }
}
