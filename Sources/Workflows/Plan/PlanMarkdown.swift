import ServingModel
import ScenarioFormat
import SimulationEngine
import Reporting
import TransformerKernel
extension ReportRenderer {
    /// A capacity plan as Markdown: the answer per option, the cheapest, the frontier and why
    /// rejected options fail.
    public static func markdown(_ plan: CapacityPlan) -> String {
        typealias F = NumberFormat
        var out = ["# Capacity plan: \(plan.scenario), pool \(plan.pool)", ""]
        out.append("Load: the scenario's arrival rates x \(F.number(plan.loadFactor)) (peak \(F.number(plan.peak)) x growth "
            + "\(F.number(plan.growth)) x safety margin \(F.number(plan.safety))). A size is feasible when every SLO is met "
            + "in each of \(plan.replications) replication\(plan.replications == 1 ? "" : "s") (seed \(plan.seed) on); "
            + "the answer is re-checked on fresh seeds.")
        out += ["", "| option | replicas | GPUs | cost per request | cost per hour | TTFT p95 | verdict |",
                "| --- | ---: | ---: | ---: | ---: | ---: | --- |"]
        for o in plan.options {
            if let a = o.answer, let n = o.replicas {
                let mark = o.option == plan.cheapest ? "**cheapest**" : "feasible"
                let raised = o.raisedByRecheck > 0 ? " (+\(o.raisedByRecheck) after re-check)" : ""
                out.append("| \(markdownCell(o.option)) | \(n) | \(o.gpus) | \(F.usd(a.costPerRequest)) | \(F.usd(a.costPerHour)) "
                    + "| \(F.seconds(a.ttftP95)) | \(mark)\(raised) |")
            } else {
                out.append("| \(markdownCell(o.option)) | - | - | - | - | - | rejected |")
            }
        }
        if let c = plan.cheapest, let o = plan.options.first(where: { $0.option == c }), let n = o.replicas {
            out += ["", "Cheapest feasible plan: **\(markdownCell(c))** with \(n) replicas (\(o.gpus) GPUs)."]
        } else {
            out += ["", "No option meets every SLO."]
        }
        let rejected = plan.options.filter { $0.rejected != nil }
        if !rejected.isEmpty {
            out += ["", "## Rejected options", ""] + rejected.map { "- \(markdownCell($0.option)): \($0.rejected!)" }
        }
        out += ["", "## Frontier: cost per request vs p95 TTFT", "",
                "Feasible points that no other feasible point beats on both: what more money buys.", "",
                "| option | replicas | cost per request | TTFT p95 |",
                "| --- | ---: | ---: | ---: |"]
        for p in plan.frontier {
            out.append("| \(markdownCell(p.option)) | \(p.replicas) | \(F.usd(p.costPerRequest)) | \(F.seconds(p.ttftP95)) |")
        }
        out += ["", "## Every evaluated point", "",
                "| option | replicas | cost per request | TTFT p95 | meets SLOs | missed |",
                "| --- | ---: | ---: | ---: | --- | --- |"]
        for o in plan.options {
            for p in o.evaluated {
                out.append("| \(markdownCell(p.option)) | \(p.replicas) | \(F.usd(p.costPerRequest)) | \(F.seconds(p.ttftP95)) "
                    + "| \(p.feasible ? "yes" : "no") | \(markdownCell(p.missed.joined(separator: "; "))) |")
            }
        }
        return out.joined(separator: "\n") + "\n"
    }

}
