import Foundation
import ServingModel
/// Parses durations written as seconds (`30`, `1.5`) or with a unit (`"250ms"`, `"30s"`, `"5m"`,
/// `"1h"`, `"30d"`). Returns seconds, or nil when the text is not a duration.
public enum DurationParser {
    public static let allowed = "seconds as a number, or a string like \"250ms\", \"30s\", \"5m\", \"1h\", \"30d\""

    private static let units: [(suffix: String, seconds: Double)] = [
        ("ms", 0.001), ("us", 1e-6), ("s", 1), ("m", 60), ("h", 3600), ("d", 86400),
    ]

    public static func seconds(_ text: String) -> Double? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        for (suffix, scale) in units where trimmed.hasSuffix(suffix) {
            let number = trimmed.dropLast(suffix.count).trimmingCharacters(in: .whitespaces)
            // "ms" must not be read as minutes of "m" with a trailing "s": longest suffixes come first.
            guard let value = Double(number), value.isFinite else { return nil }
            return value * scale
        }
        guard let value = Double(trimmed), value.isFinite else { return nil }
        return value
    }

    /// `seconds` in the largest unit that writes it exactly: 300 is "5m", 0.25 is "250ms", 90 is
    /// "90s" (for documentation and the schema's defaults).
    public static func text(_ seconds: Double) -> String {
        for (suffix, scale) in [("d", 86400.0), ("h", 3600), ("m", 60), ("s", 1), ("ms", 0.001), ("us", 1e-6)] {
            let n = seconds / scale
            if n >= 1, (n - n.rounded()).magnitude < 1e-9 { return "\(Int(n.rounded()))\(suffix)" }
        }
        return seconds == 0 ? "0s" : "\(seconds)s"
    }
}
