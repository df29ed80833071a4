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

    /// Index of the first byte of `data` that does not start or continue a well-formed UTF-8
    /// sequence (overlong forms, surrogates and code points above U+10FFFF included); nil when
    /// all of it is valid.
    static func firstInvalidUTF8<Bytes: RandomAccessCollection>(_ data: Bytes) -> Int? where Bytes.Element == UInt8, Bytes.Index == Int {
        var i = data.startIndex
        let end = data.endIndex
        while i < end {
            let b = data[i]
            if b < 0x80 { i += 1; continue }
            let length: Int, low: UInt8, high: UInt8   // bounds of the second byte
            switch b {
            case 0xC2...0xDF: (length, low, high) = (2, 0x80, 0xBF)
            case 0xE0: (length, low, high) = (3, 0xA0, 0xBF)
            case 0xE1...0xEC, 0xEE, 0xEF: (length, low, high) = (3, 0x80, 0xBF)
            case 0xED: (length, low, high) = (3, 0x80, 0x9F)
            case 0xF0: (length, low, high) = (4, 0x90, 0xBF)
            case 0xF1...0xF3: (length, low, high) = (4, 0x80, 0xBF)
            case 0xF4: (length, low, high) = (4, 0x80, 0x8F)
            default: return i
            }
            guard end - i >= length, (low...high).contains(data[i + 1]) else { return i }
            for k in 2..<length where !(0x80...0xBF).contains(data[i + k]) { return i }
            i += length
        }
        return nil
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
