import ServingModel
import Foundation

/// Minimal CSV reading for trace and empirical-length files: comma-separated, the first non-blank
/// line is the header, fields may be wrapped in double quotes but may not contain commas, blank
/// lines are skipped, LF and CRLF line ends are accepted. Line numbers are 1-based file lines.
struct CSVLines {
    struct Row {
        /// 1-based line number in the file.
        let line: Int
        let fields: [Substring]
    }

    let header: Row?
    let rows: [Row]

    init(_ data: Data) {
        var header: Row?
        var rows: [Row] = []
        for (index, text) in CSVLines.lines(data) {
            let trimmed = text.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty { continue }
            let fields = trimmed.split(separator: ",", omittingEmptySubsequences: false).map(CSVLines.clean)
            let row = Row(line: index, fields: fields)
            if header == nil { header = row } else { rows.append(row) }
        }
        self.header = header
        self.rows = rows
    }

    /// The file's lines with 1-based numbers, line ends removed.
    static func lines(_ data: Data) -> [(Int, String)] {
        var result: [(Int, String)] = []
        var number = 0
        for slice in data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
            number += 1
            var bytes = slice[...]
            if bytes.last == UInt8(ascii: "\r") { bytes = bytes.dropLast() }
            result.append((number, String(decoding: bytes, as: UTF8.self)))
        }
        return result
    }

    static func clean(_ field: Substring) -> Substring {
        var f = field.drop { $0 == " " || $0 == "\t" }
        while let last = f.last, last == " " || last == "\t" { f = f.dropLast() }
        if f.count >= 2, f.first == "\"", f.last == "\"" { f = f.dropFirst().dropLast() }
        return f
    }

    /// Column index of the first header name in `names` that the header has.
    func column(_ names: [String]) -> Int? {
        guard let header else { return nil }
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
