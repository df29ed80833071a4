import ServingModel
import ScenarioFormat
import Reporting
import Foundation

/// One configuration a capacity plan considers for the planned pool (hardware, model, TP degree):
/// field overrides applied to the scenario file.
public struct PlanOption: Sendable, Equatable {
    /// Label in reports, e.g. "A100-80GB tp2".
    public var name: String
    public var overrides: [ScenarioOverride]
    public init(name: String, overrides: [ScenarioOverride]) {
        self.name = name
        self.overrides = overrides
    }
}

/// What a capacity search is asked.
public struct PlanRequest: Sendable {
    /// Scenario file.
    public var path: String
    /// Index of the pool whose size is searched.
    public var pool: Int
    public var options: [PlanOption]
    /// Largest replica count tried.
    public var maxReplicas: Int
    /// Headroom: arrival rates are multiplied by peak x growth x safety.
    public var peak: Double, growth: Double, safety: Double
    /// Seeds per evaluation (replications; a point is feasible when every replication meets every SLO).
    public var replications: Int
    /// Fresh seeds the answer is re-checked on (0: no re-check).
    public var recheckSeeds: Int
    /// Seed of replication 0 (nil: the scenario's).
    public var seed: UInt64?
    /// Simulations run in parallel.
    public var jobs: Int
    /// Told before each evaluated size, e.g. "A100-80GB (2 of 3): 12 replicas" (for a progress line).
    public var progress: (@Sendable (String) -> Void)?
    /// Told as each option's search ends (for a progress count of options).
    public var optionFinished: (@Sendable () -> Void)?
    /// What each evaluated run may cost (`--raise-limits`).
    public var limits: RunLimits = .standard
    /// Field changes (`--set`) applied to the file before each option's own.
    public var overrides: [ScenarioOverride] = []
    /// The SLOs that decide feasibility (`--slo`); nil: every SLO of the scenario. The others
    /// are still run and reported, but a size may miss them.
    public var slos: [String]? = nil
    /// A hosted API's per-token prices to weigh the cheapest plan against (`--hosted`); nil: none.
    public var hosted: HostedPrices? = nil

    public init(path: String, pool: Int = 0, options: [PlanOption] = [], maxReplicas: Int = 64, peak: Double = 1,
                growth: Double = 1, safety: Double = 1, replications: Int = 1, recheckSeeds: Int = 3,
                seed: UInt64? = nil, jobs: Int = 1) {
        self.path = path
        self.pool = pool
        self.options = options
        self.maxReplicas = maxReplicas
        self.peak = peak
        self.growth = growth
        self.safety = safety
        self.replications = replications
        self.recheckSeeds = recheckSeeds
        self.seed = seed
        self.jobs = jobs
    }

    public var loadFactor: Double { peak * growth * safety }
}

/// One evaluated configuration: an option at a replica count.
public struct PlanPoint: Codable, Sendable, Equatable {
    public var option: String
    public var replicas: Int
    /// Every SLO met in every replication.
    public var feasible: Bool
    /// Means over the replications: USD per completed request, USD per hour of the measured span,
    /// seconds of p95 TTFT.
    public var costPerRequest: Double
    public var costPerHour: Double
    public var ttftP95: Double
    /// Half-widths of the 95% Student-t intervals of `costPerRequest` and `ttftP95` over the
    /// replications (0 with one replication).
    public var costPerRequestHalfWidth: Double = 0
    public var ttftP95HalfWidth: Double = 0
    /// Requests per second that arrived in the measured span (duration - warmup), mean over the
    /// replications: the load this point was run at.
    public var arrivalRate: Double
    /// SLOs missed in some replication, as "name: compliance (objective)" with the worst compliance.
    public var missed: [String]
    /// The same size run at the scenario's own load (load factor 1, same seeds), for feasible
    /// points of a plan whose load factor is not 1; nil otherwise (then the point's own figures are
    /// at the scenario's load).
    public var atScenarioLoad: PlanLoadRun? = nil

    /// USD per completed request at the scenario's load: what the pool, sized for the planning
    /// load, costs serving the traffic the scenario describes.
    public var billedCostPerRequest: Double { atScenarioLoad?.costPerRequest ?? costPerRequest }
    /// The half-width of its interval.
    public var billedCostPerRequestHalfWidth: Double { atScenarioLoad?.costPerRequestHalfWidth ?? costPerRequestHalfWidth }
    /// USD per hour at the scenario's load.
    public var billedCostPerHour: Double { atScenarioLoad?.costPerHour ?? costPerHour }
}

/// An SLO threshold a plan's chart draws: name, seconds, objective (a fraction).
public struct PlanThreshold: Codable, Sendable, Equatable {
    public var name: String
    public var seconds: Double
    public var objective: Double
}

