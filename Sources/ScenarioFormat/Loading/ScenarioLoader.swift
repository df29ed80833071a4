import ServingModel
import Foundation

/// Reads a scenario file (JSON5) into a validated `Scenario`, or throws an `InputError` listing
/// every problem found, one per field, as `FILE: path.to.field: what is wrong (what is allowed)`.
public enum ScenarioLoader {
    /// Loads and validates the scenario at `path`; `seed` overrides the file's seed.
    public static func load(path: String, seed: UInt64? = nil, perIteration: Bool? = nil,
                            limits: RunLimits = .standard) throws -> Scenario {
        try ScenarioSource.read(path: path, limits: limits).scenario(seed: seed, perIteration: perIteration)
    }

    /// Loads the scenario at `path` with `overrides` applied to its value tree first (in order);
    /// an override's bad path or value is reported like any field error.
    public static func load(path: String, overrides: [ScenarioOverride], seed: UInt64? = nil,
                            perIteration: Bool? = nil, limits: RunLimits = .standard) throws -> Scenario {
        try ScenarioSource.read(path: path, limits: limits).scenario(overrides: overrides, seed: seed, perIteration: perIteration)
    }

    /// Parses scenario text. `file` names it in diagnostics; relative paths resolve against
    /// `baseDirectory`.
    public static func parse(data: Data, file: String, baseDirectory: String, seed: UInt64? = nil,
                             perIteration: Bool? = nil, limits: RunLimits = .standard) throws -> Scenario {
        try ScenarioSource.parse(data, file: file, baseDirectory: baseDirectory, limits: limits)
            .scenario(seed: seed, perIteration: perIteration)
    }

    /// Parses scenario text into its value tree and the positions of its values, without
    /// validating it (for overrides and variants). Syntax errors, duplicate keys and numbers
    /// beyond a 64-bit float are reported with their line and column.
    public static func document(_ data: Data, file: String) throws(InputError) -> (value: JSONValue, positions: SourceMap) {
        do {
            return try JSON5Parser.parse(data)
        } catch {
            throw InputError(error.diagnostics(file: file))
        }
    }

