import ServingModel
/// What one degradation ladder did over the run (whole run, warm-up included; times in seconds
/// from the start).
public struct DegradationReport: Codable, Sendable, Equatable {
    /// The guarded pool.
    public var pool: String
    /// `queueDepth`, or `burnRate(SLO name)`.
    public var signal: String
    public var steps: [DegradationStepReport]
    /// Every engagement and release, in time order.
    public var transitions: [LadderTransition]
}

/// One step of a ladder over the run.
public struct DegradationStepReport: Codable, Sendable, Equatable {
    public var name: String
    /// `fallback`, `limitOutput` or `shed`.
    public var action: String
    /// Signal level at which it engages.
    public var threshold: Double
    /// Times it engaged.
    public var engagements: Int
    /// When it first engaged; null when it never did.
    public var firstEngagedAt: Double?
    /// Seconds it was engaged.
    public var engagedSeconds: Double
    /// Attempts it changed: sent to the fallback pool, output capped (only those asking for more), or shed.
    public var requestsAffected: Int
}

/// A step engaging or releasing.
public struct LadderTransition: Codable, Sendable, Equatable {
    public var time: Double
    public var step: String
    /// True when the step engaged, false when it was released.
    public var engaged: Bool
    /// Steps engaged after the transition.
    public var level: Int
    /// The signal's value at the check that moved the ladder.
    public var signal: Double
}
