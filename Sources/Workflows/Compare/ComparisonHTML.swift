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
        func bars(_ keys: [String], title: String, axis: String, scale: Double) {
            let picked = keys.compactMap { k in c.rows.first { $0.key == k } }
            guard !picked.isEmpty else { return }
            let series = c.scenarios.indices.map { i in BarSeries(c.scenarios[i], values: picked.map { $0.values[i].mean * scale }) }
            doc.figure(svg: BarChart(title: title, categories: picked.map(\.label), series: series, y: ChartAxis(axis)).svg(),
                       caption: title + "; bars in scenario order, hatched differently, named in the legend.")
        }
        doc.heading("Charts")
        bars(["ttft.p50", "ttft.p95", "ttft.p99"], title: "TTFT percentiles", axis: "seconds", scale: 1)
        bars(["e2e.p50", "e2e.p95", "e2e.p99"], title: "E2E percentiles", axis: "seconds", scale: 1)
        bars(["cost.perRequest"], title: "Cost per request", axis: "USD per 1,000 requests", scale: 1000)
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
        let points = plan.options.flatMap(\.evaluated).filter { $0.ttftP95 > 0 && $0.billedCostPerRequest > 0 }
        let scatter = points.map { ScatterPoint("\($0.option) x\($0.replicas)\($0.feasible ? "" : " (misses)")",
                                                x: $0.billedCostPerRequest * 1000, y: $0.ttftP95) }
        let frontier = plan.frontier.compactMap { f in points.firstIndex { $0 == f } }
        doc.heading("Cost vs p95 TTFT")
        doc.figure(svg: ScatterChart(title: "Every evaluated size", x: ChartAxis("USD per 1,000 requests"),
                                     y: ChartAxis("p95 TTFT, seconds", scale: .log), points: scatter, frontier: frontier,
                                     frontierName: "frontier of feasible sizes", pointsName: "evaluated sizes").svg(),
                   caption: "Each point is an option at a replica count; labels say which and whether it misses an SLO.")
        return doc.render()
    }
}
