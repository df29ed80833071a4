import Foundation
import Testing
import ServeSim

/// Parses JSON5 `text` at path `x` with `body`; returns its result and the diagnostics.
private func read<T>(_ text: String, _ body: (FieldNode) -> T) -> (T, [Diagnostic]) {
    let sink = DiagnosticSink(file: "e.json5")
    let result = body(FieldNode(value: try! JSONValue.parse(Data(text.utf8)), path: "x", sink: sink))
    return (result, sink.diagnostics)
}

private func mean(_ n: Int, _ draw: () -> Double) -> Double { (0..<n).reduce(0) { s, _ in s + draw() } / Double(n) }

@Suite struct ControlPlaneDurationDistributionTests {
    @Test func meansMatchClosedForms() throws {
        #expect(DurationDistribution.fixed(7).mean == 7)
        #expect(DurationDistribution.uniform(min: 10, max: 20).mean == 15)
        #expect(abs(DurationDistribution.weibull(scale: 10, shape: 2).mean - 8.862269) < 1e-5)  // 10 * Gamma(1.5)
        let ln = try DurationDistribution.lognormal(mean: 60, p95: 120)
        #expect(abs(ln.mean - 60) < 1e-9)
        guard case .lognormal(let mu, let sigma) = ln else { Issue.record("not lognormal"); return }
        #expect(abs(exp(mu + LognormalFit.z95 * sigma) - 120) < 1e-9)
    }

    @Test func sampleMeansConverge() throws {
        let rng = RandomStream(seed: 3, name: "d")
        for dist in [DurationDistribution.exponential(mean: 30), .weibull(scale: 10, shape: 2),
                     .uniform(min: 10, max: 20), try .lognormal(mean: 60, p95: 120)] {
            let m = mean(40_000) { dist.sample(rng) }
            #expect(abs(m - dist.mean) / dist.mean < 0.02, "\(dist): \(m)")
        }
        for _ in 0..<1000 { let u = DurationDistribution.uniform(min: 10, max: 20).sample(rng); #expect(u >= 10 && u < 20) }
    }

    @Test func fixedDrawsNothingAndStreamsRepeat() {
        let a = RandomStream(seed: 9, name: "d"), b = RandomStream(seed: 9, name: "d")
        #expect(DurationDistribution.fixed(5).sample(a) == 5)
        #expect(DurationDistribution.exponential(mean: 1).sample(a) == DurationDistribution.exponential(mean: 1).sample(b))
    }

    @Test func parsesPlainDurationsAndObjects() throws {
        #expect(read("\"30s\"") { DurationDistribution.parse($0) }.0 == .fixed(30))
        #expect(read("45") { DurationDistribution.parse($0) }.0 == .fixed(45))
        let (ln, d1) = read("{ distribution: \"lognormal\", mean: \"60s\", p95: \"2m\" }") { DurationDistribution.parse($0) }
        #expect(d1.isEmpty)
        #expect(ln == (try DurationDistribution.lognormal(mean: 60, p95: 120)))
        #expect(read("{ distribution: \"lognormal\", mu: 1, sigma: 0.5 }") { DurationDistribution.parse($0) }.0
                == .lognormal(mu: 1, sigma: 0.5))
        #expect(read("{ distribution: \"weibull\", scale: \"1h\", shape: 0.8 }") { DurationDistribution.parse($0) }.0
                == .weibull(scale: 3600, shape: 0.8))
        #expect(read("{ distribution: \"uniform\", min: 5, max: \"10s\" }") { DurationDistribution.parse($0) }.0
                == .uniform(min: 5, max: 10))
        #expect(read("{ distribution: \"fixed\", value: \"250ms\" }") { DurationDistribution.parse($0) }.0 == .fixed(0.25))
    }

    @Test func reportsBadDistributionsAtTheirPaths() {
        let cases: [(String, String)] = [
            ("{ distribution: \"lognormal\", mean: 60, p95: 1000 }", "x.p95"),
            ("{ distribution: \"uniform\", min: 10, max: 5 }", "x.max"),
            ("{ distribution: \"exponential\", mean: 5, colour: 1 }", "x.colour"),
            ("{ distribution: \"exponential\", mean: 0 }", "x.mean"),
            ("{ distribution: \"gamma\", mean: 5 }", "x.distribution"),
            ("{ distribution: \"weibull\", scale: 5 }", "x.shape"),
            ("\"soon\"", "x"),
        ]
        for (text, path) in cases {
            let (dist, diagnostics) = read(text) { DurationDistribution.parse($0) }
            #expect(diagnostics.contains { $0.path == path }, "\(text): \(diagnostics)")
            if path != "x.colour" { #expect(dist == nil) }
        }
    }
}

