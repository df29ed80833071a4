import Foundation

/// The clock seam for real serving (`Simulation.executor`): simulated seconds are wall seconds
/// since the run started, and an event waits until the wall clock reaches its time. A simulation
/// without it runs as fast as it can (like SimPy's `Environment` against its `RealtimeEnvironment`).
struct WallClock {
    private var start = ContinuousClock.now

    /// Restarts the wall clock at 0 (when the run begins).
    mutating func restart() { start = ContinuousClock.now }

    /// Seconds of wall time since `restart`.
    func now() -> Double {
        (ContinuousClock.now - start).inSeconds
    }

    /// Sleeps until the wall clock reaches `time` (seconds since the start); returns at once when
    /// it is already past.
    func wait(until time: Double) {
        let ahead = time - now()
        if ahead > 0 { Thread.sleep(forTimeInterval: ahead) }
    }
}
