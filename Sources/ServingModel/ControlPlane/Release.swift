/// A release of a new version: from `start`, traffic meant for the `stable` pool goes (in part,
/// for a canary; all of it, for blue/green) to the `candidate` pool, while an analysis watches the
/// candidate and rolls the release back when it misbehaves.
///
/// - canary: from `start`, each attempt bound for the stable pool goes to the candidate with
///   probability `fraction` (one draw per such attempt from the stream `release/<name>`).
/// - blue-green: from `start`, every attempt bound for the stable (blue) pool goes to the
///   candidate (green) pool; no draw.
///
/// The first analysis runs at `start + window`, then every `interval` seconds; each reads the
/// candidate's attempts that ended in the trailing `window` (see `ReleaseAnalysis`). A failed
/// analysis rolls back: from then on all traffic goes to stable (attempts already on the candidate
/// finish there). With `promoteAfter`, a release still healthy at `start + promoteAfter` (after a
/// last analysis) is promoted: all stable-bound traffic goes to the candidate from then on and the
/// analysis stops.
public struct ReleaseSpec: Sendable, Equatable {
    public enum Strategy: String, Sendable, Equatable, CaseIterable {
        case canary
        case blueGreen = "blue-green"
    }

    /// Unique among releases; names the random stream `release/<name>`.
    public var name: String
    /// Indices into `scenario.pools`; distinct.
    public var stable: Int
    public var candidate: Int
    public var strategy: Strategy
    /// Seconds from the start of the run.
    public var start: Double
    /// Share of stable-bound attempts sent to the candidate, in (0, 1] (1 for blue/green).
    public var fraction: Double
    public var analysis: ReleaseAnalysis
    /// Seconds after `start`; nil: never promoted.
    public var promoteAfter: Double?

    public init(name: String, stable: Int, candidate: Int, strategy: Strategy, start: Double, fraction: Double,
                analysis: ReleaseAnalysis, promoteAfter: Double? = nil) {
        self.name = name
        self.stable = stable
        self.candidate = candidate
        self.strategy = strategy
        self.start = start
        self.fraction = fraction
        self.analysis = analysis
        self.promoteAfter = promoteAfter
    }
}

/// The health check of a release's candidate, over the attempts that ended on the candidate pool in
/// a trailing window: every attempt counts (first tries and retries, from any class) whatever its
/// outcome.
///
/// - error rate = attempts that did not complete (failed, timed out or rejected) / attempts ended;
/// - TTFT p95 = nearest-rank 95th percentile, over the completed attempts, of each attempt's time
///   from its send to its first token (seconds).
///
/// - schema adherence = completed attempts whose answer followed its schema / completed attempts;
/// - safety flag rate = completed attempts whose answer was flagged / completed attempts (both from
///   the candidate pool's `AnswerQuality`).
///
/// With at least `minRequests` attempts in the window, an error rate above `maxErrorRate`, a p95
/// above `maxTtftP95`, a schema adherence below `minSchemaAdherence` or a flag rate above
/// `maxSafetyFlagRate` (all strictly) fails the analysis, checked in that order (the quality
/// checks need a completed attempt). At least one threshold is set.
public struct ReleaseAnalysis: Sendable, Equatable {
    /// Seconds.
    public var window: Double
    /// Seconds between analyses (> 0).
    public var interval: Double
    public var minRequests: Int
    /// Seconds; nil: not checked.
    public var maxTtftP95: Double?
    /// Fraction in [0, 1]; nil: not checked.
    public var maxErrorRate: Double?
    /// Fractions in [0, 1] of the completed attempts; nil: not checked.
    public var minSchemaAdherence: Double?
    public var maxSafetyFlagRate: Double?

    public init(window: Double, interval: Double, minRequests: Int, maxTtftP95: Double? = nil, maxErrorRate: Double? = nil,
                minSchemaAdherence: Double? = nil, maxSafetyFlagRate: Double? = nil) {
        self.window = window
        self.interval = interval
        self.minRequests = minRequests
        self.maxTtftP95 = maxTtftP95
        self.maxErrorRate = maxErrorRate
        self.minSchemaAdherence = minSchemaAdherence
        self.maxSafetyFlagRate = maxSafetyFlagRate
    }

