import ServingModel
import Foundation

/// A parsed JSON5 document as a plain value tree.
///
/// Scenario files are read by `JSON5Parser` into this tree (and a `SourceMap` of where each value
/// is) and then read field by field by `ObjectReader`, which knows each field's path and reports
/// unknown keys; Codable synthesis could do neither.
public enum JSONValue: Equatable, Sendable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    /// Parses JSON5 text (comments, trailing commas, unquoted keys allowed) without recording
    /// positions.
    public static func parse(_ data: Data) throws(JSON5Error) -> JSONValue {
        try JSON5Parser.parse(data, recordPositions: false).value
    }

    /// A short name of the value's type, for error messages.
    public var typeName: String {
        switch self {
        case .null: "null"
        case .bool: "a boolean"
        case .number: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }
}
