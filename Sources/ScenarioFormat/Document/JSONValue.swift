import ServingModel
import Foundation

/// A parsed JSON5 document as a plain value tree.
///
/// Scenario files are decoded with Foundation's `JSONDecoder` (`allowsJSON5`) into this tree and
/// then read field by field by `ObjectReader`, which knows each field's path and reports unknown
/// keys; Codable synthesis could do neither.
public enum JSONValue: Decodable, Equatable, Sendable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    public init(from decoder: Decoder) throws {
        if let keyed = try? decoder.container(keyedBy: Key.self) {
            var object: [String: JSONValue] = [:]
            for key in keyed.allKeys { object[key.stringValue] = try keyed.decode(JSONValue.self, forKey: key) }
            self = .object(object)
        } else if var unkeyed = try? decoder.unkeyedContainer() {
            var array: [JSONValue] = []
            while !unkeyed.isAtEnd { array.append(try unkeyed.decode(JSONValue.self)) }
            self = .array(array)
        } else {
            let single = try decoder.singleValueContainer()
            if single.decodeNil() { self = .null }
            else if let b = try? single.decode(Bool.self) { self = .bool(b) }
            else if let d = try? single.decode(Double.self) { self = .number(d) }
            else if let s = try? single.decode(String.self) { self = .string(s) }
            else {
                // Foundation cannot decode it as any scalar: in practice a number beyond a 64-bit float.
                throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: Self.tooLarge))
            }
        }
    }

    static let tooLarge = "a number too large for a 64-bit float"

    /// Parses JSON5 text (comments, trailing commas, unquoted keys allowed).
    public static func parse(_ data: Data) throws -> JSONValue {
        var data = data
        // JSON5 allows a byte-order mark; Foundation's scanner does not.
        if data.starts(with: [0xEF, 0xBB, 0xBF]) { data = data.dropFirst(3) }
        // Foundation's JSON5 scanner traps on invalid UTF-8 (a 9-byte `{\xffn: 1,` is enough).
        if let bad = firstInvalidUTF8(data) {
            let before = data.prefix(bad)
            let line = before.reduce(1) { $1 == 0x0A ? $0 + 1 : $0 }
            let column = bad - (before.lastIndex(of: 0x0A).map { $0 + 1 } ?? before.startIndex) + 1
            throw DecodingError.dataCorrupted(.init(codingPath: [],
                debugDescription: "invalid UTF-8 at line \(line), column \(column) (byte \(bad - data.startIndex))"))
        }
        // Foundation's JSON5 scanner (Swift 6.3 on Linux) reads past the end of the text when it
        // ends inside a bare number and can trap (`--set x=0.02044421069995506` crashed), so a
        // text that is not an object or array is parsed as the one element of an array.
        let first = data.first { ![0x20, 0x09, 0x0A, 0x0D].contains($0) }
        let wrapped = first != nil && first != UInt8(ascii: "{") && first != UInt8(ascii: "[")
        do {
            return try decode(data, wrapped: wrapped)
        } catch DecodingError.dataCorrupted(let context) where context.debugDescription == tooLarge {
            // Name the field; a wrapped text's paths start with the array's index 0.
            let path = context.codingPath.dropFirst(wrapped ? 1 : 0).map { $0.intValue.map(String.init) ?? $0.stringValue }
            throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "\(path.joined(separator: ".")): \(tooLarge)"))
        }
    }

    private static func decode(_ data: Data, wrapped: Bool) throws -> JSONValue {
        let decoder = JSONDecoder()
        decoder.allowsJSON5 = true
        guard wrapped else { return try decoder.decode(JSONValue.self, from: data) }
        let last = data.last { ![0x20, 0x09, 0x0A, 0x0D].contains($0) }
        if case .array(let items) = try decoder.decode(JSONValue.self, from: Data("[".utf8) + data + Data("\n]".utf8)),
           items.count == 1, last != UInt8(ascii: ",") {
            return items[0]
        }
        throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "The text is not one JSON5 value."))
    }

    /// Index of the first byte of `data` that does not start or continue a well-formed UTF-8
    /// sequence (overlong forms, surrogates and code points above U+10FFFF included); nil when
    /// all of it is valid.
    static func firstInvalidUTF8(_ data: Data) -> Int? {
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
