import ServingModel
import Foundation

/// Problems found while reading JSON5 text, each with its line and column and the path of the
/// value being read. A syntax error stops the reader (it is the last problem); duplicate keys and
/// numbers beyond a 64-bit float are collected and the reader goes on.
public struct JSON5Error: Error, Sendable {
    public struct Problem: Sendable, Equatable {
        public var position: SourcePosition
        /// Dotted path of the value being read ("" for the top level).
        public var path: String
        public var message: String
        /// What would have been accepted.
        public var allowed: String
    }
    public var problems: [Problem]

    /// `line L, column C: [path: ]message (allowed)` for each problem, joined by "; ".
    public var summary: String {
        problems.map { p in
            let at = "line \(p.position.line), column \(p.position.column): " + (p.path.isEmpty ? "" : "\(p.path): ")
            return at + p.message + (p.allowed.isEmpty ? "" : " (\(p.allowed))")
        }.joined(separator: "; ")
    }

    /// The problems as diagnostics of `file`.
    public func diagnostics(file: String) -> [Diagnostic] {
        problems.map { Diagnostic(file: file, path: $0.path, message: $0.message, allowed: $0.allowed, position: $0.position) }
    }
}

/// Reads JSON5 (spec.json5.org, version 1.0.0) into a `JSONValue` and, on request, the position
/// of every value (`SourceMap`).
///
/// What JSON5 adds to JSON, all accepted: comments (`//`, `/* */`), unquoted keys (ECMAScript
/// identifier names), single-quoted strings, escapes `\x41`, `\v`, `\0` and line continuations,
/// trailing commas, hexadecimal numbers, leading or trailing decimal points, a leading `+`,
/// `Infinity` and `NaN`, Unicode white space and a byte-order mark. What it rejects, with line and
/// column: invalid UTF-8, a key given twice in one object, numbers beyond a 64-bit float, lone
/// surrogate escapes, nesting deeper than `maxDepth`. It never traps: every byte sequence ends
/// in a value or in problems.
public struct JSON5Parser {
    /// Deepest nesting of objects and arrays read (a scenario needs about 8; recursion this deep
    /// is far inside the stack).
    public static let maxDepth = 128

    private let bytes: [UInt8]
    private var i = 0
    private let recordPositions: Bool
    private var map = SourceMap()
    private var problems: [JSON5Error.Problem] = []
    // Position cursor: the line and column of byte `cursorOffset` (offsets asked for only grow,
    // so positions cost O(n) over the whole text).
    private var cursorOffset = 0, cursorLine = 1, cursorColumn = 1

    private init(_ bytes: [UInt8], recordPositions: Bool) {
        self.bytes = bytes
        self.recordPositions = recordPositions
    }

    /// The value of `data` (one JSON5 value, any kind) and the positions of its values.
    public static func parse(_ data: Data, recordPositions: Bool = true) throws(JSON5Error) -> (value: JSONValue, positions: SourceMap) {
        var parser = JSON5Parser([UInt8](data), recordPositions: recordPositions)
        let value = parser.document()
        if !parser.problems.isEmpty { throw JSON5Error(problems: parser.problems) }
        return (value ?? .null, parser.map)
    }

    // MARK: Document

    private struct Stop: Error {}

    private mutating func document() -> JSONValue? {
        if let bad = UTF8Check.firstInvalidByte(bytes) {
            problems.append(.init(position: position(at: bad), path: "", message: "invalid UTF-8 (byte \(bad))",
                                  allowed: "UTF-8 text"))
            return nil
        }
        do {
            try skipSpace()   // a byte-order mark (U+FEFF) is white space
            if recordPositions { map.record("", position(at: i)) }
            let value = try parseValue(path: "", depth: 0)
            try skipSpace()
            if i < bytes.count {
                try fail("unexpected \(found) after the top-level value", allowed: "one value per file: the end of the text")
            }
            return value
        } catch {
            return nil
        }
    }

    // MARK: Values

