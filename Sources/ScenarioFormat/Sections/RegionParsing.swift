import ServingModel
/// Reads the geography of a scenario: top-level `regions`, each pool's `region`, and each class's
/// `origin` / `origins`, `pools` (geo routing) and `failover`.
///
/// ```json5
/// regions: [                                   // order = the order of the report's regions
///   { name: "us-east", rtt: { "us-east": "2ms", "eu-west": "80ms" } },
///   { name: "eu-west", rtt: { "eu-west": "2ms" } },     // eu-west -> us-east given above
/// ],
/// pools: [{ name: "us-h100", region: "us-east", ... }, { name: "eu-h100", region: "eu-west", ... }],
/// workload: { classes: [
///   { name: "us-chat", origin: "us-east", pools: ["us-h100", "eu-h100"], ... },
///   { name: "eu-chat", origins: [{ region: "eu-west", fraction: 0.9 }, { region: "us-east", fraction: 0.1 }],
///     pools: ["eu-h100", "us-h100"], failover: true, ... },
/// ] },
/// ```
/// RTTs are round trips in seconds between clients in one region and servers in another. They are
/// symmetric: each unordered pair (a region with itself included) is given in either region's
/// `rtt`, or in both with the same value; a missing pair is an error (no silent default). With
/// `regions`, every pool names its region and every class its origin; without them, those keys
/// are errors. A class with `pools` must not also be listed in a pool's `classes`.
enum RegionParser {
    /// Reads `regions` from the top level and the region keys of the raw pool and class entries.
    /// Skipped (nil) when the pools or classes did not parse: their problems are reported already.
    static func parse(top: ObjectReader, classes: [RequestClassSpec], pools: [PoolSpec], claimed: [Int]) -> RegionTopology? {
        let node = top.node(ScenarioFields.regions)
        let classNodes = entries(top.fields["workload"].flatMap { value -> JSONValue? in
            if case .object(let w) = value { return w["classes"] } else { return nil }
        }, path: "workload.classes", sink: top.sink)
        let poolNodes = entries(top.fields["pools"], path: "pools", sink: top.sink)
        guard classNodes.count == classes.count, poolNodes.count == pools.count else { return nil }
        return parse(node, classNodes: classNodes, poolNodes: poolNodes, classes: classes, pools: pools,
                     claimed: claimed, sink: top.sink)
    }

    /// Reports classes that a router serves and that also give `pools` (geo routing): a class is
    /// steered by one of them. `classRouters[c]` is the router serving class c (-1: none).
    static func rejectRoutedGeoClasses(top: ObjectReader, classRouters: [Int], routerNames: [String]) {
        let classNodes = entries(top.fields["workload"].flatMap { value -> JSONValue? in
            if case .object(let w) = value { return w["classes"] } else { return nil }
        }, path: "workload.classes", sink: top.sink)
        for (c, n) in classNodes.enumerated() where c < classRouters.count && classRouters[c] >= 0 {
            field(n, ClassFields.pools)?.report("the class is also served by router \"\(routerNames[classRouters[c]])\"",
                                      allowed: "either geo routing over pools or a router's tiers, not both")
        }
    }

    private static func entries(_ value: JSONValue?, path: String, sink: DiagnosticSink) -> [FieldNode] {
        guard case .array(let items)? = value else { return [] }
        return items.enumerated().map { FieldNode(value: $1, path: "\(path).\($0)", sink: sink) }
    }

