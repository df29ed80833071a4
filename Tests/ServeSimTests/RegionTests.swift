import Foundation
import Testing
import ServeSim

/// Regions: client round trips, the geo router, failover during a region's outage, origins.
@Suite struct RegionTests {
    /// Two regions; RTT within a region `local`, across `across`. One service-time pool per region
    /// (2 replicas of 64 slots, 1 s per request) unless `pools` replaces them; the class sends from
    /// `origin` with `classKeys` added (e.g. its geo-routing `pools`).
    func text(local: String = "2ms", across: String = "80ms", origin: String = "origin: \"us\"",
              classKeys: String = "pools: [\"us-pool\", \"eu-pool\"]", faults: String = "", rate: Double = 20,
              duration: String = "300s", client: String = "") -> String {
        """
        {
          version: 1, name: "regions-test", seed: 11, duration: "\(duration)",
          regions: [
            { name: "us", rtt: { us: "\(local)", eu: "\(across)" } },
            { name: "eu", rtt: { eu: "\(local)" } },
          ],
          workload: { classes: [{
            name: "chat", arrivals: { process: "poisson", rate: \(rate) },
            promptTokens: { distribution: "fixed", value: 100 }, outputTokens: { distribution: "fixed", value: 10 },
            \(origin), \(classKeys), \(client)
          }] },
          pools: [
            { name: "us-pool", region: "us", replicas: 2, pricePerGpuHour: 2, routing: "least-outstanding",
              scheduler: { policy: "continuous", maxNumSeqs: 64 },
              performance: { model: "service", distribution: "deterministic", mean: "1s" } },
            { name: "eu-pool", region: "eu", replicas: 2, pricePerGpuHour: 3, routing: "least-outstanding",
              scheduler: { policy: "continuous", maxNumSeqs: 64 },
              performance: { model: "service", distribution: "deterministic", mean: "1s" } },
          ],
          \(faults)
        }
        """
    }

    func load(_ s: String) -> Scenario {
        let (scenario, errors) = parseScenario(s)
        #expect(errors.isEmpty, "\(errors)")
        return scenario!
    }

    /// Token-level batching on the linear test model, in region "b" with clients in "a"; RTT a-b `rtt`.
    func batching(rtt: Double?, overhead: Double = 0.005) -> Scenario {
        var s = Scenario(
            name: "rtt", seed: 23, duration: 150,
            classes: [RequestClassSpec(name: "chat", tenant: "t", arrivals: .poisson(rate: 12),
                                       promptTokens: .uniform(min: 50, max: 3000), outputTokens: .uniform(min: 1, max: 400))],
            pools: [PoolSpec(name: "p", hardware: "test", model: "test", replicas: 2, pricePerGpuHour: 2,
                             scheduler: SchedulerConfig(maxNumSeqs: 64, maxBatchedTokens: 4096),
                             performance: .steps(LinearTestModel(), kvCapacityTokens: 200_000, requestOverhead: overhead))])
        if let rtt {
            s.regions = RegionTopology(names: ["a", "b"], rtt: [[0.001, rtt], [rtt, 0.001]], poolRegion: [1],
                                       origins: [[.init(region: 0, fraction: 1)]], candidates: [[0]], failover: [true])
        }
        return s
    }

