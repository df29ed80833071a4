import ServingModel
/// What one request router did over the measured span (attempts first sent at or after warm-up;
/// retries count as attempts).
public struct RouterReport: Codable, Sendable, Equatable {
    public var name: String
    /// Classes it serves.
    public var classes: [String]
    /// Its fallback rule; absent without one.
    public var fallback: RouterFallbackReport?
    /// Attempts it routed (= sum of the tiers' `drawn`, and of their `sent`).
    public var attempts: Int
    /// Attempts moved off their drawn tier because it was saturated.
    public var fallbacks: Int
    /// Attempts whose drawn tier was saturated with no free tier to fall back to (kept on the drawn one).
    public var fallbacksBlocked: Int
    public var tiers: [RouterTierReport]
}

/// A router's fallback rule: `wouldReject`, or `queueDepth` with its threshold (waiting requests).
public struct RouterFallbackReport: Codable, Sendable, Equatable {
    public var when: String
    public var threshold: Int?

    init(_ rule: TrafficRouter.Saturation) {
        when = rule.name
        if case .queueDepth(let t) = rule { threshold = t }
    }
}

/// One tier of a router.
public struct RouterTierReport: Codable, Sendable, Equatable {
    public var pool: String
    public var weight: Double
    /// weight / sum of weights: the expected share of `drawn`.
    public var share: Double
    /// Attempts whose draw picked this tier.
    public var drawn: Int
    /// Attempts it actually received: drawn - fallbacksOut + fallbacksIn.
    public var sent: Int
    public var fallbacksOut: Int
    public var fallbacksIn: Int
}

/// What one release did (whole run; times in seconds from the start) and the error budget it cost
/// (measured span).
public struct ReleaseReport: Codable, Sendable, Equatable {
    public var name: String
    /// `canary` or `blue-green`.
    public var strategy: String
    public var stable: String
    public var candidate: String
    /// Share of stable-bound attempts sent to the candidate while active (1 for blue/green).
    public var fraction: Double
    public var start: Double
    /// `rolledBack`, `promoted`, `stillRunning`, or `notStarted` (start after the end of the run).
    public var outcome: String
    /// When an analysis rolled it back; absent otherwise.
    public var rolledBackAt: Double?
    /// When it was promoted; absent otherwise.
    public var promotedAt: Double?
    /// The threshold crossed and the observed value; absent unless rolled back.
    public var reason: RollbackReason?
    /// Analyses run.
    public var analyses: Int
    /// Attempts the release sent to the candidate.
    public var candidateAttempts: Int
    /// Attempts that ended on the candidate pool (any source), completed ones, and the rest
    /// (failed, timed out or rejected).
    public var candidateEnded: Int
    public var candidateCompleted: Int
    public var candidateFailures: Int
    /// Of the failures, attempts failed by the candidate pool's `errorRate`.
    public var injectedErrors: Int
    /// Per SLO (scenario order).
    public var budget: [ReleaseBudgetReport]
    /// With an enforced error-budget policy: promotions it held back while frozen, and when the
    /// first was (absent without the policy, and the time absent when none was held back).
    public var promotionsDeferred: Int? = nil
    public var firstDeferredAt: Double? = nil
}

/// The error budget one release cost one SLO, over the measured requests the SLO covers (see
/// `ReleaseBudget`): requests whose final attempt ended on the candidate and on the stable pool,
/// the bad ones of each, the candidate's bad requests beyond the stable pool's bad fraction
/// (`attributableBad`), the SLO's budget in requests ((1 - objective) x its total) and the share
/// of it the release used (`consumed` = attributableBad / errorBudget).
public struct ReleaseBudgetReport: Codable, Sendable, Equatable {
    public var slo: String
    public var candidateRequests: Int
    public var candidateBad: Int
    public var stableRequests: Int
    public var stableBad: Int
    public var attributableBad: Double
    public var errorBudget: Double
    public var consumed: Double
}
