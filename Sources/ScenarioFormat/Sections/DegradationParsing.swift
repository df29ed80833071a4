import ServingModel
/// Reads the top-level `degradation` list (keys: `LadderFields`, `LadderStepFields`): one ladder per
/// guarded pool.
///
/// ```json5
/// degradation: [{
///   pool: "large",                       // the pool it guards (required)
///   signal: "queueDepth",                // or "burnRate" with slo (required) and window ("5m")
///   checkInterval: "10s", recoverAfter: "1m",
///   steps: [                             // thresholds strictly increasing
///     { when: 50,  action: "fallback", pool: "small", fraction: 1 },
///     { when: 150, action: "limitOutput", maxOutputTokens: 256 },
///     { when: 400, action: "shed", fraction: 0.5 },
///   ],
/// }]
/// ```
/// `{ when: 64, action: "disableSpeculation" }` turns the guarded pool's speculative decoding off
/// while engaged (the pool must have a `speculative` section).
/// Each action appears at most once per ladder; a fallback names another pool; `name` (optional)
/// labels a step in reports (default: its action).
enum DegradationParser {
    static let actions = LadderStepFields.actions

    /// `speculative`: per pool, whether it has speculative decoding (for `disableSpeculation`).
    static func parse(_ node: FieldNode, pools: [String], slos: [SLOSpec], speculative: [Bool] = [],
                      enforcedPolicy: Bool = false) -> [DegradationLadder]? {
        guard let items = node.array() else { return nil }
        var ladders: [DegradationLadder] = []
        var ok = true
        for item in items {
            if let ladder = ladder(item, pools: pools, slos: slos, speculative: speculative, enforcedPolicy: enforcedPolicy) {
                if ladders.contains(where: { $0.pool == ladder.pool }) {
                    item.sink.report("\(item.path).pool", "pool \"\(pools[ladder.pool])\" already has a ladder",
                                     allowed: "one ladder per pool")
                    ok = false
                }
                ladders.append(ladder)
            } else {
                ok = false
            }
        }
        return ok ? ladders : nil
    }

    static func poolIndex(_ node: FieldNode?, pools: [String]) -> Int? {
        guard let node, let name = node.string() else { return nil }
        guard let index = pools.firstIndex(of: name) else {
            node.report("unknown pool \"\(name)\"", allowed: FieldNode.known(pools, "pool"))
            return nil
        }
        return index
    }

    static func ladder(_ node: FieldNode, pools: [String], slos: [SLOSpec], speculative: [Bool] = [],
                       enforcedPolicy: Bool = false) -> DegradationLadder? {
        typealias K = LadderFields
        guard let obj = node.object(K.section) else { return nil }
        defer { obj.finish() }
        let sink = obj.sink
        let before = sink.reportedCount
        let pool = poolIndex(obj.requiredNode(K.pool), pools: pools)
        let kind = obj.value(K.signal)
        let checkInterval = obj.value(K.checkInterval)
        let recoverAfter = obj.value(K.recoverAfter)
        var signal = DegradationLadder.Signal.queueDepth
        if kind == "burnRate" {
            let sloNode = obj.requiredNode(K.slo)
            let window = obj.value(K.window)
            if let name = sloNode?.string() {
                if let s = slos.firstIndex(where: { $0.name == name }) {
                    signal = .burnRate(slo: s, window: window)
                } else {
                    sloNode?.report("no SLO named \"\(name)\"", allowed: FieldNode.known(slos.map(\.name), "SLO"))
                }
            }
        } else {
            if kind == "budgetPolicy" {
                signal = .budgetPolicy
                if !enforcedPolicy {
                    sink.report(obj.childPath(K.signal.name), "\"budgetPolicy\" without an errorBudgetPolicy",
                                allowed: "add a top-level errorBudgetPolicy, or another signal")
                }
            }
            for key in [K.slo.spec, K.window.spec] where obj.fields[key.key].map({ $0 != .null }) ?? false {
                sink.report(obj.childPath(key.key), "applies only to signal \"burnRate\"", allowed: "remove it, or set signal: \"burnRate\"")
                obj.accept(key)
            }
        }
        var steps: [DegradationLadder.Step] = []
        for stepNode in obj.requiredNode(K.steps)?.array(minCount: 1) ?? [] {
            guard let s = step(stepNode, pools: pools, guarded: pool) else { continue }
            if let last = steps.last, s.threshold <= last.threshold {
                sink.report("\(stepNode.path).when", "\(FieldNode.format(s.threshold)) is not above the previous step's \(FieldNode.format(last.threshold))",
                            allowed: "thresholds strictly increasing along the ladder")
            }
            if steps.contains(where: { $0.action.name == s.action.name }) {
                sink.report("\(stepNode.path).action", "\"\(s.action.name)\" appears twice", allowed: "each action once per ladder")
            }
            if s.action == .disableSpeculation, let pool, !(pool < speculative.count && speculative[pool]) {
                sink.report("\(stepNode.path).action", "pool \"\(pools[pool])\" has no speculative decoding",
                            allowed: "a pool with a speculative section, or another action")
            }
            steps.append(s)
        }
        guard sink.reportedCount == before, let pool, !steps.isEmpty else { return nil }
        return DegradationLadder(pool: pool, signal: signal, steps: steps, checkInterval: checkInterval,
                                 recoverAfter: recoverAfter)
    }

    static func step(_ node: FieldNode, pools: [String], guarded: Int?) -> DegradationLadder.Step? {
        typealias K = LadderStepFields
        guard let obj = node.object(K.section) else { return nil }
        defer { obj.finish() }
        let threshold = obj.read(K.when)
        let kind = obj.read(K.action)
        let name = obj.read(K.name)
        var action: DegradationLadder.Action?
        switch kind {
        case "fallback":
            let target = poolIndex(obj.requiredNode(K.pool), pools: pools)
            let share = obj.read(K.fraction)
            if let target, target == guarded {
                obj.sink.report(obj.childPath(K.pool.name), "falls back to the pool it guards", allowed: "another pool")
            } else if let target, let share {
                action = .fallback(pool: target, fraction: share)
            }
        case "limitOutput":
            action = obj.read(K.maxOutputTokens).map { .limitOutput(maxOutputTokens: $0) }
        case "shed":
            action = obj.read(K.fraction).map { .shed(fraction: $0) }
        case "disableSpeculation":
            action = .disableSpeculation
        default:
            obj.acceptAll()
        }
        guard let threshold, let action else { return nil }
        return .init(name: name ?? action.name, threshold: threshold, action: action)
    }
}
