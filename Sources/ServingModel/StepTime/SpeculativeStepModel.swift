/// A pool's step-time model with speculative decoding: decode-only steps of batches that speculate
/// cost one speculative round divided by the expected tokens per round; everything else (steps
/// with prefill chunks, batches above `disableAboveBatch`) costs what the base model says.
///
/// ## The round (batch `B`, total context `S` tokens, `k` draft tokens)
///
///     round(B, S) = sum over i = 0 ..< k of draft(B, S + i B)  +  verify(B, S)
///
/// - `draft(B, S)`: one decode step of the draft model (`SpeculativeDecoding.Draft`).
/// - `verify(B, S)`: one target step over `k + 1` tokens per sequence. On the roofline it is exact:
///   FLOPs of `B (k + 1)` tokens through the layers and the lm_head (every position needs logits),
///   attention of `(k + 1) S + B k (k + 1) / 2` token pairs (each new token attends to the context
///   and the new tokens before it, without itself, as in plain decode steps); bytes: the weights once,
///   KV written for `B (k + 1)` tokens and the context's KV read once; fixed costs (overhead,
///   all-reduces) of a `B (k + 1)`-token step. On other models (a calibrated profile) it is an
///   approximation: the intercepts of a decode batch of `B (k + 1)` sequences (token-proportional
///   work) with the context slopes of a batch of `B` (each sequence's context read once), each
///   intercept at least the plain batch's.
///
/// The engine emits one token per sequence per step, so a speculating step is the expected-value
/// step `round(B, S) / E` with `E = (1 - alpha^(k+1)) / (1 - alpha)`: over many steps the tokens and
/// the time match rounds of `E` tokens on average; single requests see the mean, not the spread
/// of accepted lengths.
///
/// ## Fitting `DecodeCost` (closed-form decode stretches)
///
/// Every step of the round is `max` of a compute and a memory line in `S`, but their sum is convex
/// piecewise linear with up to k + 2 pieces (each step switches regime at its own context).
/// `roundCost` keeps the two pieces that `TwoLineFit` picks: their `max` is never above the round
/// time, equals it wherever the steps switch regime together or at most one of them switches
/// (at small batches every step is memory-bound: exact), and has the smallest largest relative
/// underestimate over all contexts otherwise. Both of the verify step's lines stay in the fit, so it
/// is never below the verify step alone: with `alpha = 0` a speculating step is never faster than
/// a plain one. `exactRoundTime` is the sum itself (tests bound the difference).
public struct SpeculativeStepModel: StepTimeModel {
    /// The pool's model without speculation.
    public let base: any StepTimeModel
    public let config: SpeculativeDecoding
    /// The draft's step model (`Draft.model`) on the target's hardware and parallelism, timed
    /// like the target (datasheet roofline or measured kernels); nil for a cost ratio.
    public let draftModel: (any StepTimeModel)?
    /// Expected tokens per round, cached (`config.expectedTokensPerRound`).
    public let tokensPerRound: Double
    /// `speculativeCost` of batches 1 ... count, computed once (the fit is a small search).
    private(set) var table: [DecodeCost]
    /// Batches up to this size are tabulated at init.
    public static let maxTabulatedBatch = 4096

    /// Nil when the draft is a model but `base` is neither a roofline nor measured kernels (a
    /// model shape needs hardware).
    /// `maxBatch`: the largest decode batch the pool runs (its `maxNumSeqs`), to tabulate costs
    /// up to (at most `maxTabulatedBatch`; larger batches are computed when asked).
    public init?(base: any StepTimeModel, config: SpeculativeDecoding, maxBatch: Int = 0) {
        self.base = base
        self.config = config
        tokensPerRound = config.expectedTokensPerRound
        table = []
        switch config.draft {
        case .model(let shape, let overhead):
            if let target = base as? RooflineModel {
                draftModel = RooflineModel(
                    hardware: target.hardware, model: shape, tensorParallel: target.tensorParallel,
                    computeEfficiency: target.computeEfficiency, memoryEfficiency: target.memoryEfficiency,
                    stepOverhead: overhead ?? target.stepOverhead, requestOverhead: target.requestOverhead,
                    allReduceLatency: target.allReduceLatency)
            } else if let target = base as? KernelStepModel {
                let c = target.costs
                draftModel = KernelStepModel(costs: KernelCosts(hardware: c.hardware, model: shape, tensorParallel: c.tensorParallel,
                                                                measurements: c.measurements, computeEfficiency: c.computeEfficiency,
                                                                memoryEfficiency: c.memoryEfficiency, allReduceLatency: c.allReduceLatency),
                                             stepOverhead: overhead ?? target.stepOverhead)
            } else {
                return nil
            }
        case .costRatio:
            draftModel = nil
        }
        let count = min(max(0, maxBatch), Self.maxTabulatedBatch)
        table = (0..<count).map { computeSpeculativeCost(batch: $0 + 1) }
    }

