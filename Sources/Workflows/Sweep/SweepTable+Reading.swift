import ServingModel
import ScenarioFormat
import Foundation

extension SweepTable {
    // MARK: Reading

    /// `json` when the text starts (after white space) with `{`, else `csv`.
    public static func format(of data: Data) -> String {
        data.first(where: { ![0x20, 0x09, 0x0A, 0x0D].contains($0) }) == UInt8(ascii: "{") ? "json" : "csv"
    }

    /// Reads a shard written by `servesim sweep --shard K/N` (CSV or JSON), or a whole JSON table
    /// (read as shard 1/1). Problems are reported against `file` (or its sidecar).
    /// A CSV shard's identity is in `sidecar`, the text of `sidecarPath(of: file)`.
    public static func parse(_ data: Data, file: String, sidecar: Data? = nil) throws(InputError) -> SweepTable {
        let table = format(of: data) == "json" ? try parseJSON(data, file: file) : try parseCSV(data, file: file, sidecar: sidecar)
        try table.check(file: file)
        return table
    }

    static let shardAllowed = "a shard written by servesim sweep --shard K/N"

    /// Which sweep a table belongs to, from a JSON shard or a CSV shard's sidecar: `scenario` and
    /// `grid` (strings), `points` (a count) and `shard` ("K/N"; a JSON table without it is the
    /// whole grid, a sidecar must have it). Each problem goes to `sink`; its field is then nil.
    static func identity(_ fields: [String: JSONValue], sink: DiagnosticSink, shardRequired: Bool)
        -> (scenario: String?, grid: String?, points: Int?, shard: SweepShard?) {
        func string(_ key: String) -> String? {
            guard case .string(let s)? = fields[key] else { sink.report(key, "missing or not a string", allowed: shardAllowed); return nil }
            return s
        }
        let scenario = string("scenario"), grid = string("grid")
        var points: Int?
        if case .number(let n)? = fields["points"], n >= 0, n == n.rounded(), n <= Double(SweepGrid.maxPoints) { points = Int(n) }
        else { sink.report("points", "missing or not a point count", allowed: "a non-negative integer") }
        var shard: SweepShard?
        if shardRequired || fields["shard"] != nil, let text = string("shard") {
            do { shard = try SweepShard.parse(text) } catch { sink.report("shard", error.message, allowed: error.allowed) }
        }
        return (scenario, grid, points, shard)
    }

    static func parseJSON(_ data: Data, file: String) throws(InputError) -> SweepTable {
        let root: JSONValue
        do { root = try JSONValue.parse(data) } catch { throw InputError(error.diagnostics(file: file)) }
        guard case .object(let fields) = root else { throw InputError(file: file, "is not a JSON object", allowed: shardAllowed) }
        let sink = DiagnosticSink(file: file)
        let known = ["columns", "grid", "points", "rows", "scenario", "shard"]
        for key in fields.keys.sorted() where !known.contains(key) {
            sink.report(key, "unknown key", allowed: "known keys: " + known.joined(separator: ", "))
        }
        let (scenario, grid, points, shard) = identity(fields, sink: sink, shardRequired: false)
        var columns: [String]?
        if case .array(let items)? = fields["columns"] {
            let names = items.compactMap { if case .string(let s) = $0 { s } else { nil } }
            if names.count == items.count && !names.isEmpty { columns = names }
        }
        if columns == nil { sink.report("columns", "missing or not a list of column names", allowed: shardAllowed) }
        var rows: [[JSONValue]] = []
        if case .array(let items)? = fields["rows"] {
            for (i, item) in items.enumerated() {
                guard case .object(let cells) = item, let columns else {
                    if columns != nil { sink.report("rows.\(i)", "is not an object", allowed: "an object with one key per column") }
                    continue
                }
                let extra = cells.keys.filter { !columns.contains($0) }.sorted()
                let missing = columns.filter { cells[$0] == nil }
                if !extra.isEmpty || !missing.isEmpty {
                    sink.report("rows.\(i)", "keys differ from the columns (missing: \(missing.joined(separator: ", ")); "
                                + "unknown: \(extra.joined(separator: ", ")))", allowed: "one key per column")
                    continue
                }
                rows.append(columns.map { cells[$0]! })
            }
        } else {
            sink.report("rows", "missing or not an array", allowed: shardAllowed)
        }
        try sink.throwIfAnyInput()
        return SweepTable(scenario: scenario!, points: points!, grid: grid!, shard: shard ?? SweepShard(index: 1, count: 1),
                          columns: columns!, rows: rows)
    }

