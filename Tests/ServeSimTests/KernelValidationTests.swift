import Foundation
import Testing
import ServeSim

/// `validate` end to end on the tiny kernel: a real serving loop (the simulator's scheduler, the
/// kernel executing every step, the wall clock) against the simulation of the same arrivals.
///
/// The tiny model's steps take well under a millisecond, the same order as the serving loop's own
/// bookkeeping and as scheduling noise on 2 shared cores, and its quick calibration varies from
/// run to run: simulated/measured E2E ranged from 0.57 to 3.0 over repeated runs. So this test
/// checks the machinery end to end (same requests served, real timings, a sane batch loop) with an
/// order-of-magnitude bound (a factor of 5, which still catches a unit error); the fidelity claim
/// is the base model's, measured with `servesim validate` and stated in the README.
@Suite(.serialized) struct KernelValidationTests {
    @Test func tinyKernelServesTheSameRequestsTheSimulationPredicts() {
        let profile = Calibration.run(.standard(model: .tiny, threads: 1, quick: true))
        var options = KernelValidation.Options()
        // Long prompts and outputs make steps heavy enough that the loop's own bookkeeping is a
        // small share of them.
        options.requests = 40
        options.rate = 20
        options.promptTokens = .uniform(min: 256, max: 1024)
        options.outputTokens = .uniform(min: 16, max: 48)
        let outcome = KernelValidation.run(profile: profile, options: options)!
        let e2e = outcome.comparisons.first { $0.metric == "e2e" }!
        #expect(e2e.measured.count == e2e.simulated.count)
        #expect(e2e.measured.count >= 20)
        #expect(outcome.steps > 30)
        #expect(outcome.utilization > 0 && outcome.utilization < 1)
        let ttft = outcome.comparisons.first { $0.metric == "ttft" }!
        #expect(ttft.measured.p50 > 0 && ttft.measured.p50 <= e2e.measured.p50)
        for statistic in ["p50", "p95"] {
            let ratio = 1 + e2e.relativeError(statistic)   // simulated / measured
            #expect(ratio > 0.2 && ratio < 5, "\(statistic) E2E simulated/measured \(ratio)")
        }
    }
}
