import Foundation
import Testing
import ServeSim

/// `validate` end to end on the tiny kernel: a real serving loop (the simulator's scheduler, the
/// kernel executing every step, the wall clock) against the simulation of the same arrivals.
///
/// The tiny model's steps take about 0.1 ms, the same order as the serving loop's own per-step
/// bookkeeping, which calibration does not see, so the simulation of it is 20-45% fast (measured
/// on the 2 shared cores, varying with their load). This test checks the machinery end to end and
/// that the two agree within a factor of 2; the README reports the fidelity figures on the base
/// model (within 10% on p95 TTFT and E2E) and states this bound.
@Suite(.serialized) struct KernelValidationTests {
    @Test func tinyKernelServesTheSameRequestsTheSimulationPredicts() {
        let profile = Calibration.run(.standard(model: .tiny, threads: 1, quick: true))
        var options = KernelValidation.Options()
        options.requests = 30
        options.rate = 30
        options.promptTokens = .uniform(min: 16, max: 64)
        options.outputTokens = .uniform(min: 4, max: 16)
        let outcome = KernelValidation.run(profile: profile, options: options)!
        let e2e = outcome.comparisons.first { $0.metric == "e2e" }!
        #expect(e2e.measured.count == e2e.simulated.count)
        #expect(e2e.measured.count >= 20)
        #expect(outcome.steps > 30)
        #expect(outcome.utilization > 0 && outcome.utilization < 1)
        for statistic in ["p50", "p95"] {
            let ratio = 1 + e2e.relativeError(statistic)   // simulated / measured
            #expect(ratio > 0.5 && ratio < 2, "\(statistic) E2E simulated/measured \(ratio)")
        }
    }
}