    static func parseCSV(_ data: Data, file: String, sidecar: Data?) throws(InputError) -> SweepTable {
        let metaFile = sidecarPath(of: file)
        guard let sidecar else {
            throw InputError(file: file, "not a sweep shard: no \(metaFile) beside it",
                             allowed: "\(shardAllowed): a CSV shard and the .shard.json it writes beside it, or a JSON shard")
        }
        // The sidecar holds what a JSON shard holds besides its rows.
        let metaSink = DiagnosticSink(file: metaFile)
        let root: JSONValue
        do { root = try JSONValue.parse(sidecar) } catch { throw InputError(error.diagnostics(file: metaFile)) }
        guard case .object(let fields) = root else {
            throw InputError(file: metaFile, "is not a JSON object", allowed: "{ grid, points, scenario, shard }")
        }
        let known = ["grid", "points", "scenario", "shard"]
        for key in fields.keys.sorted() where !known.contains(key) {
            metaSink.report(key, "unknown key", allowed: "known keys: " + known.joined(separator: ", "))
        }
        let (scenario, grid, points, shard) = identity(fields, sink: metaSink, shardRequired: true)
        try metaSink.throwIfAnyInput()
        let text = String(decoding: data, as: UTF8.self)
        let sink = DiagnosticSink(file: file)
        let records: [(line: Int, fields: [String])]
        do { records = try csvRecords(text, firstLine: 1) } catch {
            sink.report("line \(error.line)", error.message, allowed: "RFC 4180 CSV")
            records = []
        }
        var columns: [String] = []
        var rows: [[JSONValue]] = []
        if let header = records.first {
            columns = header.fields
            for record in records.dropFirst() {
                guard record.fields.count == columns.count else {
                    sink.report("line \(record.line)", "has \(record.fields.count) fields", allowed: "\(columns.count), one per column")
                    continue
                }
                rows.append(record.fields.map(cellValue))
            }
        } else if !sink.hasErrors {
            sink.report("line 1", "no header", allowed: shardAllowed)
        }
        try sink.throwIfAnyInput()
        return SweepTable(scenario: scenario!, points: points!, grid: grid!, shard: shard,
                          columns: columns, rows: rows)
    }

    /// A CSV syntax problem at a line.
    struct CSVError: Error { var line: Int; var message: String }

    /// RFC 4180 records (quoted fields may hold commas, quotes and line breaks), each with the
    /// line it starts on; a final line break is optional.
    static func csvRecords(_ text: String, firstLine: Int) throws(CSVError) -> [(line: Int, fields: [String])] {
        var records: [(line: Int, fields: [String])] = []
        var fields: [String] = []
        var field = ""
        var line = firstLine, recordLine = firstLine
        var quoted = false, wasQuoted = false
        var chars = Array(text.unicodeScalars)[...]
        func endRecord() {
            fields.append(field)
            records.append((recordLine, fields))
            fields = []
            field = ""
            wasQuoted = false
        }
        while let c = chars.popFirst() {
            if quoted {
                if c == "\"" {
                    if chars.first == "\"" { chars.removeFirst(); field.unicodeScalars.append("\"") } else { quoted = false }
                } else {
                    if c == "\n" { line += 1 }
                    field.unicodeScalars.append(c)
                }
            } else if c == "\"" {
                guard field.isEmpty && !wasQuoted else { throw CSVError(line: line, message: "a quote inside an unquoted field") }
                quoted = true
                wasQuoted = true
            } else if c == "," {
                fields.append(field)
                field = ""
                wasQuoted = false
            } else if c == "\n" || c == "\r" {
                if c == "\r" && chars.first == "\n" { chars.removeFirst() }
                endRecord()
                line += 1
                recordLine = line
            } else {
                guard !wasQuoted else { throw CSVError(line: line, message: "text after a closing quote") }
                field.unicodeScalars.append(c)
            }
        }
        if quoted { throw CSVError(line: recordLine, message: "a quoted field is not closed") }
        if !field.isEmpty || !fields.isEmpty || wasQuoted { endRecord() }
        return records
    }

    /// Checks what a reader needs: a `point` first column, and each row's point an integer in
    /// the grid and in the shard.
    func check(file: String) throws(InputError) {
        let sink = DiagnosticSink(file: file)
        if columns.first != "point" {
            sink.report("columns", "the first column is \"\(columns.first ?? "")\"", allowed: "point, then the swept paths and the metrics")
        } else {
            for (i, row) in rows.enumerated() {
                guard case .number(let n) = row[0], n == n.rounded(), n >= 0, n < Double(points) else {
                    sink.report("rows.\(i)", "point \(row[0].label) is not a point of the grid", allowed: "0 to \(points - 1)")
                    continue
                }
                if let shard, !shard.contains(Int(n)) {
                    sink.report("rows.\(i)", "point \(Int(n)) is not in shard \(shard)",
                                allowed: "points whose index modulo \(shard.count) is \(shard.index - 1)")
                }
            }
        }
        try sink.throwIfAnyInput()
    }

    /// The index of each row.
    public var pointIndices: [Int] { rows.map { if case .number(let n) = $0[0] { Int(n) } else { -1 } } }

}

extension DiagnosticSink {
    /// `throwIfAny` with its error type spelled out, for typed-throws callers.
    fileprivate func throwIfAnyInput() throws(InputError) {
        if hasErrors { throw InputError(diagnostics) }
    }
}
