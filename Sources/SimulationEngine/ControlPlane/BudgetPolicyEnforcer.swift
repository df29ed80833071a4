import ServingModel

/// The error-budget policy enforced during the run (`ErrorBudgetPolicy`): a controller whose
/// evaluations (housekeeping: they never extend the run) read the collector's SLO tallies, move the
/// state, and on entering `rollback` roll every started release back. Releases read `state` before
/// promoting, and `budgetPolicy` ladders read its level.
final class BudgetPolicyEnforcer: Controller {
    let spec: ErrorBudgetPolicy
    private(set) var state = BudgetPolicy.ok
    private var since: Double
    private(set) var transitions: [BudgetPolicyTransition] = []
    /// Seconds spent in freeze and in rollback, from warm-up to the last evaluation.
    private var seconds = [0.0, 0.0, 0.0]
    private var evaluations = 0

    /// Nil when the scenario does not enforce its policy.
    init?(scenario: Scenario) {
        guard let spec = scenario.budgetPolicy else { return nil }
        self.spec = spec
        since = scenario.warmup
    }

    func start(_ sim: Simulation) {
        sim.events.schedule(at: sim.scenario.warmup + spec.interval, .budgetPolicyCheck, target: 0)
    }

    /// One evaluation at the current time, then the next.
    func evaluate(_ sim: Simulation) {
        let now = sim.events.now
        evaluations += 1
        let tallies = sim.metrics.slos.map { (good: $0.good, total: $0.total, objective: $0.spec.objective) }
        let verdict = spec.evaluate(tallies)
        if verdict.state != state {
            seconds[state.level] += now - since
            since = now
            state = verdict.state
            transitions.append(BudgetPolicyTransition(time: now, state: state.rawValue, slo: verdict.slo.map { sim.scenario.slos[$0].name },
                                                      consumed: verdict.consumed))
            if state == .rollback, let s = verdict.slo {
                sim.features.releases?.rollBack(reason: RollbackReason(
                    metric: "errorBudget", observed: verdict.consumed, threshold: ErrorBudget.rollbackThreshold,
                    attempts: tallies[s].total, errors: tallies[s].total - tallies[s].good), sim)
            }
        }
        sim.events.schedule(at: now + spec.interval, .budgetPolicyCheck, target: 0)
    }

    /// What the policy did, with the time in the current state closed at `end`.
    func report(until end: Double, _ sim: Simulation) -> BudgetPolicyReport {
        var total = seconds
        total[state.level] += max(0, end - since)
        return BudgetPolicyReport(slos: spec.slos.map { sim.scenario.slos[$0].name }, interval: spec.interval,
                                  minRequests: spec.minRequests, evaluations: evaluations, finalState: state.rawValue,
                                  secondsFrozen: total[1], secondsRollback: total[2], transitions: transitions)
    }
}
