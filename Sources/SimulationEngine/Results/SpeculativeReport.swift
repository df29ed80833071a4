import ServingModel
/// What speculative decoding did on one pool (`pools[].speculative`; absent for pools without it).
///
/// Tokens are counted over the whole run (warmup included, like `counts`) and only for decode-only
/// steps: first tokens and tokens decoded in steps that also carry prefill chunks (which always
/// decode plainly) are in neither count.
public struct SpeculativeReport: Codable, Sendable, Equatable {
    /// Draft tokens per round, k.
    public var draftTokens: Int
    /// Acceptance rate, alpha.
    public var acceptance: Double
    /// (1 - alpha^(k+1)) / (1 - alpha), tokens per sequence per round.
    public var expectedTokensPerRound: Double
    /// The draft model's name, or `costRatio R`.
    public var draft: String
    /// Decode batches above this size decode plainly; absent: no limit.
    public var disableAboveBatch: Int?
    /// Tokens emitted by decode-only steps that speculated.
    public var speculativeTokens: Int
    /// Tokens emitted by decode-only steps that did not (batch above the limit, or a ladder's
    /// `disableSpeculation` engaged).
    public var plainTokens: Int
    /// speculativeTokens / (speculativeTokens + plainTokens), 0 when both are 0.
    public var speculativeShare: Double

    public init(draftTokens: Int, acceptance: Double, expectedTokensPerRound: Double, draft: String,
                disableAboveBatch: Int?, speculativeTokens: Int, plainTokens: Int, speculativeShare: Double) {
        self.draftTokens = draftTokens
        self.acceptance = acceptance
        self.expectedTokensPerRound = expectedTokensPerRound
        self.draft = draft
        self.disableAboveBatch = disableAboveBatch
        self.speculativeTokens = speculativeTokens
        self.plainTokens = plainTokens
        self.speculativeShare = speculativeShare
    }
}