    @Test func theRoundTripAddsExactlyToTTFTAndE2EAndNotToTPOT() {
        let rtt = 0.08
        let (base, baseResult) = simulate(batching(rtt: 0))
        let (far, farResult) = simulate(batching(rtt: rtt))
        let (none, _) = simulate(batching(rtt: nil))
        // Zero RTT is exactly no regions (same requests, same numbers).
        #expect(base == none)
        #expect(base.count > 1500)
        #expect(base.allSatisfy { $0.outcome == .completed })
        let a = base.sorted { $0.arrival < $1.arrival }, b = far.sorted { $0.arrival < $1.arrival }
        #expect(a.count == b.count)
        // Same arrivals shifted by RTT/2 at the pool: the pool's schedule is the same; the client
        // sees every token a full RTT later.
        #expect(zip(a, b).allSatisfy { x, y in
            x.arrival == y.arrival && y.outcome == .completed && abs(y.ttft - x.ttft - rtt) < 1e-9
                && abs(y.e2e - x.e2e - rtt) < 1e-9 && abs(y.tpot - x.tpot) < 1e-9
                && abs(y.queueWait - x.queueWait) < 1e-9
        })
        #expect(farResult.arrived == far.count + farResult.inFlightAtEnd)
        #expect(baseResult.steps == farResult.steps)
    }

    @Test func theGeoRouterPicksTheNearestRegion() {
        // US clients listing eu-pool first still go to us-pool; EU clients to eu-pool.
        let us = load(text(origin: "origin: \"us\"", classKeys: "pools: [\"eu-pool\", \"us-pool\"]"))
        let (records, result) = simulate(us)
        #expect(records.count > 5000)
        #expect(records.allSatisfy { $0.pool == 0 && $0.outcome == .completed })
        // Service 1 s, no queueing: E2E = 1 s + the local RTT.
        #expect(records.allSatisfy { abs($0.e2e - 1.002) < 1e-9 })
        #expect(result.regions?[0].served.completed == records.count)
        #expect(result.regions?[1].served.completed == 0)
        #expect(result.regions?.allSatisfy { $0.failoversIn == 0 && $0.failoversOut == 0 } == true)

        let eu = load(text(origin: "origin: \"eu\""))
        let (euRecords, euResult) = simulate(eu)
        #expect(euRecords.allSatisfy { $0.pool == 1 })
        #expect(euResult.regions?[1].clients.requests.completed == euRecords.count)
        #expect(euResult.regions?[0].clients.requests.completed == 0)
    }

    @Test func duringAnOutageAttemptsFailOverToTheNextNearestAndComeBackAfter() {
        let outage = "faults: { outages: [{ at: \"100s\", duration: \"100s\", pools: [\"us-pool\"] }] },"
        let s = load(text(faults: outage))
        let (records, result) = simulate(s)
        let during = records.filter { $0.arrival >= 100 && $0.arrival < 200 }
        let before = records.filter { $0.arrival < 99 }, after = records.filter { $0.arrival >= 200 }
        #expect(during.count > 1500)
        // Sent during the outage: served in eu, at the cross-region RTT.
        #expect(during.allSatisfy { $0.pool == 1 && $0.outcome == .completed && abs($0.e2e - 1.08) < 1e-9 })
        #expect(before.allSatisfy { $0.pool == 0 && $0.outcome == .completed && abs($0.e2e - 1.002) < 1e-9 })
        #expect(after.allSatisfy { $0.pool == 0 && $0.outcome == .completed })
        // Requests in us-pool when the zone went down fail, as with any outage.
        let failed = records.filter { $0.outcome == .failed }
        #expect(!failed.isEmpty && failed.allSatisfy { $0.pool == 0 && $0.arrival >= 98.9 && $0.arrival < 100 })
        let regions = result.regions!
        #expect(regions[0].failoversOut == during.count && regions[1].failoversIn == during.count)
        #expect(regions[0].failoversIn == 0 && regions[1].failoversOut == 0)
        #expect(regions[1].served.completed == during.count)
        #expect(regions[0].served.failed == failed.count)
        #expect(regions[0].clients.requests.completed == records.count - failed.count)
        let report = ScenarioRunner.run(s).0
        #expect(report.regions == regions)
        #expect(abs(report.regions![0].cost + report.regions![1].cost - report.cost.total) < 1e-9)
    }

    @Test func withoutFailoverOrAnotherRegionAttemptsQueueOrFailAsToday() {
        let outage = "faults: { outages: [{ at: \"100s\", duration: \"100s\", pools: [\"us-pool\"] }] },"
        // RTT 0: regions then change nothing but the routing, so compare with the plain pool.
        let plain = load(text(local: "0s", across: "0s", classKeys: "pools: [\"us-pool\"]", faults: outage))
        let off = load(text(local: "0s", across: "0s", classKeys: "pools: [\"us-pool\", \"eu-pool\"], failover: false",
                            faults: outage))
        let (offRecords, offResult) = simulate(off)
        let (plainRecords, _) = simulate(plain)
        var noRegions = plain
        noRegions.regions = nil
        let (todayRecords, _) = simulate(noRegions)
        #expect(offRecords == todayRecords)
        #expect(plainRecords == todayRecords)
        // Queued in us-pool during the outage, served when it restarts: nothing went to eu.
        #expect(offRecords.allSatisfy { $0.pool == 0 })
        #expect(offRecords.contains { $0.arrival > 100 && $0.arrival < 200 && $0.outcome == .completed && $0.ttft > 1 })
        #expect(offResult.regions!.allSatisfy { $0.failoversIn == 0 && $0.failoversOut == 0 })
    }

    @Test func aTimeoutRacingTheReturnTripTimesOut() {
        // 1 s of service, RTT 200 ms: the pool finishes 1.1 s after the send, the client has it at 1.2 s.
        func run(timeout: String) -> [RequestRecord] {
            simulate(load(text(local: "200ms", across: "300ms", classKeys: "pools: [\"us-pool\"]", rate: 5,
                               duration: "100s", client: "client: { timeout: \"\(timeout)\" }"))).records
        }
        let late = run(timeout: "1.15s")
        #expect(late.count > 300)
        #expect(late.allSatisfy { $0.outcome == .timedOut && abs($0.e2e - 1.15) < 1e-9 })
        let inTime = run(timeout: "1.25s")
        #expect(inTime.allSatisfy { $0.outcome == .completed && abs($0.e2e - 1.2) < 1e-9 && abs($0.ttft - 1.2) < 1e-9 })
    }

    @Test func originFractionsAreWithinBinomialTolerance() {
        let s = load(text(origin: "origins: [{ region: \"us\", fraction: 0.3 }, { region: \"eu\", fraction: \"70%\" }]",
                          rate: 40))
        let (records, result) = simulate(s)
        let n = Double(records.count), fromUS = Double(result.regions![0].clients.requests.completed)
        let sigma = (n * 0.3 * 0.7).squareRoot()
        #expect(n > 10_000)
        #expect(abs(fromUS - 0.3 * n) < 4 * sigma)
        // Everyone is served in their own region at the local RTT.
        #expect(result.regions![0].served.completed == Int(fromUS))
        #expect(records.allSatisfy { abs($0.e2e - 1.002) < 1e-9 })
    }

    @Test func reportsAreDeterministicAndOnlyRegionScenariosHaveARegionsSection() throws {
        let outage = "faults: { outages: [{ at: \"100s\", duration: \"100s\", pools: [\"us-pool\"] }] },"
        let s = load(text(origin: "origins: [{ region: \"us\", fraction: 0.5 }, { region: \"eu\", fraction: 0.5 }]",
                          faults: outage))
        let one = try ReportRenderer.json(ScenarioRunner.run(s).0)
        let two = try ReportRenderer.json(ScenarioRunner.run(s).0)
        #expect(one == two)
        #expect(String(decoding: one, as: UTF8.self).contains("\"failoversIn\""))
        #expect(ReportRenderer.markdown(ScenarioRunner.run(s).0).contains("## Regions"))
        var plain = s
        plain.regions = nil
        let json = String(decoding: try ReportRenderer.json(ScenarioRunner.run(plain).0), as: UTF8.self)
        #expect(!json.contains("\"regions\""))
    }

    @Test func badRegionInputIsReportedInHouseStyle() {
        func errors(_ s: String) -> [String] { parseScenario(s).1 }
        var e = errors(text(classKeys: "pools: [\"us-pool\", \"mars-pool\"]"))
        #expect(e.contains { $0.contains("workload.classes.0.pools.1: no pool named \"mars-pool\"") })
        e = errors(text(origin: "origin: \"mars\""))
        #expect(e.contains { $0.contains("workload.classes.0.origin: no region named \"mars\" (us, eu)") })
        // Missing RTT: eu's own round trip is nowhere.
        e = errors(text().replacingOccurrences(of: "{ eu: \"2ms\" }", with: "{ }"))
        #expect(e.contains { $0.contains("regions.1.rtt: missing the round-trip time to \"eu\"") })
        // Asymmetric.
        e = errors(text().replacingOccurrences(of: "{ eu: \"2ms\" }", with: "{ eu: \"2ms\", us: \"70ms\" }"))
        #expect(e.contains { $0.contains("regions.1.rtt.us: 0.07s differs") })
        // A class both claimed by a pool's classes and geo-routed.
        e = errors(text().replacingOccurrences(of: "name: \"us-pool\",", with: "name: \"us-pool\", classes: [\"chat\"],"))
        #expect(e.contains { $0.contains("workload.classes.0.pools: class \"chat\" is also in the classes of pool \"us-pool\"") })
        // A pool without a region, origins not summing to 1, unknown keys.
        e = errors(text().replacingOccurrences(of: "region: \"us\", ", with: ""))
        #expect(e.contains { $0.contains("pools.0.region: is missing") })
        e = errors(text(origin: "origins: [{ region: \"us\", fraction: 0.5 }, { region: \"eu\", fraction: 0.4 }]"))
        #expect(e.contains { $0.contains("workload.classes.0.origins: fractions sum to 0.9") })
        e = errors(text().replacingOccurrences(of: "{ name: \"eu\",", with: "{ name: \"eu\", rtts: 1,"))
        #expect(e.contains { $0.contains("regions.1.rtts: unknown key") })
        // Region keys without regions.
        let noRegions = text().replacingOccurrences(of: "regions: [", with: "ignored: [")
        e = errors(noRegions)
        #expect(e.contains { $0.contains("pools.0.region: needs top-level regions") })
        #expect(e.contains { $0.contains("workload.classes.0.pools: needs top-level regions") })
        #expect(e.allSatisfy { $0.hasPrefix("s.json5: ") })
    }
}

