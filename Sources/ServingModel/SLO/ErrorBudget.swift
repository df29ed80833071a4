/// What the error budget policy says to do, from the fraction of the window's error budget that
/// the simulated behaviour would consume (thresholds from the seed's error budget policy).
public enum BudgetPolicy: String, Sendable, Codable, CaseIterable {
    /// At most 25% of the budget consumed.
    case ok
    /// More than 25% consumed: freeze risky changes.
    case freeze
    /// More than 50% consumed: roll back.
    case rollback
}

/// Error-budget arithmetic for one SLO. Pure functions; every result is finite for finite inputs
/// with `0 < objective < 1` and `window > 0`.
public enum ErrorBudget {
    /// Fraction consumed above which the policy says `freeze`.
    public static let freezeThreshold = 0.25
    /// Fraction consumed above which the policy says `rollback`.
    public static let rollbackThreshold = 0.5

    /// Good / total; 1 when there were no eligible requests (nothing went wrong).
    public static func compliance(good: Int, total: Int) -> Double {
        total == 0 ? 1 : Double(good) / Double(total)
    }

    /// How fast the budget burns: error ratio / allowed error ratio, i.e. `(1 - compliance) /
    /// (1 - objective)`. 1 means the budget lasts exactly one window.
    public static func burnRate(compliance: Double, objective: Double) -> Double {
        Swift.max(0, 1 - compliance) / (1 - objective)
    }

    /// Fraction of the window's error budget that the simulated span itself used:
    /// `burnRate * span / window` (span and window in seconds).
    public static func budgetConsumed(burnRate: Double, span: Double, window: Double) -> Double {
        window > 0 ? burnRate * Swift.max(0, span) / window : 0
    }

    /// Fraction of the budget consumed if the simulated behaviour held for the whole window: that
    /// is the burn rate itself (a burn rate of 0.3 uses 30% of the budget by the window's end).
    public static func projectedBudgetConsumed(burnRate: Double) -> Double { burnRate }

    /// Whether the objective is met. A relative slack of 1e-12 keeps `95/100 >= 0.95` true
    /// whatever the rounding.
    public static func met(compliance: Double, objective: Double) -> Bool {
        compliance >= objective - 1e-12
    }

    /// Policy from the projected fraction consumed: `rollback` above 50%, `freeze` above 25%.
    public static func policy(consumed: Double) -> BudgetPolicy {
        if consumed > rollbackThreshold { return .rollback }
        if consumed > freezeThreshold { return .freeze }
        return .ok
    }
}

extension ErrorBudget {
    /// Burn rate of one interval: (bad / total) / (1 - objective); 0 when `total` is 0.
    public static func intervalBurnRate(bad: Int, total: Int, objective: Double) -> Double {
        total == 0 ? 0 : finite(Double(bad) / Double(total) / (1 - objective))
    }
}
