import ServingModel
import SimulationEngine
import Foundation

/// Deterministic number text for the human-readable renderers (POSIX format, no locale, no
/// grouping). Non-finite values print as 0.
package enum NumberFormat {
    /// `x` with exactly `digits` decimals.
    package static func fixed(_ x: Double, _ digits: Int) -> String {
        String(format: "%.\(digits)f", x.isFinite ? x : 0)
    }

    /// Seconds, in ms with 1 decimal below 1 s, else in s with 3 decimals ("812.3 ms", "1.502 s").
    package static func seconds(_ x: Double) -> String {
        abs(x) < 1 ? fixed(x * 1000, 1) + " ms" : fixed(x, 3) + " s"
    }

    /// A plain number: an integer without decimals, else up to 3 decimals ("50", "2.5", "14.4").
    package static func number(_ x: Double) -> String {
        let v = x.isFinite ? x : 0
        if v == v.rounded() && abs(v) < 1e15 { return String(Int(v)) }
        var text = fixed(v, 3)
        while text.hasSuffix("0") { text.removeLast() }
        return text
    }

    /// A fraction as a percentage with `digits` decimals ("99.95%").
    package static func percent(_ x: Double, _ digits: Int = 2) -> String { fixed(x * 100, digits) + "%" }

    /// US dollars: 2 decimals from $1, else 4 significant digits ("$0.0001234"), so a cost per
    /// request never reads as $0.0000.
    package static func usd(_ x: Double) -> String {
        let v = x.isFinite ? x : 0
        if abs(v) >= 1 || v == 0 { return "$" + fixed(v, 2) }
        let decimals = min(12, max(4, 3 - Int(floor(log10(abs(v))))))
        return "$" + fixed(v, decimals)
    }
}