/// A planned size run at another load than the one that sized it: what it costs and how fast it is
/// there (means over the replications; USD per request, USD per hour, seconds, requests per second).
public struct PlanLoadRun: Codable, Sendable, Equatable {
    public var costPerRequest: Double
    public var costPerHour: Double
    public var ttftP95: Double
    public var arrivalRate: Double
    /// Half-widths of the 95% intervals over the replications (0 with one).
    public var costPerRequestHalfWidth: Double = 0
    public var ttftP95HalfWidth: Double = 0
}

/// The search result of one option.
public struct PlanOptionResult: Codable, Sendable, Equatable {
    public var option: String
    /// Smallest replica count meeting every SLO (after the re-check); nil when none up to the maximum.
    public var replicas: Int?
    /// GPUs of the answer (replicas x GPUs per replica); 0 when infeasible.
    public var gpus: Int
    /// The answer's point; nil when infeasible.
    public var answer: PlanPoint?
    /// Why the option has no answer (nil when it has one).
    public var rejected: String?
    /// Seeds of the re-check and whether it raised the count found on the search seeds.
    public var recheckSeeds: [UInt64]
    public var raisedByRecheck: Int
    /// Every point evaluated, by replica count.
    public var evaluated: [PlanPoint]
}

/// A capacity plan: per option the smallest pool that meets every SLO, the cheapest of them, and
/// the cost-vs-p95-TTFT frontier of everything evaluated.
public struct CapacityPlan: Codable, Sendable, Equatable {
    public var scenario: String
    public var pool: String
    /// The field a plan sizes: `replicas`, or `autoscaling.maxReplicas` when the pool autoscales
    /// (then an answer is the autoscaler's ceiling, not a fixed count).
    public var sizedField: String = "replicas"
    /// The SLOs that decided feasibility (`--slo`; every SLO of the scenario when not given).
    public var requiredSLOs: [String] = []
    /// The scenario's TTFT SLOs (name, threshold in seconds, objective), drawn on the plan's chart.
    public var ttftThresholds: [PlanThreshold] = []
    public var peak: Double, growth: Double, safety: Double
    /// peak x growth x safety: the factor applied to arrival rates.
    public var loadFactor: Double
    public var seed: UInt64
    public var replications: Int
    public var options: [PlanOptionResult]
    /// Name of the option whose answer costs least per request at the scenario's load (nil when
    /// none is feasible).
    public var cheapest: String?
    /// Feasible points no other feasible point beats on both cost per request (at the scenario's
    /// load) and p95 TTFT (at the planning load), by increasing cost: what more money buys in latency.
    public var frontier: [PlanPoint]
    /// The cheapest plan against a hosted API (`--hosted`); absent without it, or with no feasible plan.
    public var hosted: HostedComparison? = nil
    /// The simulator that made the plan (`servesim --version`).
    public var servesimVersion: String? = ServeSimVersion.current
}

/// Capacity search: for each option, the smallest replica count meeting every SLO at the
/// scenario's load times the headroom factor.
///
/// Feasibility is assumed monotone in the replica count (more replicas never miss an SLO that
/// fewer met, on the same seeds). The search probes 1, 2, 4, ... until a feasible count, then
/// bisects: O(log n) evaluations. The answer is re-run on fresh seeds (seed + 1,000,000 + i); if
/// it misses there, the count grows one at a time until it holds (at most 8 steps).
public enum CapacityPlanner {
    /// Smallest n in 1...hi with `feasible(n)`, assuming monotonicity; nil when `feasible(hi)` is false.
    public static func smallestFeasible(upTo hi: Int, _ feasible: (Int) -> Bool) -> Int? {
        guard hi >= 1 else { return nil }
        var lo = 0  // largest count known infeasible (0: none tried)
        var probe = 1
        while !feasible(probe) {
            lo = probe
            if probe == hi { return nil }
            probe = min(probe * 2, hi)
        }
        var high = probe
        while high - lo > 1 {
            let mid = (lo + high) / 2
            if feasible(mid) { high = mid } else { lo = mid }
        }
        return high
    }

