import ServingModel
import SimulationEngine
import Foundation

/// Text helpers for HTML and SVG output that is also well-formed XML.
public enum HTMLText {
    /// `text` safe for element content and double-quoted attribute values: `&`, `<`, `>`, `"`
    /// and `'` become character references, and characters XML 1.0 forbids (controls other than
    /// tab, line feed and carriage return) become U+FFFD.
    public static func escape(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out.append(contentsOf: "&amp;".unicodeScalars)
            case "<": out.append(contentsOf: "&lt;".unicodeScalars)
            case ">": out.append(contentsOf: "&gt;".unicodeScalars)
            case "\"": out.append(contentsOf: "&quot;".unicodeScalars)
            case "'": out.append(contentsOf: "&#39;".unicodeScalars)
            case "\t", "\n", "\r": out.append(scalar)
            default:
                let v = scalar.value
                let allowed = v >= 0x20 && !(0x7F...0x9F).contains(v) && v != 0xFFFE && v != 0xFFFF
                out.append(allowed ? scalar : "\u{FFFD}")
            }
        }
        return String(out)
    }

    /// A number with about 3 significant digits, no exponent, no grouping, no trailing zeros
    /// ("0.0123", "1.5", "250", "12000"); non-finite values print as "0". Deterministic (POSIX).
    public static func compact(_ x: Double) -> String {
        guard x.isFinite, x != 0 else { return "0" }
        let a = abs(x)
        let decimals = a >= 100 ? 0 : min(9, max(0, 2 - Int(floor(log10(a)))))
        return trimmed(String(format: "%.\(decimals)f", x))
    }

    /// `x` with `decimals` decimals, trailing zeros after the point removed, never "-0".
    static func trimmed(_ text: String) -> String {
        var t = text
        if t.contains(".") {
            while t.hasSuffix("0") { t.removeLast() }
            if t.hasSuffix(".") { t.removeLast() }
        }
        if t == "-0" { t = "0" }
        return t
    }

    /// An SVG coordinate: 1 decimal, never "-0" or a non-finite value (those print as "0").
    static func coordinate(_ x: Double) -> String {
        guard x.isFinite else { return "0" }
        let r = (x * 10).rounded() / 10
        if r == 0 { return "0" }
        return trimmed(String(format: "%.1f", r))
    }
}
