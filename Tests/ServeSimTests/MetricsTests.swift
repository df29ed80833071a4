import Foundation
import Testing
import ServeSim

/// Exact nearest-rank percentile of sorted samples.
func exactPercentile(_ sorted: [Double], _ p: Double) -> Double {
    sorted[LogHistogram.nearestRank(p, count: sorted.count) - 1]
}

@Suite struct LogHistogramTests {
    @Test func percentilesWithinHalfPercentOnLognormalSamples() {
        let rng = RandomStream(seed: 42, name: "metrics/histogram")
        var h = LogHistogram()
        var samples: [Double] = []
        samples.reserveCapacity(100_000)
        for _ in 0..<100_000 {
            let x = rng.lognormal(mu: -1, sigma: 1.2)
            samples.append(x)
            h.add(x)
        }
        samples.sort()
        #expect(h.count == samples.count)
        #expect(h.min == samples.first!)
        #expect(h.max == samples.last!)
        let exactMean = samples.reduce(0, +) / Double(samples.count)
        #expect(abs(h.mean - exactMean) <= 1e-9 * exactMean)
        for p in [0.0, 0.001, 0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 0.999, 0.9999, 1.0] {
            let exact = exactPercentile(samples, p)
            let got = h.percentile(p)
            #expect(abs(got - exact) <= 0.005 * exact, "p\(p): got \(got), exact \(exact)")
        }
    }

    @Test func errorBoundHoldsAtBucketEdgesAcrossTheRange() {
        // Single values anywhere in the range: p50 of {x, x * 1e-3 ..} must stay within 0.5%.
        var x = 1.0e-6
        while x < 1e7 {
            var h = LogHistogram()
            h.add(x * 0.5); h.add(x); h.add(x * 2)
            let got = h.percentile(0.5)
            #expect(abs(got - x) <= 0.005 * x, "x \(x): got \(got)")
            x *= 1.0037
        }
    }

    @Test func zerosUnderflowAndEmpty() {
        var h = LogHistogram()
        #expect(h.percentile(0.5).isNaN)
        #expect(h.mean.isNaN)
        for v in [0.0, 0, 0, 1, 2, -3, .nan] { h.add(v) }
        #expect(h.count == 6)           // NaN ignored
        #expect(h.zeroCount == 4)       // negative counts as zero
        #expect(h.min == 0 && h.max == 2)
        #expect(h.sum == 3)
        #expect(h.percentile(0) == 0)
        #expect(h.percentile(0.5) == 0)
        #expect(h.percentile(0.66) == 0)    // rank 4
        #expect(abs(h.percentile(0.8) - 1) <= 0.005)  // rank 5
        #expect(h.percentile(1) == 2)

        var tiny = LogHistogram()
        tiny.add(1e-9); tiny.add(5e-9); tiny.add(1e8)
        #expect(tiny.underflowCount == 2 && tiny.overflowCount == 1)
        #expect(tiny.percentile(0.5) == 1e-9)  // underflow reports the observed minimum
        #expect(tiny.percentile(1) == 1e8)
    }

    @Test func nearestRankDefinition() {
        #expect(LogHistogram.nearestRank(0.07, count: 100) == 7)
        #expect(LogHistogram.nearestRank(0.95, count: 100) == 95)
        #expect(LogHistogram.nearestRank(0.951, count: 100) == 96)
        #expect(LogHistogram.nearestRank(0.5, count: 1) == 1)
        #expect(LogHistogram.nearestRank(0, count: 10) == 1)
        #expect(LogHistogram.nearestRank(1, count: 10) == 10)
    }

    @Test func mergeEqualsAddingEverything() {
        let rng = RandomStream(seed: 1, name: "metrics/merge")
        var a = LogHistogram(), b = LogHistogram(), all = LogHistogram()
        for i in 0..<2000 {
            let x = rng.exponential(mean: 0.3)
            if i % 3 == 0 { a.add(x) } else { b.add(x) }
            all.add(x)
        }
        a.merge(b)
        #expect(a.count == all.count)
        #expect(a.percentile(0.9) == all.percentile(0.9))
        #expect(a.min == all.min && a.max == all.max)
    }
}

