import ServingModel
/// Reads the top-level `disaggregation` section (keys: `DisaggregationFields`, `LinkFields`):
/// prefill/decode pool pairs and their KV link.
///
/// ```json5
/// disaggregation: [{
///   prefill: "h100-prefill", decode: "h100-decode",
///   link: { bandwidth: "450GB/s", latency: "5us" },   // per GPU; bytes/s as a number, or with a unit
/// }],
/// ```
enum DisaggregationParser {
    static func parse(_ node: FieldNode, pools: [PoolSpec]) -> [DisaggregationPair]? {
        guard let items = node.array() else { return nil }
        var pairs: [DisaggregationPair] = []
        var pairOfPool = Array(repeating: -1, count: pools.count)
        var ok = true
        for (k, item) in items.enumerated() {
            guard let obj = item.object(DisaggregationFields.section) else { ok = false; continue }
            let prefill = pool(obj, DisaggregationFields.prefill, pools: pools, pairOfPool: &pairOfPool, pair: k)
            let decode = pool(obj, DisaggregationFields.decode, pools: pools, pairOfPool: &pairOfPool, pair: k)
            let link = obj.requiredNode(DisaggregationFields.link).flatMap(parseLink)
            obj.finish()
            guard let prefill, let decode, let link else { ok = false; continue }
            let p = pools[prefill], d = pools[decode]
            if p.model != d.model {
                obj.sink.report(obj.childPath(DisaggregationFields.decode.name), "pool \"\(d.name)\" serves \(d.model) but pool \"\(p.name)\" serves \(p.model)",
                                allowed: "a decode pool serving the prefill pool's model (its KV cache is reused as is)")
                ok = false
                continue
            }
            guard let perToken = p.kvBytesPerToken else {
                obj.sink.report(obj.childPath(DisaggregationFields.prefill.name), "pool \"\(p.name)\" names no model, so its KV bytes per token are unknown",
                                allowed: "pools with a model (preset or object)")
                ok = false
                continue
            }
            pairs.append(DisaggregationPair(
                prefillPool: prefill, decodePool: decode, link: link, kvBytesPerToken: perToken,
                lanes: KVTransfer.lanes(prefillTensorParallel: p.gpusPerReplica, decodeTensorParallel: d.gpusPerReplica)))
        }
        return ok ? pairs : nil
    }

    /// The pool named by `key`: it must exist, be token-level and not be in another pair.
    static func pool(_ obj: ObjectReader, _ key: Key<JSONValue>, pools: [PoolSpec], pairOfPool: inout [Int], pair: Int) -> Int? {
        guard let name = obj.requiredNode(key)?.string() else { return nil }
        let path = obj.childPath(key.name)
        guard let p = pools.firstIndex(where: { $0.name == name }) else {
            obj.sink.report(path, "no pool named \"\(name)\"", allowed: FieldNode.known(pools.map(\.name), "pool"))
            return nil
        }
        if case .service = pools[p].performance {
            obj.sink.report(path, "pool \"\(name)\" is a service-time pool (no tokens, no KV cache)",
                            allowed: "a token-level pool: performance roofline or profile")
            return nil
        }
        if pairOfPool[p] >= 0 {
            let same = pairOfPool[p] == pair
            obj.sink.report(path, same ? "pool \"\(name)\" is both the prefill and the decode pool"
                                       : "pool \"\(name)\" is already in pair \(pairOfPool[p])",
                            allowed: "each pool in at most one pair, prefill and decode different")
            return nil
        }
        pairOfPool[p] = pair
        return p
    }

    /// `link: { bandwidth, latency }`: bandwidth per GPU lane (bytes/s, or a string with a unit),
    /// latency a duration (default 0).
    static func parseLink(_ node: FieldNode) -> KVLink? {
        guard let obj = node.object(LinkFields.section) else { return nil }
        var bandwidth: Double?
        if let b = obj.requiredNode(LinkFields.bandwidth) {
            switch b.value {
            case .string(let text):
                bandwidth = LinkBandwidth.bytesPerSecond(text)
                if bandwidth == nil { b.report("\"\(text)\" is not a bandwidth", allowed: LinkBandwidth.allowed) }
            default:
                bandwidth = b.double(min: 0, exclusiveMin: true)
            }
        }
        let latency = obj.value(LinkFields.latency)
        obj.finish()
        return bandwidth.map { KVLink(bandwidth: $0, latency: latency) }
    }
}
