import ServingModel
import ScenarioFormat
import Reporting

/// A hosted API's prices per token (USD per million), as `plan --hosted` weighs them.
public struct HostedPrices: Codable, Sendable, Equatable {
    /// The scenario's hosted endpoint's name, or "hosted API" for prices given on the command line.
    public var name: String
    public var inputPerMillion: Double
    public var outputPerMillion: Double

    public init(name: String, inputPerMillion: Double, outputPerMillion: Double) {
        self.name = name
        self.inputPerMillion = inputPerMillion
        self.outputPerMillion = outputPerMillion
    }

    /// USD per second for the given token rates (tokens per second).
    public func perSecond(promptTokens: Double, outputTokens: Double) -> Double {
        (promptTokens * inputPerMillion + outputTokens * outputPerMillion) / 1e6
    }
}

/// The brief's question "managed API or self-hosted?" for the scenario's traffic: what the whole
/// scenario's completed tokens would cost per month at the hosted API's prices, against the
/// cheapest feasible plan's fleet (GPU cost per hour at the scenario's load, idle and warm pools
/// included), and the load at which they cross.
///
/// A month is 730 hours (8,760 / 12). The hosted cost is linear in the load (the same token mix);
/// the self-hosted cost is a step function of the fleet the load needs. The crossover is found on
/// the cheapest option only: from the scenario's load, halving (when self-hosting is cheaper there)
/// or doubling (when hosted is) until the cheaper side changes, then 4 bisections in log space
/// (the answer within a factor 2^(1/16), about 4%). Each load is sized like the plan (the
/// smallest feasible count at that load x peak x growth x safety, on the plan's seeds, without
/// the re-check) and billed at that load. Searched from 1/256 to 64 times the scenario's load.
public struct HostedComparison: Codable, Sendable, Equatable {
    public var endpoint: String
    public var inputPricePerMillion: Double
    public var outputPricePerMillion: Double
    /// Completed tokens per second at the scenario's load (the cheapest plan's run).
    public var promptTokensPerSecond: Double
    public var outputTokensPerSecond: Double
    /// USD per month at the scenario's load.
    public var hostedPerMonth: Double
    public var selfHostedPerMonth: Double
    public var selfHostedOption: String
    public var selfHostedReplicas: Int
    /// `hosted` or `self-hosted`: the cheaper at the scenario's load (self-hosted on a tie).
    public var cheaper: String
    /// Where self-hosting starts to pay off; absent when the cheaper side never changes in range.
    public var crossover: HostedCrossover?
    /// When no crossover was found: `self-hosted` cheaper down to the smallest load tried, or
    /// `hosted` cheaper up to the largest (or the largest feasible within --max-replicas).
    public var noCrossover: String?
    public static let hoursPerMonth = 730.0