/// The geo router's pure functions.
@Suite struct GeoRoutingTests {
    // Regions 0, 1, 2; pools 0..3 in regions [2, 1, 0, 1].
    let rtt = [[0.01, 0.09, 0.15], [0.09, 0.01, 0.12], [0.15, 0.12, 0.01]]
    let poolRegion = [2, 1, 0, 1]

    @Test func preferenceIsByRTTThenListedOrder() {
        #expect(GeoRouting.preference(candidates: [0, 1, 2, 3], origin: 0, rtt: rtt, poolRegion: poolRegion) == [2, 1, 3, 0])
        #expect(GeoRouting.preference(candidates: [3, 0, 1], origin: 0, rtt: rtt, poolRegion: poolRegion) == [3, 1, 0])
        #expect(GeoRouting.preference(candidates: [0, 1, 2, 3], origin: 2, rtt: rtt, poolRegion: poolRegion) == [0, 1, 3, 2])
    }

    @Test func chooseTakesTheFirstAvailableElseTheNearest() {
        let order = [2, 1, 3, 0]
        #expect(GeoRouting.choose(preference: order, failover: true) { _ in true } == 0)
        #expect(GeoRouting.choose(preference: order, failover: true) { $0 != 2 } == 1)
        #expect(GeoRouting.choose(preference: order, failover: true) { $0 == 0 } == 3)
        #expect(GeoRouting.choose(preference: order, failover: true) { _ in false } == 0)
        #expect(GeoRouting.choose(preference: order, failover: false) { $0 == 0 } == 0)
    }

    @Test func originFollowsTheCumulativeFractions() {
        let shares = [RegionTopology.OriginShare(region: 2, fraction: 0.25), .init(region: 0, fraction: 0.75)]
        #expect(GeoRouting.origin(shares, u: 0.1) == 2)
        #expect(GeoRouting.origin(shares, u: 0.25) == 2)
        #expect(GeoRouting.origin(shares, u: 0.2500001) == 0)
        #expect(GeoRouting.origin(shares, u: 1) == 0)
    }
}
