import ServingModel

extension DurationDistribution {
    /// A duration distribution (keys: `DurationDistributionFields`): a plain duration (`"30s"`,
    /// `30`) means fixed; an object names its distribution. `allowed` restricts the names (time to
    /// failure: exponential, weibull).
    public static func parse(_ node: FieldNode, allowed: [String] = names) -> DurationDistribution? {
        typealias K = DurationDistributionFields
        if case .object = node.value {} else {
            guard let seconds = node.duration() else { return nil }
            return .fixed(seconds)
        }
        guard let obj = node.object(K.section) else { return nil }
        defer { obj.finish() }
        guard let name = obj.requiredNode(K.distribution)?.oneOf(allowed) else {
            // Without a known distribution the other keys cannot be judged: do not call them unknown.
            obj.acceptAll()
            return nil
        }
        switch name {
        case "fixed":
            return obj.read(K.value).map { .fixed($0) }
        case "uniform":
            let lo = obj.read(K.min), hi = obj.read(K.max)
            guard let lo, let hi else { return nil }
            guard lo <= hi else {
                obj.sink.report(obj.childPath(K.max.name), "\(hi)s is below min \(lo)s", allowed: "at least min"); return nil
            }
            return .uniform(min: lo, max: hi)
        case "exponential":
            return obj.read(K.mean, required: true).map { .exponential(mean: $0) }
        case "lognormal":
            if obj.has(K.mu) || obj.has(K.sigma) {
                let mu = obj.read(K.mu, required: true), sigma = obj.read(K.sigma, required: true)
                guard let mu, let sigma else { return nil }
                return .lognormal(mu: mu, sigma: sigma)
            }
            let mean = obj.read(K.mean, required: true), p95 = obj.read(K.p95, required: true)
            guard let mean, let p95 else { return nil }
            do {
                return try .lognormal(mean: mean, p95: p95)
            } catch {
                obj.sink.report(obj.childPath(K.p95.name), error.description, allowed: error.allowed); return nil
            }
        default:  // weibull
            let scale = obj.read(K.scale), shape = obj.read(K.shape)
            guard let scale, let shape else { return nil }
            return .weibull(scale: scale, shape: shape)
        }
    }

    /// Distribution names accepted by `parse`.
    public static let names = DurationDistributionFields.names
}

/// Reads the control-plane sections of a scenario: a pool's `autoscaling`, `coldStart` and
/// `warmPool`, the scenario's `faults`, and a class's `client` (keys and defaults: the `*Fields`
/// declarations). Every reader reports unknown keys and bad ranges and returns nil on any problem.
public enum ControlPlaneParser {
    public static func autoscaler(_ node: FieldNode) -> AutoscalerSpec? {
        typealias K = AutoscalingFields
        guard let obj = node.object(K.section) else { return nil }
        defer { obj.finish() }
        let minR = obj.value(K.minReplicas)
        let maxR = obj.read(K.maxReplicas)
        let metric = obj.read(K.metric)
        let targetNode = obj.requiredNode(K.target)
        let target = metric == .kvUtilization ? targetNode?.double(min: 0, max: 1, exclusiveMin: true)
                                              : targetNode?.double(min: 0, exclusiveMin: true)
        let sync = obj.value(K.syncPeriod)
        let tolerance = obj.value(K.tolerance)
        var factor = ScaleUpFields.factor.fallback!, pods = ScaleUpFields.pods.fallback!
        if let up = obj.node(K.scaleUp)?.object(ScaleUpFields.section) {
            factor = up.value(ScaleUpFields.factor)
            pods = up.value(ScaleUpFields.pods)
            up.finish()
        }
        let down = obj.value(K.scaleDownStabilization)
        let grace = obj.value(K.scaleToZeroGrace)
        if obj.has(K.scaleToZeroGrace), minR > 0 {
            obj.sink.report(obj.childPath(K.scaleToZeroGrace.name), "only applies when minReplicas is 0",
                            allowed: "set minReplicas to 0, or remove it")
        }
        let panicWindow = obj.value(K.panicWindow)
        let panicThreshold = obj.value(K.panicThreshold)
        let stable = obj.value(K.stableWindow)
        if stable < panicWindow {
            obj.sink.report(obj.childPath(K.stableWindow.name), "\(stable)s is shorter than panicWindow \(panicWindow)s",
                            allowed: "at least panicWindow")
        }
        if let maxR, minR > maxR {
            obj.sink.report(obj.childPath(K.minReplicas.name), "\(minR) exceeds maxReplicas \(maxR)", allowed: "at most maxReplicas")
        }
        var predictive: AutoscalerSpec.Predictive?
        var predictiveOK = true
        if let p = obj.node(K.predictive) {
            predictive = Self.predictive(p)
            predictiveOK = predictive != nil
        }
        guard let maxR, minR <= maxR, let metric, let target, stable >= panicWindow, predictiveOK,
              !(obj.has(K.scaleToZeroGrace) && minR > 0), !node.sink.hasErrorsUnder(obj.path) else { return nil }
        return AutoscalerSpec(minReplicas: minR, maxReplicas: maxR, metric: metric, target: target, syncPeriod: sync,
                              tolerance: tolerance, scaleUpFactor: factor, scaleUpPods: pods,
                              scaleDownStabilization: down, scaleToZeroGrace: grace, panicWindow: panicWindow,
                              panicThreshold: panicThreshold, stableWindow: stable, predictive: predictive)
    }