@Suite struct ControlPlaneColdStartTests {
    @Test func phasesAddUpInOrder() {
        let spec = ColdStartSpec(provision: .fixed(10), imagePull: .fixed(20), engineStart: .fixed(5), weightLoadBandwidth: 2e9)
        let (total, phases) = spec.sample(RandomStream(seed: 1, name: "c"), modelBytes: 14e9)
        #expect(total == 42)   // 10 + 20 + 14e9 / 2e9 + 5
        #expect(phases.map(\.0) == ColdStartSpec.phaseNames)
        #expect(phases.map(\.1) == [10, 20, 7, 5])
    }

    @Test func defaultsLandInDesignRanges() {
        let spec = ColdStartSpec()
        #expect(abs(spec.meanTotal(modelBytes: 14e9) - 77) < 1e-6)    // 7B in BF16: 30-120 s
        #expect(abs(spec.meanTotal(modelBytes: 140e9) - 140) < 1e-6)  // 70B: 2-8 minutes
        let rng = RandomStream(seed: 2, name: "c")
        let m = mean(20_000) { spec.sample(rng, modelBytes: 14e9).total }
        #expect(abs(m - 77) < 1.5)
    }

    @Test func parsesColdStartAndWarmPool() {
        let (c, d) = read("{ imagePull: \"10s\", weightLoadBandwidth: 1e9 }") { ControlPlaneParser.coldStart($0) }
        #expect(d.isEmpty)
        #expect(c == ColdStartSpec(imagePull: .fixed(10), weightLoadBandwidth: 1e9))
        #expect(read("{}") { ControlPlaneParser.coldStart($0) }.0 == ColdStartSpec())
        let (bad, bd) = read("{ engineStart: -1, weightLoadBandwidth: 0, pull: 1 }") { ControlPlaneParser.coldStart($0) }
        #expect(bad == nil)
        #expect(Set(bd.map(\.path)) == ["x.engineStart", "x.weightLoadBandwidth", "x.pull"])

        let (w, wd) = read("{ size: 2, idleCostFraction: \"25%\" }") { ControlPlaneParser.warmPool($0) }
        #expect(wd.isEmpty)
        #expect(w == WarmPoolSpec(size: 2, startTime: WarmPoolSpec.defaultStartTime, idleCostFraction: 0.25))
        #expect(read("{ size: 0, idleCostFraction: 0, startTime: 3 }") { ControlPlaneParser.warmPool($0) }.0
                == WarmPoolSpec(size: 0, startTime: .fixed(3), idleCostFraction: 0))
        let (wb, wbd) = read("{ size: -1, idleCostFraction: 1.5 }") { ControlPlaneParser.warmPool($0) }
        #expect(wb == nil)
        #expect(Set(wbd.map(\.path)) == ["x.size", "x.idleCostFraction"])
    }
}

@Suite struct ControlPlaneAutoscalerTests {
    func spec(min: Int = 1, max: Int = 100, tolerance: Double = 0.1, stabilization: Double = 300,
              predictive: AutoscalerSpec.Predictive? = nil) -> AutoscalerSpec {
        AutoscalerSpec(minReplicas: min, maxReplicas: max, target: 10, tolerance: tolerance,
                       scaleDownStabilization: stabilization, predictive: predictive)
    }

    func decide(_ s: AutoscalerSpec, _ state: inout AutoscalerState, now: Double = 0, current: Int, metric: Double,
                panic: Double? = nil, idleSince: Double? = nil, forecast: Double? = nil) -> Int {
        Autoscaler.decide(spec: s, now: now, current: current, metric: metric, panicMetric: panic ?? metric,
                          idleSince: idleSince, forecastRate: forecast, state: &state)
    }

