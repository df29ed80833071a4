import ServingModel
/// Reads the prefix-caching keys (`PrefixCachingFields`, `AffinityFields`, `SharedPrefixFields`):
/// a pool's `prefixCaching` and `affinity`, a class's `sharedPrefix`, and the check that a caching
/// pool's KV block size divides its classes' hash blocks.
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
        guard let obj = node.object(PrefixCachingFields.section) else { return nil }
        let enabled = obj.read(PrefixCachingFields.enabled)
        obj.finish()
        return enabled
    }

    /// `affinity`: settings of routing `prefix-affinity` or `session-affinity` (an error with any
    /// other policy; `keyBlocks` only with `prefix-affinity`).
    static func affinity(_ node: FieldNode, routing: RoutingPolicy) -> AffinitySpec? {
        typealias K = AffinityFields
        guard let obj = node.object(K.section) else { return nil }
        let before = node.sink.reportedCount
        var spec = AffinitySpec()
        if let keyNode = obj.node(K.keyBlocks) {
            if let n = K.keyBlocks.read(keyNode) { spec.keyBlocks = n }
            if routing == .sessionAffinity {
                keyNode.report("is only for routing prefix-affinity (session-affinity routes on the session)", allowed: "remove it")
            }
        }
        spec.epsilon = obj.value(K.epsilon)
        spec.virtualNodes = obj.value(K.virtualNodes)
        obj.finish()
        if !routing.usesAffinityRing {
            node.report("is only for routing prefix-affinity or session-affinity (routing is \(routing.rawValue))",
                        allowed: "remove it, or set routing: \"prefix-affinity\" or \"session-affinity\"")
        }
        return node.sink.reportedCount == before ? spec : nil
    }

    /// `sharedPrefix` of a synthetic class.
    static func sharedPrefix(_ node: FieldNode) -> SharedPrefixSpec? {
        typealias K = SharedPrefixFields
        guard let obj = node.object(K.section) else { return nil }
        let before = node.sink.reportedCount
        let tokens = obj.read(K.tokens)
        let count = obj.read(K.count)
        let skew = obj.value(K.skew)
        let blockNode = obj.node(K.blockTokens)
        let blockTokens = obj.value(K.blockTokens)
        obj.finish()
        guard node.sink.reportedCount == before, let tokens, let count else { return nil }
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