@Suite struct ErrorBudgetTests {
    @Test func complianceBurnAndBudget() {
        #expect(ErrorBudget.compliance(good: 0, total: 0) == 1)
        #expect(ErrorBudget.compliance(good: 990, total: 1000) == 0.99)
        // 1% errors against a 99.9% objective burns 10x.
        let burn = ErrorBudget.burnRate(compliance: 0.99, objective: 0.999)
        #expect(abs(burn - 10) < 1e-9)
        // 1 h at 10x of a 30-day window uses 10 / 720 of the budget.
        let used = ErrorBudget.budgetConsumed(burnRate: burn, span: 3600, window: 30 * 86400)
        #expect(abs(used - 10.0 / 720) < 1e-12)
        #expect(ErrorBudget.projectedBudgetConsumed(burnRate: 0.3) == 0.3)
        #expect(ErrorBudget.burnRate(compliance: 1, objective: 0.95) == 0)
        #expect(abs(ErrorBudget.burnRate(compliance: 0.9, objective: 0.95) - 2) < 1e-9)
    }

    @Test func metAndPolicy() {
        #expect(ErrorBudget.met(compliance: 95.0 / 100, objective: 0.95))
        #expect(ErrorBudget.met(compliance: 0.9999, objective: 0.999))
        #expect(!ErrorBudget.met(compliance: 0.949, objective: 0.95))
        #expect(ErrorBudget.policy(consumed: 0) == .ok)
        #expect(ErrorBudget.policy(consumed: 0.25) == .ok)
        #expect(ErrorBudget.policy(consumed: 0.26) == .freeze)
        #expect(ErrorBudget.policy(consumed: 0.5) == .freeze)
        #expect(ErrorBudget.policy(consumed: 0.51) == .rollback)
    }
}

func completed(_ cls: Int, at t: Double, ttft: Double = 0.1, e2e: Double = 0.5, outputTokens: Int = 10) -> RequestRecord {
    RequestRecord(classIndex: cls, outcome: .completed, arrival: t, end: t + e2e, queueWait: 0.01, ttft: ttft,
                  tpot: outputTokens > 1 ? (e2e - ttft) / Double(outputTokens - 1) : 0, e2e: e2e,
                  promptTokens: 100, outputTokens: outputTokens)
}

func rejected(_ cls: Int, at t: Double) -> RequestRecord {
    RequestRecord(classIndex: cls, outcome: .rejected, arrival: t, end: t, queueWait: 0, ttft: 0, tpot: 0, e2e: 0,
                  promptTokens: 100, outputTokens: 0)
}

@Suite struct BurnRateAlertTests {
    let availability = SLOSpec(name: "avail", sli: .availability, threshold: 0, objective: 0.99, window: 30 * 86400)

    /// One request per second for 3 h: good for the first hour, then all rejected.
    @Test func allBadAfterAnHourFiresAtTheExpectedTimes() {
        let m = MetricsCollector(classes: [MetricsClass(name: "chat", tenant: "acme")], slos: [availability], warmup: 0)
        for s in 0..<10800 {
            let t = Double(s)
            m.record(s < 3600 ? completed(0, at: t) : rejected(0, at: t))
        }
        let alerts = m.alerts(sloIndex: 0)
        let first = Dictionary(uniqueKeysWithValues: alerts.map { ($0.name, $0.firstFiredAt) })
        // 14.4x over 1 h needs > 14.4% bad in the trailing hour: 9 bad minutes, at 3600 + 540.
        #expect(first["page-1h-5m"] == 4140)
        // Long windows are clipped to the span so far: bad / T > 6% first at T = 3840.
        #expect(first["page-6h-30m"] == 3840)
        // A rule is judged once its short window is covered: 2 h for the 1-day ticket (by then half
        // the requests are bad), and never for the 3-day ticket (6 h short window, 3 h run).
        #expect(first["ticket-1d-2h"] == 7200)
        #expect(first["ticket-3d-6h"] == .some(nil))
        let page = alerts.first { $0.name == "page-1h-5m" }!
        #expect(page.fired)
        #expect(page.firingEvaluations == 180 - 68)  // boundaries 4140 ... 10800
        #expect(page.firingSeconds == Double(page.firingEvaluations) * 60)
        #expect(page.severity == "page" && page.burnRate == 14.4)
    }