    @Test func hpaFormulaWithTolerance() {
        let s = spec(stabilization: 0)
        var st = AutoscalerState()
        #expect(decide(s, &st, current: 4, metric: 10.5) == 4)   // ratio 1.05: within 0.1
        #expect(decide(s, &st, current: 4, metric: 9.5) == 4)
        #expect(decide(s, &st, current: 4, metric: 11.5) == 5)   // ceil(4.6)
        #expect(decide(s, &st, current: 4, metric: 5) == 2)      // ceil(2.0)
        #expect(decide(s, &st, current: 6, metric: 7) == 5)      // ceil(4.2)
        // 10 * (11 / 10) is 11.000000000000002 in floating point: still 11 replicas, not 12.
        #expect(decide(spec(tolerance: 0.05, stabilization: 0), &st, current: 10, metric: 11) == 11)
    }

    @Test func scaleUpIsLimitedPerPeriod() {
        var st = AutoscalerState()
        #expect(decide(spec(), &st, current: 2, metric: 100) == 6)    // wants 20; max(2 x 2, 2 + 4) = 6
        #expect(decide(spec(), &st, current: 10, metric: 100) == 20)  // wants 100; max(20, 14) = 20
        #expect(decide(spec(max: 15), &st, current: 10, metric: 100) == 15)
        #expect(decide(spec(), &st, current: 3, metric: 15) == 5)     // wants ceil(4.5) = 5, within the limit
    }

    @Test func scaleDownWaitsForTheStabilizationWindow() {
        let s = spec()
        var st = AutoscalerState()
        #expect(decide(s, &st, now: 0, current: 10, metric: 10) == 10)
        #expect(decide(s, &st, now: 15, current: 10, metric: 5) == 10)   // window still holds 10
        #expect(decide(s, &st, now: 299, current: 10, metric: 5) == 10)
        #expect(decide(s, &st, now: 300, current: 10, metric: 7) == 7)   // t = 0 has left; max(5, 5, 7)
        #expect(decide(s, &st, now: 310, current: 7, metric: 2) == 7)    // 7 recorded at t = 300 (ceil(1.4) = 2 now)
        #expect(decide(s, &st, now: 600, current: 7, metric: 2) == 2)
    }

    @Test func panicModeScalesOnTheShortWindowAndHolds() {
        let s = spec(stabilization: 0)
        var st = AutoscalerState()
        #expect(decide(s, &st, now: 0, current: 4, metric: 10, panic: 19.9) == 4)  // below 2 x target
        #expect(!st.inPanic(at: 0, spec: s))
        #expect(decide(s, &st, now: 0, current: 4, metric: 10, panic: 25) == 8)    // wants ceil(10); limit 8
        #expect(st.inPanic(at: 0, spec: s))
        #expect(decide(s, &st, now: 30, current: 8, metric: 2, panic: 2) == 8)     // no scale-down in panic
        #expect(decide(s, &st, now: 59.9, current: 8, metric: 2, panic: 2) == 8)
        #expect(decide(s, &st, now: 60, current: 8, metric: 2, panic: 2) == 2)     // ceil(1.6) after stableWindow
    }

    @Test func predictiveFloorFromTheForecast() {
        let p = AutoscalerSpec.Predictive(leadTime: 120, mode: .schedule, perReplicaRate: 10)
        let s = spec(stabilization: 0, predictive: p)
        var st = AutoscalerState()
        #expect(decide(s, &st, current: 2, metric: 0, forecast: 45) == 5)   // ceil(4.5); limit 6
        #expect(decide(s, &st, current: 2, metric: 0) == 1)
        #expect(decide(s, &st, current: 0, metric: 0, forecast: 45) == 5)   // wakes a pool at zero
        #expect(decide(s, &st, current: 0, metric: 0, forecast: 2000) == 100)
        #expect(decide(spec(min: 2), &st, current: 0, metric: 0, forecast: 45) == 2)  // no predictive block
        #expect(decide(spec(min: 0), &st, current: 0, metric: 0) == 0)
    }

    @Test func scaleToZeroOnlyAfterTheGraceAndOnlyWithMinZero() {
        let p = AutoscalerSpec.Predictive(perReplicaRate: 10)
        var st = AutoscalerState()
        #expect(decide(spec(min: 0), &st, now: 399, current: 1, metric: 0, idleSince: 100) == 1)
        #expect(decide(spec(min: 0), &st, now: 400, current: 1, metric: 0, idleSince: 100) == 0)
        var busy = AutoscalerState()
        #expect(decide(spec(min: 0), &busy, now: 200, current: 3, metric: 10) == 3)
        #expect(decide(spec(min: 0), &busy, now: 400, current: 3, metric: 0) == 3)   // not idle: stabilization holds
        #expect(decide(spec(min: 0), &busy, now: 500, current: 3, metric: 0) == 1)   // never below 1 unless idle
        #expect(decide(spec(min: 1, stabilization: 0), &st, now: 400, current: 1, metric: 0, idleSince: 0) == 1)
        #expect(decide(spec(min: 0, predictive: p), &st, now: 400, current: 1, metric: 0, idleSince: 0, forecast: 5) == 1)
    }

