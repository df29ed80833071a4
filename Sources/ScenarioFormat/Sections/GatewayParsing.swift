import ServingModel
/// Reads the gateway sections of a scenario (keys: `CacheFields`, `HostedFields`): response caches
/// and a hosted API endpoint.
///
/// ```json5
/// caches: [                              // looked up in this order; the first hit wins
///   { name: "exact", kind: "exact", hitRatio: 0.2, hitLatency: "5ms" },
///   { name: "faq", kind: "exact", hitLatency: "5ms",      // or simulate the content instead of a ratio
///     content: { distinct: 200000, skew: 0.8, capacity: 20000, ttl: "1h" } },
///   { kind: "semantic", hitRatio: "10%", hitLatency: { distribution: "lognormal", mean: "30ms", p95: "60ms" },
///     classes: ["chat"] },               // default: every class
/// ],
/// hosted: {
///   name: "hosted-api",                  // default "hosted"
///   inputPricePerMillion: 0.2, outputPricePerMillion: 0.6,   // USD per million tokens (required)
///   ttft: "400ms", tpot: "15ms",         // duration distributions (required)
///   share: 0,                            // fraction of traffic always sent there (default 0)
///   overflow: true,                      // take what a pool would reject for capacity (default false)
/// }
/// ```
/// `name` of a cache defaults to its kind; names are unique. A hosted endpoint with share 0 and
/// overflow false receives nothing (allowed, so that a variant can switch it off).
enum GatewayParser {
    static func caches(_ node: FieldNode, classes known: [String]) -> [ResponseCacheSpec]? {
        guard let items = node.array() else { return nil }
        var caches: [ResponseCacheSpec] = []
        var ok = true
        for item in items {
            guard let cache = cache(item, classes: known) else { ok = false; continue }
            if caches.contains(where: { $0.name == cache.name }) {
                item.sink.report("\(item.path).name", "duplicate cache name \"\(cache.name)\"", allowed: "unique names")
                ok = false
            }
            caches.append(cache)
        }
        return ok ? caches : nil
    }

    static func cache(_ node: FieldNode, classes known: [String]) -> ResponseCacheSpec? {
        typealias K = CacheFields
        guard let obj = node.object(K.section) else { return nil }
        defer { obj.finish() }
        let before = obj.sink.reportedCount
        let kind = obj.read(K.kind)
        let name = obj.read(K.name)
        let ratioNode = obj.node(K.hitRatio), contentNode = obj.node(K.content)
        let hitRatio = ratioNode.flatMap(K.hitRatio.read)
        let content = contentNode.flatMap(cacheContent)
        if (ratioNode == nil) == (contentNode == nil) {
            obj.sink.report(obj.childPath(ratioNode == nil ? K.hitRatio.name : K.content.name),
                            ratioNode == nil ? "is missing" : "is given with content",
                            allowed: "either hitRatio (a fraction in [0, 1], e.g. 0.2 or \"20%\") or content { distinct, skew, capacity, ttl }")
        }
        let latency = obj.requiredNode(K.hitLatency).flatMap { DurationDistribution.parse($0) }
        var classes: [String] = []
        if let classNode = obj.node(K.classes) {
            for c in classNode.array(minCount: 1) ?? [] {
                guard let s = c.string() else { continue }
                if !known.contains(s) {
                    c.report("no request class named \"\(s)\"", allowed: FieldNode.known(known, "request class"))
                } else {
                    classes.append(s)
                }
            }
        }
        guard obj.sink.reportedCount == before, let kind, let latency else { return nil }
        return ResponseCacheSpec(name: name ?? kind.rawValue, kind: kind, hitRatio: hitRatio, hitLatency: latency,
                                 classes: classes, content: content)
    }

    /// `content: { distinct, skew (default 0.8), capacity (entries, default unbounded), ttl (default none) }`.
    static func cacheContent(_ node: FieldNode) -> CacheContentModel? {
        typealias K = CacheContentFields
        guard let obj = node.object(K.section) else { return nil }
        defer { obj.finish() }
        let before = obj.sink.reportedCount
        let distinct = obj.read(K.distinct)
        let skew = obj.value(K.skew)
        let capacity = obj.read(K.capacity)
        let ttl = obj.read(K.ttl)
        guard obj.sink.reportedCount == before, let distinct else { return nil }
        return CacheContentModel(distinct: distinct, skew: skew, capacity: capacity, ttl: ttl)
    }

    static func hosted(_ node: FieldNode) -> HostedEndpointSpec? {
        typealias K = HostedFields
        guard let obj = node.object(K.section) else { return nil }
        defer { obj.finish() }
        let before = obj.sink.reportedCount
        let name = obj.value(K.name)
        let input = obj.read(K.inputPricePerMillion)
        let output = obj.read(K.outputPricePerMillion)
        let ttft = obj.requiredNode(K.ttft).flatMap { DurationDistribution.parse($0) }
        let tpot = obj.requiredNode(K.tpot).flatMap { DurationDistribution.parse($0) }
        let share = obj.value(K.share)
        let overflow = obj.value(K.overflow)
        guard obj.sink.reportedCount == before, let input, let output, let ttft, let tpot else { return nil }
        return HostedEndpointSpec(name: name, inputPricePerMillion: input, outputPricePerMillion: output,
                                  ttft: ttft, tpot: tpot, share: share, overflow: overflow)
    }
}
