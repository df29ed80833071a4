import Foundation

/// The text of a progress line (pure: the caller reads the clock): what is being done, how much of
/// it, the wall time so far and the time left at that pace.
public enum ProgressText {
    /// The line after the name: context, status, `done of total units`, wall seconds, time left
    /// (from the count when there is one, else from `fraction`, the share done in 0...1).
    public static func line(context: String, status: String, done: Int, total: Int, units: String, fraction: Double?,
                            elapsed: Double) -> String {
        var parts: [String] = []
        if !context.isEmpty { parts.append(context) }
        if !status.isEmpty { parts.append(status) }
        var f = fraction
        if total > 0 {
            parts.append("\(done) of \(total) \(units)")
            f = Double(done) / Double(total)
        }
        parts.append(String(format: "%.1f s", elapsed))
        if let left = timeLeft(elapsed: elapsed, fractionDone: f) { parts.append("about \(left) left") }
        return parts.joined(separator: ", ")
    }

    /// The time left at the pace so far, as "12 s" or "3 min"; nil before anything is done or
    /// when it is all done.
    public static func timeLeft(elapsed: Double, fractionDone: Double?) -> String? {
        guard let f = fractionDone, f > 0, f < 1, elapsed > 0 else { return nil }
        let left = elapsed / f * (1 - f)
        if left < 60 { return String(format: "%.0f s", max(1, left.rounded())) }
        if left < 3600 { return String(format: "%.0f min", (left / 60).rounded()) }
        return String(format: "%.1f h", left / 3600)
    }
}
