import ServingModel
/// Speculative decoding in the engine: which decode stretches speculate, a ladder's
/// `disableSpeculation` turning it off and on, and what the pools report.
///
/// The timing lives in `SpeculativeStepModel`; the engine only swaps a pool's step model between it
/// and its base while a ladder holds speculation off. A switch takes effect at each decoding
/// replica's next step boundary (the step in flight keeps its cost), in both engine modes: the
/// stretch is cut there like an arrival would cut it, and re-timed.
extension Simulation {
    /// Sets a pool's speculation limit from its spec (0 when it does not speculate).
    func setUpSpeculation(pool p: Int) {
        guard let model = pools[p].spec.speculation else { return }
        pools[p].speculativeUpTo = model.config.disableAboveBatch ?? Int.max
    }

    /// Turns a speculating pool's speculative decoding on or off.
    func setSpeculation(pool p: Int, enabled: Bool) {
        guard let model = pools[p].spec.speculation else { return }
        pools[p].stepModel = enabled ? model : model.base
        pools[p].speculativeUpTo = enabled ? (model.config.disableAboveBatch ?? Int.max) : 0
        for r in pools[p].replicas where replicas[r].work == .decode {
            interrupt(replicas[r])
            replicas[r].retime = true
        }
    }

    /// After a ladder moved from `before` to `after` engaged steps: speculation is off while any
    /// engaged step is `disableSpeculation`.
    func ladderChangedSpeculation(_ run: LadderRun, from before: Int, to after: Int) {
        func off(_ level: Int) -> Bool { run.spec.steps.prefix(level).contains { $0.action == .disableSpeculation } }
        if off(before) != off(after) { setSpeculation(pool: run.spec.pool, enabled: !off(after)) }
    }

    /// A pool's speculative decoding report (nil when it does not speculate).
    func speculativeReport(pool p: Int) -> SpeculativeReport? {
        guard let model = pools[p].spec.speculation else { return nil }
        let members = pools[p].replicas.map { replicas[$0] }
        let speculative = members.reduce(0) { $0 + $1.speculativeTokens }
        let plain = members.reduce(0) { $0 + $1.plainDecodeTokens }
        let c = model.config
        return SpeculativeReport(
            draftTokens: c.draftTokens, acceptance: c.acceptance, expectedTokensPerRound: model.tokensPerRound,
            draft: c.draftLabel, disableAboveBatch: c.disableAboveBatch,
            speculativeTokens: speculative, plainTokens: plain,
            speculativeShare: speculative + plain == 0 ? 0 : Double(speculative) / Double(speculative + plain))
    }
}
