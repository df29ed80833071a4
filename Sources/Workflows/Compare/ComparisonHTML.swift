import Reporting
/// A comparison as one self-contained HTML page: the side-by-side table of `Comparison.sections`
/// (best values marked ★ and bold, "(n.s.)" where a difference from the best is not significant)
/// and grouped bars of the latency percentiles and the costs per request.
public enum ComparisonHTML {
    public static func render(_ c: Comparison) -> String {
        var doc = HTMLDocument(title: "Comparison: " + c.scenarios.joined(separator: " vs "))
        for section in c.sections {
            if section.level == 1 { doc.blocks(section.blocks) } else { doc.section(section) }
        }
        // With replications each bar carries its 95% interval, as the table's ± does.
        let intervals = c.replications >= 2
        func bars(_ keys: [String], title: String, axis: String, sli: String?) {
            let picked = keys.compactMap { k in c.rows.first { $0.key == k } }
            guard !picked.isEmpty else { return }
            let series = c.scenarios.indices.map { i in
                BarSeries(c.scenarios[i], values: picked.map { $0.values[i].mean },
                          errors: intervals ? picked.map { $0.values[i].halfWidth } : [])
            }
            let lines = c.thresholds.filter { $0.sli == sli }.map {
                ReferenceLine(.horizontal, at: $0.seconds, label: "SLO \($0.name): \(NumberFormat.seconds($0.seconds))")
            }
            doc.figure(svg: BarChart(title: title, categories: picked.map(\.label), series: series, y: ChartAxis(axis),
                                     references: lines, width: 960).svg(),
                       caption: title + " in the table's units; bars in scenario order, hatched differently, named in the legend"
                           + (intervals ? "; whiskers are the 95% intervals over \(c.replications) replications" : "")
                           + (lines.isEmpty ? "." : "; dotted lines are the SLO thresholds."))
        }
        doc.heading("Charts")
        bars(["ttft.p50", "ttft.p95", "ttft.p99"], title: "TTFT percentiles", axis: "seconds", sli: "ttft")
        bars(["e2e.p50", "e2e.p95", "e2e.p99"], title: "E2E percentiles", axis: "seconds", sli: "e2e")
        bars(["cost.perRequest"], title: "Cost per request", axis: "USD per request", sli: nil)
        return doc.render()
    }
}

/// A capacity plan as one self-contained HTML page: the plan's sections (`CapacityPlan.sections`),
/// then the cost-per-request vs p95 TTFT scatter of every evaluated point with the feasible frontier.
public enum PlanHTML {
    public static func render(_ plan: CapacityPlan) -> String {
        typealias F = NumberFormat
        var doc = HTMLDocument(title: "Capacity plan: \(plan.scenario), pool \(plan.pool)")
        for section in plan.sections {
            if section.level == 1 { doc.blocks(section.blocks) } else { doc.section(section) }
        }
        let options = plan.options.map(\.option)
        let evaluated = plan.options.flatMap(\.evaluated).filter { $0.ttftP95 > 0 && $0.billedCostPerRequest > 0 }
        // One marker shape per option, hollow where a size misses an SLO; the label is the size.
        let scatter = evaluated.map { p in
            ScatterPoint("x\(p.replicas)", x: p.billedCostPerRequest * 1000, y: p.ttftP95,
                         group: options.firstIndex(of: p.option) ?? 0, hollow: !p.feasible)
        }
        let frontier = plan.frontier.compactMap { f in evaluated.firstIndex { $0 == f } }
        // Sizes far above every threshold and every feasible size go to a band at the top, so the
        // sizes that matter keep the scale.
        let relevant = plan.ttftThresholds.map(\.seconds) + evaluated.filter(\.feasible).map(\.ttftP95)
        let clip = relevant.max().map { $0 * 10 }
        let lines = plan.ttftThresholds.map { t in
            ReferenceLine(.horizontal, at: t.seconds, label: "\(t.name): \(F.seconds(t.seconds)) at \(F.percent(t.objective, 0))")
        }
        doc.heading("Cost vs p95 TTFT")
        doc.figure(svg: ScatterChart(title: "Every evaluated size", x: ChartAxis("USD per 1,000 requests"),
                                     y: ChartAxis("p95 TTFT, seconds", scale: .log), points: scatter, frontier: frontier,
                                     frontierName: "frontier of feasible sizes", groups: options,
                                     hollowName: "hollow: misses an SLO", yClip: clip, references: lines, width: 960, height: 420).svg(),
                   caption: "Each point is an option (marker shape) at a replica count (label, x replicas); hollow markers miss "
                       + "an SLO, ringed ones are on the frontier. Sizes far above the thresholds sit in the band at the top. "
                       + "A label without room is left out; the tables above list every point.")
        return doc.render()
    }
}
