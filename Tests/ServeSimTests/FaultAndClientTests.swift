import Foundation
import Testing
import ServeSim

/// Clients (timeouts, retries), admission control and faults in the engine.
@Suite struct FaultAndClientTests {
    /// A service-time pool (fast to simulate) of `replicas` single-slot servers, 1 s per request.
    func scenario(rate: Double, duration: Double, replicas: Int = 4, client: ClientSpec? = nil,
                  faults: FaultSpec? = nil, admission: Admission = Admission()) -> Scenario {
        var cls = RequestClassSpec(name: "chat", tenant: "acme", arrivals: .poisson(rate: rate),
                                   promptTokens: .fixed(100), outputTokens: .fixed(10))
        cls.client = client
        var s = Scenario(name: "faults", seed: 9, duration: duration, classes: [cls],
                         pools: [PoolSpec(name: "p", hardware: "x", model: "y", replicas: replicas, pricePerGpuHour: 1,
                                          routing: .sharedQueue, scheduler: SchedulerConfig(policy: .fcfs, maxNumSeqs: 1),
                                          performance: .service(.deterministic(mean: 1)))])
        s.faults = faults
        s.admission = admission
        return s
    }

    func run(_ s: Scenario) -> (records: [RequestRecord], result: SimulationResult) { simulate(s) }

    func conserved(_ r: SimulationResult, _ records: [RequestRecord]) -> Bool {
        r.arrived == records.count + r.inFlightAtEnd
    }

    @Test func retriesNeverExceedMaxAttempts() {
        // The pool is down for the whole run: every attempt times out, and each request is tried
        // exactly maxAttempts times.
        let client = ClientSpec(timeout: 2, retry: RetryPolicy(maxAttempts: 3, baseBackoff: 1, maxBackoff: 4))
        let outage = FaultSpec(outages: [FaultSpec.Outage(at: 0, duration: 10_000, pools: [])])
        let (records, result) = run(scenario(rate: 2, duration: 100, client: client, faults: outage))
        #expect(result.arrived > 150)
        #expect(records.allSatisfy { $0.outcome == .timedOut })
        #expect(result.counts.retries == 2 * result.arrived)
        #expect(result.counts.timeouts == 3 * result.arrived)
        #expect(conserved(result, records))
        // Retries load the system: the time series sees more arrivals than requests.
        #expect(result.timeSeries.reduce(0) { $0 + $1.arrivals } == 3 * result.arrived)
    }

    @Test func aTokenBucketAdmitsRateTimesTPlusBurst() {
        let limit = Admission(tenants: [.init(tenant: "acme", rate: 5, burst: 10)])
        let (records, result) = run(scenario(rate: 50, duration: 60, replicas: 400, admission: limit))
        let admitted = records.filter { $0.outcome != .rejected }.count
        // Arrivals are continuous and far above the rate: admitted = rate x T + burst, within one.
        #expect(abs(admitted - (5 * 60 + 10)) <= 1, "admitted \(admitted)")
        #expect(records.filter { $0.outcome == .rejected }.count == result.arrived - admitted)
        #expect(conserved(result, records))
    }

    @Test func anInFlightTokenBudgetCapsConcurrency() {
        // 110 tokens per request and a 1,100-token budget: at most 10 requests in flight.
        let budget = Admission(maxInFlightTokens: 1100)
        let (records, _) = run(scenario(rate: 40, duration: 60, replicas: 100, admission: budget))
        #expect(records.contains { $0.outcome == .rejected })
        let completed = records.filter { $0.outcome == .completed }
        #expect(completed.count <= 10 * 60 + 10)
        #expect(completed.allSatisfy { $0.queueWait == 0 })  // never more admitted than servers
    }

    @Test func replicaFailuresFailInFlightRequestsOrRequeueThem() {
        let failures = FaultSpec.ReplicaFailures(timeToFailure: .exponential(mean: 120), timeToRepair: .fixed(30))
        let failing = run(scenario(rate: 3, duration: 1200, faults: FaultSpec(replicaFailures: failures, inFlight: .fail)))
        #expect(failing.result.counts.replicaFailures > 10)
        #expect(failing.records.contains { $0.outcome == .failed })
        #expect(conserved(failing.result, failing.records))
        let requeued = run(scenario(rate: 3, duration: 1200, faults: FaultSpec(replicaFailures: failures, inFlight: .retry)))
        #expect(requeued.result.counts.replicaFailures > 10)
        #expect(requeued.records.allSatisfy { $0.outcome == .completed })
        #expect(conserved(requeued.result, requeued.records))
    }

