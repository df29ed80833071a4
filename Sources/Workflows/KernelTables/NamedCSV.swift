import ServingModel
import CGSL
import Foundation

/// A CSV file read by column name (the aiconfigurator tables' columns vary between versions).
/// Plain comma-separated fields, no quoting (none of those tables quote).
struct NamedCSV {
    let path: String
    let header: [String: Int]
    let rows: [[Substring]]

    init(path: String) throws {
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw InputError(file: path, "cannot read the file", allowed: "an aiconfigurator microbenchmark table")
        }
        var lines = text.split(whereSeparator: \.isNewline)
        guard !lines.isEmpty else { throw InputError(file: path, "is empty") }
        let names = lines.removeFirst().split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        var header: [String: Int] = [:]
        for (i, name) in names.enumerated() where header[name] == nil { header[name] = i }
        self.path = path
        self.header = header
        rows = lines.map { $0.split(separator: ",", omittingEmptySubsequences: false) }
    }

    /// The index of a column the caller needs.
    func column(_ name: String) throws -> Int {
        guard let i = header[name] else {
            throw InputError(file: path, path: "line 1", "has no column \"\(name)\"", allowed: header.keys.sorted().joined(separator: ", "))
        }
        return i
    }

    /// The numeric value of field `i` of `row`, nil when missing or not a finite number.
    static func number(_ row: [Substring], _ i: Int) -> Double? {
        guard i < row.count, let v = Double(row[i]), v.isFinite else { return nil }
        return v
    }

    static func text(_ row: [Substring], _ i: Int) -> Substring { i < row.count ? row[i] : "" }
}

/// Rounds to `digits` significant digits, so a table printed as Swift source reads back exactly.
func significant(_ value: Double, _ digits: Int = 4) -> Double {
    Double(String(format: "%.\(digits)g", value)) ?? value
}

/// The median of a non-empty list (GSL `gsl_stats_median_from_sorted_data`).
func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    return sorted.withUnsafeBufferPointer { gsl_stats_median_from_sorted_data($0.baseAddress, 1, sorted.count) }
}
