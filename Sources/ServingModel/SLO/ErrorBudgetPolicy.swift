/// An error-budget policy that acts during the run (the report's `policy` column, enforced): every
/// `interval` seconds from warm-up, each watched SLO's projected budget consumption so far (its
/// burn rate over the measured requests ended so far, `ErrorBudget.projectedBudgetConsumed`) gives
/// a state by `ErrorBudget.policy` (freeze above 25%, rollback above 50%); the policy's state is
/// the worst of them. An SLO with fewer than `minRequests` counted requests has no say yet.
///
/// While the state is `freeze` or `rollback` no release is promoted (a due promotion waits for
/// `ok`); on entering `rollback` every started release that is running or promoted is rolled
/// back; a degradation ladder with `signal: "budgetPolicy"` reads the state as 0, 1 or 2.
public struct ErrorBudgetPolicy: Sendable, Equatable {
    /// Indices into `scenario.slos` (all of them unless the file names some); not empty.
    public var slos: [Int]
    /// Seconds between evaluations, > 0.
    public var interval: Double
    /// Counted requests an SLO needs before its consumption counts, >= 1.
    public var minRequests: Int

    public init(slos: [Int], interval: Double = 60, minRequests: Int = 100) {
        self.slos = slos
        self.interval = interval
        self.minRequests = minRequests
    }

    /// The policy's state from each watched SLO's (good, total) so far and objective: the worst
    /// state, with the SLO (index into `scenario.slos`) and consumption that set it (the first
    /// watched SLO with the highest consumption among those of that state). Pure.
    public func evaluate(_ tallies: [(good: Int, total: Int, objective: Double)]) -> (state: BudgetPolicy, slo: Int?, consumed: Double) {
        var worst: (state: BudgetPolicy, slo: Int?, consumed: Double) = (.ok, nil, 0)
        for s in slos where tallies[s].total >= minRequests {
            let t = tallies[s]
            let consumed = ErrorBudget.projectedBudgetConsumed(
                burnRate: ErrorBudget.burnRate(compliance: ErrorBudget.compliance(good: t.good, total: t.total), objective: t.objective))
            if worst.slo == nil || consumed > worst.consumed {
                worst = (ErrorBudget.policy(consumed: consumed), s, consumed)
            }
        }
        return worst
    }
}

extension BudgetPolicy {
    /// 0 ok, 1 freeze, 2 rollback: the signal a `budgetPolicy` ladder reads.
    public var level: Int {
        switch self {
        case .ok: 0
        case .freeze: 1
        case .rollback: 2
        }
    }
}
