import Reporting

extension CapacityPlan {
    /// The plan as report sections: the answer per option, the cheapest, the rejected options and
    /// why, the frontier, and every evaluated point.
    public var sections: [ReportSection] {
        typealias F = NumberFormat
        let scaled = loadFactor != 1
        // With replications every mean carries its interval.
        func usd(_ x: Double, _ h: Double) -> String { replications > 1 ? F.usd(x) + " ± " + F.usd(h) : F.usd(x) }
        func seconds(_ x: Double, _ h: Double) -> String { replications > 1 ? F.seconds(x) + " ± " + F.seconds(h) : F.seconds(x) }
        let sample = cheapest.flatMap { c in options.first { $0.option == c }?.answer } ?? options.compactMap(\.answer).first
        func rate(_ r: Double?) -> String { r.map { ", \(F.number(($0 * 10).rounded() / 10)) req/s arrived" } ?? "" }
        var load = "Sized at the scenario's arrival rates x \(F.number(loadFactor)) (peak \(F.number(peak)) x growth "
            + "\(F.number(growth)) x safety margin \(F.number(safety))\(rate(sample?.arrivalRate))). "
        load += scaled
            ? "Costs are at the scenario's own load (x 1\(rate(sample?.atScenarioLoad?.arrivalRate))): the pool sized for the "
              + "planning load serving the scenario's traffic; TTFT p95 is at the planning load unless marked. "
            : "Costs and TTFT are at that load. "
        let slos = requiredSLOs.isEmpty ? "every SLO" : (requiredSLOs.count == 1 ? "the SLO " : "the SLOs ") + requiredSLOs.joined(separator: ", ")
        load += "A size is feasible when \(slos) \(requiredSLOs.count == 1 ? "is" : "are") met in each of \(replications) "
            + "replication\(replications == 1 ? "" : "s") (seed \(seed) on); the answer is re-checked on fresh seeds."
        if replications > 1 { load += " Costs and TTFT are means with their 95% Student-t half-widths (±)." }
        let autoscaled = sizedField != "replicas"
        if autoscaled {
            load += " The pool autoscales: a size is its autoscaling.maxReplicas, the most replicas it may run (GPUs at that ceiling)."
        }
        let countTitle = autoscaled ? "max replicas" : "replicas"
        var columns: [ReportTable.Column] = [.init("option", .left), .init(countTitle), .init(autoscaled ? "GPUs at max" : "GPUs"),
                                             .init("cost per request"), .init("cost per hour"), .init("TTFT p95")]
        if scaled { columns.append(.init("TTFT p95 at the scenario's load")) }
        columns.append(.init("verdict", .left))
        let answers = ReportTable(columns: columns, rows: options.map { o in
            guard let a = o.answer, let n = o.replicas else {
                return [ReportCell(o.option)] + Array(repeating: "-", count: columns.count - 2) + [ReportCell("rejected")]
            }
            let raised = o.raisedByRecheck > 0 ? " (+\(o.raisedByRecheck) after re-check)" : ""
            let verdict = o.option == cheapest ? ReportCell("cheapest", mark: .strong, after: raised) : ReportCell("feasible" + raised)
            var row = [ReportCell(o.option), ReportCell("\(n)"), ReportCell("\(o.gpus)"),
                       ReportCell(usd(a.billedCostPerRequest, a.billedCostPerRequestHalfWidth)),
                       ReportCell(F.usd(a.billedCostPerHour)), ReportCell(seconds(a.ttftP95, a.ttftP95HalfWidth))]
            if scaled { row.append(ReportCell(a.atScenarioLoad.map { seconds($0.ttftP95, $0.ttftP95HalfWidth) } ?? "-")) }
            return row + [verdict]
        })
        let answer: ReportText
        if let c = cheapest, let o = options.first(where: { $0.option == c }), let n = o.replicas {
            answer = ReportText("Cheapest feasible plan: ", strong: c,
                                autoscaled ? " autoscaling up to \(n) replicas (\(o.gpus) GPUs at most)." : " with \(n) replicas (\(o.gpus) GPUs).")
        } else {
            answer = "No option meets every SLO."
        }
        var sections = [ReportSection(id: "plan", title: "Capacity plan: \(scenario), pool \(pool)", level: 1,
                                      blocks: [.paragraph(ReportText(load)), .table(answers), .paragraph(answer)])]
        if let h = hosted { sections.append(h.section) }
        let rejected = options.filter { $0.rejected != nil }
        if !rejected.isEmpty {
            sections.append(ReportSection(id: "rejected", title: "Rejected options",
                                          blocks: [.list(rejected.map { ReportText("\($0.option): \($0.rejected!)") })]))
        }
        sections.append(ReportSection(id: "frontier", title: "Frontier: cost per request vs p95 TTFT", blocks: [
            .paragraph("Feasible points that no other feasible point beats on both: what more money buys."),
            .table(ReportTable(header: ["option", countTitle, "cost per request", "TTFT p95"], rows: frontier.map { p in
                [ReportCell(p.option), ReportCell("\(p.replicas)"), ReportCell(usd(p.billedCostPerRequest, p.billedCostPerRequestHalfWidth)),
                 ReportCell(seconds(p.ttftP95, p.ttftP95HalfWidth))]
            })),
        ]))
        let points = options.flatMap(\.evaluated).map { p -> [ReportCell] in
            var row = [ReportCell(p.option), ReportCell("\(p.replicas)"), ReportCell(usd(p.costPerRequest, p.costPerRequestHalfWidth))]
            if scaled { row.append(ReportCell(p.atScenarioLoad.map { usd($0.costPerRequest, $0.costPerRequestHalfWidth) } ?? "-")) }
            return row + [ReportCell(seconds(p.ttftP95, p.ttftP95HalfWidth)), ReportCell(p.feasible ? "yes" : "no"),
                          ReportCell(p.missed.joined(separator: "; "))]
        }
        var pointColumns: [ReportTable.Column] = [.init("option", .left), .init(countTitle),
                                            .init(scaled ? "cost per request at the planning load" : "cost per request")]
        if scaled { pointColumns.append(.init("at the scenario's load")) }
        pointColumns += [.init("TTFT p95"), .init("meets SLOs", .left), .init("missed", .left)]
        sections.append(ReportSection(id: "points", title: "Every evaluated point", blocks: [.table(ReportTable(
            columns: pointColumns, rows: points))]))
        return sections
    }
}

extension ReportRenderer {
    /// A capacity plan as Markdown (`CapacityPlan.sections`).
    public static func markdown(_ plan: CapacityPlan) -> String { MarkdownSections.text(plan.sections) }
}
