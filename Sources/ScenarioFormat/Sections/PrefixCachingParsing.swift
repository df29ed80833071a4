import ServingModel
/// Reads the prefix-caching keys: a pool's `prefixCaching` and `affinity`, a class's
/// `sharedPrefix`, and the check that a caching pool's KV block size divides its classes' hash
/// blocks.
///
/// ```json5
/// pools: [{ prefixCaching: true,                  // or { enabled: true }; default off
///           routing: "prefix-affinity",
///           affinity: { keyBlocks: 2, epsilon: 0.25, virtualNodes: 64 } }]
/// classes: [{ sharedPrefix: { tokens: 1024, count: 8, skew: 1.0, blockTokens: 16 } }]
/// arrivals: { process: "trace", format: "mooncake", file: "...", blockTokens: 512 }
/// ```
public enum PrefixCachingParser {
    /// `prefixCaching`: `true`/`false` or `{ enabled: Bool }`.
    static func prefixCaching(_ node: FieldNode) -> Bool? {
        if case .bool(let b) = node.value { return b }
        guard case .object = node.value else {
            node.report("expected true, false or an object, got \(node.value.typeName)", allowed: "true, false or { enabled: true }")
            return nil
        }
        guard let obj = node.object() else { return nil }
        let enabled = obj.required("enabled", allowed: "true or false")?.bool()
        obj.finish()
        return enabled
    }

    /// `affinity`: settings of routing `prefix-affinity` or `session-affinity` (an error with any
    /// other policy; `keyBlocks` only with `prefix-affinity`).
    static func affinity(_ node: FieldNode, routing: RoutingPolicy) -> AffinitySpec? {
        guard let obj = node.object() else { return nil }
        let before = node.sink.diagnostics.count
        var spec = AffinitySpec()
        if let keyNode = obj.optional("keyBlocks") {
            if let n = keyNode.int(min: 1, max: 1_000_000) { spec.keyBlocks = n }
            if routing == .sessionAffinity {
                keyNode.report("is only for routing prefix-affinity (session-affinity routes on the session)", allowed: "remove it")
            }
        }
        if let e = obj.optional("epsilon")?.double(min: 0, max: 1_000, exclusiveMin: true) { spec.epsilon = e }
        if let v = obj.optional("virtualNodes")?.int(min: 1, max: 10_000) { spec.virtualNodes = v }
        obj.finish()
        if !routing.usesAffinityRing {
            node.report("is only for routing prefix-affinity or session-affinity (routing is \(routing.rawValue))",
                        allowed: "remove it, or set routing: \"prefix-affinity\" or \"session-affinity\"")
        }
        return node.sink.diagnostics.count == before ? spec : nil
    }

    /// `sharedPrefix` of a synthetic class.
    static func sharedPrefix(_ node: FieldNode) -> SharedPrefixSpec? {
        guard let obj = node.object() else { return nil }
        let before = node.sink.diagnostics.count
        let tokens = obj.required("tokens", allowed: "prefix tokens, an integer >= 1")?.int(min: 1, max: 10_000_000)
        let count = obj.required("count", allowed: "distinct prefixes, an integer >= 1")?.int(min: 1, max: 100_000)
        let skew = obj.optional("skew")?.double(min: 0, max: 100) ?? 0
        let blockNode = obj.optional("blockTokens")
        let blockTokens = blockNode?.int(min: 1, max: 1_000_000) ?? SharedPrefixSpec.defaultBlockTokens
        obj.finish()
        guard node.sink.diagnostics.count == before, let tokens, let count else { return nil }
        if tokens < blockTokens {
            (blockNode ?? node).report("a \(tokens)-token prefix has no full \(blockTokens)-token block",
                                       allowed: "blockTokens <= tokens")
            return nil
        }
        return SharedPrefixSpec(tokens: tokens, count: count, skew: skew, blockTokens: blockTokens)
    }

    /// A caching pool must split its classes' hash blocks into whole KV blocks: each class it
    /// serves with hashes needs `blockTokens` to be a multiple of the pool's `scheduler.blockSize`.
    static func checkBlockSizes(pools: [PoolSpec], classes: [RequestClassSpec], classPools: [Int], sink: DiagnosticSink) {
        for (c, spec) in classes.enumerated() {
            guard let tokens = spec.prefixBlockTokens, classPools[c] < pools.count else { continue }
            let pool = pools[classPools[c]]
            guard pool.prefixCaching, tokens % pool.scheduler.blockSize != 0 else { continue }
            sink.report("pools.\(classPools[c]).prefixCaching",
                        "class \"\(spec.name)\" has \(tokens)-token hash blocks, not a multiple of the KV block size \(pool.scheduler.blockSize)",
                        allowed: "a scheduler.blockSize that divides the class's blockTokens")
        }
    }
}
