import ServingModel

/// The components one run uses, built from its scenario: a component is nil when the scenario
/// does not use its mechanism, and then appears in no seam list and is never reached.
///
/// The seam lists give the call order, which is part of the model:
/// - `stages` (admission, `Simulation.admit`): the geo router sends an attempt to a region first;
///   then the class's router picks a tier, the tier's release may send it to the candidate, and
///   the ladder of the pool it ends up on may shed it, move it or cap it. The checks follow in the
///   same order: the admission limits (token budget, then the tenant's bucket), then the circuit
///   breaker last (so a half-open probe is taken only by an attempt that is then sent); the
///   gateway's overflow takes what is still rejected.
/// - `attemptObservers`: injected errors first (they change the outcome the release sees), then
///   the answers' quality (drawn for completed attempts only; the release's analysis reads it).
/// - `controllers`: their first events, in this order (event order breaks ties by insertion);
///   closed-loop clients' first sends come first, right after the open-loop classes' arrivals; the
///   error-budget policy's evaluation comes before the ladders and releases that read its state.
/// - `sinks`: the closed-loop clients last, so every other sink has seen a record before the
///   client's next send is drawn.
struct Features {
    let clients: Clients?
    let closedLoop: ClosedLoopClients?
    let loadStages: StageMetrics?
    let limits: AdmissionLimits?
    let breakers: CircuitBreakers?
    let gateway: Gateway?
    let regions: Regions?
    let tiers: TierRouting?
    let releases: Releases?
    let errors: ErrorInjection?
    let quality: QualityOutcomes?
    let ladders: Ladders?
    let budgetPolicy: BudgetPolicyEnforcer?
    let autoscaling: Autoscaling?
    let faults: Faults?
    let chains: PrefixChains?
    let prefixCaching: PrefixCaching?
    let disaggregation: Disaggregation?
    let speculation: Speculation?
    let sampler: TimeSeriesSampler

    let stages: [any AdmissionStage]
    let attemptObservers: [any AttemptObserver]
    let sinks: [any RecordSink]
    let controllers: [any Controller]
    let replicaObservers: [any ReplicaObserver]

    /// - Parameters:
    ///   - pools: each pool's replica range (global indices).
    ///   - realServing: a step executor runs the steps (no prefix caches).
    init(scenario: Scenario, pools: [Range<Int>], replicaCount: Int, realServing: Bool) {
        clients = Clients(scenario: scenario)
        closedLoop = ClosedLoopClients(scenario: scenario)
        loadStages = StageMetrics(scenario: scenario)
        limits = AdmissionLimits(scenario: scenario)
        breakers = CircuitBreakers(scenario: scenario)
        gateway = Gateway(scenario: scenario)
        regions = Regions(scenario: scenario)
        tiers = TierRouting(scenario: scenario)
        releases = Releases(scenario: scenario)
        errors = ErrorInjection(scenario: scenario)
        quality = QualityOutcomes(scenario: scenario)
        ladders = Ladders(scenario: scenario)
        budgetPolicy = BudgetPolicyEnforcer(scenario: scenario)
        autoscaling = Autoscaling(scenario: scenario)
        faults = Faults(scenario: scenario)
        prefixCaching = PrefixCaching(scenario: scenario, pools: pools, replicaCount: replicaCount, realServing: realServing)
        let affinity = scenario.pools.contains { $0.routing.usesAffinityRing }
        chains = prefixCaching != nil || affinity
            ? PrefixChains(classBlockTokens: scenario.classes.map { $0.prefixBlockTokens ?? 0 }) : nil
        disaggregation = Disaggregation(scenario: scenario, replicaCount: replicaCount)
        speculation = Speculation(scenario: scenario, replicaCount: replicaCount)
        sampler = TimeSeriesSampler(scenario: scenario, replicaCount: replicaCount)

        let admission: [(any AdmissionStage)?] = [regions, tiers, releases, ladders, limits, breakers, gateway]
        stages = admission.compactMap { $0 }
        let observers: [(any AttemptObserver)?] = [errors, quality, releases]
        attemptObservers = observers.compactMap { $0 }
        let recordSinks: [(any RecordSink)?] = [quality, ladders, releases, chains, regions, loadStages, closedLoop]
        sinks = recordSinks.compactMap { $0 }
        let drivers: [(any Controller)?] = [closedLoop, autoscaling, sampler, faults, budgetPolicy, ladders, releases]
        controllers = drivers.compactMap { $0 }
        replicaObservers = [faults].compactMap { $0 }
    }
}