    /// The topology, nil when the scenario has no `regions` (or when anything was reported).
    /// `classNodes` and `poolNodes` are the raw class and pool entries, parallel to `classes` and
    /// `pools` (the other parsers accept the region keys and leave them to this one).
    static func parse(_ node: FieldNode?, classNodes: [FieldNode], poolNodes: [FieldNode], classes: [RequestClassSpec],
                      pools: [PoolSpec], claimed: [Int], sink: DiagnosticSink) -> RegionTopology? {
        let before = sink.reportedCount
        guard let node else {
            for n in poolNodes {
                if let v = field(n, PoolFields.region) { v.report("needs top-level regions", allowed: "define regions: [{ name, rtt }] first") }
            }
            for n in classNodes {
                for key in [ClassFields.origin.spec, ClassFields.origins.spec, ClassFields.pools.spec, ClassFields.failover.spec] {
                    field(n, key)?.report("needs top-level regions", allowed: "define regions: [{ name, rtt }] first")
                }
            }
            return nil
        }
        guard let (names, rtt) = table(node) else { return nil }
        let allowedRegions = names.joined(separator: ", ")
        func regionIndex(_ n: FieldNode) -> Int? {
            guard let s = n.string() else { return nil }
            guard let r = names.firstIndex(of: s) else { n.report("no region named \"\(s)\"", allowed: allowedRegions); return nil }
            return r
        }

        // Pools: each in one region.
        var poolRegion: [Int] = []
        for n in poolNodes {
            guard let v = field(n, PoolFields.region) else {
                sink.report("\(n.path).region", "is missing", allowed: "the pool's region: \(allowedRegions)")
                poolRegion.append(0)
                continue
            }
            poolRegion.append(regionIndex(v) ?? 0)
        }

        // Classes: origins, candidate pools, failover.
        var origins: [[RegionTopology.OriginShare]] = []
        var candidates: [[Int]] = []
        var failover: [Bool] = []
        let poolNames = pools.map(\.name)
        for (c, n) in classNodes.enumerated() {
            origins.append(parseOrigins(n, regionIndex: regionIndex, allowed: allowedRegions) ?? [])
            var list = [c < claimed.count ? max(claimed[c], 0) : 0]
            if let v = field(n, ClassFields.pools) {
                if c < claimed.count, claimed[c] >= 0 {
                    v.report("class \"\(classes[c].name)\" is also in the classes of pool \"\(poolNames[claimed[c]])\"",
                             allowed: "either the class's pools (geo routing) or one pool's classes, not both")
                }
                list = parsePools(v, poolNames: poolNames) ?? list
            }
            candidates.append(list)
            if let v = field(n, ClassFields.failover) {
                if field(n, ClassFields.pools) == nil {
                    v.report("applies only to a class with pools", allowed: "remove it, or give the class pools: [...]")
                }
                failover.append(v.bool() ?? true)
            } else {
                failover.append(true)
            }
        }
        guard sink.reportedCount == before else { return nil }
        return RegionTopology(names: names, rtt: rtt, poolRegion: poolRegion, origins: origins,
                              candidates: candidates, failover: failover)
    }

    /// A declared key of a pool or class entry, which that entry's reader accepts and leaves to
    /// this one (nil when absent or not an object; the entry's own reader reports a wrong type).
    private static func field<V>(_ node: FieldNode, _ key: Key<V>) -> FieldNode? { field(node, key.spec) }

    private static func field(_ node: FieldNode, _ key: FieldSpec) -> FieldNode? {
        guard case .object(let fields) = node.value, let v = fields[key.key], v != .null else { return nil }
        return FieldNode(value: v, path: "\(node.path).\(key.key)", sink: node.sink)
    }

    /// Region names and the symmetric RTT matrix, in the order of the `regions` array.
    private static func table(_ node: FieldNode) -> ([String], [[Double]])? {
        guard let items = node.array(minCount: 1) else { return nil }
        let before = node.sink.reportedCount
        var names: [String] = []
        var readers: [ObjectReader?] = []
        for item in items {
            guard let obj = item.object(RegionFields.section) else { names.append(""); readers.append(nil); continue }
            let name = obj.read(RegionFields.name) ?? ""
            if !name.isEmpty, names.contains(name) {
                item.sink.report(obj.childPath("name"), "duplicate region name \"\(name)\"", allowed: "unique names")
            }
            names.append(name)
            readers.append(obj)
        }
        let n = names.count
        // given[i][j]: the RTT region i's entry gives to region j, and the node that gave it.
        var given = Array(repeating: [(Double, FieldNode)?](repeating: nil, count: n), count: n)
        for (i, obj) in readers.enumerated() {
            guard let obj else { continue }
            if let rttNode = obj.requiredNode(RegionFields.rtt), let rtt = rttNode.object() {
                for key in rtt.fields.keys.sorted() {
                    guard let v = rtt.entry(key) else { continue }
                    guard let j = names.firstIndex(of: key) else {
                        v.report("no region named \"\(key)\"", allowed: FieldNode.known(names, "region"))
                        continue
                    }
                    if let d = v.duration() { given[i][j] = (d, v) }
                }
            }
            obj.finish()
        }
        guard node.sink.reportedCount == before else { return nil }
        var rtt = Array(repeating: Array(repeating: 0.0, count: n), count: n)
        for i in 0..<n {
            for j in i..<n {
                switch (given[i][j], given[j][i]) {
                case let ((a, _)?, (b, bNode)?) where a != b:
                    bNode.report("\(FieldNode.format(b))s differs from the \(FieldNode.format(a))s that \(names[i]) gives to \(names[j])",
                                 allowed: "round trips are symmetric: the same value, or give the pair in one region only")
                case let ((a, _)?, _), let (nil, (a, _)?):
                    rtt[i][j] = a
                    rtt[j][i] = a
                default:
                    node.sink.report("\(items[i].path).rtt", "missing the round-trip time to \"\(names[j])\"",
                                     allowed: "a duration for every region, itself included (or give it in \(names[j])'s rtt)")
                }
            }
        }
        guard node.sink.reportedCount == before else { return nil }
        return (names, rtt)
    }

