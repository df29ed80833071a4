import ServingModel
/// The candidate's attempts ended in a trailing window, in end-time order, for the analyses.
///
/// Memory follows the attempts in one window: `stats(at:window:)` drops older ones for good (the
/// analyses run at increasing times).
struct AttemptWindow {
    /// End times, and TTFT of each (NaN: the attempt did not complete).
    private var ends: [Double] = []
    private var ttfts: [Double] = []
    /// Per attempt: bit 0 its answer broke its schema, bit 1 it was flagged (completed ones only).
    private var quality: [UInt8] = []
    private var head = 0

    mutating func add(end: Double, ttft: Double?, schemaViolation: Bool = false, safetyFlag: Bool = false) {
        ends.append(end)
        ttfts.append(ttft ?? .nan)
        quality.append((schemaViolation ? 1 : 0) | (safetyFlag ? 2 : 0))
    }

    /// Counts of attempts that ended in `(time - window, time]`.
    mutating func stats(at time: Double, window: Double) -> WindowStats {
        while head < ends.count && ends[head] <= time - window { head += 1 }
        if head > 4096 && head * 2 > ends.count {
            ends.removeFirst(head)
            ttfts.removeFirst(head)
            quality.removeFirst(head)
            head = 0
        }
        let live = ttfts[head...]
        let completed = live.filter { !$0.isNaN }.sorted()
        // Exact nearest rank over the window's values (`LogHistogram`'s rank rule, no buckets).
        let p95 = completed.isEmpty ? nil : completed[LogHistogram.nearestRank(0.95, count: completed.count) - 1]
        let marks = quality[head...]
        return WindowStats(attempts: live.count, errors: live.count - completed.count, ttftP95: p95,
                           schemaViolations: marks.reduce(0) { $0 + Int($1 & 1) },
                           safetyFlags: marks.reduce(0) { $0 + Int($1 >> 1) })
    }
}
