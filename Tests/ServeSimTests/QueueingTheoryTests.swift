import Testing
import ServeSim

/// The simulator against closed-form queueing theory. Each check averages several independent
/// seeds of long runs so the sampling error is well below the 2% tolerance; the tolerance is on
/// the simulator, not widened for it.
@Suite struct QueueingTheoryTests {
    struct Estimate { var meanWait: Double; var probabilityWait: Double; var count: Int }

    func simulate(rate: Double, service: ServiceTimeDistribution, servers: Int, seeds: ClosedRange<UInt64>,
                  duration: Double) -> Estimate {
        var waitSum = 0.0, waited = 0, count = 0
        for seed in seeds {
            let sim = Simulation(scenario: TestScenarios.queue(rate: rate, service: service, servers: servers,
                                                              duration: duration, warmup: duration * 0.02, seed: seed))
            sim.recordObserver = { r in
                guard r.arrival >= duration * 0.02 else { return }
                waitSum += r.queueWait
                if r.queueWait > 0 { waited += 1 }
                count += 1
            }
            _ = sim.run()
        }
        return Estimate(meanWait: waitSum / Double(count), probabilityWait: Double(waited) / Double(count), count: count)
    }

    func relativeError(_ x: Double, _ y: Double) -> Double { abs(x - y) / y }

    @Test func erlangCKnownValue() {
        // Textbook value: c = 2, a = 1 Erlang -> C = 1/3.
        #expect(abs(QueueingTheory.erlangC(servers: 2, offeredLoad: 1) - 1.0 / 3.0) < 1e-12)
    }

    @Test func mm8AtRho09MatchesErlangC() {
        let mu = 1.0, c = 8, lambda = 0.9 * 8
        let est = simulate(rate: lambda, service: .exponential(mean: 1 / mu), servers: c, seeds: 1...8, duration: 100_000)
        let wq = QueueingTheory.mmcMeanWait(arrivalRate: lambda, serviceRate: mu, servers: c)
        let pw = QueueingTheory.erlangC(servers: c, offeredLoad: lambda / mu)
        #expect(est.count > 5_000_000)
        #expect(relativeError(est.meanWait, wq) < 0.02, "Wq \(est.meanWait) vs \(wq)")
        #expect(relativeError(est.probabilityWait, pw) < 0.02, "P(wait) \(est.probabilityWait) vs \(pw)")
    }

    @Test func mm1MatchesTheory() {
        let lambda = 0.8, mu = 1.0
        let est = simulate(rate: lambda, service: .exponential(mean: 1 / mu), servers: 1, seeds: 1...8, duration: 400_000)
        let wq = QueueingTheory.mmcMeanWait(arrivalRate: lambda, serviceRate: mu, servers: 1)
        #expect(relativeError(est.meanWait, wq) < 0.02, "Wq \(est.meanWait) vs \(wq)")
        #expect(relativeError(est.probabilityWait, 0.8) < 0.02, "P(wait) \(est.probabilityWait) vs rho")
    }

    @Test func md1MatchesPollaczekKhinchine() {
        let lambda = 0.8, s = 1.0
        let est = simulate(rate: lambda, service: .deterministic(mean: s), servers: 1, seeds: 1...8, duration: 200_000)
        let wq = QueueingTheory.mg1MeanWait(arrivalRate: lambda, meanService: s, squaredCV: 0)
        #expect(relativeError(est.meanWait, wq) < 0.02, "Wq \(est.meanWait) vs \(wq)")
    }
}
