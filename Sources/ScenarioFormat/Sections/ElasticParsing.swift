import ServingModel
extension DurationDistribution {
    /// A duration distribution: a plain duration (`"30s"`, `30`) means fixed; or an object
    /// `{ distribution: NAME, ... }` with durations as numbers (seconds) or strings:
    /// - `fixed`: `value`
    /// - `uniform`: `min`, `max` (min <= max)
    /// - `exponential`: `mean` (> 0)
    /// - `lognormal`: `mean` and `p95` (p95 > mean, p95/mean <= 3.87), or `mu` and `sigma`
    ///   (log-seconds; sigma >= 0)
    /// - `weibull`: `scale` (> 0, a duration) and `shape` (> 0, a number)
    /// `allowed` restricts the names (e.g. time to failure: exponential, weibull).
    public static func parse(_ node: FieldNode, allowed: [String] = names) -> DurationDistribution? {
        if case .object = node.value {} else {
            guard let seconds = node.duration() else { return nil }
            return .fixed(seconds)
        }
        guard let obj = node.object() else { return nil }
        defer { obj.finish() }
        guard let name = obj.required("distribution", allowed: allowed.joined(separator: ", "))?.oneOf(allowed) else {
            // Without a known distribution the other keys cannot be judged: do not call them unknown.
            obj.accept("value", "min", "max", "mean", "p95", "mu", "sigma", "scale", "shape")
            return nil
        }
        func positive(_ key: String) -> Double? { obj.required(key)?.duration(min: 0, exclusiveMin: true) }
        switch name {
        case "fixed":
            return obj.required("value")?.duration().map { .fixed($0) }
        case "uniform":
            let lo = obj.required("min")?.duration(), hi = obj.required("max")?.duration()
            guard let lo, let hi else { return nil }
            guard lo <= hi else {
                obj.sink.report(obj.childPath("max"), "\(hi)s is below min \(lo)s", allowed: "at least min"); return nil
            }
            return .uniform(min: lo, max: hi)
        case "exponential":
            return positive("mean").map { .exponential(mean: $0) }
        case "lognormal":
            if obj.has("mu") || obj.has("sigma") {
                let mu = obj.required("mu")?.double(), sigma = obj.required("sigma")?.double(min: 0)
                guard let mu, let sigma else { return nil }
                return .lognormal(mu: mu, sigma: sigma)
            }
            let mean = positive("mean"), p95 = positive("p95")
            guard let mean, let p95 else { return nil }
            do {
                return try .lognormal(mean: mean, p95: p95)
            } catch {
                obj.sink.report(obj.childPath("p95"), error.description); return nil
            }
        default:  // weibull
            let scale = positive("scale"), shape = obj.required("shape")?.double(min: 0, exclusiveMin: true)
            guard let scale, let shape else { return nil }
            return .weibull(scale: scale, shape: shape)
        }
    }

    /// Distribution names accepted by `parse`.
    public static let names = ["fixed", "uniform", "exponential", "lognormal", "weibull"]
}

