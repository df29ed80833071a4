import ServingModel
/// Reads the top-level `routers` list (keys: `RouterFields`, `TierFields`, `RouterFallbackFields`):
/// request routers that split classes over pools (tiers).
///
/// ```json5
/// routers: [{
///   name: "chat-tiers",                   // unique among pools and routers
///   classes: ["chat"],                    // classes it serves (each class: one pool or one router)
///   split: [{ pool: "small", weight: 70 }, { pool: "large", weight: 30 }],
///   fallback: { when: "queueDepth", threshold: 32 },   // or { when: "wouldReject" }; optional
/// }]
/// ```
enum RouterParser {
    /// The routers, and per class the router serving it (-1: none). `claimedByPools[c]` is the pool
    /// whose `classes` names class c (-1: none); a class may not be claimed by both.
    static func parse(_ node: FieldNode, pools: [String], classes: [String],
                      claimedByPools: [Int]) -> (routers: [TrafficRouter], classRouters: [Int])? {
        guard let items = node.array() else { return nil }
        let sink = node.sink
        let before = sink.reportedCount
        var routers: [TrafficRouter] = []
        var classRouters = Array(repeating: -1, count: classes.count)
        for item in items {
            guard let (router, served) = router(item, pools: pools) else { continue }
            if pools.contains(router.name) || routers.contains(where: { $0.name == router.name }) {
                sink.report("\(item.path).name", "duplicate name \"\(router.name)\"", allowed: "names unique across pools and routers")
            }
            for name in served {
                guard let c = classes.firstIndex(of: name) else {
                    sink.report("\(item.path).classes", "no request class named \"\(name)\"", allowed: FieldNode.known(classes, "request class"))
                    continue
                }
                if claimedByPools[c] >= 0 {
                    sink.report("\(item.path).classes", "class \"\(name)\" is already served by pool \"\(pools[claimedByPools[c]])\"",
                                allowed: "each class served by one pool or one router")
                } else if classRouters[c] >= 0 {
                    sink.report("\(item.path).classes", "class \"\(name)\" is already served by router \"\(routers[classRouters[c]].name)\"",
                                allowed: "each class served by one pool or one router")
                }
                classRouters[c] = routers.count
            }
            routers.append(router)
        }
        return sink.reportedCount == before ? (routers, classRouters) : nil
    }

    static func router(_ node: FieldNode, pools: [String]) -> (TrafficRouter, [String])? {
        typealias K = RouterFields
        guard let obj = node.object(K.section) else { return nil }
        defer { obj.finish() }
        let sink = obj.sink
        let before = sink.reportedCount
        let name = obj.read(K.name)
        let classes = obj.requiredNode(K.classes)?.array(minCount: 1)?.compactMap { $0.string() } ?? []
        var split: [TrafficRouter.Tier] = []
        for tierNode in obj.requiredNode(K.split)?.array(minCount: 1) ?? [] {
            guard let tier = tierNode.object(TierFields.section) else { continue }
            let pool = DegradationParser.poolIndex(tier.requiredNode(TierFields.pool), pools: pools)
            let weight = tier.read(TierFields.weight)
            tier.finish()
            guard let pool, let weight else { continue }
            if split.contains(where: { $0.pool == pool }) {
                sink.report("\(tierNode.path).pool", "pool \"\(pools[pool])\" appears twice", allowed: "each pool once per router")
            }
            split.append(.init(pool: pool, weight: weight))
        }
        if !split.isEmpty && split.allSatisfy({ $0.weight == 0 }) {
            sink.report(obj.childPath(K.split.name), "all weights are 0", allowed: "at least one weight > 0")
        }
        var fallback: TrafficRouter.Saturation?
        if let fallbackObj = obj.node(K.fallback)?.object(RouterFallbackFields.section) {
            typealias F = RouterFallbackFields
            switch fallbackObj.read(F.when) {
            case "queueDepth":
                fallback = fallbackObj.read(F.threshold, required: true).map { .queueDepth(threshold: $0) }
            case "wouldReject":
                if fallbackObj.node(F.threshold) != nil {
                    sink.report(fallbackObj.childPath(F.threshold.name), "applies only to when: \"queueDepth\"",
                                allowed: "remove it, or set when: \"queueDepth\"")
                }
                fallback = .wouldReject
            default:
                fallbackObj.accept(F.threshold.spec)
            }
            fallbackObj.finish()
            if split.count < 2 {
                sink.report(obj.childPath(K.fallback.name), "needs another tier to fall back to", allowed: "at least two pools in split")
            }
        }
        guard sink.reportedCount == before, let name else { return nil }
        return (TrafficRouter(name: name, split: split, fallback: fallback), classes)
    }
}

extension Scenario {
    /// Installs routers: a routed class's `classPools` entry becomes its router's first tier (the
    /// pool whose request overhead its attempts pay before the router chooses).
    public mutating func applyRouters(_ routers: [TrafficRouter], classRouters: [Int]) {
        self.routers = routers
        self.classRouters = routers.isEmpty ? [] : classRouters
        for (c, r) in self.classRouters.enumerated() where r >= 0 { classPools[c] = routers[r].split[0].pool }
    }
}
