import ServingModel
/// A multi-window burn-rate alert (SRE Workbook, ch. 5): it fires when the burn rate exceeds
/// `burnRate` over both the long and the short trailing window. Windows in seconds.
public struct BurnRateAlertRule: Sendable, Equatable {
    /// Stable identifier, e.g. `page-1h-5m`.
    public var name: String
    /// `page` or `ticket`.
    public var severity: String
    public var burnRate: Double
    public var longWindow: Double
    public var shortWindow: Double

    public init(name: String, severity: String, burnRate: Double, longWindow: Double, shortWindow: Double) {
        self.name = name
        self.severity = severity
        self.burnRate = burnRate
        self.longWindow = longWindow
        self.shortWindow = shortWindow
    }

    /// The SRE Workbook's recommendation for a 30-day SLO. These are used as given for every SLO
    /// window (not rescaled when an SLO's window is not 30 days): they are standard alert
    /// thresholds, and the report states them next to each result.
    public static let sreWorkbook: [BurnRateAlertRule] = [
        BurnRateAlertRule(name: "page-1h-5m", severity: "page", burnRate: 14.4, longWindow: 3600, shortWindow: 300),
        BurnRateAlertRule(name: "page-6h-30m", severity: "page", burnRate: 6, longWindow: 21600, shortWindow: 1800),
        BurnRateAlertRule(name: "ticket-1d-2h", severity: "ticket", burnRate: 3, longWindow: 86400, shortWindow: 7200),
        BurnRateAlertRule(name: "ticket-3d-6h", severity: "ticket", burnRate: 1, longWindow: 259_200, shortWindow: 21600),
    ]
}

/// How one alert rule behaved over a simulated run.
public struct BurnRateAlertResult: Sendable, Equatable, Codable {
    public var name: String
    public var severity: String
    /// Burn-rate threshold of the rule.
    public var burnRate: Double
    /// Long and short windows, seconds.
    public var longWindow: Double
    public var shortWindow: Double
    /// Whether it fired at any evaluation point.
    public var fired: Bool
    /// Simulated time (seconds) of the first evaluation point at which it fired; nil (encoded as
    /// JSON null) when it never fired.
    public var firstFiredAt: Double?
    /// Number of evaluation points (bucket boundaries) at which it fired.
    public var firingEvaluations: Int
    /// `firingEvaluations * bucket`: seconds spent firing.
    public var firingSeconds: Double

    public init(name: String, severity: String, burnRate: Double, longWindow: Double, shortWindow: Double,
                fired: Bool, firstFiredAt: Double?, firingEvaluations: Int, firingSeconds: Double) {
        self.name = name
        self.severity = severity
        self.burnRate = burnRate
        self.longWindow = longWindow
        self.shortWindow = shortWindow
        self.fired = fired
        self.firstFiredAt = firstFiredAt
        self.firingEvaluations = firingEvaluations
        self.firingSeconds = firingSeconds
    }

    enum CodingKeys: String, CodingKey {
        case name, severity, burnRate, longWindow, shortWindow, fired, firstFiredAt, firingEvaluations, firingSeconds
    }

    /// Encodes `firstFiredAt` as an explicit null so the key is always present.
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(name, forKey: .name)
        try c.encode(severity, forKey: .severity)
        try c.encode(burnRate, forKey: .burnRate)
        try c.encode(longWindow, forKey: .longWindow)
        try c.encode(shortWindow, forKey: .shortWindow)
        try c.encode(fired, forKey: .fired)
        try c.encode(firstFiredAt, forKey: .firstFiredAt)
        try c.encode(firingEvaluations, forKey: .firingEvaluations)
        try c.encode(firingSeconds, forKey: .firingSeconds)
    }
}

/// Evaluates burn-rate alerts over per-bucket good/bad counts.
///
/// Bucket `k` holds requests that ended in `[origin + k * bucket, origin + (k + 1) * bucket)`.
/// Evaluation happens at every bucket boundary `origin + (k + 1) * bucket`, over the trailing
/// windows ending there. A window covers `round(window / bucket)` buckets (at least 1), clipped
/// to the buckets that exist so far: early in a run, a 1-day window is really "since the start",
/// so a run that starts badly fires the long-window rules sooner than a long-running service
/// would. A rule is judged only once its short window is fully inside the measured span, so a
/// "3 days over 6 hours" ticket never fires on the first minute's noise (and never in a run
/// shorter than 6 hours). A window with no requests has burn rate 0.
public enum BurnRateAlerts {
    public static func evaluate(good: [Int], bad: [Int], bucket: Double, origin: Double, objective: Double,
                                rules: [BurnRateAlertRule] = BurnRateAlertRule.sreWorkbook) -> [BurnRateAlertResult] {
        let n = Swift.max(good.count, bad.count)
        var goodPrefix = [0], badPrefix = [0]
        goodPrefix.reserveCapacity(n + 1)
        badPrefix.reserveCapacity(n + 1)
        for k in 0..<n {
            goodPrefix.append(goodPrefix[k] + (k < good.count ? good[k] : 0))
            badPrefix.append(badPrefix[k] + (k < bad.count ? bad[k] : 0))
        }
        func burn(endingAfter k: Int, buckets m: Int) -> Double {
            let hi = k + 1, lo = Swift.max(0, hi - m)
            let g = goodPrefix[hi] - goodPrefix[lo], b = badPrefix[hi] - badPrefix[lo]
            let total = g + b
            guard total > 0 else { return 0 }
            return Double(b) / Double(total) / (1 - objective)
        }
        return rules.map { rule in
            let longBuckets = Swift.max(1, Int((rule.longWindow / bucket).rounded()))
            let shortBuckets = Swift.max(1, Int((rule.shortWindow / bucket).rounded()))
            var first: Double?
            var firing = 0
            for k in Swift.min(shortBuckets - 1, n)..<n where burn(endingAfter: k, buckets: longBuckets) > rule.burnRate
                && burn(endingAfter: k, buckets: shortBuckets) > rule.burnRate {
                firing += 1
                if first == nil { first = origin + Double(k + 1) * bucket }
            }
            return BurnRateAlertResult(name: rule.name, severity: rule.severity, burnRate: rule.burnRate,
                                       longWindow: rule.longWindow, shortWindow: rule.shortWindow,
                                       fired: firing > 0, firstFiredAt: first, firingEvaluations: firing,
                                       firingSeconds: Double(firing) * bucket)
        }
    }
}