    /// The comparison for the plan's cheapest answer (`replicas` of `option`, costing
    /// `selfHostedPerHour` at the scenario's load).
    static func compare(_ prices: HostedPrices, option: PlanOption, replicas: Int, selfHostedPerHour: Double,
                        source: ScenarioSource, request: PlanRequest, sizePath: [String], seed: UInt64) -> HostedComparison? {
        let seeds = Replications.seeds(base: seed, count: request.replications)
        func reports(_ n: Int, load: Double) -> [Report]? {
            guard case .success(var s) = CapacityPlanner.sized(option, replicas: n, loadFactor: load, source: source,
                                                                request: request, sizePath: sizePath) else { return nil }
            s.seed = seeds[0]
            return Replications.run(s, count: seeds.count, jobs: request.jobs)
        }
        guard let atLoad = reports(replicas, load: 1) else { return nil }
        func mean(_ f: (Report) -> Double) -> Double { atLoad.map(f).reduce(0, +) / Double(atLoad.count) }
        let prompt = mean { $0.throughput.promptTokensPerSecond }, output = mean { $0.throughput.outputTokensPerSecond }
        let hostedPerHour = prices.perSecond(promptTokens: prompt, outputTokens: output) * 3600
        let headroom = request.loadFactor
        /// Self-hosted USD per hour at `x` times the scenario's load, and its size; nil when no size
        /// up to --max-replicas meets the SLOs there.
        func selfHosted(_ x: Double) -> (perHour: Double, replicas: Int)? {
            request.progress?("hosted vs self-hosted: sizing at \(NumberFormat.number(x))x the load")
            var feasible: [Int: Bool] = [:]
            let n = CapacityPlanner.smallestFeasible(upTo: request.maxReplicas) { n in
                if let f = feasible[n] { return f }
                guard let r = reports(n, load: x * headroom) else { return false }
                let p = CapacityPlanner.point(option.name, replicas: n, reports: r, measuredSpan: 1, required: request.slos)
                feasible[n] = p.feasible
                return p.feasible
            }
            guard let n, let billed = reports(n, load: x) else { return nil }
            let perHour = billed.map { $0.measuredSeconds > 0 ? $0.cost.total / $0.measuredSeconds * 3600 : 0 }.reduce(0, +) / Double(billed.count)
            return (perHour, n)
        }
        /// Whether self-hosting costs at most the hosted API at `x` (nil: no feasible size there).
        func selfCheaper(_ x: Double) -> (Bool, Double, Int)? {
            guard let s = selfHosted(x) else { return nil }
            return (s.perHour <= hostedPerHour * x, s.perHour, s.replicas)
        }
        var result = HostedComparison(
            endpoint: prices.name, inputPricePerMillion: prices.inputPerMillion, outputPricePerMillion: prices.outputPerMillion,
            promptTokensPerSecond: prompt, outputTokensPerSecond: output, hostedPerMonth: hostedPerHour * hoursPerMonth,
            selfHostedPerMonth: selfHostedPerHour * hoursPerMonth, selfHostedOption: option.name, selfHostedReplicas: replicas,
            cheaper: selfHostedPerHour <= hostedPerHour ? "self-hosted" : "hosted", crossover: nil, noCrossover: nil)
        // Bracket [lo, hi]: hosted cheaper at lo, self-hosted at hi.
        let selfAtOne = selfHostedPerHour <= hostedPerHour
        var lo = 1.0, hi = 1.0
        var atHi: (Double, Int) = (selfHostedPerHour, replicas)
        if selfAtOne {
            var x = 1.0
            while true {
                x /= 2
                guard x >= 1.0 / 256 else { result.noCrossover = "self-hosted"; return result }
                guard let (cheaper, perHour, n) = selfCheaper(x) else { result.noCrossover = "self-hosted"; return result }
                if !cheaper { lo = x; break }
                hi = x
                atHi = (perHour, n)
            }
        } else {
            var x = 1.0
            while true {
                x *= 2
                guard x <= 64, let (cheaper, perHour, n) = selfCheaper(x) else { result.noCrossover = "hosted"; return result }
                if cheaper { hi = x; atHi = (perHour, n); break }
                lo = x
            }
        }
        for _ in 0..<4 {
            let mid = (lo * hi).squareRoot()
            guard let (cheaper, perHour, n) = selfCheaper(mid) else { lo = mid; continue }
            if cheaper { hi = mid; atHi = (perHour, n) } else { lo = mid }
        }
        result.crossover = HostedCrossover(
            loadFactor: hi, below: lo, arrivalRate: hi * atLoad.map { Double($0.requests.arrived) / max($0.measuredSeconds, 1e-300) }.reduce(0, +) / Double(atLoad.count),
            replicas: atHi.1, selfHostedPerMonth: atHi.0 * hoursPerMonth, hostedPerMonth: hostedPerHour * hi * hoursPerMonth)
        return result
    }
}

/// The smallest load found at which self-hosting costs at most the hosted API: `loadFactor` times
/// the scenario's (hosted is cheaper at `below`), the arrival rate there (requests per second),
/// the fleet it needs, and both monthly costs there (USD).
public struct HostedCrossover: Codable, Sendable, Equatable {
    public var loadFactor: Double
    public var below: Double
    public var arrivalRate: Double
    public var replicas: Int
    public var selfHostedPerMonth: Double
    public var hostedPerMonth: Double
}

extension HostedComparison {
    /// "Hosted API or self-hosted": both monthly costs and the crossover.
    var section: ReportSection {
        typealias F = NumberFormat
        let tokens = "\(F.number((promptTokensPerSecond).rounded())) prompt and \(F.number(outputTokensPerSecond.rounded())) output tokens/s"
        var text = "At the scenario's load (\(tokens) completed), \(endpoint) at \(F.usd(inputPricePerMillion)) / \(F.usd(outputPricePerMillion)) "
            + "per million prompt / output tokens costs \(F.usd(hostedPerMonth)) per month; the cheapest plan (\(selfHostedOption), "
            + "\(selfHostedReplicas) replica\(selfHostedReplicas == 1 ? "" : "s")) costs \(F.usd(selfHostedPerMonth)) per month (730 hours, idle and warm GPUs included). "
        if let c = crossover {
            text += "Self-hosting pays off from about \(F.number(c.loadFactor)) x the scenario's load (\(F.number((c.arrivalRate * 10).rounded() / 10)) req/s; "
                + "hosted is cheaper at \(F.number(c.below)) x): there \(c.replicas) replica\(c.replicas == 1 ? "" : "s") cost \(F.usd(c.selfHostedPerMonth)) per month against "
                + "\(F.usd(c.hostedPerMonth)) hosted."
        } else if noCrossover == "self-hosted" {
            text += "Self-hosting stays cheaper down to 1/256 of the load (or as far down as the SLOs are met)."
        } else {
            text += "The hosted API stays cheaper up to 64 x the load (or as far as a plan within --max-replicas meets the SLOs)."
        }
        return ReportSection(id: "hosted", title: "Hosted API or self-hosted", blocks: [
            .paragraph(ReportText("Cheaper at this load: ", strong: cheaper, ". " + text)),
        ])
    }
}