    /// `origin: "eu-west"` or `origins: [{ region, fraction }]` (fractions > 0, summing to 1).
    private static func parseOrigins(_ n: FieldNode, regionIndex: (FieldNode) -> Int?, allowed: String) -> [RegionTopology.OriginShare]? {
        let one = field(n, ClassFields.origin), many = field(n, ClassFields.origins)
        switch (one, many) {
        case (nil, nil):
            n.sink.report("\(n.path).origin", "is missing", allowed: "the clients' region (\(allowed)), or origins: [{ region, fraction }]")
            return nil
        case (_?, _?):
            n.sink.report("\(n.path).origins", "is given with origin", allowed: "either origin or origins")
            return nil
        case (let one?, nil):
            return regionIndex(one).map { [RegionTopology.OriginShare(region: $0, fraction: 1)] }
        case (nil, let many?):
            guard let items = many.array(minCount: 1) else { return nil }
            var shares: [RegionTopology.OriginShare] = []
            var ok = true
            for item in items {
                guard let obj = item.object(OriginShareFields.section) else { ok = false; continue }
                let regionNode = obj.node(OriginShareFields.region)
                if regionNode == nil { obj.sink.report(obj.childPath(OriginShareFields.region.name), "is missing", allowed: allowed) }
                let region = regionNode.flatMap(regionIndex)
                let fractionNode = obj.requiredNode(OriginShareFields.fraction)
                let fraction = fractionNode.flatMap(OriginShareFields.fraction.read)
                obj.finish()
                if let f = fraction, f == 0 { fractionNode?.report("0 is out of range", allowed: "greater than 0 (leave the region out)") }
                guard let region, let fraction, fraction > 0 else { ok = false; continue }
                if shares.contains(where: { $0.region == region }) {
                    regionNode?.report("region given twice", allowed: "each region once")
                    ok = false
                }
                shares.append(.init(region: region, fraction: fraction))
            }
            guard ok else { return nil }
            let sum = shares.reduce(0) { $0 + $1.fraction }
            if abs(sum - 1) > 1e-9 {
                many.report("fractions sum to \(FieldNode.format(sum))", allowed: "fractions summing to 1")
                return nil
            }
            return shares
        }
    }

    /// `pools: ["us-h100", "eu-h100"]`: known, distinct pool names.
    private static func parsePools(_ v: FieldNode, poolNames: [String]) -> [Int]? {
        guard let items = v.array(minCount: 1) else { return nil }
        var list: [Int] = []
        var ok = true
        for item in items {
            guard let s = item.string() else { ok = false; continue }
            guard let p = poolNames.firstIndex(of: s) else {
                item.report("no pool named \"\(s)\"", allowed: FieldNode.known(poolNames, "pool"))
                ok = false
                continue
            }
            if list.contains(p) { item.report("pool \"\(s)\" listed twice", allowed: "each pool once"); ok = false }
            list.append(p)
        }
        return ok ? list : nil
    }
}
