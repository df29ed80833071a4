import ServingModel
/// Reads the top-level `releases` list: canary and blue/green releases with automatic rollback.
///
/// ```json5
/// releases: [{
///   name: "v2-rollout", stable: "v1", candidate: "v2",   // pool names
///   strategy: "canary",                                  // or "blue-green"
///   start: "10m",                                        // default 0
///   canary: { fraction: 0.1 },                           // canary only (required there)
///   analysis: { window: "2m", interval: "30s", minRequests: 50, maxTtftP95: "1.5s", maxErrorRate: 0.02 },
///   promoteAfter: "20m",                                 // after start; optional
/// }]
/// ```
/// Each pool takes part in at most one release.
enum ReleaseParser {
    static func parse(_ node: FieldNode, pools: [String]) -> [ReleaseSpec]? {
        guard let items = node.array() else { return nil }
        let sink = node.sink
        let before = sink.diagnostics.count
        var releases: [ReleaseSpec] = []
        for item in items {
            guard let release = release(item, pools: pools) else { continue }
            if releases.contains(where: { $0.name == release.name }) {
                sink.report("\(item.path).name", "duplicate release name \"\(release.name)\"", allowed: "unique names")
            }
            for (key, pool) in [("stable", release.stable), ("candidate", release.candidate)]
            where releases.contains(where: { $0.stable == pool || $0.candidate == pool }) {
                sink.report("\(item.path).\(key)", "pool \"\(pools[pool])\" is already in another release",
                            allowed: "each pool in at most one release")
            }
            releases.append(release)
        }
        return sink.diagnostics.count == before ? releases : nil
    }

    static func release(_ node: FieldNode, pools: [String]) -> ReleaseSpec? {
        guard let obj = node.object() else { return nil }
        defer { obj.finish() }
        let sink = obj.sink
        let before = sink.diagnostics.count
        let name = obj.required("name", allowed: "a unique name")?.string()
        let stable = DegradationParser.poolIndex(obj.required("stable", allowed: "the pool now serving"), pools: pools)
        let candidate = DegradationParser.poolIndex(obj.required("candidate", allowed: "the pool of the new version"), pools: pools)
        if let stable, stable == candidate {
            sink.report(obj.childPath("candidate"), "is the stable pool", allowed: "another pool")
        }
        let strategies = ReleaseSpec.Strategy.allCases.map(\.rawValue)
        let strategy = obj.required("strategy", allowed: strategies.joined(separator: ", "))?.oneOf(strategies)
            .flatMap(ReleaseSpec.Strategy.init(rawValue:))
        let start = obj.optional("start")?.duration() ?? 0
        var fraction: Double? = 1
        if strategy == .canary {
            let canary = obj.required("canary", allowed: "{ fraction } of the stable pool's traffic")?.object()
            fraction = canary?.required("fraction", allowed: "a share in (0, 1]")?.fraction(exclusive: false)
            if fraction == 0 {
                sink.report(obj.childPath("canary.fraction"), "0 is out of range", allowed: "a share in (0, 1]")
            }
            canary?.finish()
        } else if obj.optional("canary") != nil {  // an explicit null is absent
            sink.report(obj.childPath("canary"), "applies only to strategy \"canary\"", allowed: "remove it, or set strategy: \"canary\"")
        }
        let analysis = obj.required("analysis", allowed: "{ window, interval, minRequests, maxTtftP95, maxErrorRate }")
            .flatMap(parseAnalysis)
        let promoteAfter = obj.optional("promoteAfter")?.duration(min: 0, exclusiveMin: true)
        guard sink.diagnostics.count == before, let name, let stable, let candidate, let strategy, let fraction,
              let analysis else { return nil }
        return ReleaseSpec(name: name, stable: stable, candidate: candidate, strategy: strategy, start: start,
                           fraction: fraction, analysis: analysis, promoteAfter: promoteAfter)
    }

    static func parseAnalysis(_ node: FieldNode) -> ReleaseAnalysis? {
        guard let obj = node.object() else { return nil }
        defer { obj.finish() }
        let before = obj.sink.diagnostics.count
        let window = obj.required("window", allowed: "a duration > 0")?.duration(min: 0, exclusiveMin: true)
        let interval = obj.optional("interval")?.duration(min: 0, exclusiveMin: true) ?? 30
        let minRequests = obj.optional("minRequests")?.int(min: 1) ?? 20
        let maxTtft = obj.optional("maxTtftP95")?.duration(min: 0, exclusiveMin: true)
        let maxErrors = obj.optional("maxErrorRate")?.fraction(exclusive: false)
        if obj.optional("maxTtftP95") == nil && obj.optional("maxErrorRate") == nil {
            obj.sink.report(obj.childPath("maxErrorRate"), "is missing", allowed: "maxTtftP95, maxErrorRate or both")
        }
        guard obj.sink.diagnostics.count == before, let window else { return nil }
        return ReleaseAnalysis(window: window, interval: interval, minRequests: minRequests, maxTtftP95: maxTtft,
                               maxErrorRate: maxErrors)
    }
}
