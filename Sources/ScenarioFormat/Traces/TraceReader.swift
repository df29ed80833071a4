import ServingModel
import Foundation

/// Reads request traces (see `TraceSpec.Format`).
///
/// Rules, the same for every format:
/// - Errors are `Diagnostic`s with `file` = the trace path and `path` = `"line N"` (1-based file
///   line); reading stops after `maxErrors` of them.
/// - Prompt tokens must be >= 1. An output of 0 tokens is read as 1 (the prefill step produces the
///   first output token, so a request always yields at least one); negative counts are errors.
/// - Records come back sorted by time. Out-of-order rows are sorted stably (rows with equal times
///   keep their file order) rather than rejected: merged logs are often slightly out of order and
///   arrival order is all the simulation needs.
/// - A trace with no records is an error.
public enum TraceReader {
    /// Reading stops after this many malformed rows.
    public static let maxErrors = 20
    /// Largest prompt or output length a trace row may give, tokens: 100 million, beyond any
    /// model's context (and the simulator's request state counts tokens in 32 bits, so a prompt
    /// and its output must fit 2^31 together).
    public static let maxTokens = 100_000_000

    /// Reads and validates a trace file; `blockTokens` is the prompt tokens per Mooncake hash id.
    public static func read(path: String, format: TraceSpec.Format,
                            blockTokens: Int = TraceSpec.mooncakeBlockTokens) throws(InputError) -> [TraceRecord] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue else {
            throw InputError(file: path, "trace file not found")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw InputError(file: path, "trace file cannot be read")
        }
        return try parse(data, file: path, format: format, blockTokens: blockTokens)
    }

    /// Parses trace text; `file` names it in diagnostics.
    public static func parse(_ data: Data, file: String, format: TraceSpec.Format,
                             blockTokens: Int = TraceSpec.mooncakeBlockTokens) throws(InputError) -> [TraceRecord] {
        let errors = LineErrors(file: file)
        var records: [TraceRecord]
        switch format {
        case .azure, .csv: records = parseCSV(data, format: format, errors: errors)
        case .mooncake: records = parseMooncake(data, blockTokens: blockTokens, errors: errors)
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

    // MARK: CSV (Azure and generic)

    private static func parseCSV(_ data: Data, format: TraceSpec.Format, errors: LineErrors) -> [TraceRecord] {
        let table = CSVLines(data)
        guard let header = table.header else { return [] }
        let timeNames = format == .azure ? ["arrived_at", "TIMESTAMP"] : ["time"]
        let promptNames = format == .azure ? ["num_prefill_tokens", "ContextTokens"] : ["prompt_tokens"]
        let outputNames = format == .azure ? ["num_decode_tokens", "GeneratedTokens"] : ["output_tokens"]
        let timeColumn = table.column(timeNames)
        let promptColumn = table.column(promptNames)
        let outputColumn = table.column(outputNames)
        for (column, names) in [(timeColumn, timeNames), (promptColumn, promptNames), (outputColumn, outputNames)] where column == nil {
            errors.add(header.line, "header has no \(names.joined(separator: " or ")) column",
                       allowed: format == .azure
                           ? "TIMESTAMP,ContextTokens,GeneratedTokens or arrived_at,num_prefill_tokens,num_decode_tokens"
                           : "time,prompt_tokens,output_tokens")
        }
        guard let timeColumn, let promptColumn, let outputColumn else { return [] }
        let timeName = String(header.fields[timeColumn])
        let promptName = String(header.fields[promptColumn])
        let outputName = String(header.fields[outputColumn])
        let dated = timeName == "TIMESTAMP"
        let needed = max(timeColumn, promptColumn, outputColumn) + 1

        var records: [TraceRecord] = []
        records.reserveCapacity(table.rows.count)
        var origin: AzureTimestamp?
        for row in table.rows {
            if errors.full { break }
            guard row.fields.count >= needed else {
                errors.add(row.line, "has \(row.fields.count) fields", allowed: "\(header.fields.count) fields as in the header")
                continue
            }
            var time: Double?
            let timeText = row.fields[timeColumn]
            if dated {
                if let stamp = AzureTimestamp(timeText) {
                    let first = origin ?? stamp
                    origin = first
                    time = stamp.seconds(since: first)
                } else {
                    errors.add(row.line, "\(timeName) \"\(timeText)\" is not a timestamp", allowed: "like 2023-11-16 18:15:46.6805900")
                }
            } else if let t = Double(timeText), t.isFinite {
                time = t
            } else {
                errors.add(row.line, "\(timeName) \"\(timeText)\" is not a number", allowed: "seconds")
            }
            let prompt = tokens(row.fields[promptColumn], name: promptName, line: row.line, minimum: 1, errors: errors)
            let output = tokens(row.fields[outputColumn], name: outputName, line: row.line, minimum: 0, errors: errors)
            if let time, let prompt, let output {
                records.append(TraceRecord(time: time, promptTokens: prompt, outputTokens: max(output, 1)))
            }
        }
        return records
    }

    private static func tokens(_ text: Substring, name: String, line: Int, minimum: Int, errors: LineErrors) -> Int? {
        guard let value = CSVLines.integer(text) else {
            errors.add(line, "\(name) \"\(text)\" is not an integer", allowed: minimum == 1 ? "a positive integer" : "a non-negative integer")
            return nil
        }
        guard value >= minimum, value <= maxTokens else {
            errors.add(line, "\(name) \(value) is out of range", allowed: "an integer from \(minimum) to \(maxTokens)")
            return nil
        }
        return value
    }

    // MARK: Mooncake JSONL

    private static func parseMooncake(_ data: Data, blockTokens: Int, errors: LineErrors) -> [TraceRecord] {
        var records: [TraceRecord] = []
        for (line, text) in CSVLines.lines(data) {
            if errors.full { break }
            if text.allSatisfy({ $0 == " " || $0 == "\t" }) { continue }
            guard let object = (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] else {
                errors.add(line, "is not a JSON object", allowed: "one object per line with timestamp, input_length, output_length")
                continue
            }
            let timestamp = number(object, "timestamp", line: line, errors: errors)
            let prompt = integer(object, "input_length", minimum: 1, line: line, errors: errors)
            let output = integer(object, "output_length", minimum: 0, line: line, errors: errors)
            var hashIds: [Int] = []
            if let raw = object["hash_ids"], !(raw is NSNull) {
                if let list = raw as? [Any], case let ints = list.compactMap(exactInt), ints.count == list.count {
                    hashIds = ints
                } else {
                    errors.add(line, "hash_ids is not a list of integers")
                }
            }
            // One hash id per block of the prompt, the last one partial (the trace's own convention).
            if let prompt, !hashIds.isEmpty, hashIds.count != (prompt + blockTokens - 1) / blockTokens {
                errors.add(line, "hash_ids has \(hashIds.count) ids for input_length \(prompt)",
                           allowed: "one per \(blockTokens)-token block: \((prompt + blockTokens - 1) / blockTokens) (set blockTokens to the trace's block size)")
                continue
            }
            if let timestamp, let prompt, let output {
                records.append(TraceRecord(time: timestamp / 1000, promptTokens: prompt,
                                           outputTokens: max(output, 1), hashIds: hashIds))
            }
        }
        return records
    }

    private static func describe(_ value: Any) -> String {
        if let s = value as? String { return "\"\(s)\"" }
        if value is NSNull { return "null" }
        if String(describing: type(of: value)).hasSuffix("Boolean"), let n = value as? NSNumber { return n.boolValue ? "true" : "false" }
        return "\(value)"
    }

    private static func exactDouble(_ value: Any) -> Double? {
        // Not `is Bool`: a bridged NSNumber 0 or 1 matches it too. JSONSerialization gives JSON
        // booleans their own NSNumber subclass (`__NSCFBoolean`, objCType "c").
        if value is String { return nil }
        if String(describing: type(of: value)).hasSuffix("Boolean") { return nil }
        if let n = value as? NSNumber { return n.doubleValue.isFinite ? n.doubleValue : nil }
        return nil
    }

    private static func exactInt(_ value: Any) -> Int? {
        guard let d = exactDouble(value), d == d.rounded(), abs(d) < 9e15 else { return nil }
        return Int(d)
    }

    private static func number(_ object: [String: Any], _ key: String, line: Int, errors: LineErrors) -> Double? {
        guard let raw = object[key] else { errors.add(line, "\(key) is missing", allowed: "milliseconds"); return nil }
        guard let d = exactDouble(raw) else { errors.add(line, "\(key) \(describe(raw)) is not a number", allowed: "milliseconds"); return nil }
        return d
    }

    private static func integer(_ object: [String: Any], _ key: String, minimum: Int, line: Int, errors: LineErrors) -> Int? {
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
    private(set) var diagnostics: [Diagnostic] = []
    private var count = 0

    init(file: String) { self.file = file }

    var full: Bool { count >= TraceReader.maxErrors }

    /// `line` 0 means the whole file.
    func add(_ line: Int, _ message: String, allowed: String = "") {
        guard !full else { return }
        count += 1
        diagnostics.append(Diagnostic(file: file, path: line > 0 ? "line \(line)" : "", message: message, allowed: allowed))
        if full {
            diagnostics.append(Diagnostic(file: file, path: "", message: "stopped after \(TraceReader.maxErrors) errors"))
        }
    }
}
