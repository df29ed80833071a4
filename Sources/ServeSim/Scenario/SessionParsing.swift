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
/// Not with trace arrivals (a trace gives each request) nor with `sharedPrefix` (a conversation's
/// blocks are its own; there is no shared system prompt in front of them). With it, the class's
/// `arrivals` rate is the rate of new sessions.
public enum SessionParser {
    /// `sessions` of a class; `arrivals` is the class's raw arrivals node (for the trace check),
    /// `sharedPrefix` whether the class also gives one.
    static func sessions(_ node: FieldNode, isTrace: Bool, hasSharedPrefix: Bool, baseDirectory: String) -> SessionSpec? {
        if isTrace {
            node.report("not allowed with trace arrivals", allowed: "remove it: a trace gives each request")
            return nil
        }
        if hasSharedPrefix {
            node.report("not allowed together with sharedPrefix",
                        allowed: "one of them: a session's conversation is its own hash chain")
            return nil
        }
        guard let obj = node.object() else { return nil }
        let before = node.sink.diagnostics.count
        let turns = obj.required("turns", allowed: "a mean number of turns >= 1, or a length distribution")
            .flatMap { parseTurns($0, baseDirectory: baseDirectory) }
        let think = obj.required("thinkTime", allowed: "a mean duration > 0 between turns, e.g. \"30s\"")?
            .duration(min: 0, exclusiveMin: true)
        let maxContext = obj.optional("maxContextTokens")?.int(min: 1, max: 100_000_000) ?? SessionSpec.defaultMaxContextTokens
        let blockTokens = obj.optional("blockTokens")?.int(min: 1, max: 1_000_000) ?? SessionSpec.defaultBlockTokens
        obj.finish()
        guard node.sink.diagnostics.count == before, let turns, let think else { return nil }
        return SessionSpec(turns: turns, thinkTime: think, maxContextTokens: maxContext, blockTokens: blockTokens)
    }

    /// `turns`: a number (the geometric mean, >= 1) or a length distribution object.
    private static func parseTurns(_ node: FieldNode, baseDirectory: String) -> SessionSpec.Turns? {
        if case .object = node.value {
            return WorkloadParser.parseLength(node, baseDirectory: baseDirectory).map { .distribution($0) }
        }
        guard case .number = node.value else {
            node.report("expected a number or an object, got \(node.value.typeName)",
                        allowed: "a mean number of turns >= 1, or a length distribution")
            return nil
        }
        return node.double(min: 1, max: 1_000_000).map { .geometric(mean: $0) }
    }
}
