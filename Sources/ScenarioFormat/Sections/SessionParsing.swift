import ServingModel
/// Reads a synthetic class's `sessions` key (multi-turn chat; see `SessionSpec`).
///
/// ```json5
/// sessions: {
///   turns: 4,                        // mean of a geometric count (a number >= 1), or a length
///                                    // distribution as promptTokens: { distribution: "uniform", min: 2, max: 8 }
///   thinkTime: "30s",                // mean seconds between two turns' sends (exponential), > 0
///   maxContextTokens: 32768,         // a later turn whose prompt would exceed this ends the session
///   blockTokens: 16,                 // tokens per hash block of the conversation
/// }
/// ```
/// Not with trace arrivals (a trace gives each request). With the class's `sharedPrefix`, each
/// session starts with one drawn prefix (a system prompt) and both use the prefix's `blockTokens`
/// (the sessions' own `blockTokens`, if given, must equal it). With it, the class's `arrivals`
/// rate is the rate of new sessions.
public enum SessionParser {
    /// `sessions` of a class; `isTrace` whether its arrivals replay a trace, `sharedPrefix` the
    /// class's shared prefix (nil: none, or it had errors).
    static func sessions(_ node: FieldNode, isTrace: Bool, sharedPrefix: SharedPrefixSpec?, baseDirectory: String) -> SessionSpec? {
        if isTrace {
            node.report("not allowed with trace arrivals", allowed: "remove it: a trace gives each request")
            return nil
        }
        typealias K = SessionFields
        guard let obj = node.object(K.section) else { return nil }
        let before = node.sink.reportedCount
        let turns = obj.requiredNode(K.turns).flatMap { parseTurns($0, baseDirectory: baseDirectory) }
        let think = obj.read(K.thinkTime)
        let maxContext = obj.value(K.maxContextTokens)
        let blockNode = obj.node(K.blockTokens)
        var blockTokens = obj.value(K.blockTokens)
        if let sharedPrefix {
            if let blockNode, blockTokens != sharedPrefix.blockTokens {
                blockNode.report("\(blockTokens) differs from sharedPrefix.blockTokens \(sharedPrefix.blockTokens)",
                                 allowed: "remove it: with a shared prefix, sessions use the prefix's blocks")
            }
            blockTokens = sharedPrefix.blockTokens
        }
        obj.finish()
        guard node.sink.reportedCount == before, let turns, let think else { return nil }
        return SessionSpec(turns: turns, thinkTime: think, maxContextTokens: maxContext, blockTokens: blockTokens)
    }

    /// `turns`: a number (the geometric mean, >= 1) or a length distribution object.
    static func parseTurns(_ node: FieldNode, baseDirectory: String) -> SessionSpec.Turns? {
        if case .object = node.value {
            return WorkloadParser.parseLength(node, baseDirectory: baseDirectory).map { .distribution($0) }
        }
        guard case .number = node.value else {
            node.report("expected a number or an object, got \(node.value.typeName)",
                        allowed: SessionFields.turns.spec.hint)
            return nil
        }
        return node.double(min: 1, max: 1_000_000).map { .geometric(mean: $0) }
    }
}
