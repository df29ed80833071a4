import ServingModel
import ScenarioFormat
import Reporting
import Foundation

/// The result table of a parameter sweep (`servesim sweep`), or of one shard of it, and the
/// merge of shards back into the whole table.
///
/// Columns: `point` (the grid index), one per swept path (its value), `requests.arrived`,
/// `requests.completed`, `requests.rejected`, `requests.timedOut`, `requests.failed` (counts),
/// then `ReportMetric`'s standard metrics by key: latency percentiles in seconds, per SLO its
/// compliance (fraction), met (1 or 0) and projected budget consumed (fraction), cost in USD and
/// GPU-hours. Rows are in point order.
///
/// Numbers are written losslessly and deterministically: integers without decimals, others as
/// Swift's shortest round-trip text (`0.1234`, `1e-05`), so reading a table back gives the same
/// doubles and rendering it again gives the same bytes. Two renderings of the same model:
/// - CSV: header, then one row per point, nothing else; a shard's identity (scenario, points,
///   grid, shard) goes beside it in `FILE.shard.json` (`sidecar()`). A null (a number the run does
///   not have, such as a percentile of no completions) is an empty cell. A
///   cell is its value's `JSONValue.label`, except a string that would read back as something
///   else (`"4"`, `"true"`), which is written as quoted JSON; every cell reads back with
///   `ScenarioOverride.value(from:)`.
/// - JSON: an object with sorted keys `columns`, `grid`, `points`, `rows` (one object per point,
///   keys in column order), `scenario`, and `shard` (`"K/N"`) for a shard.
public struct SweepTable: Sendable, Equatable {
    /// The swept scenario's `name`.
    public var scenario: String
    /// Number of points of the whole grid.
    public var points: Int
    /// The sweep's identity (16 hex digits): a hash of the scenario document, the seed option
    /// and the axes. Shards of one sweep share it.
    public var grid: String
    /// The shard this table holds (nil: the whole grid).
    public var shard: SweepShard?
    public var columns: [String]
    /// One row per point, ascending, each with one value per column; the first is the point index.
    public var rows: [[JSONValue]]

    public init(scenario: String, points: Int, grid: String, shard: SweepShard?, columns: [String], rows: [[JSONValue]]) {
        self.scenario = scenario
        self.points = points
        self.grid = grid
        self.shard = shard
        self.columns = columns
        self.rows = rows
    }

    /// The formats `render` writes and `parse` reads.
    public static let formats = ["csv", "json"]

    // MARK: Columns and rows

    /// Request counts over the measured span, by column name.
    public static let requestColumns: [(key: String, value: @Sendable (Report) -> Int)] = [
        ("requests.arrived", { $0.requests.arrived }), ("requests.completed", { $0.requests.completed }),
        ("requests.rejected", { $0.requests.rejected }), ("requests.timedOut", { $0.requests.timedOut }),
        ("requests.failed", { $0.requests.failed }),
    ]

    /// The standard metrics for reports with these SLO names (the same list and order as
    /// `ReportMetric.standard(for:)` gives for reports whose SLOs are these, first seen first).
    public static func metrics(sloNames: [String]) -> [ReportMetric] {
        ReportMetric.latency + sloNames.flatMap(ReportMetric.slo) + ReportMetric.cost
    }

    /// The header: `point`, the swept paths, the request counts, the metrics' keys.
    public static func columns(parameters: [String], sloNames: [String]) -> [String] {
        ["point"] + parameters + requestColumns.map(\.key) + metrics(sloNames: sloNames).map(\.key)
    }

    /// One row: the point, its parameter values, then `report`'s counts and `metrics`.
    public static func row(point: Int, values: [JSONValue], report: Report, metrics: [ReportMetric]) -> [JSONValue] {
        [.number(Double(point))] + values + requestColumns.map { .number(Double($0.value(report))) }
            + metrics.map { $0.defined(report) ? number($0.value(report)) : .null }
    }

    /// A finite number as itself; anything else as null (reports hold only finite numbers).
    static func number(_ x: Double) -> JSONValue { x.isFinite ? .number(x) : .null }

    // MARK: Rendering

    /// The table as `csv` or `json` text (see the type's documentation).
    public func render(format: String) -> Data {
        Data((format == "json" ? json() : csv()).utf8)
    }

    /// CSV text, RFC 4180 quoting, `\n` line ends.
    public func csv() -> String {
        var text = ""
        text += columns.map(Self.csvField).joined(separator: ",") + "\n"
        for row in rows { text += row.map { Self.csvField(Self.cellText($0)) }.joined(separator: ",") + "\n" }
        return text
    }

    /// Where a CSV shard's identity is kept: beside it, `FILE.shard.json`, so the CSV itself is a
    /// plain table (header first) that pandas and `csv.DictReader` read as it is.
    public static func sidecarPath(of file: String) -> String { file + ".shard.json" }

    /// A shard's identity for its sidecar: `{ grid, points, scenario, shard }` (sorted keys, one
    /// line); nil for a whole table.
    public func sidecar() -> Data? {
        guard let shard else { return nil }
        func key(_ s: String) -> String { JSONValue.string(s).jsonText }
        return Data(("{\"grid\": \(key(grid)), \"points\": \(points), \"scenario\": \(key(scenario)), "
                     + "\"shard\": \(key(shard.description))}\n").utf8)
    }

