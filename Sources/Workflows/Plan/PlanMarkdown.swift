import Reporting

extension CapacityPlan {
    /// The plan as report sections: the answer per option, the cheapest, the rejected options and
    /// why, the frontier, and every evaluated point.
    public var sections: [ReportSection] {
        typealias F = NumberFormat
        let load = "Load: the scenario's arrival rates x \(F.number(loadFactor)) (peak \(F.number(peak)) x growth "
            + "\(F.number(growth)) x safety margin \(F.number(safety))). A size is feasible when every SLO is met "
            + "in each of \(replications) replication\(replications == 1 ? "" : "s") (seed \(seed) on); "
            + "the answer is re-checked on fresh seeds."
        let answers = ReportTable(columns: [.init("option", .left), .init("replicas"), .init("GPUs"), .init("cost per request"),
                                            .init("cost per hour"), .init("TTFT p95"), .init("verdict", .left)],
                                  rows: options.map { o in
            guard let a = o.answer, let n = o.replicas else {
                return [ReportCell(o.option), "-", "-", "-", "-", "-", ReportCell("rejected")]
            }
            let raised = o.raisedByRecheck > 0 ? " (+\(o.raisedByRecheck) after re-check)" : ""
            let verdict = o.option == cheapest ? ReportCell("cheapest", mark: .strong, after: raised) : ReportCell("feasible" + raised)
            return [ReportCell(o.option), ReportCell("\(n)"), ReportCell("\(o.gpus)"), ReportCell(F.usd(a.costPerRequest)),
                    ReportCell(F.usd(a.costPerHour)), ReportCell(F.seconds(a.ttftP95)), verdict]
        })
        let answer: ReportText
        if let c = cheapest, let o = options.first(where: { $0.option == c }), let n = o.replicas {
            answer = ReportText("Cheapest feasible plan: ", strong: c, " with \(n) replicas (\(o.gpus) GPUs).")
        } else {
            answer = "No option meets every SLO."
        }
        var sections = [ReportSection(id: "plan", title: "Capacity plan: \(scenario), pool \(pool)", level: 1,
                                      blocks: [.paragraph(ReportText(load)), .table(answers), .paragraph(answer)])]
        let rejected = options.filter { $0.rejected != nil }
        if !rejected.isEmpty {
            sections.append(ReportSection(id: "rejected", title: "Rejected options",
                                          blocks: [.list(rejected.map { ReportText("\($0.option): \($0.rejected!)") })]))
        }
        sections.append(ReportSection(id: "frontier", title: "Frontier: cost per request vs p95 TTFT", blocks: [
            .paragraph("Feasible points that no other feasible point beats on both: what more money buys."),
            .table(ReportTable(header: ["option", "replicas", "cost per request", "TTFT p95"], rows: frontier.map { p in
                [ReportCell(p.option), ReportCell("\(p.replicas)"), ReportCell(F.usd(p.costPerRequest)), ReportCell(F.seconds(p.ttftP95))]
            })),
        ]))
        let points = options.flatMap(\.evaluated).map { p -> [ReportCell] in
            [ReportCell(p.option), ReportCell("\(p.replicas)"), ReportCell(F.usd(p.costPerRequest)), ReportCell(F.seconds(p.ttftP95)),
             ReportCell(p.feasible ? "yes" : "no"), ReportCell(p.missed.joined(separator: "; "))]
        }
        sections.append(ReportSection(id: "points", title: "Every evaluated point", blocks: [.table(ReportTable(
            columns: [.init("option", .left), .init("replicas"), .init("cost per request"), .init("TTFT p95"),
                      .init("meets SLOs", .left), .init("missed", .left)], rows: points))]))
        return sections
    }
}

extension ReportRenderer {
    /// A capacity plan as Markdown (`CapacityPlan.sections`).
    public static func markdown(_ plan: CapacityPlan) -> String { MarkdownSections.text(plan.sections) }
}
