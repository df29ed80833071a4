import ServingModel
/// Reads the top-level `releases` list (keys: `ReleaseFields`, `CanaryFields`, `AnalysisFields`):
/// canary and blue/green releases with automatic rollback.
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
    /// `modelsQuality`: per pool, whether it has `quality` (a quality threshold on a candidate
    /// without it could never fire).
    static func parse(_ node: FieldNode, pools: [String], modelsQuality: [Bool]) -> [ReleaseSpec]? {
        guard let items = node.array() else { return nil }
        let sink = node.sink
        let before = sink.reportedCount
        var releases: [ReleaseSpec] = []
        for item in items {
            guard let release = release(item, pools: pools) else { continue }
            if release.analysis.checksQuality && !modelsQuality[release.candidate] {
                sink.report("\(item.path).analysis", "a quality threshold on candidate \"\(pools[release.candidate])\", which has no quality",
                            allowed: "set pools[\(release.candidate)].quality (schemaAdherence, safetyFlagRate), or remove minSchemaAdherence and maxSafetyFlagRate")
            }
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
        return sink.reportedCount == before ? releases : nil
    }

    static func release(_ node: FieldNode, pools: [String]) -> ReleaseSpec? {
        typealias K = ReleaseFields
        guard let obj = node.object(K.section) else { return nil }
        defer { obj.finish() }
        let sink = obj.sink
        let before = sink.reportedCount
        let name = obj.read(K.name)
        let stable = DegradationParser.poolIndex(obj.requiredNode(K.stable), pools: pools)
        let candidate = DegradationParser.poolIndex(obj.requiredNode(K.candidate), pools: pools)
        if let stable, stable == candidate {
            sink.report(obj.childPath(K.candidate.name), "is the stable pool", allowed: "another pool")
        }
        let strategy = obj.read(K.strategy)
        let start = obj.value(K.start)
        var fraction: Double? = 1
        if strategy == .canary {
            let canary = obj.requiredNode(K.canary)?.object(CanaryFields.section)
            fraction = canary?.read(CanaryFields.fraction)
            if fraction == 0 {
                sink.report(obj.childPath("canary.fraction"), "0 is out of range", allowed: "a share in (0, 1]")
            }
            canary?.finish()
        } else if obj.node(K.canary) != nil {  // an explicit null is absent
            sink.report(obj.childPath(K.canary.name), "applies only to strategy \"canary\"", allowed: "remove it, or set strategy: \"canary\"")
        }
        let analysis = obj.requiredNode(K.analysis).flatMap(parseAnalysis)
        let promoteAfter = obj.read(K.promoteAfter)
        guard sink.reportedCount == before, let name, let stable, let candidate, let strategy, let fraction,
              let analysis else { return nil }
        return ReleaseSpec(name: name, stable: stable, candidate: candidate, strategy: strategy, start: start,
                           fraction: fraction, analysis: analysis, promoteAfter: promoteAfter)
    }

    static func parseAnalysis(_ node: FieldNode) -> ReleaseAnalysis? {
        typealias K = AnalysisFields
        guard let obj = node.object(K.section) else { return nil }
        defer { obj.finish() }
        let before = obj.sink.reportedCount
        let window = obj.read(K.window)
        let interval = obj.value(K.interval)
        let minRequests = obj.value(K.minRequests)
        let maxTtft = obj.read(K.maxTtftP95)
        let maxErrors = obj.read(K.maxErrorRate)
        let minAdherence = obj.read(K.minSchemaAdherence)
        let maxFlags = obj.read(K.maxSafetyFlagRate)
        if !obj.has(K.maxTtftP95) && !obj.has(K.maxErrorRate) && !obj.has(K.minSchemaAdherence) && !obj.has(K.maxSafetyFlagRate) {
            obj.sink.report(obj.childPath(K.maxErrorRate.name), "is missing", allowed: K.thresholdsHint)
        }
        guard obj.sink.reportedCount == before, let window else { return nil }
        return ReleaseAnalysis(window: window, interval: interval, minRequests: minRequests, maxTtftP95: maxTtft,
                               maxErrorRate: maxErrors, minSchemaAdherence: minAdherence, maxSafetyFlagRate: maxFlags)
    }
}