    @Test func minReplicasWinsOverTheRateLimit() {
        var st = AutoscalerState()
        #expect(decide(spec(min: 10, max: 20), &st, current: 1, metric: 10) == 10)
        #expect(decide(spec(min: 1, max: 3, stabilization: 0), &st, current: 5, metric: 10) == 3)
    }

    @Test func parsesDefaultsAndEveryKey() {
        let (d, dd) = read("{ maxReplicas: 8, target: 4 }") { ControlPlaneParser.autoscaler($0) }
        #expect(dd.isEmpty)
        #expect(d == AutoscalerSpec(maxReplicas: 8, target: 4))
        #expect(d?.syncPeriod == 15 && d?.tolerance == 0.1 && d?.scaleUpFactor == 2 && d?.scaleUpPods == 4)
        #expect(d?.scaleDownStabilization == 300 && d?.scaleToZeroGrace == 300 && d?.panicWindow == 6)
        #expect(d?.panicThreshold == 2 && d?.stableWindow == 60 && d?.minReplicas == 1 && d?.metric == .concurrency)
        let text = """
        { minReplicas: 0, maxReplicas: 12, metric: "kvUtilization", target: 0.8, syncPeriod: "30s", tolerance: 0.05,
          scaleUp: { factor: 1.5, pods: 2 }, scaleDownStabilization: "2m", scaleToZeroGrace: "10m",
          panicWindow: "10s", panicThreshold: 3, stableWindow: "2m",
          predictive: { leadTime: "5m", mode: "schedule", perReplicaRate: 2.5 } }
        """
        let (a, ad) = read(text) { ControlPlaneParser.autoscaler($0) }
        #expect(ad.isEmpty)
        #expect(a == AutoscalerSpec(minReplicas: 0, maxReplicas: 12, metric: .kvUtilization, target: 0.8, syncPeriod: 30,
                                    tolerance: 0.05, scaleUpFactor: 1.5, scaleUpPods: 2, scaleDownStabilization: 120,
                                    scaleToZeroGrace: 600, panicWindow: 10, panicThreshold: 3, stableWindow: 120,
                                    predictive: .init(leadTime: 300, mode: .schedule, perReplicaRate: 2.5)))
    }

    @Test func reportsBadAutoscalerFields() {
        let (a, d) = read("""
        { minReplicas: 5, maxReplicas: 2, target: 0, metric: "cpu", scaleToZeroGrace: "1m", bogus: 1,
          scaleUp: { factor: 0.5 }, stableWindow: "3s", predictive: { mode: "guess" } }
        """) { ControlPlaneParser.autoscaler($0) }
        #expect(a == nil)
        #expect(Set(d.map(\.path)) == ["x.minReplicas", "x.target", "x.metric", "x.scaleToZeroGrace", "x.bogus",
                                       "x.scaleUp.factor", "x.stableWindow", "x.predictive.mode",
                                       "x.predictive.perReplicaRate"])
        let (k, kd) = read("{ maxReplicas: 2, metric: \"kvUtilization\", target: 1.5 }") { ControlPlaneParser.autoscaler($0) }
        #expect(k == nil)
        #expect(kd.map(\.path) == ["x.target"])
    }
}

@Suite struct ControlPlaneTokenBucketTests {
    @Test func continuousDemandGetsRateTimesTPlusBurst() {
        var bucket = TokenBucket(rate: 5, burst: 10)
        var admitted = 0
        for i in 0..<100_000 where bucket.tryTake(1, at: Double(i) * 0.001) { admitted += 1 }  // 100 s, 1000 tries/s
        #expect(abs(admitted - 510) <= 1, "\(admitted)")
    }

