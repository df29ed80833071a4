import ServingModel
import Foundation

/// Minimal CSV reading for trace and empirical-length files: comma-separated, the first non-blank
/// line is the header, fields may be wrapped in double quotes but may not contain commas, blank
/// lines are skipped, LF and CRLF line ends are accepted. Line numbers are 1-based file lines.
/// Rows are read one at a time from a `ByteSource` (see `LineReader`), never the whole file.
struct CSVLines {
    struct Row {
        /// 1-based line number in the file.
        let line: Int
        /// The line as read (fields point into it).
        let text: String
        let fields: [Substring]

        /// 1-based column (in characters) where field `index` starts, for messages.
        func column(of index: Int) -> Int {
            guard fields.indices.contains(index) else { return 1 }
            return text.distance(from: text.startIndex, to: fields[index].startIndex) + 1
        }
    }

    /// Calls `body` with each non-blank row, the header first, until it returns false.
    static func forEachRow(_ source: ByteSource, file: String, _ body: (Row) -> Bool) throws(InputError) {
        try LineReader.forEach(source, file: file) { number, text in
            let fields = split(text)
            if fields.count == 1 && fields[0].isEmpty { return true }
            return body(Row(line: number, text: text, fields: fields))
        }
    }

    /// The line's comma-separated fields, each `clean`ed (on UTF-8 bytes: commas, blanks and
    /// quotes are ASCII, so every cut is a character boundary).
    static func split(_ text: String) -> [Substring] {
        var fields: [Substring] = []
        let utf8 = text.utf8
        var start = utf8.startIndex
        var i = start
        while i < utf8.endIndex {
            if utf8[i] == UInt8(ascii: ",") {
                fields.append(clean(text[start..<i]))
                start = utf8.index(after: i)
            }
            i = utf8.index(after: i)
        }
        fields.append(clean(text[start..<utf8.endIndex]))
        return fields
    }

    /// The field without surrounding blanks (spaces, tabs) and one pair of enclosing double quotes.
    static func clean(_ field: Substring) -> Substring {
        let u = field.utf8
        var start = u.startIndex, end = u.endIndex
        func blank(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 }
        while start < end, blank(u[start]) { start = u.index(after: start) }
        while start < end, blank(u[u.index(before: end)]) { end = u.index(before: end) }
        if u.distance(from: start, to: end) >= 2, u[start] == 0x22, u[u.index(before: end)] == 0x22 {
            start = u.index(after: start)
            end = u.index(before: end)
        }
        return field[start..<end]
    }

    /// Column index of the first name in `names` that `header` has.
    static func column(_ names: [String], in header: Row) -> Int? {
        for name in names {
            if let i = header.fields.firstIndex(where: { $0 == name }) { return i }
        }
        return nil
    }

    /// An integer field, accepting integral decimals like "512.0".
    static func integer(_ text: Substring) -> Int? {
        if let i = Int(text) { return i }
        if let d = Double(text), d.isFinite, d == d.rounded(), abs(d) < 9e15 { return Int(d) }
        return nil
    }
}
