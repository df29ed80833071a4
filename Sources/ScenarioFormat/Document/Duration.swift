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
            guard let value = decimal(number) else { return nil }
            return value * scale
        }
        return decimal(trimmed)
    }

    /// A plain decimal, `-?[0-9]+(.[0-9]+)?` (the schema's pattern, with a sign so that a negative
    /// one is reported as out of range): no hexadecimal, exponent, "inf" or "nan", which `Double`
    /// would read.
    static func decimal(_ text: String) -> Double? {
        var digits = Substring(text)
        if digits.first == "-" { digits = digits.dropFirst() }
        let parts = digits.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        guard let whole = parts.first, !whole.isEmpty, whole.allSatisfy(\.isASCIIDigit),
              parts.count == 1 || (!parts[1].isEmpty && parts[1].allSatisfy(\.isASCIIDigit)) else { return nil }
        return Double(text).flatMap { $0.isFinite ? $0 : nil }
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

extension Character {
    /// "0" to "9" only (not other scripts' digits, which `isNumber` accepts).
    var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}