    @Test func startsFullCapsAtBurstAndAdmitsExactlyDueTokens() {
        var b = TokenBucket(rate: 2, burst: 3)
        do { let ok = b.tryTake(3, at: 0); #expect(ok) }
        do { let ok = b.tryTake(1, at: 0.4); #expect(!ok) }   // 0.8 tokens
        do { let ok = b.tryTake(1, at: 0.5); #expect(ok) }    // exactly 1 due
        do { let ok = b.tryTake(3, at: 1000); #expect(ok) }   // refill capped at burst 3
        do { let ok = b.tryTake(0.5, at: 1000); #expect(!ok) }
        do { let ok = b.tryTake(4, at: 5000); #expect(!ok) }  // more than the burst never fits
    }

    @Test func parsesRateAndBurst() {
        func limits(_ tenants: String) -> ([Admission.TenantLimit], [String]) {
            let (s, errors) = parseScenario("""
                { version: 1, name: "t", duration: 10, admission: { tenants: [\(tenants)] },
                  workload: { classes: [{ name: "c", arrivals: { process: "poisson", rate: 1 },
                    promptTokens: { distribution: "fixed", value: 10 }, outputTokens: { distribution: "fixed", value: 10 } }] },
                  pools: [{ name: "p", replicas: 1, pricePerGpuHour: 1,
                            performance: { model: "service", distribution: "exponential", mean: 1 } }] }
                """)
            return (s?.admission.tenants ?? [], errors)
        }
        // The burst defaults to max(1, rate).
        #expect(limits("{ tenant: \"default\", rate: 5 }").0 == [.init(tenant: "default", rate: 5, burst: 5)])
        #expect(limits("{ tenant: \"default\", rate: 0.5 }").0 == [.init(tenant: "default", rate: 0.5, burst: 1)])
        #expect(limits("{ tenant: \"default\", rate: 2, burst: 20 }").0 == [.init(tenant: "default", rate: 2, burst: 20)])
        let (bad, errors) = limits("{ tenant: \"default\", rate: 0, burst: -1, size: 1 }")
        #expect(bad.isEmpty)
        #expect(Set(errors.map { $0.components(separatedBy: ": ")[1] })
                == ["admission.tenants.0.rate", "admission.tenants.0.burst", "admission.tenants.0.size"], "\(errors)")
    }
}

@Suite struct ControlPlaneRetryAndBreakerTests {
    @Test func exponentialCapsWithoutJitter() {
        let p = RetryPolicy(jitter: .none)
        let rng = RandomStream(seed: 1, name: "r")
        #expect((1...7).map { p.backoff(attempt: $0, rng: rng) } == [1, 2, 4, 8, 16, 30, 30])
        #expect(p.cap(attempt: 1000) == 30)
    }

    @Test func fullAndEqualJitterRanges() {
        let rng = RandomStream(seed: 4, name: "r")
        let full = RetryPolicy(jitter: .full), equal = RetryPolicy(jitter: .equal)
        for _ in 0..<2000 {
            let f = full.backoff(attempt: 3, rng: rng), e = equal.backoff(attempt: 3, rng: rng)
            #expect(f >= 0 && f < 4)
            #expect(e >= 2 && e < 4)
        }
        #expect(abs(mean(40_000) { full.backoff(attempt: 3, rng: rng) } - 2) < 0.04)
        #expect(abs(mean(40_000) { equal.backoff(attempt: 3, rng: rng) } - 3) < 0.02)
    }

    @Test func parsesClientSpecs() {
        let (c, d) = read("{ timeout: \"60s\", retry: { maxAttempts: 5, jitter: \"equal\", baseBackoff: \"500ms\" } }") {
            ControlPlaneParser.client($0)
        }
        #expect(d.isEmpty)
        #expect(c == ClientSpec(timeout: 60, retry: RetryPolicy(maxAttempts: 5, baseBackoff: 0.5, jitter: .equal)))
        #expect(read("{}") { ControlPlaneParser.client($0) }.0 == ClientSpec())
        #expect(read("{ retry: {} }") { ControlPlaneParser.client($0) }.0 == ClientSpec(retry: RetryPolicy()))
        let (b, bd) = read("{ timeout: 0, retry: { baseBackoff: \"10s\", maxBackoff: \"5s\", jitter: \"some\" } }") {
            ControlPlaneParser.client($0)
        }
        #expect(b == nil)
        #expect(Set(bd.map(\.path)) == ["x.timeout", "x.retry.jitter"])
        let (b2, bd2) = read("{ retry: { baseBackoff: \"10s\", maxBackoff: \"5s\", maxAttempts: 0 } }") { ControlPlaneParser.client($0) }
        #expect(b2 == nil)
        #expect(Set(bd2.map(\.path)) == ["x.retry.maxAttempts"])
        let (_, bd3) = read("{ retry: { baseBackoff: \"10s\", maxBackoff: \"5s\" } }") { ControlPlaneParser.client($0) }
        #expect(bd3.map(\.path) == ["x.retry.maxBackoff"])
    }

    @Test func breakerOpensProbesAndCloses() {
        var b = CircuitBreaker()
        for t in 0..<4 { let ok = b.allow(at: Double(t)); #expect(ok); b.record(success: false, at: Double(t)) }
        b.record(success: true, at: 4)                 // resets the run of failures
        for t in 5..<9 { b.record(success: false, at: Double(t)) }
        #expect(b.state == .closed)                     // 4 in a row
        b.record(success: false, at: 10)               // 5th in a row
        #expect(b.state == .open(since: 10))
        do { let ok = b.allow(at: 39.9); #expect(!ok) }
        b.record(success: true, at: 20)                // a late result while open changes nothing
        #expect(b.state == .open(since: 10))
        do { let ok = b.allow(at: 40); #expect(ok) }                        // the probe
        do { let ok = b.allow(at: 40.1); #expect(!ok) }                     // only one probe
        b.record(success: false, at: 41)
        #expect(b.state == .open(since: 41))
        do { let ok = b.allow(at: 70.9); #expect(!ok) }
        do { let ok = b.allow(at: 71); #expect(ok) }
        b.record(success: true, at: 72)
        #expect(b.state == .closed)
        do { let ok = b.allow(at: 72) && b.allow(at: 72); #expect(ok) }
    }
}

@Suite struct ControlPlaneFaultTests {
    @Test func spotRateToMeanTime() {
        #expect(FaultSpec.SpotPreemption(ratePerReplicaHour: 0.5).meanTimeBetween == 7200)
        #expect(FaultSpec.SpotPreemption(ratePerReplicaHour: 0.5).notice == 120)
    }

    @Test func parsesAFullFaultSpec() {
        let text = """
        { replicaFailures: { mtbf: "100h", mttr: { distribution: "lognormal", mean: "10m", p95: "30m" } },
          spotPreemption: { rate: 0.05, notice: "30s" },
          outages: [ { at: "30m", duration: "5m", pools: ["a"] }, { at: 0, duration: 1 } ],
          inFlight: "retry" }
        """
        let (f, d) = read(text) { ControlPlaneParser.faults($0, knownPools: ["a", "b"]) }
        #expect(d.isEmpty)
        #expect(f == FaultSpec(
            replicaFailures: .init(timeToFailure: .exponential(mean: 360_000),
                                   timeToRepair: try! .lognormal(mean: 600, p95: 1800)),
            spotPreemption: .init(ratePerReplicaHour: 0.05, notice: 30),
            outages: [.init(at: 1800, duration: 300, pools: ["a"]), .init(at: 0, duration: 1)],
            inFlight: .retry))
        #expect(read("{}") { ControlPlaneParser.faults($0) }.0 == FaultSpec())
        #expect(FaultSpec().inFlight == .fail)
        let (w, _) = read("{ replicaFailures: { mtbf: { distribution: \"weibull\", scale: \"1000h\", shape: 0.7 }, mttr: 60 } }") {
            ControlPlaneParser.faults($0)
        }
        #expect(w?.replicaFailures == .init(timeToFailure: .weibull(scale: 3_600_000, shape: 0.7), timeToRepair: .fixed(60)))
    }

    @Test func reportsBadFaults() {
        let text = """
        { replicaFailures: { mtbf: { distribution: "lognormal", mean: 5, p95: 9 } },
          spotPreemption: { rate: -1 }, outages: [ { at: 5, duration: 0, pools: ["zzz"] } ], inFlight: "drop" }
        """
        let (f, d) = read(text) { ControlPlaneParser.faults($0, knownPools: ["a"]) }
        #expect(f == nil)
        #expect(Set(d.map(\.path)) == ["x.replicaFailures.mtbf.distribution", "x.replicaFailures.mttr",
                                       "x.spotPreemption.rate", "x.outages.0.duration", "x.outages.0.pools.0",
                                       "x.inFlight"])
    }
}
