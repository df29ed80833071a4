import ServingModel
import SimulationEngine

/// What the enforced error-budget policy did (`errorBudgetPolicy`): its state changes.
enum BudgetPolicySections {
    typealias F = NumberFormat

    static func budgetPolicy(_ report: Report) -> [ReportSection] {
        guard let p = report.budgetPolicy else { return [] }
        let intro = "Enforced every \(F.seconds(p.interval)) from warm-up on \(p.slos.joined(separator: ", ")) "
            + "(an SLO has a say from \(p.minRequests) requests): freeze above \(F.percent(ErrorBudget.freezeThreshold, 0)) "
            + "of a budget (no promotion), rollback above \(F.percent(ErrorBudget.rollbackThreshold, 0)) (every started release rolled back). "
            + "\(p.evaluations) evaluations; \(F.seconds(p.secondsFrozen)) frozen, \(F.seconds(p.secondsRollback)) in rollback; final state "
        var blocks: [ReportBlock] = [.paragraph(ReportText(intro, strong: p.finalState, "."))]
        if !p.transitions.isEmpty {
            blocks.append(.table(ReportTable(header: ["time", "state", "set by", "budget consumed (projected)"], rows: p.transitions.map {
                [ReportCell(F.seconds($0.time)), ReportCell($0.state), ReportCell($0.slo ?? "-"), ReportCell(F.percent($0.consumed, 1))]
            })))
        }
        return [ReportSection(id: "budget-policy", title: "Error-budget policy", blocks: blocks)]
    }
}