    /// Whether a threshold reads the answers' quality.
    public var checksQuality: Bool { minSchemaAdherence != nil || maxSafetyFlagRate != nil }

    /// Why the window fails the analysis, or nil when it passes (too few attempts pass). The error
    /// rate is checked first. Pure.
    public func verdict(_ stats: WindowStats) -> RollbackReason? {
        guard stats.attempts > 0, stats.attempts >= minRequests else { return nil }
        let errorRate = Double(stats.errors) / Double(stats.attempts)
        if let limit = maxErrorRate, errorRate > limit {
            return RollbackReason(metric: "errorRate", observed: errorRate, threshold: limit,
                                  attempts: stats.attempts, errors: stats.errors)
        }
        if let limit = maxTtftP95, let p95 = stats.ttftP95, p95 > limit {
            return RollbackReason(metric: "ttftP95", observed: p95, threshold: limit,
                                  attempts: stats.attempts, errors: stats.errors)
        }
        let completed = stats.attempts - stats.errors
        guard completed > 0 else { return nil }
        let adherence = Double(completed - stats.schemaViolations) / Double(completed)
        if let limit = minSchemaAdherence, adherence < limit {
            return RollbackReason(metric: "schemaAdherence", observed: adherence, threshold: limit,
                                  attempts: stats.attempts, errors: stats.errors)
        }
        let flagRate = Double(stats.safetyFlags) / Double(completed)
        if let limit = maxSafetyFlagRate, flagRate > limit {
            return RollbackReason(metric: "safetyFlagRate", observed: flagRate, threshold: limit,
                                  attempts: stats.attempts, errors: stats.errors)
        }
        return nil
    }
}

/// The candidate's attempts in one analysis window.
public struct WindowStats: Sendable, Equatable {
    public var attempts: Int
    /// Attempts that did not complete.
    public var errors: Int
    /// Seconds; nil when none completed.
    public var ttftP95: Double?
    /// Completed attempts whose answer broke its schema, and whose answer was flagged.
    public var schemaViolations: Int
    public var safetyFlags: Int

    public init(attempts: Int, errors: Int, ttftP95: Double?, schemaViolations: Int = 0, safetyFlags: Int = 0) {
        self.attempts = attempts
        self.errors = errors
        self.ttftP95 = ttftP95
        self.schemaViolations = schemaViolations
        self.safetyFlags = safetyFlags
    }
}

/// Why an analysis rolled a release back: the metric (`errorRate`, `ttftP95`, `schemaAdherence`
/// or `safetyFlagRate`; `errorBudget` when the enforced policy did, with the SLO's projected
/// consumption, the 50% rollback level, and the SLO's counted and bad requests), its observed
/// value and the threshold it crossed (a fraction, or seconds), and the window's counts.
public struct RollbackReason: Codable, Sendable, Equatable {
    public var metric: String
    public var observed: Double
    public var threshold: Double
    public var attempts: Int
    public var errors: Int

    public init(metric: String, observed: Double, threshold: Double, attempts: Int, errors: Int) {
        self.metric = metric
        self.observed = observed
        self.threshold = threshold
        self.attempts = attempts
        self.errors = errors
    }
}

/// The error budget a release cost one SLO, in requests and as a fraction of the budget.
///
/// Over the measured requests the SLO covers: the budget is `(1 - objective) x total` bad requests.
/// The bad requests attributable to the candidate are those whose final attempt ran on it beyond
/// what the stable pool's bad fraction would have given the same requests:
/// `max(0, candidateBad - candidateRequests x stableBad / stableRequests)` (the stable fraction is
/// 0 when the stable pool ended no requests). `consumed` = attributable / budget (0 with no budget).
public enum ReleaseBudget {
    public static func attributable(candidateBad: Int, candidateRequests: Int, stableBad: Int, stableRequests: Int) -> Double {
        let baseline = stableRequests > 0 ? Double(stableBad) / Double(stableRequests) : 0
        return max(0, Double(candidateBad) - Double(candidateRequests) * baseline)
    }

    public static func consumed(attributable: Double, sloTotal: Int, objective: Double) -> Double {
        let budget = (1 - objective) * Double(sloTotal)
        return budget > 0 ? attributable / budget : 0
    }
}
