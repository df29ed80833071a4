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

extension ReportRenderer {
    /// The Markdown section on the pools that speculate (empty when none does).
    static func speculativeMarkdown(_ pools: [PoolReport]) -> [String] {
        let rows = pools.compactMap { p in p.speculative.map { (p.name, $0) } }
        guard !rows.isEmpty else { return [] }
        typealias F = NumberFormat
        var out = ["", "## Speculative decoding", "",
                   "| pool | draft | k | acceptance | tokens per round | plain above batch | speculative tokens | plain tokens | speculative share |",
                   "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
        for (name, s) in rows {
            out.append("| \(markdownCell(name)) | \(s.draft) | \(s.draftTokens) "
                + "| \(F.number(s.acceptance)) | \(F.fixed(s.expectedTokensPerRound, 2)) "
                + "| \(s.disableAboveBatch.map(String.init) ?? "-") | \(s.speculativeTokens) | \(s.plainTokens) "
                + "| \(F.percent(s.speculativeShare, 1)) |")
        }
        out += ["", "Tokens of decode-only steps, whole run; steps with prefill chunks decode plainly and are in neither count."]
        return out
    }
}