    /// JSON text: sorted top-level keys, one row per line.
    public func json() -> String {
        func key(_ s: String) -> String { JSONValue.string(s).jsonText }
        var text = "{\n  \"columns\": [" + columns.map(key).joined(separator: ", ") + "],\n"
        text += "  \"grid\": \(key(grid)),\n  \"points\": \(points),\n"
        if rows.isEmpty {
            text += "  \"rows\": [],\n"
        } else {
            text += "  \"rows\": [\n"
            text += rows.map { row in
                "    {" + zip(columns, row).map { "\(key($0)): \($1.jsonText)" }.joined(separator: ", ") + "}"
            }.joined(separator: ",\n")
            text += "\n  ],\n"
        }
        text += "  \"scenario\": \(key(scenario))"
        if let shard { text += ",\n  \"shard\": \(key(shard.description))" }
        return text + "\n}\n"
    }

    /// A CSV cell's text: the value's label when it reads back as the same value, else its JSON.
    public static func cellText(_ value: JSONValue) -> String {
        if value == .null { return "" }   // a number the run does not have (no samples): an empty cell
        if case .string(let s) = value, s.isEmpty || ScenarioOverride.value(from: s) != value { return value.jsonText }
        return value.label
    }

    /// A CSV cell read back: empty is null, else as `ScenarioOverride.value(from:)` reads it.
    public static func cellValue(_ text: String) -> JSONValue { text.isEmpty ? .null : ScenarioOverride.value(from: text) }

    static func csvField(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    // MARK: Merging

    /// Merges shards of one sweep into the whole table, exactly as an unsharded run writes it
    /// (rows sorted by point, no shard). Problems, each against the file it concerns (or
    /// `command` when it concerns them all): shards of different sweeps (scenario, grid, point
    /// count or columns differ), points in more than one shard, and points in none (named).
    public static func merge(_ shards: [(file: String, table: SweepTable)], command: String) throws(InputError) -> SweepTable {
        guard let (firstFile, first) = shards.first else {
            throw InputError(file: command, "no shards", allowed: "one or more shard files")
        }
        var diagnostics: [Diagnostic] = []
        var owner: [Int: String] = [:]
        var rows: [(Int, [JSONValue])] = []
        for (file, table) in shards {
            if table.grid != first.grid || table.points != first.points || table.scenario != first.scenario {
                diagnostics.append(Diagnostic(
                    file: file, path: "",
                    message: "is shard \(table.shard?.description ?? "?") of another sweep (scenario=\(table.scenario) "
                        + "points=\(table.points) grid=\(table.grid); \(firstFile) has scenario=\(first.scenario) "
                        + "points=\(first.points) grid=\(first.grid))",
                    allowed: "shards of one sweep: same scenario file, --seed and --set"))
                continue
            }
            if table.columns != first.columns {
                diagnostics.append(Diagnostic(file: file, path: "", message: "its columns differ from \(firstFile)'s",
                                              allowed: "shards of one sweep, written by the same servesim"))
                continue
            }
            var overlaps: [String: [Int]] = [:]
            for (point, row) in zip(table.pointIndices, table.rows) {
                if let other = owner[point] { overlaps[other, default: []].append(point); continue }
                owner[point] = file
                rows.append((point, row))
            }
            for other in overlaps.keys.sorted() {
                diagnostics.append(Diagnostic(file: file, path: "",
                                              message: "points \(ranges(overlaps[other]!)) are also in \(other)",
                                              allowed: "each point in one shard: give each shard once"))
            }
        }
        if diagnostics.isEmpty {
            let missing = (0..<first.points).filter { owner[$0] == nil }
            if !missing.isEmpty {
                // Name the shards not given, when all shards split the grid the same way.
                var hint = ""
                let counts = Set(shards.compactMap { $0.table.shard?.count })
                if counts.count == 1, let n = counts.first {
                    let given = Set(shards.compactMap { $0.table.shard?.index })
                    let absent = (1...n).filter { !given.contains($0) }.map { "\($0)/\(n)" }
                    if !absent.isEmpty { hint = "shard\(absent.count == 1 ? "" : "s") \(absent.joined(separator: ", ")) not given; " }
                }
                diagnostics.append(Diagnostic(
                    file: command, path: "",
                    message: "\(missing.count) of \(first.points) points are missing: \(ranges(missing))",
                    allowed: "\(hint)every point of the grid, from the shards of one sweep"))
            }
        }
        if !diagnostics.isEmpty { throw InputError(diagnostics) }
        return SweepTable(scenario: first.scenario, points: first.points, grid: first.grid, shard: nil,
                          columns: first.columns, rows: rows.sorted { $0.0 < $1.0 }.map(\.1))
    }

    /// Ascending integers as text with runs compressed: `0, 3, 5-9`.
    static func ranges(_ values: [Int]) -> String {
        var parts: [String] = []
        var i = 0
        let v = values.sorted()
        while i < v.count {
            var j = i
            while j + 1 < v.count && v[j + 1] == v[j] + 1 { j += 1 }
            parts.append(j > i ? "\(v[i])-\(v[j])" : "\(v[i])")
            i = j + 1
        }
        return parts.joined(separator: ", ")
    }
}
