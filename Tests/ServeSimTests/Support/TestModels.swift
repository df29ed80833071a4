import Foundation
import ServeSim

/// A linear step-time model for tests: step = base + perToken * tokens + perContext * context.
struct LinearTestModel: StepTimeModel {
    var base = 0.004
    var perToken = 2e-5
    var perContext = 1e-8
    var perPair = 1e-9

    func stepTime(_ s: StepShape) -> Double {
        base + perToken * Double(s.prefillTokens + s.decodeSeqs) + perPair * s.prefillAttentionPairs
            + perContext * Double(s.decodeContext)
    }

    func decodeCost(batch: Int) -> DecodeCost {
        DecodeCost(a: base + perToken * Double(batch), b: perContext)
    }
}

/// A roofline-shaped test model (max of a compute and a memory line) to exercise both branches.
struct TwoLineTestModel: StepTimeModel {
    func stepTime(_ s: StepShape) -> Double {
        if s.prefillTokens > 0 { return 0.003 + 2e-5 * Double(s.prefillTokens + s.decodeSeqs) + 1e-8 * Double(s.decodeContext) }
        return decodeCost(batch: s.decodeSeqs).time(context: Double(s.decodeContext))
    }
    func decodeCost(batch: Int) -> DecodeCost {
        DecodeCost(a1: 0.002 + 1e-4 * Double(batch), b1: 1e-9, a2: 0.005, b2: 4e-8)
    }
}

enum TestScenarios {
    /// A textbook queue: `servers` single-slot replicas behind a shared queue.
    static func queue(rate: Double, service: ServiceTimeDistribution, servers: Int, duration: Double,
                      warmup: Double, seed: UInt64) -> Scenario {
        Scenario(
            name: "queue", seed: seed, duration: duration, warmup: warmup,
            classes: [RequestClassSpec(name: "c", tenant: "t", arrivals: .poisson(rate: rate),
                                       promptTokens: .fixed(1), outputTokens: .fixed(1))],
            pools: [PoolSpec(name: "p", hardware: "server", model: "none", replicas: servers, pricePerGpuHour: 1,
                             routing: .sharedQueue, scheduler: SchedulerConfig(policy: .fcfs, maxNumSeqs: 1),
                             performance: .service(service))])
    }

    /// Token-level continuous batching with a test step model.
    static func batching(rate: Double, replicas: Int, kvTokens: Int, duration: Double, seed: UInt64,
                         perIteration: Bool, model: any StepTimeModel = LinearTestModel(),
                         scheduler: SchedulerConfig = SchedulerConfig(maxNumSeqs: 64, maxBatchedTokens: 2048),
                         routing: RoutingPolicy = .leastOutstanding) -> Scenario {
        Scenario(
            name: "batching", seed: seed, duration: duration,
            classes: [RequestClassSpec(name: "chat", tenant: "t", arrivals: .poisson(rate: rate),
                                       promptTokens: .uniform(min: 50, max: 3000), outputTokens: .uniform(min: 1, max: 400))],
            pools: [PoolSpec(name: "p", hardware: "test", model: "test", replicas: replicas, pricePerGpuHour: 2,
                             routing: routing, scheduler: scheduler,
                             performance: .steps(model, kvCapacityTokens: kvTokens, requestOverhead: 0))],
            perIteration: perIteration)
    }
}

/// Runs a scenario, collecting every ended request's record (warm-up included).
func simulate(_ scenario: Scenario) -> (records: [RequestRecord], result: SimulationResult) {
    var records: [RequestRecord] = []
    let sim = Simulation(scenario: scenario)
    sim.recordObserver = { records.append($0) }
    let result = sim.run()
    return (records, result)
}

/// Validates scenario text: the scenario, or nil and every diagnostic as printed, without its line
/// and column unless `positions` (tests of a section's paths and messages leave them out; the
/// JSON5 reader's tests and the CLI's check them).
func parseScenario(_ text: String, file: String = "s.json5", positions: Bool = false) -> (Scenario?, [String]) {
    do {
        return (try ScenarioLoader.parse(data: Data(text.utf8), file: file, baseDirectory: "."), [])
    } catch let error as InputError {
        return (nil, error.diagnostics.map { positions ? $0.description : $0.withoutPosition.description })
    } catch {
        return (nil, ["\(error)"])
    }
}

/// A fresh folder for one test's files (tests run in parallel).
func workloadDirectory() -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("servesim-workload-\(UUID().uuidString)")
    try! FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// Writes `text` to `dir/name`; returns the path.
func writeFile(_ text: String, _ name: String, in dir: URL) -> String {
    let url = dir.appendingPathComponent(name)
    try! text.write(to: url, atomically: true, encoding: .utf8)
    return url.path
}

extension Diagnostic {
    /// The diagnostic as it reads without a line and column.
    var withoutPosition: Diagnostic {
        var d = self
        d.position = nil
        return d
    }
}

/// SplitMix64: a small deterministic generator for test data and the fuzzers, so a failure names
/// a reproducible case.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    /// A draw from 0 ..< n (n > 0).
    mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
}
