/// One pool's answer quality over the measured span (requests first sent at or after warm-up
/// whose final attempt completed on the pool): the configured rates and what was drawn. Present
/// in a report only for pools with `quality`.
public struct QualityReport: Codable, Sendable, Equatable {
    public var pool: String
    /// The configured probabilities (`AnswerQuality`).
    public var schemaAdherenceRate: Double
    public var safetyFlagRateConfigured: Double
    /// Completed answers, those that broke their schema, and those the classifier flagged.
    public var answers: Int
    public var schemaViolations: Int
    public var safetyFlags: Int
    /// Measured fractions of `answers`; absent with no answers.
    public var schemaAdherence: Double?
    public var safetyFlagRate: Double?
}