    @Test func allGoodFiresNothing() {
        let m = MetricsCollector(classes: [MetricsClass(name: "chat", tenant: "acme")], slos: [availability], warmup: 0)
        for s in 0..<7200 { m.record(completed(0, at: Double(s))) }
        let alerts = m.alerts(sloIndex: 0)
        #expect(alerts.count == 4)
        #expect(alerts.allSatisfy { !$0.fired && $0.firstFiredAt == nil && $0.firingEvaluations == 0 })
    }

    @Test func emptyBucketsHaveNoBurn() {
        let results = BurnRateAlerts.evaluate(good: [0, 0, 0], bad: [0, 0, 0], bucket: 60, origin: 0, objective: 0.9)
        #expect(results.allSatisfy { !$0.fired })
        // All bad from the start: each rule fires as soon as its short window is covered, not on
        // the first bucket's data.
        let allBad = BurnRateAlerts.evaluate(good: [], bad: Array(repeating: 1, count: 400), bucket: 60, origin: 100,
                                             objective: 0.99)
        #expect(allBad.map(\.firstFiredAt) == [400, 1900, 7300, 21700])
    }
}

@Suite struct MetricsCollectorTests {
    let classes = [MetricsClass(name: "chat", tenant: "acme"), MetricsClass(name: "batch", tenant: "globex")]

    @Test func warmupRequestsAreExcludedEntirely() {
        let slo = SLOSpec(name: "ttft", sli: .ttft, threshold: 1, objective: 0.9, window: 86400)
        let m = MetricsCollector(classes: classes, slos: [slo], warmup: 100)
        m.record(completed(0, at: 50, ttft: 5))
        m.record(rejected(1, at: 99.999))
        m.record(completed(0, at: 100, ttft: 0.2))
        #expect(m.warmupExcluded == 2)
        #expect(m.overall.finished == 1)
        #expect(m.perClass[1].finished == 0)
        #expect(m.overall.latency.ttft.count == 1)
        #expect(m.overall.latency.ttft.max == 0.2)
        #expect(m.slos[0].good == 1 && m.slos[0].total == 1)
        #expect(m.slos[0].goodBuckets == [1])  // bucket origin is the warmup
    }

    @Test func sliRulesAndClassFilter() {
        let ttft = SLOSpec(name: "ttft", sli: .ttft, threshold: 1, objective: 0.9, window: 86400, classes: ["chat"])
        let tpot = SLOSpec(name: "tpot", sli: .tpot, threshold: 0.05, objective: 0.9, window: 86400)
        let avail = SLOSpec(name: "avail", sli: .availability, threshold: 0, objective: 0.9, window: 86400)
        let m = MetricsCollector(classes: classes, slos: [ttft, tpot, avail], warmup: 0)
        m.record(completed(0, at: 1, ttft: 0.5, e2e: 1.4, outputTokens: 10))   // tpot 0.1: bad for tpot
        m.record(completed(0, at: 2, ttft: 1.5, e2e: 1.5, outputTokens: 1))    // ttft bad; 1 token: tpot good
        m.record(rejected(0, at: 3))                                          // bad for every SLI
        m.record(completed(1, at: 4, ttft: 9, e2e: 9.1, outputTokens: 11))     // not covered by ttft SLO
        #expect(m.slos[0].good == 1 && m.slos[0].total == 3)
        #expect(m.slos[1].good == 2 && m.slos[1].total == 4)
        #expect(m.slos[2].good == 3 && m.slos[2].total == 4)
        #expect(m.overall.count(.rejected) == 1 && m.overall.completed == 3)
        #expect(m.overall.latency.tpot.count == 2)   // single-token completion has no TPOT
        #expect(m.overall.latency.ttft.count == 3)   // completed only
        #expect(m.perClass[0].promptTokens == 200 && m.perClass[0].outputTokens == 11)
        #expect(m.perClass[1].outputTokens == 11)
        #expect(abs(m.lastEnd - 13.1) < 1e-12)
    }
}