/// Reads the elastic-capacity and fault sections of a scenario. Keys are camelCase; durations are
/// numbers (seconds) or strings like "30s"; every reader reports unknown keys and bad ranges and
/// returns nil on any problem. Keys and defaults:
///
/// autoscaler: `minReplicas` 1 (0 allows scale to zero), `maxReplicas` (required, >= minReplicas,
/// >= 1), `metric` "concurrency" (| "queueDepth" | "kvUtilization" | "requestRate"), `target`
/// (required, > 0; <= 1 for kvUtilization), `syncPeriod` "15s", `tolerance` 0.1 (in [0, 1)),
/// `scaleUp` { `factor` 2 (>= 1), `pods` 4 (>= 0) }, `scaleDownStabilization` "5m",
/// `scaleToZeroGrace` "5m" (only with minReplicas 0), `panicWindow` "6s", `panicThreshold` 2 (>= 1),
/// `stableWindow` "60s" (>= panicWindow), `predictive` { `leadTime` "120s", `mode` "trend"
/// (| "schedule"), `perReplicaRate` (required, requests/s, > 0) } (default none).
///
/// coldStart: `provision` lognormal(mean 20s, p95 45s), `imagePull` lognormal(mean 30s, p95 60s),
/// `engineStart` lognormal(mean 20s, p95 40s) (each a DurationDistribution), `weightLoadBandwidth`
/// 2e9 (bytes/s, > 0).
///
/// warmPool: `size` (required, integer >= 0), `startTime` lognormal(mean 5s, p95 10s),
/// `idleCostFraction` 1 (in [0, 1]).
///
/// faults: `replicaFailures` { `mtbf` (required; a plain duration means exponential with that
/// mean; or an exponential / weibull object), `mttr` (required, DurationDistribution) },
/// `spotPreemption` { `rate` (required, per replica-hour, > 0), `notice` "120s" },
/// `outages` [ { `at` (required), `duration` (required, > 0), `pools` [names] (default: all) } ],
/// `inFlight` "fail" (| "retry").
///
/// client: `timeout` (duration > 0; default none), `retry` { `maxAttempts` 3 (>= 1), `baseBackoff`
/// "1s", `maxBackoff` "30s" (>= baseBackoff), `multiplier` 2 (>= 1), `jitter` "full" (| "equal" |
/// "none") } (default none: no retries).
///
/// tokenBucket: `rate` (required, tokens/s, > 0), `burst` (default max(1, rate), > 0).
public enum ElasticParser {
    public static func autoscaler(_ node: FieldNode) -> AutoscalerSpec? {
        guard let obj = node.object() else { return nil }
        defer { obj.finish() }
        let d = AutoscalerSpec(maxReplicas: 1, target: 1)
        let minR = obj.optional("minReplicas")?.int(min: 0) ?? d.minReplicas
        let maxR = obj.required("maxReplicas")?.int(min: 1)
        let metric = obj.optional("metric")?.oneOf(AutoscalerSpec.Metric.allCases.map(\.rawValue))
            .flatMap(AutoscalerSpec.Metric.init(rawValue:)) ?? (obj.has("metric") ? nil : d.metric)
        let targetNode = obj.required("target")
        let target = metric == .kvUtilization ? targetNode?.double(min: 0, max: 1, exclusiveMin: true)
                                              : targetNode?.double(min: 0, exclusiveMin: true)
        let sync = obj.optional("syncPeriod")?.duration(min: 0, exclusiveMin: true) ?? d.syncPeriod
        let tolerance = obj.optional("tolerance")?.double(min: 0, max: 0.999) ?? d.tolerance
        var factor = d.scaleUpFactor, pods = d.scaleUpPods
        if let up = obj.optional("scaleUp")?.object() {
            factor = up.optional("factor")?.double(min: 1) ?? factor
            pods = up.optional("pods")?.int(min: 0) ?? pods
            up.finish()
        }
        let down = obj.optional("scaleDownStabilization")?.duration() ?? d.scaleDownStabilization
        let grace = obj.optional("scaleToZeroGrace")?.duration() ?? d.scaleToZeroGrace
        if obj.has("scaleToZeroGrace"), minR > 0 {
            obj.sink.report(obj.childPath("scaleToZeroGrace"), "only applies when minReplicas is 0",
                            allowed: "set minReplicas to 0, or remove it")
        }
        let panicWindow = obj.optional("panicWindow")?.duration(min: 0, exclusiveMin: true) ?? d.panicWindow
        let panicThreshold = obj.optional("panicThreshold")?.double(min: 1) ?? d.panicThreshold
        let stable = obj.optional("stableWindow")?.duration(min: 0, exclusiveMin: true) ?? d.stableWindow
        if stable < panicWindow {
            obj.sink.report(obj.childPath("stableWindow"), "\(stable)s is shorter than panicWindow \(panicWindow)s",
                            allowed: "at least panicWindow")
        }
        if let maxR, minR > maxR {
            obj.sink.report(obj.childPath("minReplicas"), "\(minR) exceeds maxReplicas \(maxR)", allowed: "at most maxReplicas")
        }
        var predictive: AutoscalerSpec.Predictive?
        var predictiveOK = true
        if let p = obj.optional("predictive") {
            predictive = Self.predictive(p)
            predictiveOK = predictive != nil
        }
        guard let maxR, minR <= maxR, let metric, let target, stable >= panicWindow, predictiveOK,
              !(obj.has("scaleToZeroGrace") && minR > 0), !node.sink.hasErrorsUnder(obj.path) else { return nil }
        return AutoscalerSpec(minReplicas: minR, maxReplicas: maxR, metric: metric, target: target, syncPeriod: sync,
                              tolerance: tolerance, scaleUpFactor: factor, scaleUpPods: pods,
                              scaleDownStabilization: down, scaleToZeroGrace: grace, panicWindow: panicWindow,
                              panicThreshold: panicThreshold, stableWindow: stable, predictive: predictive)
    }

