import ServingModel

/// Admission limits in front of all pools (`admission`), as an admission check: the global
/// in-flight token budget, then the tenant's token bucket (a token is taken only when the attempt
/// gets that far).
final class AdmissionLimits: AdmissionStage {
    private let admission: Admission
    /// Prompt + output tokens of requests admitted to a pool and not ended (the budget's count).
    private var inFlightTokens = 0
    /// Per class: index of its tenant's rate limit in `admission.tenants`, or -1.
    private let tenantOfClass: [Int]
    private var buckets: [TokenBucket]

    /// Nil when the scenario sets neither a budget nor a tenant limit.
    init?(scenario: Scenario) {
        let admission = scenario.admission
        guard admission.maxInFlightTokens != nil || !admission.tenants.isEmpty else { return nil }
        self.admission = admission
        tenantOfClass = scenario.classes.map { c in admission.tenants.firstIndex { $0.tenant == c.tenant } ?? -1 }
        buckets = admission.tenants.map { TokenBucket(rate: $0.rate, burst: $0.burst) }
    }

    func check(_ slot: Int32, pool: Int, _ sim: Simulation) -> Rejection? {
        let r = sim.requests.slots[Int(slot)]
        let tokens = Int(r.promptTokens + r.outputTokens)
        if let budget = admission.maxInFlightTokens, inFlightTokens + tokens > budget { return .inFlightBudget }
        let tenant = tenantOfClass[Int(r.classIndex)]
        if tenant >= 0 {
            let amount = admission.tenants[tenant].unit == .tokens ? Double(tokens) : 1
            if !buckets[tenant].tryTake(amount, at: sim.events.now) { return .rateLimit }
        }
        return nil
    }

    /// The attempt in `slot` was admitted to its pool.
    func admitted(_ slot: Int32, _ sim: Simulation) {
        let r = sim.requests.slots[Int(slot)]
        inFlightTokens += Int(r.promptTokens + r.outputTokens)
    }

    /// An admitted attempt left its pool (it ended, or its response is on the way to the client).
    func released(_ r: RequestState) {
        inFlightTokens -= Int(r.promptTokens + r.outputTokens)
    }
}