    static func predictive(_ node: FieldNode) -> AutoscalerSpec.Predictive? {
        typealias K = PredictiveFields
        guard let obj = node.object(K.section) else { return nil }
        defer { obj.finish() }
        let lead = obj.value(K.leadTime)
        let mode = obj.read(K.mode)
        let rate = obj.read(K.perReplicaRate)
        guard let mode, let rate, !node.sink.hasErrorsUnder(obj.path) else { return nil }
        return .init(leadTime: lead, mode: mode, perReplicaRate: rate)
    }

    public static func coldStart(_ node: FieldNode) -> ColdStartSpec? {
        typealias K = ColdStartFields
        guard let obj = node.object(K.section) else { return nil }
        defer { obj.finish() }
        var spec = ColdStartSpec()
        var ok = true
        func phase(_ key: Key<JSONValue>, _ keyPath: WritableKeyPath<ColdStartSpec, DurationDistribution>) {
            guard let n = obj.node(key) else { return }
            if let dist = DurationDistribution.parse(n) { spec[keyPath: keyPath] = dist } else { ok = false }
        }
        phase(K.provision, \.provision)
        phase(K.imagePull, \.imagePull)
        phase(K.engineStart, \.engineStart)
        if obj.has(K.weightLoadBandwidth) {
            if let bw = obj.read(K.weightLoadBandwidth) { spec.weightLoadBandwidth = bw } else { ok = false }
        }
        return ok ? spec : nil
    }

    public static func warmPool(_ node: FieldNode) -> WarmPoolSpec? {
        typealias K = WarmPoolFields
        guard let obj = node.object(K.section) else { return nil }
        defer { obj.finish() }
        let size = obj.read(K.size)
        let start = obj.node(K.startTime).map { DurationDistribution.parse($0) } ?? WarmPoolSpec.defaultStartTime
        let fraction = obj.read(K.idleCostFraction)
        guard let size, let start, let fraction else { return nil }
        return WarmPoolSpec(size: size, startTime: start, idleCostFraction: fraction)
    }

    /// `knownPools`, when given, is checked against each outage's `pools`.
    public static func faults(_ node: FieldNode, knownPools: [String]? = nil) -> FaultSpec? {
        typealias K = FaultFields
        guard let obj = node.object(K.section) else { return nil }
        defer { obj.finish() }
        var spec = FaultSpec()
        var ok = true
        if let n = obj.node(K.replicaFailures) {
            if let f = replicaFailures(n) { spec.replicaFailures = f } else { ok = false }
        }
        if let n = obj.node(K.spotPreemption) {
            if let p = n.object(SpotFields.section) {
                let rate = p.read(SpotFields.rate)
                let notice = p.read(SpotFields.notice)
                p.finish()
                if let rate, let notice { spec.spotPreemption = .init(ratePerReplicaHour: rate, notice: notice) } else { ok = false }
            } else { ok = false }
        }
        if let n = obj.node(K.outages) {
            if let items = n.array() {
                for item in items {
                    if let o = outage(item, knownPools: knownPools) { spec.outages.append(o) } else { ok = false }
                }
            } else { ok = false }
        }
        if obj.has(K.inFlight) {
            if let v = obj.read(K.inFlight) { spec.inFlight = v } else { ok = false }
        }
        return ok ? spec : nil
    }