    /// Runs the search. Throws the scenario's `InputError` when the file itself is bad; an option
    /// whose overrides make it invalid is rejected with the first problem as its reason.
    public static func plan(_ request: PlanRequest) throws -> CapacityPlan {
        let source = try ScenarioSource.read(path: request.path, limits: request.limits)
        let base = try source.scenario(overrides: request.overrides)
        guard base.pools.indices.contains(request.pool) else {
            throw InputError(file: request.path, path: "pools", "has no pool \(request.pool)",
                             allowed: "0 to \(base.pools.count - 1), or a pool name")
        }
        let poolName = base.pools[request.pool].name
        let sloNames = base.slos.map(\.name)
        for name in request.slos ?? [] where !sloNames.contains(name) {
            throw InputError(file: request.path, path: "slos", "has no SLO \"\(name)\"",
                             allowed: NameMatch.didYouMean(name, among: sloNames) + sloNames.joined(separator: ", "))
        }
        let seed = request.seed ?? base.seed
        let sizePath = base.pools[request.pool].autoscaler == nil ? ["pools", "\(request.pool)", "replicas"]
                                                                  : ["pools", "\(request.pool)", "autoscaling", "maxReplicas"]
        let options = request.options.isEmpty ? [PlanOption(name: "as given", overrides: [])]
                                              : request.options
        var results: [PlanOptionResult] = []
        for (k, option) in options.enumerated() {
            var r = request
            r.progress = request.progress.map { report in { @Sendable in report("\(option.name) (\(k + 1) of \(options.count)): \($0)") } }
            results.append(search(option, source: source, request: r, sizePath: sizePath, seed: seed))
            request.optionFinished?()
        }
        let answers = results.compactMap(\.answer)
        let cheapest = answers.min { ($0.billedCostPerRequest, $0.option) < ($1.billedCostPerRequest, $1.option) }
        let points = results.flatMap(\.evaluated).filter(\.feasible)
        let frontier = paretoFrontier(x: points.map(\.billedCostPerRequest), y: points.map(\.ttftP95)).map { points[$0] }
        var plan = CapacityPlan(scenario: base.name, pool: poolName, peak: request.peak, growth: request.growth,
                                safety: request.safety, loadFactor: request.loadFactor, seed: seed,
                                replications: request.replications, options: results, cheapest: cheapest?.option,
                                frontier: frontier)
        plan.sizedField = sizePath.dropFirst(2).joined(separator: ".")
        plan.requiredSLOs = request.slos ?? sloNames
        plan.ttftThresholds = base.slos.filter { $0.sli == .ttft }.map { PlanThreshold(name: $0.name, seconds: $0.threshold, objective: $0.objective) }
        if let prices = request.hosted, let c = cheapest, let option = options.first(where: { $0.name == c.option }) {
            plan.hosted = HostedComparison.compare(prices, option: option, replicas: c.replicas, selfHostedPerHour: c.billedCostPerHour,
                                                   source: source, request: request, sizePath: sizePath, seed: seed)
        }
        return plan
    }

    static func search(_ option: PlanOption, source: ScenarioSource, request: PlanRequest, sizePath: [String],
                       seed: UInt64) -> PlanOptionResult {
        var result = PlanOptionResult(option: option.name, replicas: nil, gpus: 0, answer: nil, rejected: nil,
                                      recheckSeeds: [], raisedByRecheck: 0, evaluated: [])
        var cache: [Int: PlanPoint] = [:]
        var loadError: String?
        var gpusPerReplica = 1
        func scenario(_ n: Int, loadFactor: Double) -> Scenario? {
            switch sized(option, replicas: n, loadFactor: loadFactor, source: source, request: request, sizePath: sizePath) {
            case .success(let s):
                gpusPerReplica = s.pools[request.pool].gpusPerReplica
                return s
            case .failure(let problem):
                loadError = problem.message
                return nil
            }
        }
        func evaluate(_ n: Int, seeds: [UInt64], loadFactor: Double = request.loadFactor) -> PlanPoint? {
            request.progress?("\(n) replicas" + (loadFactor == request.loadFactor ? "" : " at the scenario's load"))
            guard var s = scenario(n, loadFactor: loadFactor) else { return nil }
            // `seeds` come from `Replications.seeds`: the replications of their first are exactly them.
            s.seed = seeds[0]
            return point(option.name, replicas: n, reports: Replications.run(s, count: seeds.count, jobs: request.jobs),
                         measuredSpan: s.duration - s.warmup, required: request.slos)
        }
        let searchSeeds = Replications.seeds(base: seed, count: request.replications)
        let found = smallestFeasible(upTo: request.maxReplicas) { n in
            if let p = cache[n] { return p.feasible }
            guard loadError == nil, let p = evaluate(n, seeds: searchSeeds) else { return false }
            cache[n] = p
            return p.feasible
        }
        if let loadError {
            result.rejected = loadError
        } else if var n = found {
            // Re-check on fresh seeds; grow while the answer does not hold there.
            let fresh = request.recheckSeeds == 0 ? [] : Replications.seeds(base: seed &+ 1_000_000, count: request.recheckSeeds)
            result.recheckSeeds = fresh
            if !fresh.isEmpty {
                while n < request.maxReplicas, result.raisedByRecheck < 8,
                      let p = evaluate(n, seeds: fresh), !p.feasible {
                    // Met on the search seeds only: not a robust answer, so not feasible either.
                    cache[n]?.feasible = false
                    cache[n]?.missed = p.missed.map { $0 + " on re-check seeds" }
                    n += 1
                    result.raisedByRecheck += 1
                    if cache[n] == nil, let q = evaluate(n, seeds: searchSeeds) { cache[n] = q }
                }
            }
            // Two larger sizes show what more capacity buys (for the frontier).
            for m in [n + 1, n + 2] where m <= request.maxReplicas && cache[m] == nil {
                if let q = evaluate(m, seeds: searchSeeds) { cache[m] = q }
            }
            // Sized at the planning load, billed at the scenario's: each feasible size is run once
            // more at load factor 1 (the same seeds) for its cost there.
            if request.loadFactor != 1 {
                for m in cache.keys.sorted() where cache[m]!.feasible {
                    if let at = evaluate(m, seeds: searchSeeds, loadFactor: 1) {
                        cache[m]!.atScenarioLoad = PlanLoadRun(costPerRequest: at.costPerRequest, costPerHour: at.costPerHour,
                                                               ttftP95: at.ttftP95, arrivalRate: at.arrivalRate,
                                                               costPerRequestHalfWidth: at.costPerRequestHalfWidth,
                                                               ttftP95HalfWidth: at.ttftP95HalfWidth)
                    }
                }
            }
            result.replicas = n
            result.gpus = n * gpusPerReplica
            result.answer = cache[n]
        } else {
            let worst = cache[request.maxReplicas]
            result.rejected = "misses its SLOs even at \(request.maxReplicas) replicas"
                + (worst.map { ": " + $0.missed.joined(separator: "; ") } ?? "")
        }
        result.evaluated = cache.keys.sorted().map { cache[$0]! }
        return result
    }

