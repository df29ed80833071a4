/// Speculative decoding on a pool (scenario key `speculative`): a small draft model proposes
/// `draftTokens` tokens per sequence, one step of the target model verifies them all at once.
///
/// Each draft token is accepted with probability `acceptance` (independently, until the first
/// rejection); the verify step always yields one more token of its own (the correction, or a bonus
/// token when all drafts were accepted). Expected tokens per round: see `expectedTokensPerRound`.
///
/// Invariants: 1 <= draftTokens <= 16; 0 <= acceptance < 1; a cost ratio is in (0, 1];
/// disableAboveBatch >= 1 when set.
public struct SpeculativeDecoding: Sendable, Equatable {
    /// How the draft model's step time is given.
    public enum Draft: Sendable, Equatable {
        /// A model shape run through the roofline on the pool's hardware, with the pool's
        /// tensor-parallel degree and efficiencies (vLLM V1 requires the draft's tensor-parallel size
        /// to equal the target's: `DraftModelProposer._raise_if_draft_tp_mismatch`), and `stepOverhead`
        /// seconds per draft step (nil: the pool's roofline `stepOverhead`).
        case model(ModelSpec, stepOverhead: Double?)
        /// One draft step takes this fraction of the target's plain decode step at the same batch and
        /// context (a measured or assumed ratio; the draft's memory is then not modelled).
        case costRatio(Double)
    }

    /// Tokens the draft proposes per sequence per round (vLLM's `num_speculative_tokens`), k.
    public var draftTokens: Int
    /// Probability that the target accepts one draft token, alpha (the acceptance rate).
    public var acceptance: Double
    public var draft: Draft
    /// Decode batches of more sequences than this run plain decoding (nil: every batch speculates).
    /// Like vLLM's former `speculative_disable_by_batch_size`, but judged per decode step.
    public var disableAboveBatch: Int?

    public init(draftTokens: Int, acceptance: Double, draft: Draft, disableAboveBatch: Int? = nil) {
        self.draftTokens = draftTokens
        self.acceptance = acceptance
        self.draft = draft
        self.disableAboveBatch = disableAboveBatch
    }

    /// Expected tokens one sequence gains per round of `k` draft tokens with acceptance `alpha`:
    /// `(1 - alpha^(k+1)) / (1 - alpha)` (Leviathan, Kalman and Matias, "Fast Inference from
    /// Transformers via Speculative Decoding", ICML 2023, eq. 1). 1 at alpha = 0; tends to k + 1 as
    /// alpha -> 1 (and is k + 1 at alpha = 1). Unitless, tokens per round.
    public static func expectedTokensPerRound(draftTokens k: Int, acceptance alpha: Double) -> Double {
        if alpha >= 1 { return Double(k + 1) }
        return (1 - Self.power(alpha, k + 1)) / (1 - alpha)
    }

    /// `x^n` by repeated multiplication (exact 0 for x = 0, no libm dependence).
    static func power(_ x: Double, _ n: Int) -> Double {
        var result = 1.0
        for _ in 0..<n { result *= x }
        return result
    }

    public var expectedTokensPerRound: Double {
        Self.expectedTokensPerRound(draftTokens: draftTokens, acceptance: acceptance)
    }

    /// Whether a decode batch of `batch` sequences speculates (`disableAboveBatch`).
    @inline(__always)
    public func speculates(batch: Int) -> Bool { batch <= (disableAboveBatch ?? Int.max) }

    /// Bytes of draft weights held in GPU memory beside the target's (0 for a cost ratio).
    public var draftWeightBytes: Double {
        if case .model(let m, _) = draft { return m.weightBytes }
        return 0
    }

    /// Draft KV cache bytes per token in context, held beside the target's (0 for a cost ratio).
    public var draftKVBytesPerToken: Double {
        if case .model(let m, _) = draft { return m.kvBytesPerToken }
        return 0
    }

    /// The draft as reports name it: the model's name, or `costRatio 0.1`.
    public var draftLabel: String {
        switch draft {
        case .model(let m, _): return m.name
        case .costRatio(let r): return "costRatio \(r)"
        }
    }
}