    static func replicaFailures(_ node: FieldNode) -> FaultSpec.ReplicaFailures? {
        typealias K = ReplicaFailureFields
        guard let obj = node.object(K.section) else { return nil }
        defer { obj.finish() }
        var ttf: DurationDistribution?
        if let m = obj.requiredNode(K.mtbf) {
            if case .object = m.value {
                ttf = DurationDistribution.parse(m, allowed: ["exponential", "weibull"])
            } else {
                ttf = m.duration(min: 0, exclusiveMin: true).map { .exponential(mean: $0) }
            }
        }
        let ttr = obj.requiredNode(K.mttr).flatMap { DurationDistribution.parse($0) }
        guard let ttf, let ttr else { return nil }
        return .init(timeToFailure: ttf, timeToRepair: ttr)
    }

    static func outage(_ node: FieldNode, knownPools: [String]?) -> FaultSpec.Outage? {
        typealias K = OutageFields
        guard let obj = node.object(K.section) else { return nil }
        defer { obj.finish() }
        let at = obj.read(K.at)
        let duration = obj.read(K.duration)
        var pools: [String]? = []
        if let list = obj.node(K.pools)?.array(minCount: 1) {
            pools = list.map { item -> String? in
                guard let name = item.string() else { return nil }
                if let knownPools, !knownPools.contains(name) {
                    item.report("unknown pool \"\(name)\"", allowed: FieldNode.known(knownPools, "pool")); return nil
                }
                return name
            }.reduce(into: [String]?([])) { acc, name in
                if let name { acc?.append(name) } else { acc = nil }
            }
        } else if obj.has(K.pools) {
            pools = nil
        }
        guard let at, let duration, let pools else { return nil }
        return .init(at: at, duration: duration, pools: pools)
    }

    public static func client(_ node: FieldNode) -> ClientSpec? {
        typealias K = ClientFields
        guard let obj = node.object(K.section) else { return nil }
        defer { obj.finish() }
        let timeoutGiven = obj.has(K.timeout)
        let timeout = obj.read(K.timeout)
        let retryNode = obj.node(K.retry)
        let retry = retryNode.flatMap(Self.retry)
        if timeoutGiven && timeout == nil || retryNode != nil && retry == nil { return nil }
        return ClientSpec(timeout: timeout, retry: retry)
    }

    static func retry(_ node: FieldNode) -> RetryPolicy? {
        typealias K = RetryFields
        guard let obj = node.object(K.section) else { return nil }
        defer { obj.finish() }
        let attempts = obj.read(K.maxAttempts)
        let base = obj.read(K.baseBackoff)
        let cap = obj.read(K.maxBackoff)
        let multiplier = obj.read(K.multiplier)
        let jitter = obj.read(K.jitter)
        guard let attempts, let base, let cap, let multiplier, let jitter else { return nil }
        guard cap >= base else {
            obj.sink.report(obj.childPath(K.maxBackoff.name), "\(cap)s is below baseBackoff \(base)s", allowed: "at least baseBackoff")
            return nil
        }
        return RetryPolicy(maxAttempts: attempts, baseBackoff: base, maxBackoff: cap, multiplier: multiplier, jitter: jitter)
    }
}

extension DiagnosticSink {
    /// Whether any diagnostic so far is at `path` or below it.
    func hasErrorsUnder(_ path: String) -> Bool {
        diagnostics.contains { $0.path == path || $0.path.hasPrefix(path + ".") }
    }
}