    /// Validates a scenario value tree (a parsed file, possibly with overrides applied);
    /// `positions` gives diagnostics their line and column; `limits` bounds what the run may cost.
    public static func parse(value root: JSONValue, file: String, positions: SourceMap? = nil, baseDirectory: String,
                             seed: UInt64? = nil, perIteration: Bool? = nil, limits: RunLimits = .standard) throws -> Scenario {
        typealias K = ScenarioFields
        let sink = DiagnosticSink(file: file, positions: positions)
        guard let top = FieldNode(value: root, path: "", sink: sink).object(K.section) else { throw InputError(sink.diagnostics) }

        if let version = top.read(K.version), version != 1 {
            sink.report(K.version.name, "version \(version) is not supported", allowed: "1")
        }
        let name = top.read(K.name) ?? ""
        if !name.isEmpty && (!name.allSatisfy({ $0.isLetter || $0.isNumber || "-_.".contains($0) }) || name.hasPrefix(".")) {
            sink.report(K.name.name, "\"\(name)\" is not a file-safe name", allowed: "letters, digits, '-', '_', '.', not starting with '.'")
        }
        let description = top.value(K.description)
        let fileSeed = UInt64(top.value(K.seed))
        let validDuration = top.read(K.duration)
        let duration = validDuration ?? 1
        let warmup = top.value(K.warmup)
        // Compared only with a valid duration: a bad one is its own problem, not the warm-up's.
        if let validDuration, warmup >= validDuration {
            sink.report(K.warmup.name, "must be shorter than the duration", allowed: "0 <= warmup < duration")
        }
        let drainTimeout = top.read(K.drainTimeout)
        let seriesInterval = top.value(K.timeSeriesInterval)
        var mode = false
        if let engine = top.node(K.engine)?.object(EngineFields.section) {
            mode = engine.read(EngineFields.mode) == "per-iteration"
            engine.finish()
        }

        var classes: [RequestClassSpec] = []
        if let workload = top.requiredNode(K.workload) {
            classes = WorkloadParser.parse(workload, baseDirectory: baseDirectory) ?? []
        }
        var pools: [PoolSpec] = []
        var classPools = Array(repeating: 0, count: classes.count)
        var claimed = Array(repeating: -1, count: classes.count)
        if let poolNodes = top.requiredNode(K.pools)?.array(minCount: 1) {
            for (index, node) in poolNodes.enumerated() {
                guard let parsed = PoolParser.parse(node, baseDirectory: baseDirectory) else { continue }
                if pools.contains(where: { $0.name == parsed.spec.name }) {
                    sink.report("\(node.path).name", "duplicate pool name \"\(parsed.spec.name)\"", allowed: "unique names")
                }
                for className in parsed.classes {
                    guard let c = classes.firstIndex(where: { $0.name == className }) else {
                        sink.report("\(node.path).classes", "no request class named \"\(className)\"",
                                    allowed: FieldNode.known(classes.map(\.name), "request class"))
                        continue
                    }
                    if claimed[c] >= 0 {
                        sink.report("\(node.path).classes", "class \"\(className)\" is already served by pool \(claimed[c])",
                                    allowed: "each class served by one pool")
                    }
                    claimed[c] = index
                }
                pools.append(parsed.spec)
            }
            // Classes no pool names go to the first pool.
            classPools = claimed.map { max($0, 0) }
            if pools.count == poolNodes.count {
                PrefixCachingParser.checkBlockSizes(pools: pools, classes: classes, classPools: classPools, sink: sink)
            }
        }
        var slos: [SLOSpec] = []
        if let sloNode = top.node(K.slos) { slos = SLOParser.parse(sloNode, knownClasses: classes.map(\.name)) ?? [] }
        let faults = top.node(K.faults).flatMap { ControlPlaneParser.faults($0, knownPools: pools.map(\.name)) }
        let admission = top.node(K.admission).flatMap { parseAdmission($0, tenants: Set(classes.map(\.tenant))) }
        let budgetPolicy = top.node(K.errorBudgetPolicy).flatMap { parseBudgetPolicy($0, slos: slos) }
        let degradation = top.node(K.degradation).flatMap {
            DegradationParser.parse($0, pools: pools.map(\.name), slos: slos, speculative: pools.map { $0.speculation != nil },
                                    enforcedPolicy: top.node(K.errorBudgetPolicy) != nil)
        }
        let caches = top.node(K.caches).flatMap { GatewayParser.caches($0, classes: classes.map(\.name)) }
        let hosted = top.node(K.hosted).flatMap { GatewayParser.hosted($0) }
        let routing = top.node(K.routers).flatMap {
            RouterParser.parse($0, pools: pools.map(\.name), classes: classes.map(\.name), claimedByPools: claimed)
        }
        let releases = top.node(K.releases).flatMap { ReleaseParser.parse($0, pools: pools.map(\.name), modelsQuality: pools.map { $0.quality != nil }) }
        // Variants are validated here (a bad one is a problem of the file); `ScenarioSource.variants`
        // hands them out.
        _ = top.node(K.variants).flatMap { VariantParser.parse($0, baseName: name) }
        let disaggregation = top.node(K.disaggregation).flatMap { DisaggregationParser.parse($0, pools: pools) }
        let regions = RegionParser.parse(top: top, classes: classes, pools: pools, claimed: claimed)
        if let routing, !routing.routers.isEmpty {
            RegionParser.rejectRoutedGeoClasses(top: top, classRouters: routing.classRouters,
                                                routerNames: routing.routers.map(\.name))
        }
        limits.check(classes: classes, pools: pools, classPools: classPools, duration: duration,
                     timeSeriesInterval: seriesInterval, sink: sink)
        top.finish()
        try sink.throwIfAny()

        let traces = try WorkloadParser.loadTraces(classes, baseDirectory: baseDirectory, limits: limits)
        if traces.contains(where: { !$0.isEmpty }) {
            // Now that the traces' rows are known, the estimate counts them too.
            limits.check(classes: classes, pools: pools, classPools: classPools, duration: duration,
                         timeSeriesInterval: seriesInterval, traceRows: traces.map(\.count), sink: sink)
            try sink.throwIfAny()
        }
        var scenario = Scenario(name: name, description: description, seed: seed ?? fileSeed, duration: duration,
                                warmup: warmup, drainTimeout: drainTimeout, classes: classes, classPools: classPools,
                                pools: pools, slos: slos, perIteration: perIteration ?? mode, traces: traces,
                                baseDirectory: baseDirectory)
        scenario.timeSeriesInterval = seriesInterval
        scenario.faults = faults
        scenario.admission = admission ?? Admission()
        scenario.degradation = degradation ?? []
        scenario.caches = caches ?? []
        scenario.hosted = hosted
        scenario.disaggregation = disaggregation ?? []
        if let regions {
            scenario.regions = regions
            // A geo-routed class's own pool is its first candidate (the others' stays as claimed).
            scenario.classPools = regions.candidates.map { $0[0] }
        }
        if let routing { scenario.applyRouters(routing.routers, classRouters: routing.classRouters) }
        scenario.releases = releases ?? []
        scenario.budgetPolicy = budgetPolicy
        return scenario
    }

