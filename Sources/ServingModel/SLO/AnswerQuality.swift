/// How good a pool's answers are, as the quality proxies an LLMOps pipeline measures on each
/// response (a JSON-schema validator on structured output, a safety classifier on every answer):
/// the probability that a completed answer follows its output schema, and the probability that
/// the classifier flags it. Per pool, so a tier, a quantized model or a release candidate can have
/// its own. Each completed attempt on the pool draws both outcomes from the stream
/// `quality/<pool>` (adherence first, then the flag), and only pools with a quality draw.
///
/// Invariant: both rates are probabilities in [0, 1].
public struct AnswerQuality: Sendable, Equatable {
    /// Probability that a completed answer follows its output schema.
    public var schemaAdherence: Double
    /// Probability that a completed answer is flagged by the safety classifier (leakage).
    public var safetyFlagRate: Double

    public init(schemaAdherence: Double = 1, safetyFlagRate: Double = 0) {
        precondition((0...1).contains(schemaAdherence) && (0...1).contains(safetyFlagRate), "quality rates are probabilities")
        self.schemaAdherence = schemaAdherence
        self.safetyFlagRate = safetyFlagRate
    }
}
