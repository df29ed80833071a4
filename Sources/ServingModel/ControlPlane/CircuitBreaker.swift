/// A consecutive-failure circuit breaker.
///
/// closed: everything is allowed; `failureThreshold` failures in a row open it. open: nothing is
/// allowed until `openDuration` has passed, then it turns half-open. halfOpen: exactly one probe is
/// allowed; its success closes the breaker, its failure opens it again for `openDuration`.
/// Results recorded while open (requests admitted before it opened) are ignored.
///
/// Defaults: failureThreshold 5, openDuration 30 s (SOURCE: Envoy outlier detection defaults,
/// `consecutive_5xx` 5 and `base_ejection_time` 30 s).
public struct CircuitBreaker: Sendable, Equatable {
    public enum State: Sendable, Equatable {
        case closed
        case open(since: Double)
        case halfOpen(probeInFlight: Bool)
    }

    public let failureThreshold: Int
    public let openDuration: Double
    public private(set) var state: State = .closed
    /// Consecutive failures while closed.
    public private(set) var consecutiveFailures = 0

    public init(failureThreshold: Int = 5, openDuration: Double = 30) {
        self.failureThreshold = failureThreshold
        self.openDuration = openDuration
    }

    /// Whether a request may be sent at `time`; in half-open state this takes the single probe.
    public mutating func allow(at time: Double) -> Bool {
        guard admits(at: time) else { return false }
        if state != .closed { state = .halfOpen(probeInFlight: true) }
        return true
    }

    /// Whether `allow(at:)` would let a request through at `time`, without taking the probe.
    public func admits(at time: Double) -> Bool {
        switch state {
        case .closed: return true
        case .open: return !isOpen(at: time)
        case .halfOpen(let probeInFlight): return !probeInFlight
        }
    }

    /// Open and still inside its open duration at `time`: no request, not even a probe, gets through.
    public func isOpen(at time: Double) -> Bool {
        if case .open(let since) = state { return time - since < openDuration }
        return false
    }

    /// Records the outcome of an allowed request at `time`.
    public mutating func record(success: Bool, at time: Double) {
        switch state {
        case .closed:
            if success {
                consecutiveFailures = 0
            } else {
                consecutiveFailures += 1
                if consecutiveFailures >= failureThreshold { trip(at: time) }
            }
        case .halfOpen:
            if success {
                state = .closed
                consecutiveFailures = 0
            } else {
                trip(at: time)
            }
        case .open:
            break
        }
    }

    private mutating func trip(at time: Double) {
        state = .open(since: time)
        consecutiveFailures = 0
    }
}
