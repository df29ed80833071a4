/// What the enforced error-budget policy did (present only with `errorBudgetPolicy`).
public struct BudgetPolicyReport: Codable, Sendable, Equatable {
    /// The SLOs it watched.
    public var slos: [String]
    /// Seconds between evaluations, and the requests an SLO needed to have a say.
    public var interval: Double
    public var minRequests: Int
    public var evaluations: Int
    /// `ok`, `freeze` or `rollback` at the end.
    public var finalState: String
    /// Seconds from warm-up to the end of the run spent in freeze, and in rollback.
    public var secondsFrozen: Double
    public var secondsRollback: Double
    /// Every change of state, in time order.
    public var transitions: [BudgetPolicyTransition]
}

/// A change of the policy's state: when (seconds), the new state, the SLO that set it (nil when
/// no SLO had enough requests) and its projected budget consumption then (a fraction).
public struct BudgetPolicyTransition: Codable, Sendable, Equatable {
    public var time: Double
    public var state: String
    public var slo: String?
    public var consumed: Double
}
