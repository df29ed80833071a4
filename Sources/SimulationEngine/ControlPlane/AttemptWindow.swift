import ServingModel
/// The candidate's attempts ended in a trailing window, in end-time order, for the analyses.
///
/// Memory follows the attempts in one window: `stats(at:window:)` drops older ones for good (the
/// analyses run at increasing times).
struct AttemptWindow {
    /// End times, and TTFT of each (NaN: the attempt did not complete).
    private var ends: [Double] = []
    private var ttfts: [Double] = []
    private var head = 0

    mutating func add(end: Double, ttft: Double?) {
        ends.append(end)
        ttfts.append(ttft ?? .nan)
    }

    /// Counts of attempts that ended in `(time - window, time]`.
    mutating func stats(at time: Double, window: Double) -> WindowStats {
        while head < ends.count && ends[head] <= time - window { head += 1 }
        if head > 4096 && head * 2 > ends.count {
            ends.removeFirst(head)
            ttfts.removeFirst(head)
            head = 0
        }
        let live = ttfts[head...]
        let completed = live.filter { !$0.isNaN }.sorted()
        // Exact nearest rank over the window's values (`LogHistogram`'s rank rule, no buckets).
        let p95 = completed.isEmpty ? nil : completed[LogHistogram.nearestRank(0.95, count: completed.count) - 1]
        return WindowStats(attempts: live.count, errors: live.count - completed.count, ttftP95: p95)
    }
}
