import ServingModel

/// Speculative decoding in the engine: which decode stretches speculate, a ladder's
/// `disableSpeculation` turning it off and on, and what the pools report.
///
/// The timing lives in `SpeculativeStepModel`; the engine only swaps a pool's step model between it
/// and its base while a ladder holds speculation off. A switch takes effect at each decoding
/// replica's next step boundary (the step in flight keeps its cost), in both engine modes: the
/// stretch is cut there like an arrival would cut it, and re-timed.
final class Speculation {
    /// Per pool: decode batches up to this size speculate now (0: none).
    private var upTo: [Int]
    /// Per replica (global index): whether its current stretch speculates, and tokens emitted by
    /// its decode-only steps with and without speculation (whole run).
    private var stretchSpeculates: [Bool]
    private var speculativeTokens: [Int]
    private var plainTokens: [Int]

    /// Nil when no pool speculates.
    init?(scenario: Scenario, replicaCount: Int) {
        guard scenario.pools.contains(where: { $0.speculation != nil }) else { return nil }
        upTo = scenario.pools.map { pool in pool.speculation.map { $0.config.disableAboveBatch ?? Int.max } ?? 0 }
        stretchSpeculates = Array(repeating: false, count: replicaCount)
        speculativeTokens = Array(repeating: 0, count: replicaCount)
        plainTokens = speculativeTokens
    }

    /// A decode stretch of `batch` sequences starts on the replica: it speculates when its pool does
    /// at that batch size.
    @inline(__always) func stretchStarted(_ replica: Replica, batch: Int, _ sim: Simulation) {
        stretchSpeculates[replica.index] = batch <= upTo[replica.pool]
    }

    /// The replica's decode-only steps emitted `tokens` tokens.
    @inline(__always) func countDecodeTokens(_ replica: Replica, _ tokens: Int) {
        if stretchSpeculates[replica.index] {
            speculativeTokens[replica.index] += tokens
        } else {
            plainTokens[replica.index] += tokens
        }
    }

    /// Turns a speculating pool's speculative decoding on or off.
    func setEnabled(_ enabled: Bool, pool p: Int, _ sim: Simulation) {
        guard let model = sim.pools[p].spec.speculation else { return }
        sim.pools[p].stepModel = enabled ? model : model.base
        upTo[p] = enabled ? (model.config.disableAboveBatch ?? Int.max) : 0
        for r in sim.pools[p].replicas where sim.replicas[r].work == .decode {
            sim.interrupt(sim.replicas[r], newcomer: false)
            sim.replicas[r].retime = true
        }
    }

    /// A pool's speculative decoding report (nil when it does not speculate).
    func report(pool p: Int, _ sim: Simulation) -> SpeculativeReport? {
        guard let model = sim.pools[p].spec.speculation else { return nil }
        let members = sim.pools[p].replicas
        let speculative = members.reduce(0) { $0 + speculativeTokens[$1] }
        let plain = members.reduce(0) { $0 + plainTokens[$1] }
        let c = model.config
        return SpeculativeReport(
            draftTokens: c.draftTokens, acceptance: c.acceptance, expectedTokensPerRound: model.tokensPerRound,
            draft: c.draftLabel, disableAboveBatch: c.disableAboveBatch,
            speculativeTokens: speculative, plainTokens: plain,
            speculativeShare: speculative + plain == 0 ? 0 : Double(speculative) / Double(speculative + plain))
    }
}