    /// One draft decode step of `batch` sequences, seconds as a function of total context.
    public func draftCost(batch: Int) -> DecodeCost {
        if let draftModel { return draftModel.decodeCost(batch: batch) }
        guard case .costRatio(let r) = config.draft else { return base.decodeCost(batch: batch) }
        let c = base.decodeCost(batch: batch)
        return DecodeCost(a1: r * c.a1, b1: r * c.b1, a2: r * c.a2, b2: r * c.b2)
    }

    /// One verify step of the target over `draftTokens + 1` tokens for each of `batch` sequences.
    public func verifyCost(batch: Int) -> DecodeCost {
        let k = config.draftTokens
        if let roofline = base as? RooflineModel { return roofline.verifyCost(batch: batch, draftTokens: k) }
        let wide = base.decodeCost(batch: batch * (k + 1)), plain = base.decodeCost(batch: batch)
        return DecodeCost(a1: max(wide.a1, plain.a1), b1: plain.b1, a2: max(wide.a2, plain.a2), b2: plain.b2)
    }

    /// One round (k draft steps, one verify step) as `max` of two lines in context (see the type's
    /// documentation), seconds.
    public func roundCost(batch: Int) -> DecodeCost {
        let draft = draftCost(batch: batch), b = Double(batch)
        var steps = (0..<config.draftTokens).map { i in
            // Draft step i sees context S + i B: lines a + b (S + i B).
            let shift = Double(i) * b
            return DecodeCost(a1: draft.a1 + draft.b1 * shift, b1: draft.b1, a2: draft.a2 + draft.b2 * shift, b2: draft.b2)
        }
        steps.append(verifyCost(batch: batch))
        return TwoLineFit.fit(steps, keep: steps.count - 1)
    }

    /// The round's time as the plain sum of its steps (each a roofline max), seconds.
    public func exactRoundTime(batch: Int, context: Double) -> Double {
        let draft = draftCost(batch: batch), b = Double(batch)
        var total = verifyCost(batch: batch).time(context: context)
        for i in 0..<config.draftTokens { total += draft.time(context: context + Double(i) * b) }
        return total
    }

    /// The expected time per emitted token of a speculating decode step: `roundCost / E`.
    public func speculativeCost(batch: Int) -> DecodeCost {
        batch >= 1 && batch <= table.count ? table[batch - 1] : computeSpeculativeCost(batch: batch)
    }

    func computeSpeculativeCost(batch: Int) -> DecodeCost {
        let r = roundCost(batch: batch), e = tokensPerRound
        return DecodeCost(a1: r.a1 / e, b1: r.b1 / e, a2: r.a2 / e, b2: r.b2 / e)
    }

    public func decodeCost(batch: Int) -> DecodeCost {
        config.speculates(batch: batch) ? speculativeCost(batch: batch) : base.decodeCost(batch: batch)
    }

    /// Decode-only steps as `decodeCost`; steps with prefill chunks as the base model (their
    /// decoding sequences decode plainly).
    public func stepTime(_ shape: StepShape) -> Double {
        if shape.prefillTokens == 0 && shape.prefillSeqs == 0 && shape.decodeSeqs > 0 {
            return decodeCost(batch: shape.decodeSeqs).time(context: Double(shape.decodeContext))
        }
        return base.stepTime(shape)
    }
}

extension RooflineModel {
    /// A verify step: `draftTokens + 1` new tokens for each of `batch` sequences whose contexts sum
    /// to `S`, as `DecodeCost` (exact on this roofline; see `SpeculativeStepModel`). With
    /// `draftTokens = 0` it is `decodeCost(batch:)`.
    public func verifyCost(batch: Int, draftTokens k: Int) -> DecodeCost {
        let b = Double(batch), perSeq = Double(k + 1)
        let tokens = batch * (k + 1)
        let fixed = fixedTime(tokens: tokens)
        let innerPairs = b * Double(k) * perSeq / 2  // new tokens attending to the new tokens before them
        return DecodeCost(
            a1: (2 * (model.layerParameters + model.headParameters) * Double(tokens) + attentionFlopsPerPair * innerPairs)
                / flopRate + fixed,
            b1: attentionFlopsPerPair * perSeq / flopRate,
            a2: (model.streamedWeightBytes + model.kvBytesPerToken * Double(tokens)) / byteRate + fixed,
            b2: model.kvBytesPerToken / byteRate)
    }
}

extension PoolSpec {
    /// The pool's speculative step model, nil when the pool does not speculate.
    public var speculation: SpeculativeStepModel? {
        if case .steps(let model, _, _) = performance { return model as? SpeculativeStepModel }
        return nil
    }
}
