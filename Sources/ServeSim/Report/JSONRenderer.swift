import Foundation

/// Renderers of a `Report`. All are byte-deterministic: same report, same bytes.
public enum ReportRenderer {
    /// Pretty-printed JSON with sorted keys and a trailing newline.
    public static func json(_ report: Report) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        var data = try encoder.encode(report)
        data.append(0x0A)
        return data
    }
}
