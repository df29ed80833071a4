import Foundation
import ServeSim

let benchHelp = """
    USAGE: servesim bench [--requests N] [SCENARIO]

    Simulates the default chat scenario (or SCENARIO) stretched to about N requests (default
    1,000,000) and prints simulated requests per wall second, events per wall second and peak
    memory. It also runs a tenth of the requests first, so the two peak-memory figures show whether
    memory grows with the number of requests (it should not: histograms are fixed-size and
    request slots are reused).
    """

func benchCommand(_ raw: [String]) -> Int32 {
    let args: Arguments
    do { args = try Arguments.parse(raw, command: "bench", options: ["requests"], flags: []) } catch let e as UsageError {
        printError(e.message); return Exit.badInput
    } catch { return Exit.badInput }
    if args.help { print(benchHelp); return Exit.ok }
    guard let target = Int(args.options["requests"] ?? "1000000"), target >= 1000 else {
        printError("servesim bench: --requests: must be an integer >= 1000"); return Exit.badInput
    }
    var problems: [String] = []
    let loaded = loadScenarios(Array(args.positionals.prefix(1)), seed: nil, perIteration: nil, problems: &problems)
    guard problems.isEmpty, var scenario = loaded.first else { problems.forEach(printError); return Exit.badInput }
    let rate = scenario.classes.reduce(0.0) { total, c in
        if case .poisson(let r) = c.arrivals { return total + r }
        if case .gamma(let r, _) = c.arrivals { return total + r }
        return total
    }
    guard rate > 0 else { printError("servesim bench: the scenario needs poisson or gamma arrivals"); return Exit.badInput }
    scenario.warmup = 0

    print("servesim bench: \(scenario.name), \(scenario.pools.map { "\($0.replicas) x \($0.hardware)" }.joined(separator: ", "))")
    for requests in [target / 10, target] {
        scenario.duration = Double(requests) / rate
        let started = Date()
        let (_, result) = ScenarioRunner.run(scenario)
        let wall = Date().timeIntervalSince(started)
        print(String(format: "  %9d requests  %7.2f s wall  %10.0f requests/s  %11.0f events/s  %5.2f events/request  peak RSS %6.1f MB",
                     result.arrived, wall, Double(result.arrived) / wall, Double(result.events) / wall,
                     Double(result.events) / Double(max(result.arrived, 1)), peakResidentMegabytes()))
    }
    return Exit.ok
}

/// Peak resident set size of this process (VmHWM in /proc/self/status), in MB; 0 where unknown.
func peakResidentMegabytes() -> Double {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
    for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
        let kb = line.split(separator: " ").compactMap { Double($0) }.first ?? 0
        return kb / 1024
    }
    return 0
}