    @Test func spotPreemptionWithALongNoticeDrainsWithoutLoss() {
        // 1 s requests and a 120 s notice: every reclaimed replica drains in time.
        let spot = FaultSpec(spotPreemption: .init(ratePerReplicaHour: 6, notice: 120))
        let (records, result) = run(scenario(rate: 2, duration: 3600, replicas: 6, faults: spot))
        #expect(result.counts.spotPreemptions > 10)
        #expect(records.allSatisfy { $0.outcome == .completed })
        #expect(result.counts.coldStarts >= result.counts.spotPreemptions - 6)  // replacements started
    }

    @Test func aCircuitBreakerFailsFastWhileThePoolKeepsFailing() {
        // Frequent replica failures with in-flight requests failing; no client retries.
        let failures = FaultSpec(replicaFailures: .init(timeToFailure: .exponential(mean: 60), timeToRepair: .fixed(120)),
                                 inFlight: .fail)
        var guarded = scenario(rate: 3, duration: 1800, replicas: 2, faults: failures)
        guarded.pools[0].circuitBreaker = CircuitBreaker(failureThreshold: 1, openDuration: 20)
        let without = simulate(scenario(rate: 3, duration: 1800, replicas: 2, faults: failures))
        let with = simulate(guarded)
        #expect(without.records.filter { $0.outcome == .rejected }.isEmpty)
        let fastFails = with.records.filter { $0.outcome == .rejected }
        #expect(fastFails.count > 10)
        #expect(fastFails.allSatisfy { $0.e2e == 0 })       // rejected at once, not after waiting
        #expect(with.records.filter { $0.outcome == .completed }.count > 1000)  // it closes again
        #expect(conserved(with.result, with.records))
    }

    @Test func aHalfOpenBreakersProbeIsNotSpentOnAnAttemptRejectedForAnotherReason() {
        // A tenant rate limit of 1 req/s under 3 req/s: most attempts are rate-limited, also the first
        // ones after the breaker's open period, when nothing is in flight. Such an attempt must not take
        // the half-open breaker's single probe: a probe that never reaches the pool never reports back,
        // and the breaker would stay half-open (every later attempt failed fast) for the rest of the run.
        let failures = FaultSpec(replicaFailures: .init(timeToFailure: .exponential(mean: 60), timeToRepair: .fixed(120)),
                                 inFlight: .fail)
        let limit = Admission(tenants: [.init(tenant: "acme", rate: 1, burst: 1)])
        var s = scenario(rate: 3, duration: 1800, replicas: 2, faults: failures, admission: limit)
        s.pools[0].circuitBreaker = CircuitBreaker(failureThreshold: 1, openDuration: 20)
        let run = simulate(s)
        #expect(conserved(run.result, run.records))
        #expect(run.result.counts.replicaFailures > 10)
        // The breaker keeps closing again: requests complete in every 300 s stretch of the run.
        for start in stride(from: 0.0, to: 1800, by: 300) {
            #expect(run.records.contains { $0.outcome == .completed && $0.arrival >= start && $0.arrival < start + 300 },
                    "no completion in [\(start), \(start + 300))")
        }
    }

    @Test func anOutageShowsInTheTimeSeriesAndRecovers() {
        let client = ClientSpec(timeout: 30, retry: RetryPolicy(maxAttempts: 4, baseBackoff: 2, maxBackoff: 20))
        let outage = FaultSpec(outages: [FaultSpec.Outage(at: 600, duration: 300, pools: ["p"])])
        let (records, result) = run(scenario(rate: 2, duration: 1800, client: client, faults: outage))
        // Rows sample the pools at their end: those ending inside the outage see it.
        let during = result.timeSeries.filter { $0.end > 600 && $0.end < 900 }
        #expect(!during.isEmpty && during.allSatisfy { $0.pools[0].failed == 4 && $0.pools[0].ready == 0 })
        #expect(result.timeSeries.last!.pools[0].ready == 4)
        #expect(result.counts.retries > 0)
        #expect(records.contains { $0.outcome == .timedOut })
        // Once timeouts start (30 s into the outage), retries more than double the offered load: a retry
        // storm, which keeps the recovered pool saturated with requests that time out in its queue.
        #expect(result.timeSeries.filter { $0.end > 720 && $0.end <= 1200 }.allSatisfy { $0.arrivals > 2 * 60 * 2 })
        #expect(records.filter { $0.arrival < 500 }.allSatisfy { $0.outcome == .completed })
        #expect(conserved(result, records))
    }
}
