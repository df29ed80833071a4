import ServingModel
import Foundation

/// Reads request traces (see `TraceSpec.Format`).
///
/// Rules, the same for every format:
/// - Files are read as a stream (`LineReader`): memory holds the records and one chunk, never
///   the file's text.
/// - Errors are `Diagnostic`s with `file` = the trace path and the position of the row (and of
///   the field when one is wrong), `FILE:LINE:COL: what is wrong`; reading stops after
///   `maxErrors` of them.
/// - Prompt tokens must be >= 1. An output of 0 tokens is read as 1 (the prefill step produces the
///   first output token, so a request always yields at least one); negative counts are errors.
/// - Records come back sorted by time. Out-of-order rows are sorted stably (rows with equal times
///   keep their file order) rather than rejected: merged logs are often slightly out of order and
///   arrival order is all the simulation needs.
/// - A trace with no records, or with more than `maxRows`, is an error.
public enum TraceReader {
    /// Reading stops after this many malformed rows.
    public static let maxErrors = 20
    /// Largest prompt or output length a trace row may give, tokens: 100 million, beyond any
    /// model's context (and the simulator's request state counts tokens in 32 bits, so a prompt
    /// and its output must fit 2^31 together).
    public static let maxTokens = 100_000_000
    /// Reads and validates a trace file; `blockTokens` is the prompt tokens per Mooncake hash id;
    /// a trace of more than `maxRows` requests (what one run may simulate) is refused.
    public static func read(path: String, format: TraceSpec.Format, blockTokens: Int = TraceSpec.mooncakeBlockTokens,
                            maxRows: Int = RunLimits.standard.maxTraceRows) throws(InputError) -> [TraceRecord] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue else {
            throw InputError(file: path, "trace file not found", allowed: "a path relative to the scenario file's folder, or absolute")
        }
        return try parse(.file(path), file: path, format: format, blockTokens: blockTokens, maxRows: maxRows)
    }

    /// Parses trace text; `file` names it in diagnostics.
    public static func parse(_ data: Data, file: String, format: TraceSpec.Format,
                             blockTokens: Int = TraceSpec.mooncakeBlockTokens) throws(InputError) -> [TraceRecord] {
        try parse(.data(data), file: file, format: format, blockTokens: blockTokens, maxRows: RunLimits.standard.maxTraceRows)
    }

    static func parse(_ source: ByteSource, file: String, format: TraceSpec.Format, blockTokens: Int,
                      maxRows: Int) throws(InputError) -> [TraceRecord] {
        let errors = LineErrors(file: file, maxRows: maxRows)
        var records: [TraceRecord]
        switch format {
        case .azure, .csv: records = try parseCSV(source, file: file, format: format, errors: errors)
        case .mooncake: records = try parseMooncake(source, file: file, blockTokens: blockTokens, errors: errors)
        }
        if errors.diagnostics.isEmpty && records.isEmpty {
            errors.add(0, "contains no requests", allowed: "at least one data row")
        }
        if !errors.diagnostics.isEmpty { throw InputError(errors.diagnostics) }
        if !zip(records, records.dropFirst()).allSatisfy({ $0.time <= $1.time }) {
            records = records.enumerated()
                .sorted { $0.element.time < $1.element.time || ($0.element.time == $1.element.time && $0.offset < $1.offset) }
                .map(\.element)
        }
        return records
    }

    /// Whether one more record may be kept; reports (once) when the trace is over its row limit.
    private static func roomFor(_ records: [TraceRecord], line: Int, errors: LineErrors) -> Bool {
        guard records.count >= errors.maxRows else { return true }
        errors.add(line, "the trace has more than \(errors.maxRows) requests",
                   allowed: "at most \(errors.maxRows) requests per run: a shorter trace, \(RunLimits.raiseHint)")
        return false
    }

    // MARK: CSV (Azure and generic)

    private static func parseCSV(_ source: ByteSource, file: String, format: TraceSpec.Format,
                                 errors: LineErrors) throws(InputError) -> [TraceRecord] {
        let timeNames = format == .azure ? ["arrived_at", "TIMESTAMP"] : ["time"]
        let promptNames = format == .azure ? ["num_prefill_tokens", "ContextTokens"] : ["prompt_tokens"]
        let outputNames = format == .azure ? ["num_decode_tokens", "GeneratedTokens"] : ["output_tokens"]
        struct Columns {
            let time: Int, prompt: Int, output: Int, timeName: String, promptName: String, outputName: String, width: Int
            /// Azure's TIMESTAMP column holds dates, not seconds (decided once, not per row).
            let dated: Bool
        }
        var columns: Columns?
        var headerWidth = 0
        var records: [TraceRecord] = []
        var origin: AzureTimestamp?
        try CSVLines.forEachRow(source, file: file) { row in
            guard let c = columns else {
                // The header.
                headerWidth = row.fields.count
                let time = CSVLines.column(timeNames, in: row), prompt = CSVLines.column(promptNames, in: row)
                let output = CSVLines.column(outputNames, in: row)
                for (column, names) in [(time, timeNames), (prompt, promptNames), (output, outputNames)] where column == nil {
                    errors.add(row.line, "header has no \(names.joined(separator: " or ")) column",
                               allowed: format == .azure
                                   ? "TIMESTAMP,ContextTokens,GeneratedTokens or arrived_at,num_prefill_tokens,num_decode_tokens"
                                   : "time,prompt_tokens,output_tokens")
                }
                guard let time, let prompt, let output else { return false }
                columns = Columns(time: time, prompt: prompt, output: output, timeName: String(row.fields[time]),
                                  promptName: String(row.fields[prompt]), outputName: String(row.fields[output]),
                                  width: max(time, prompt, output) + 1, dated: row.fields[time] == "TIMESTAMP")
                return true
            }
            if errors.full || !roomFor(records, line: row.line, errors: errors) { return false }
            guard row.fields.count >= c.width else {
                errors.add(row.line, "has \(row.fields.count) fields", allowed: "\(headerWidth) fields as in the header")
                return true
            }
            var time: Double?
            let timeText = row.fields[c.time]
            if c.dated {
                if let stamp = AzureTimestamp(timeText) {
                    let first = origin ?? stamp
                    origin = first
                    time = stamp.seconds(since: first)
                } else {
                    errors.add(row.line, row.column(of: c.time), "\(c.timeName) \"\(timeText)\" is not a timestamp",
                               allowed: "like 2023-11-16 18:15:46.6805900")
                }
            } else if let t = Double(timeText), t.isFinite {
                time = t
            } else {
                errors.add(row.line, row.column(of: c.time), "\(c.timeName) \"\(timeText)\" is not a number", allowed: "seconds")
            }
            let prompt = tokens(row, c.prompt, name: c.promptName, minimum: 1, errors: errors)
            let output = tokens(row, c.output, name: c.outputName, minimum: 0, errors: errors)
            if let time, let prompt, let output {
                records.append(TraceRecord(time: time, promptTokens: prompt, outputTokens: max(output, 1)))
            }
            return true
        }
        return records
    }

    private static func tokens(_ row: CSVLines.Row, _ index: Int, name: String, minimum: Int, errors: LineErrors) -> Int? {
        let text = row.fields[index]
        guard let value = CSVLines.integer(text) else {
            errors.add(row.line, row.column(of: index), "\(name) \"\(text)\" is not an integer",
                       allowed: minimum == 1 ? "a positive integer" : "a non-negative integer")
            return nil
        }
        guard value >= minimum, value <= maxTokens else {
            errors.add(row.line, row.column(of: index), "\(name) \(value) is out of range", allowed: "an integer from \(minimum) to \(maxTokens)")
            return nil
        }
        return value
    }

    // MARK: Mooncake JSONL

    private static func parseMooncake(_ source: ByteSource, file: String, blockTokens: Int,
                                      errors: LineErrors) throws(InputError) -> [TraceRecord] {
        var records: [TraceRecord] = []
        try LineReader.forEach(source, file: file) { line, text in
            if errors.full || !roomFor(records, line: line, errors: errors) { return false }
            if text.allSatisfy({ $0 == " " || $0 == "\t" }) { return true }
            let object: [String: JSONValue]
            switch Result(catching: { () throws(JSON5Error) in try JSONValue.parse(Data(text.utf8)) }) {
            case .success(.object(let o)):
                object = o
            case .success:
                errors.add(line, "is not a JSON object", allowed: "one object per line with timestamp, input_length, output_length")
                return true
            case .failure(let error):
                let p = error.problems[0]
                errors.add(line, Int(p.position.column), "is not a JSON object: " + (p.path.isEmpty ? "" : "\(p.path): ") + p.message,
                           allowed: "one object per line with timestamp, input_length, output_length")
                return true
            }
            let timestamp = number(object, "timestamp", line: line, errors: errors)
            let prompt = integer(object, "input_length", minimum: 1, line: line, errors: errors)
            let output = integer(object, "output_length", minimum: 0, line: line, errors: errors)
            var hashIds: [Int] = []
            if let raw = object["hash_ids"], raw != .null {
                if case .array(let list) = raw, case let ints = list.compactMap(exactInt), ints.count == list.count {
                    hashIds = ints
                } else {
                    errors.add(line, "hash_ids is not a list of integers", allowed: "a list of block hashes, one integer per block")
                }
            }
            // One hash id per block of the prompt, the last one partial (the trace's own convention).
            if let prompt, !hashIds.isEmpty, hashIds.count != (prompt + blockTokens - 1) / blockTokens {
                errors.add(line, "hash_ids has \(hashIds.count) ids for input_length \(prompt)",
                           allowed: "one per \(blockTokens)-token block: \((prompt + blockTokens - 1) / blockTokens) (set blockTokens to the trace's block size)")
                return true
            }
            if let timestamp, let prompt, let output {
                records.append(TraceRecord(time: timestamp / 1000, promptTokens: prompt,
                                           outputTokens: max(output, 1), hashIds: hashIds))
            }
            return true
        }
        return records
    }

    private static func describe(_ value: JSONValue) -> String {
        switch value {
        case .string(let s): "\"\(s)\""
        case .number(let d): FieldNode.format(d)
        default: value.label
        }
    }

    private static func exactInt(_ value: JSONValue) -> Int? {
        guard case .number(let d) = value, d.isFinite, d == d.rounded(), abs(d) < 9e15 else { return nil }
        return Int(d)
    }

    private static func number(_ object: [String: JSONValue], _ key: String, line: Int, errors: LineErrors) -> Double? {
        guard let raw = object[key] else { errors.add(line, "\(key) is missing", allowed: "milliseconds"); return nil }
        guard case .number(let d) = raw, d.isFinite else { errors.add(line, "\(key) \(describe(raw)) is not a number", allowed: "milliseconds"); return nil }
        return d
    }

    private static func integer(_ object: [String: JSONValue], _ key: String, minimum: Int, line: Int, errors: LineErrors) -> Int? {
        let allowed = minimum == 1 ? "a positive integer" : "a non-negative integer"
        guard let raw = object[key] else { errors.add(line, "\(key) is missing", allowed: allowed); return nil }
        guard let i = exactInt(raw) else { errors.add(line, "\(key) \(describe(raw)) is not an integer", allowed: allowed); return nil }
        guard i >= minimum, i <= maxTokens else {
            errors.add(line, "\(key) \(i) is out of range", allowed: "an integer from \(minimum) to \(maxTokens)"); return nil
        }
        return i
    }
}

/// Collects per-line diagnostics for one trace file, up to `TraceReader.maxErrors`.
final class LineErrors {
    let file: String
    /// Rows the trace may give (`RunLimits.maxTraceRows`).
    let maxRows: Int
    private(set) var diagnostics: [Diagnostic] = []
    private var count = 0

    init(file: String, maxRows: Int) {
        self.file = file
        self.maxRows = maxRows
    }

    var full: Bool { count >= TraceReader.maxErrors }

    /// A problem of row `line` (0: the whole file).
    func add(_ line: Int, _ message: String, allowed: String = "") { add(line, 1, message, allowed: allowed) }

    /// A problem of row `line` at `column` of it.
    func add(_ line: Int, _ column: Int, _ message: String, allowed: String = "") {
        guard !full else { return }
        count += 1
        diagnostics.append(Diagnostic(file: file, path: "", message: message, allowed: allowed,
                                      position: line > 0 ? SourcePosition(line: line, column: column) : nil))
        if full {
            diagnostics.append(Diagnostic(file: file, path: "", message: "stopped after \(TraceReader.maxErrors) errors",
                                          allowed: "fix these and run again"))
        }
    }
}