    private mutating func parseValue(path: String, depth: Int) throws(Stop) -> JSONValue {
        guard i < bytes.count else { try fail("the text ends where a value should be", path: path, allowed: Self.aValue) }
        switch bytes[i] {
        case UInt8(ascii: "{"): return try parseObject(path: path, depth: depth + 1)
        case UInt8(ascii: "["): return try parseArray(path: path, depth: depth + 1)
        case UInt8(ascii: "\""), UInt8(ascii: "'"): return .string(try parseString(path: path))
        case UInt8(ascii: "t"): try literal("true", path: path); return .bool(true)
        case UInt8(ascii: "f"): try literal("false", path: path); return .bool(false)
        case UInt8(ascii: "n"): try literal("null", path: path); return .null
        case UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "0")...UInt8(ascii: "9"),
             UInt8(ascii: "I"), UInt8(ascii: "N"):
            return .number(try parseNumber(path: path))
        default:
            try failBareWord(path: path)
        }
    }

    /// A value that starts like a name (`H100-SXM-80GB` without quotes): say so, and how to quote it.
    private mutating func failBareWord(path: String) throws(Stop) -> Never {
        guard let first = scalar(at: i), Self.isIdentifierStart(first.scalar) else {
            try fail("unexpected \(found)", path: path, allowed: Self.aValue)
        }
        var end = i
        while end < bytes.count, end - i < 60, let s = scalar(at: end), Self.isIdentifierPart(s.scalar) || s.scalar == "-" || s.scalar == "." {
            end += s.length
        }
        let word = String(decoding: bytes[i..<end], as: UTF8.self)
        try fail("unexpected word \(word)", path: path, allowed: "a string in quotes, such as \"\(word)\"")
    }

    static let aValue = "a value: an object, array, string, number, true, false or null"

    private mutating func parseObject(path: String, depth: Int) throws(Stop) -> JSONValue {
        if depth > Self.maxDepth { try fail("nested more than \(Self.maxDepth) levels deep", path: path, allowed: "at most \(Self.maxDepth) levels") }
        i += 1
        var fields: [String: JSONValue] = [:]
        var keyPositions: [String: SourcePosition] = [:]
        try skipSpace()
        if peek(UInt8(ascii: "}")) { i += 1; return .object(fields) }
        while true {
            let keyStart = i
            let key = try parseKey(path: path)
            let child = path.isEmpty ? key : "\(path).\(key)"
            let at = position(at: keyStart)
            try skipSpace()
            guard peek(UInt8(ascii: ":")) else {
                try fail("unexpected \(found) after the key \(Self.quoted(key))", path: child, allowed: "':' and the key's value")
            }
            i += 1
            try skipSpace()
            let value = try parseValue(path: child, depth: depth)
            if let first = keyPositions[key] {
                note(.init(position: at, path: child, message: "duplicate key (also at line \(first.line), column \(first.column))",
                                      allowed: "each key once in an object"))
            } else {
                keyPositions[key] = at
                fields[key] = value
                if recordPositions { map.record(child, at) }
            }
            try skipSpace()
            if peek(UInt8(ascii: ",")) {
                i += 1
                try skipSpace()
                if peek(UInt8(ascii: "}")) { i += 1; return .object(fields) }
            } else if peek(UInt8(ascii: "}")) {
                i += 1; return .object(fields)
            } else {
                try fail(i < bytes.count ? "unexpected \(found) after the value of \(Self.quoted(key))" : "the text ends inside an object",
                         path: child, allowed: "',' or '}'")
            }
        }
    }

    private mutating func parseArray(path: String, depth: Int) throws(Stop) -> JSONValue {
        if depth > Self.maxDepth { try fail("nested more than \(Self.maxDepth) levels deep", path: path, allowed: "at most \(Self.maxDepth) levels") }
        i += 1
        var items: [JSONValue] = []
        var entries: [SourcePosition] = []
        try skipSpace()
        if peek(UInt8(ascii: "]")) { i += 1; return .array(items) }
        while true {
            let child = path.isEmpty ? String(items.count) : "\(path).\(items.count)"
            if recordPositions { entries.append(position(at: i)) }
            items.append(try parseValue(path: child, depth: depth))
            try skipSpace()
            if peek(UInt8(ascii: ",")) {
                i += 1
                try skipSpace()
                if peek(UInt8(ascii: "]")) { i += 1; break }
            } else if peek(UInt8(ascii: "]")) {
                i += 1; break
            } else {
                try fail(i < bytes.count ? "unexpected \(found) after entry \(items.count - 1)" : "the text ends inside an array",
                         path: path, allowed: "',' or ']'")
            }
        }
        if recordPositions { map.recordEntries(array: path, entries) }
        return .array(items)
    }

    private mutating func literal(_ word: String, path: String) throws(Stop) {
        let utf8 = Array(word.utf8)
        guard bytes.count - i >= utf8.count, Array(bytes[i..<(i + utf8.count)]) == utf8,
              !startsIdentifierPart(at: i + utf8.count) else {
            try failBareWord(path: path)
        }
        i += utf8.count
    }

    // MARK: Numbers

    private mutating func parseNumber(path: String) throws(Stop) -> Double {
        let start = i
        var negative = false
        if peek(UInt8(ascii: "+")) || peek(UInt8(ascii: "-")) { negative = bytes[i] == UInt8(ascii: "-"); i += 1 }
        var value: Double
        if matches("Infinity") {
            i += 8; value = .infinity
        } else if matches("NaN") {
            i += 3; value = .nan
        } else if peek(UInt8(ascii: "0")), i + 1 < bytes.count, bytes[i + 1] | 0x20 == UInt8(ascii: "x") {
            i += 2
            let digitsStart = i
            value = 0
            while i < bytes.count, let d = Self.hexValue(bytes[i]) { value = value * 16 + Double(d); i += 1 }
            if i == digitsStart { try fail("\"0x\" without hexadecimal digits", path: path, allowed: "a number such as 0x1F") }
        } else {
            let digitsStart = i
            var intDigits = 0, fracDigits = 0
            while i < bytes.count, Self.isDigit(bytes[i]) { i += 1; intDigits += 1 }
            if intDigits > 1 && bytes[digitsStart] == UInt8(ascii: "0") {
                i = digitsStart
                try fail("a number with a leading zero", path: path, allowed: "0, or digits not starting with 0 (octal is not JSON5)")
            }
            if peek(UInt8(ascii: ".")) {
                i += 1
                while i < bytes.count, Self.isDigit(bytes[i]) { i += 1; fracDigits += 1 }
            }
            if intDigits + fracDigits == 0 { i = start; try fail("unexpected \(found)", path: path, allowed: Self.aValue) }
            if i < bytes.count, bytes[i] | 0x20 == UInt8(ascii: "e") {
                i += 1
                if peek(UInt8(ascii: "+")) || peek(UInt8(ascii: "-")) { i += 1 }
                let expStart = i
                while i < bytes.count, Self.isDigit(bytes[i]) { i += 1 }
                if i == expStart { try fail("an exponent without digits", path: path, allowed: "a number such as 1.5e3") }
            }
            let text = String(decoding: bytes[digitsStart..<i], as: UTF8.self)
            guard let parsed = Double(text) else { try fail("\"\(text)\" is not a number", path: path, allowed: Self.aValue) }
            value = parsed
            if value.isInfinite {
                note(.init(position: position(at: start), path: path,
                                      message: "\(String(decoding: bytes[start..<i], as: UTF8.self)) is too large for a 64-bit float",
                                      allowed: "a number of magnitude below 1.8e308"))
            }
        }
        if i < bytes.count, Self.isDigit(bytes[i]) || startsIdentifierPart(at: i) {
            try fail("unexpected \(found) after a number", path: path, allowed: "a number, then ',' or the end of the object or array (strings need quotes)")
        }
        return negative ? -value : value
    }

    private static func isDigit(_ b: UInt8) -> Bool { b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") }

    private static func hexValue(_ b: UInt8) -> UInt32? {
        switch b {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt32(b - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): UInt32(b - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): UInt32(b - UInt8(ascii: "A") + 10)
        default: nil
        }
    }

    // MARK: Strings and keys

    private mutating func parseString(path: String) throws(Stop) -> String {
        let quote = bytes[i]
        let start = i
        i += 1
        var out: [UInt8] = []
        while true {
            guard i < bytes.count else {
                i = start
                try fail("a string that is never closed", path: path, allowed: "a closing \(quote == UInt8(ascii: "\"") ? "\"" : "'")")
            }
            let c = bytes[i]
            if c == quote { i += 1; break }
            if c == 0x0A || c == 0x0D {
                try fail("a line break inside a string", path: path, allowed: "\\n, or a backslash before the line break to continue the string")
            }
            if c != UInt8(ascii: "\\") { out.append(c); i += 1; continue }
            try parseEscape(into: &out, path: path)
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// One escape sequence at `i` (a backslash), appended to `out` as UTF-8.
    private mutating func parseEscape(into out: inout [UInt8], path: String) throws(Stop) {
        i += 1
        guard i < bytes.count else { try fail("a string that is never closed", path: path, allowed: "a closing quote") }
        let c = bytes[i]
        i += 1
        switch c {
        case UInt8(ascii: "b"): out.append(0x08)
        case UInt8(ascii: "f"): out.append(0x0C)
        case UInt8(ascii: "n"): out.append(0x0A)
        case UInt8(ascii: "r"): out.append(0x0D)
        case UInt8(ascii: "t"): out.append(0x09)
        case UInt8(ascii: "v"): out.append(0x0B)
        case UInt8(ascii: "0"):
            if i < bytes.count, Self.isDigit(bytes[i]) { i -= 2; try fail("\\0 followed by a digit", path: path, allowed: "\\0 alone, or \\u escapes") }
            out.append(0)
        case UInt8(ascii: "1")...UInt8(ascii: "9"):
            i -= 2; try fail("\\\(Character(Unicode.Scalar(c))) is not an escape", path: path, allowed: "\\b \\f \\n \\r \\t \\v \\0 \\xHH \\uHHHH")
        case UInt8(ascii: "x"):
            let v = try hexDigits(2, path: path)
            appendScalar(Unicode.Scalar(UInt8(v)), to: &out)
        case UInt8(ascii: "u"):
            let v = try hexDigits(4, path: path)
            let lone = "a lone surrogate escape", pair = "a \\uD800-\\uDBFF escape followed by a \\uDC00-\\uDFFF one"
            if (0xD800...0xDBFF).contains(v) {
                guard matches("\\u") else { try fail(lone, path: path, allowed: pair) }
                i += 2
                let low = try hexDigits(4, path: path)
                guard (0xDC00...0xDFFF).contains(low) else { try fail(lone, path: path, allowed: pair) }
                appendScalar(Unicode.Scalar(0x10000 + ((v - 0xD800) << 10) + (low - 0xDC00))!, to: &out)
            } else if let scalar = Unicode.Scalar(v) {
                appendScalar(scalar, to: &out)
            } else {
                try fail(lone, path: path, allowed: pair)
            }
        case 0x0A: break                                   // line continuation
        case 0x0D: if peek(0x0A) { i += 1 }                // CR LF continuation
        case 0xE2 where matchesBytes([0x80, 0xA8]) || matchesBytes([0x80, 0xA9]): i += 2   // U+2028, U+2029
        default:
            // Any other character stands for itself (`\'`, `\"`, `\\`, `\/`, `\a`).
            i -= 1
            let length = Self.sequenceLength(bytes[i])
            out.append(contentsOf: bytes[i..<min(bytes.count, i + length)])
            i += length
        }
    }

    private mutating func hexDigits(_ count: Int, path: String) throws(Stop) -> UInt32 {
        var v: UInt32 = 0
        for _ in 0..<count {
            guard i < bytes.count, let d = Self.hexValue(bytes[i]) else {
                try fail("an escape needs \(count) hexadecimal digits", path: path, allowed: count == 2 ? "\\xHH" : "\\uHHHH")
            }
            v = v * 16 + d
            i += 1
        }
        return v
    }

    private func appendScalar(_ scalar: Unicode.Scalar, to out: inout [UInt8]) {
        out.append(contentsOf: Array(String(Character(scalar)).utf8))
    }

    /// A key: a quoted string or an ECMAScript identifier name.
    private mutating func parseKey(path: String) throws(Stop) -> String {
        guard i < bytes.count else { try fail("the text ends inside an object", path: path, allowed: "a key, or '}'") }
        if bytes[i] == UInt8(ascii: "\"") || bytes[i] == UInt8(ascii: "'") { return try parseString(path: path) }
        guard let first = scalar(at: i), Self.isIdentifierStart(first.scalar) else {
            try fail("unexpected \(found) where a key should be", path: path,
                     allowed: "a key (a name of letters, digits, '_' and '$' not starting with a digit, or a quoted string), or '}'")
        }
        var key = String.UnicodeScalarView()
        key.append(first.scalar)
        i += first.length
        while let next = scalar(at: i), Self.isIdentifierPart(next.scalar) {
            key.append(next.scalar)
            i += next.length
        }
        if peek(UInt8(ascii: "\\")) {
            try fail("an escape in an unquoted key", path: path, allowed: "a quoted key for unusual characters")
        }
        return String(key)
    }

    private static func isIdentifierStart(_ s: Unicode.Scalar) -> Bool {
        if s == "$" || s == "_" { return true }
        switch s.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter, .letterNumber: return true
        default: return false
        }
    }

    private static func isIdentifierPart(_ s: Unicode.Scalar) -> Bool {
        if isIdentifierStart(s) || s == "\u{200C}" || s == "\u{200D}" { return true }
        switch s.properties.generalCategory {
        case .nonspacingMark, .spacingMark, .decimalNumber, .connectorPunctuation: return true
        default: return false
        }
    }

    private func startsIdentifierPart(at offset: Int) -> Bool {
        guard let s = scalar(at: offset) else { return false }
        return Self.isIdentifierPart(s.scalar)
    }

    // MARK: White space and comments

    private mutating func skipSpace() throws(Stop) {
        while i < bytes.count {
            switch bytes[i] {
            case 0x20, 0x09, 0x0A, 0x0D, 0x0B, 0x0C:
                i += 1
            case UInt8(ascii: "/") where i + 1 < bytes.count && bytes[i + 1] == UInt8(ascii: "/"):
                i += 2
                while i < bytes.count, !isLineTerminator(at: i) { i += 1 }
            case UInt8(ascii: "/") where i + 1 < bytes.count && bytes[i + 1] == UInt8(ascii: "*"):
                let start = i
                i += 2
                while i + 1 < bytes.count, !(bytes[i] == UInt8(ascii: "*") && bytes[i + 1] == UInt8(ascii: "/")) { i += 1 }
                if i + 1 >= bytes.count { i = start; try fail("a /* comment that is never closed", path: "", allowed: "*/ to close it") }
                i += 2
            case 0x80...:
                guard let s = scalar(at: i), Self.isSpace(s.scalar) else { return }
                i += s.length
            default:
                return
            }
        }
    }

    private static func isSpace(_ s: Unicode.Scalar) -> Bool {
        s == "\u{FEFF}" || s == "\u{2028}" || s == "\u{2029}" || s.properties.generalCategory == .spaceSeparator
    }

    private func isLineTerminator(at offset: Int) -> Bool {
        let b = bytes[offset]
        return b == 0x0A || b == 0x0D
            || (b == 0xE2 && offset + 2 < bytes.count && bytes[offset + 1] == 0x80 && (bytes[offset + 2] == 0xA8 || bytes[offset + 2] == 0xA9))
    }

    // MARK: Bytes, scalars, positions

    private func peek(_ b: UInt8) -> Bool { i < bytes.count && bytes[i] == b }

    private func matches(_ word: String) -> Bool { matchesBytes(Array(word.utf8), at: i) }

    private func matchesBytes(_ word: [UInt8], at offset: Int? = nil) -> Bool {
        let at = offset ?? i
        return bytes.count - at >= word.count && bytes[at..<(at + word.count)].elementsEqual(word)
    }

    /// Bytes of the UTF-8 sequence a lead byte starts (1 for ASCII and for stray bytes).
    private static func sequenceLength(_ b: UInt8) -> Int {
        b < 0xC0 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4
    }

    /// The scalar at `offset` (the text is valid UTF-8 by now) and its length in bytes.
    private func scalar(at offset: Int) -> (scalar: Unicode.Scalar, length: Int)? {
        guard offset < bytes.count else { return nil }
        let length = Self.sequenceLength(bytes[offset])
        guard offset + length <= bytes.count else { return nil }
        var v = UInt32(bytes[offset])
        switch length {
        case 2: v &= 0x1F
        case 3: v &= 0x0F
        case 4: v &= 0x07
        default: break
        }
        for k in 1..<max(1, length) { v = (v << 6) | UInt32(bytes[offset + k] & 0x3F) }
        return Unicode.Scalar(v).map { ($0, length) }
    }

    /// What is at `i`, for messages: a quoted character, or "the end of the text".
    private var found: String {
        guard let s = scalar(at: i) else { return "end of the text" }
        return "'" + Diagnostic.printable(String(Character(s.scalar))) + "'"
    }

    private static func quoted(_ key: String) -> String { "\"" + Diagnostic.printable(key, limit: 60) + "\"" }

    /// Line and column of byte `offset`.
    private mutating func position(at offset: Int) -> SourcePosition {
        if offset < cursorOffset { (cursorOffset, cursorLine, cursorColumn) = (0, 1, 1) }
        while cursorOffset < offset {
            let b = bytes[cursorOffset]
            if b == 0x0A || (b == 0x0D && !(cursorOffset + 1 < bytes.count && bytes[cursorOffset + 1] == 0x0A)) {
                cursorLine += 1; cursorColumn = 1
            } else if b == 0xE2 && isLineTerminator(at: cursorOffset) {
                cursorLine += 1; cursorColumn = 1; cursorOffset += 3; continue
            } else if b & 0xC0 != 0x80 {
                cursorColumn += 1
            }
            cursorOffset += 1
        }
        return SourcePosition(line: cursorLine, column: cursorColumn)
    }

    /// Records a problem the reader goes on after (at most `DiagnosticSink.maxKept` of them).
    private mutating func note(_ problem: JSON5Error.Problem) {
        if problems.count < DiagnosticSink.maxKept { problems.append(problem) }
    }

    private mutating func fail(_ message: String, path: String = "", allowed: String) throws(Stop) -> Never {
        problems.append(.init(position: position(at: i), path: path, message: message, allowed: allowed))
        throw Stop()
    }
}
