import Foundation
import ServeSim

/// `run --replications N`: the scenario again under N seeds (its own first), summarised as mean
/// and 95% confidence interval per metric in DIR/<name>.replications.{md,json}; the Markdown also
/// goes to stdout.
func runReplications(_ scenario: Scenario, count: Int, jobs: Int, outDir: String, quiet: Bool) throws {
    let line = ProgressLine.make(name: "\(scenario.name) replications", quiet: quiet)
    line?.expect(count, "replications")
    let tick: (@Sendable () -> Void)? = line.map { l in { @Sendable in l.tick() } }
    let reports = Replications.run(scenario, count: count, jobs: jobs, finished: tick)
    line?.finish()
    let summary = ReplicationSummary.make(scenario: scenario.name, seeds: Replications.seeds(base: scenario.seed, count: count),
                                          reports: reports)
    let markdown = ReportRenderer.markdown(summary)
    try writeAtomically(try ReportRenderer.json(encodable: summary), to: "\(outDir)/\(scenario.name).replications.json")
    try writeAtomically(Data(markdown.utf8), to: "\(outDir)/\(scenario.name).replications.md")
    print(markdown)
}