    static func predictive(_ node: FieldNode) -> AutoscalerSpec.Predictive? {
        guard let obj = node.object() else { return nil }
        defer { obj.finish() }
        let lead = obj.optional("leadTime")?.duration() ?? 120
        let modeNode = obj.optional("mode")
        let mode = modeNode.map { $0.oneOf(AutoscalerSpec.Predictive.Mode.allCases.map(\.rawValue))
            .flatMap(AutoscalerSpec.Predictive.Mode.init(rawValue:)) } ?? .trend
        let rate = obj.required("perReplicaRate", allowed: "requests/s one replica serves")?.double(min: 0, exclusiveMin: true)
        guard let mode, let rate, !node.sink.hasErrorsUnder(obj.path) else { return nil }
        return .init(leadTime: lead, mode: mode, perReplicaRate: rate)
    }

    public static func coldStart(_ node: FieldNode) -> ColdStartSpec? {
        guard let obj = node.object() else { return nil }
        defer { obj.finish() }
        var spec = ColdStartSpec()
        var ok = true
        func phase(_ key: String, _ keyPath: WritableKeyPath<ColdStartSpec, DurationDistribution>) {
            guard let n = obj.optional(key) else { return }
            if let dist = DurationDistribution.parse(n) { spec[keyPath: keyPath] = dist } else { ok = false }
        }
        phase("provision", \.provision)
        phase("imagePull", \.imagePull)
        phase("engineStart", \.engineStart)
        if let n = obj.optional("weightLoadBandwidth") {
            if let bw = n.double(min: 0, exclusiveMin: true) { spec.weightLoadBandwidth = bw } else { ok = false }
        }
        return ok ? spec : nil
    }

    public static func warmPool(_ node: FieldNode) -> WarmPoolSpec? {
        guard let obj = node.object() else { return nil }
        defer { obj.finish() }
        let size = obj.required("size")?.int(min: 0)
        let startNode = obj.optional("startTime")
        let start = startNode.map { DurationDistribution.parse($0) } ?? WarmPoolSpec.defaultStartTime
        let fractionNode = obj.optional("idleCostFraction")
        let fraction = fractionNode.map { $0.fraction(exclusive: false) } ?? 1
        guard let size, let start, let fraction else { return nil }
        return WarmPoolSpec(size: size, startTime: start, idleCostFraction: fraction)
    }

    /// `knownPools`, when given, is checked against each outage's `pools`.
    public static func faults(_ node: FieldNode, knownPools: [String]? = nil) -> FaultSpec? {
        guard let obj = node.object() else { return nil }
        defer { obj.finish() }
        var spec = FaultSpec()
        var ok = true
        if let n = obj.optional("replicaFailures") {
            if let f = replicaFailures(n) { spec.replicaFailures = f } else { ok = false }
        }
        if let n = obj.optional("spotPreemption") {
            if let p = n.object() {
                let rate = p.required("rate", allowed: "preemptions per replica-hour")?.double(min: 0, exclusiveMin: true)
                let notice = p.optional("notice").map { $0.duration() } ?? 120
                p.finish()
                if let rate, let notice { spec.spotPreemption = .init(ratePerReplicaHour: rate, notice: notice) } else { ok = false }
            } else { ok = false }
        }
        if let n = obj.optional("outages") {
            if let items = n.array() {
                for item in items {
                    if let o = outage(item, knownPools: knownPools) { spec.outages.append(o) } else { ok = false }
                }
            } else { ok = false }
        }
        if let n = obj.optional("inFlight") {
            if let v = n.oneOf(FaultSpec.InFlight.allCases.map(\.rawValue)).flatMap(FaultSpec.InFlight.init(rawValue:)) {
                spec.inFlight = v
            } else { ok = false }
        }
        return ok ? spec : nil
    }

