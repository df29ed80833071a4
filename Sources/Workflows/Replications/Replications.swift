import ServingModel
import Reporting
import Foundation

/// Independent replications of one scenario: the same scenario under different seeds.
///
/// Replication r (0-based) uses seed `base + r`: every random stream derives from (seed, stream
/// name) by hashing, so consecutive seeds give unrelated streams. Replication 0 is the scenario's
/// own run, identical to `servesim run` with that seed.
public enum Replications {
    public static func seeds(base: UInt64, count: Int) -> [UInt64] {
        (0..<UInt64(max(count, 1))).map { base &+ $0 }
    }

    /// Runs `scenario` once per seed of `seeds(base: scenario.seed, count:)`, on up to `jobs` threads;
    /// `finished` is told (from the worker thread) as each replication ends, for a progress count.
    public static func run(_ scenario: Scenario, count: Int, jobs: Int = 1,
                           finished: (@Sendable () -> Void)? = nil) -> [Report] {
        let seeds = seeds(base: scenario.seed, count: count)
        return parallelMap(seeds.count, jobs: jobs) { r in
            var s = scenario
            s.seed = seeds[r]
            let report = ScenarioRunner.run(s).0
            finished?()
            return report
        }
    }
}
