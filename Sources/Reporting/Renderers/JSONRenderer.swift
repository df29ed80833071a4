import ServingModel
import SimulationEngine
import Foundation

/// Renderers of a `Report`. All are byte-deterministic: same report, same bytes.
public enum ReportRenderer {
    /// Pretty-printed JSON with sorted keys and a trailing newline.
    public static func json(_ report: Report) throws -> Data {
        try json(encodable: report)
    }

    /// Any Codable result (comparison, plan) as pretty-printed JSON with sorted keys.
    public static func json<T: Encodable>(encodable value: T) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        var data = try encoder.encode(value)
        data.append(0x0A)
        return data
    }
}
