import ServingModel
/// The integral over time of a piecewise-constant quantity (requests in a pool, queue length),
/// so an autoscaler can average it over its sync period.
struct TimeIntegral {
    private(set) var value = 0.0
    private var area = 0.0
    private var since = 0.0

    /// Changes the value at `time` (seconds, nondecreasing).
    mutating func add(_ delta: Double, at time: Double) {
        area += value * (time - since)
        since = time
        value += delta
    }

    /// The average since the last call (or the start) up to `time`, and restart the window there.
    mutating func averageAndReset(at time: Double, window: Double) -> Double {
        area += value * (time - since)
        since = time
        defer { area = 0 }
        return window > 0 ? area / window : value
    }
}
