/// Client retries with capped exponential backoff and jitter.
///
/// Backoff before retry `attempt` (1 = the first retry): cap = min(maxBackoff, baseBackoff *
/// multiplier^(attempt - 1)); `full` jitter draws uniform [0, cap), `equal` draws cap/2 + uniform
/// [0, cap/2), `none` waits exactly cap. SOURCE: AWS Architecture Blog, "Exponential Backoff and
/// Jitter" (Marc Brooker, 2015), which recommends full jitter.
///
/// Defaults: maxAttempts 3 (the first try plus two retries; the AWS SDKs' standard retry mode),
/// baseBackoff 1 s, maxBackoff 30 s, multiplier 2, jitter full.
public struct RetryPolicy: Sendable, Equatable {
    public enum Jitter: String, Sendable, Equatable, CaseIterable {
        case full, equal, none
    }
    /// Total attempts including the first (>= 1).
    public var maxAttempts: Int
    /// Seconds before the first retry (before jitter).
    public var baseBackoff: Double
    /// Upper bound in seconds of any backoff (before jitter).
    public var maxBackoff: Double
    /// Growth per retry (>= 1).
    public var multiplier: Double
    public var jitter: Jitter

    public init(maxAttempts: Int = 3, baseBackoff: Double = 1, maxBackoff: Double = 30, multiplier: Double = 2,
                jitter: Jitter = .full) {
        self.maxAttempts = maxAttempts
        self.baseBackoff = baseBackoff
        self.maxBackoff = maxBackoff
        self.multiplier = multiplier
        self.jitter = jitter
    }

    /// The un-jittered backoff in seconds before retry `attempt` (1-based).
    public func cap(attempt: Int) -> Double {
        var c = baseBackoff
        for _ in 1..<max(1, attempt) where c < maxBackoff { c *= multiplier }
        return min(maxBackoff, c)
    }

    /// Seconds to wait before retry `attempt` (1-based); draws one uniform unless jitter is none.
    public func backoff(attempt: Int, rng: RandomStream) -> Double {
        let c = cap(attempt: attempt)
        switch jitter {
        case .none: return c
        case .full: return c > 0 ? rng.flat(0, c) : 0
        case .equal: return c > 0 ? c / 2 + rng.flat(0, c / 2) : 0
        }
    }
}

/// How clients of a request class behave: give up after `timeout` seconds (nil: wait forever),
/// and retry failed or timed-out requests under `retry` (nil: never retry).
public struct ClientSpec: Sendable, Equatable {
    public var timeout: Double?
    public var retry: RetryPolicy?

    public init(timeout: Double? = nil, retry: RetryPolicy? = nil) {
        self.timeout = timeout
        self.retry = retry
    }
}
