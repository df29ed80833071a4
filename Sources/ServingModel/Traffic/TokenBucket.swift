/// A token-bucket rate limiter: tokens refill continuously at `rate` per second up to `burst`;
/// a request taking `amount` tokens is admitted only if that many are there. Starts full.
///
/// Over any interval of length T with continuous demand it admits at most rate * T + burst
/// tokens (the classic (r, b) arrival curve, as in Envoy's and NGINX's local rate limits).
public struct TokenBucket: Sendable, Equatable {
    /// Tokens per second (> 0).
    public let rate: Double
    /// Bucket capacity in tokens (> 0).
    public let burst: Double
    /// Tokens in the bucket as of `lastTime`.
    public private(set) var tokens: Double
    /// Time (seconds) of the last refill; nil before the first call.
    public private(set) var lastTime: Double?

    public init(rate: Double, burst: Double) {
        self.rate = rate
        self.burst = burst
        tokens = burst
    }

    /// Refills to `time`, then takes `amount` tokens if available. Times must not go backwards
    /// (an earlier time refills nothing).
    public mutating func tryTake(_ amount: Double, at time: Double) -> Bool {
        if let lastTime, time > lastTime {
            tokens = min(burst, tokens + rate * (time - lastTime))
        }
        lastTime = max(lastTime ?? time, time)
        // Tolerate rounding in the refill sum so exactly-due tokens are not refused.
        guard tokens >= amount - 1e-9 * max(1, amount) else { return false }
        tokens = max(0, tokens - amount)
        return true
    }
}