    /// Why an option's scenario cannot be built or run (its first problem).
    struct Problem: Error { var message: String }

    /// The scenario with `option`'s changes, the planned pool at `replicas` (at `sizePath`) and
    /// arrival rates x `loadFactor`; or the first problem (a bad override, a run over the limits).
    static func sized(_ option: PlanOption, replicas: Int, loadFactor: Double, source: ScenarioSource, request: PlanRequest,
                      sizePath: [String]) -> Result<Scenario, Problem> {
        do {
            let s = try source.scenario(overrides: request.overrides + option.overrides
                                            + [ScenarioOverride(path: sizePath, value: .number(Double(replicas)))])
            let scaled = s.scalingLoad(by: loadFactor)
            if let problem = request.limits.problem(scaled) {
                return .failure(Problem(message: "at \(loadFactor)x the scenario's load: \(problem)"))
            }
            return .success(scaled)
        } catch let e as InputError {
            return .failure(Problem(message: e.diagnostics.first?.description ?? "\(e)"))
        } catch {
            return .failure(Problem(message: "\(error)"))
        }
    }

    /// A point from its replications' reports; `measuredSpan` (seconds, duration - warmup) turns
    /// arrivals into a rate.
    static func point(_ option: String, replicas: Int, reports: [Report], measuredSpan: Double,
                      required: [String]? = nil) -> PlanPoint {
        var missed: [String] = []
        for slo in reports[0].slos where required?.contains(slo.name) ?? true {
            let all = reports.compactMap { r in r.slos.first { $0.name == slo.name } }
            if all.contains(where: { !$0.met }) {
                let worst = all.map(\.compliance).min()!
                missed.append("\(slo.name) compliance \(NumberFormat.percent(worst, 3)) (objective \(NumberFormat.percent(slo.objective, 3)))")
            }
        }
        func mean(_ f: (Report) -> Double) -> Double { reports.map(f).reduce(0, +) / Double(reports.count) }
        let cost = Estimate.of(reports.map { $0.cost.perRequest }), ttft = Estimate.of(reports.map { $0.latency.ttft.p95 })
        var p = PlanPoint(option: option, replicas: replicas, feasible: missed.isEmpty,
                          costPerRequest: cost.mean,
                          costPerHour: mean { $0.measuredSeconds > 0 ? $0.cost.total / $0.measuredSeconds * 3600 : 0 },
                          ttftP95: ttft.mean,
                          arrivalRate: measuredSpan > 0 ? mean { Double($0.requests.arrived) } / measuredSpan : 0,
                          missed: missed)
        p.costPerRequestHalfWidth = cost.halfWidth
        p.ttftP95HalfWidth = ttft.halfWidth
        return p
    }
}