    static func replicaFailures(_ node: FieldNode) -> FaultSpec.ReplicaFailures? {
        guard let obj = node.object() else { return nil }
        defer { obj.finish() }
        var ttf: DurationDistribution?
        if let m = obj.required("mtbf", allowed: "a duration (exponential mean), or an exponential or weibull object") {
            if case .object = m.value {
                ttf = DurationDistribution.parse(m, allowed: ["exponential", "weibull"])
            } else {
                ttf = m.duration(min: 0, exclusiveMin: true).map { .exponential(mean: $0) }
            }
        }
        let ttr = obj.required("mttr").flatMap { DurationDistribution.parse($0) }
        guard let ttf, let ttr else { return nil }
        return .init(timeToFailure: ttf, timeToRepair: ttr)
    }

    static func outage(_ node: FieldNode, knownPools: [String]?) -> FaultSpec.Outage? {
        guard let obj = node.object() else { return nil }
        defer { obj.finish() }
        let at = obj.required("at")?.duration()
        let duration = obj.required("duration")?.duration(min: 0, exclusiveMin: true)
        var pools: [String]? = []
        if let list = obj.optional("pools")?.array(minCount: 1) {
            pools = list.map { item -> String? in
                guard let name = item.string() else { return nil }
                if let knownPools, !knownPools.contains(name) {
                    item.report("unknown pool \"\(name)\"", allowed: knownPools.joined(separator: ", ")); return nil
                }
                return name
            }.reduce(into: [String]?([])) { acc, name in
                if let name { acc?.append(name) } else { acc = nil }
            }
        } else if obj.has("pools") {
            pools = nil
        }
        guard let at, let duration, let pools else { return nil }
        return .init(at: at, duration: duration, pools: pools)
    }

    public static func client(_ node: FieldNode) -> ClientSpec? {
        guard let obj = node.object() else { return nil }
        defer { obj.finish() }
        let timeoutNode = obj.optional("timeout")
        let timeout = timeoutNode?.duration(min: 0, exclusiveMin: true)
        let retryNode = obj.optional("retry")
        let retry = retryNode.flatMap(Self.retry)
        if timeoutNode != nil && timeout == nil || retryNode != nil && retry == nil { return nil }
        return ClientSpec(timeout: timeout, retry: retry)
    }

    static func retry(_ node: FieldNode) -> RetryPolicy? {
        guard let obj = node.object() else { return nil }
        defer { obj.finish() }
        let d = RetryPolicy()
        let attempts = obj.optional("maxAttempts").map { $0.int(min: 1) } ?? d.maxAttempts
        let base = obj.optional("baseBackoff").map { $0.duration() } ?? d.baseBackoff
        let cap = obj.optional("maxBackoff").map { $0.duration() } ?? d.maxBackoff
        let multiplier = obj.optional("multiplier").map { $0.double(min: 1) } ?? d.multiplier
        let jitter = obj.optional("jitter").map {
            $0.oneOf(RetryPolicy.Jitter.allCases.map(\.rawValue)).flatMap(RetryPolicy.Jitter.init(rawValue:))
        } ?? d.jitter
        guard let attempts, let base, let cap, let multiplier, let jitter else { return nil }
        guard cap >= base else {
            obj.sink.report(obj.childPath("maxBackoff"), "\(cap)s is below baseBackoff \(base)s", allowed: "at least baseBackoff")
            return nil
        }
        return RetryPolicy(maxAttempts: attempts, baseBackoff: base, maxBackoff: cap, multiplier: multiplier, jitter: jitter)
    }

    public static func tokenBucket(_ node: FieldNode) -> TokenBucket? {
        guard let obj = node.object() else { return nil }
        defer { obj.finish() }
        let rate = obj.required("rate", allowed: "tokens per second")?.double(min: 0, exclusiveMin: true)
        let burstNode = obj.optional("burst")
        let burst = burstNode?.double(min: 0, exclusiveMin: true)
        guard let rate, burstNode == nil || burst != nil else { return nil }
        return TokenBucket(rate: rate, burst: burst ?? max(1, rate))
    }
}

extension DiagnosticSink {
    /// Whether any diagnostic so far is at `path` or below it.
    func hasErrorsUnder(_ path: String) -> Bool {
        diagnostics.contains { $0.path == path || $0.path.hasPrefix(path + ".") }
    }
}