    /// `errorBudgetPolicy: { slos, interval, minRequests }`: needs SLOs; names must be SLOs'.
    static func parseBudgetPolicy(_ node: FieldNode, slos: [SLOSpec]) -> ErrorBudgetPolicy? {
        typealias K = BudgetPolicyFields
        guard let obj = node.object(K.section) else { return nil }
        defer { obj.finish() }
        let before = obj.sink.reportedCount
        var watched = Array(slos.indices)
        if let names = obj.node(K.slos)?.array(minCount: 1) {
            watched = names.compactMap { item in
                guard let name = item.string() else { return nil }
                guard let s = slos.firstIndex(where: { $0.name == name }) else {
                    item.report("no SLO named \"\(name)\"", allowed: FieldNode.known(slos.map(\.name), "SLO"))
                    return nil
                }
                return s
            }
        } else if slos.isEmpty {
            node.report("the scenario has no SLOs", allowed: "slos to watch; the policy acts on their error budgets")
        }
        let interval = obj.value(K.interval)
        let minRequests = obj.value(K.minRequests)
        guard obj.sink.reportedCount == before, !watched.isEmpty else { return nil }
        return ErrorBudgetPolicy(slos: watched, interval: interval, minRequests: minRequests)
    }

    /// `admission: { tenants: [{ tenant, rate, burst, unit }], maxInFlightTokens }`.
    static func parseAdmission(_ node: FieldNode, tenants known: Set<String>) -> Admission? {
        guard let obj = node.object(AdmissionFields.section) else { return nil }
        var admission = Admission()
        admission.maxInFlightTokens = obj.read(AdmissionFields.maxInFlightTokens)
        for limitNode in obj.node(AdmissionFields.tenants)?.array() ?? [] {
            typealias K = TenantLimitFields
            guard let limit = limitNode.object(K.section) else { continue }
            let tenant = limit.read(K.tenant)
            let rate = limit.read(K.rate)
            let burst = limit.read(K.burst)
            let unit = limit.value(K.unit)
            limit.finish()
            if let tenant, !known.contains(tenant) {
                limitNode.sink.report(limit.childPath(K.tenant.name), "no request class has tenant \"\(tenant)\"",
                                      allowed: FieldNode.known(known.sorted(), "tenant"))
            }
            if let tenant, let rate {
                admission.tenants.append(.init(tenant: tenant, rate: rate, burst: burst ?? max(1, rate), unit: unit))
            }
        }
        obj.finish()
        return admission
    }

}
