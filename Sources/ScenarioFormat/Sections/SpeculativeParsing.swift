import ServingModel
/// Reads a pool's `speculative` object (keys: `SpeculativeFields`).
///
/// ```json5
/// speculative: {
///   draftTokens: 4,              // k, integer 1 ... 16
///   acceptance: 0.7,             // alpha, 0 <= alpha < 1
///   draftModel: "llama-3.2-1b",  // a model preset or object, run through the pool's roofline; or
///   draftCostRatio: 0.1,         // draft step / target decode step at the same batch and context
///   draftStepOverhead: "3ms",    // draftModel only (default: the pool's stepOverhead)
///   disableAboveBatch: 32,       // optional: larger decode batches decode plainly
/// }
/// ```
/// Exactly one of `draftModel` and `draftCostRatio`; `draftModel` needs `performance: { model:
/// "roofline" }`; the key applies only to token-level pools (not `service`).
enum SpeculativeParser {
    /// `performanceKind`: the pool's performance model ("roofline", "profile" or "service").
    static func parse(_ node: FieldNode, performanceKind: String) -> SpeculativeDecoding? {
        typealias K = SpeculativeFields
        guard let obj = node.object(K.section) else { return nil }
        defer { obj.finish() }
        let sink = obj.sink
        let before = sink.reportedCount
        if performanceKind == "service" {
            node.report("applies only to token-level pools", allowed: "performance model \"roofline\" or \"profile\", or remove it")
        }
        let k = obj.read(K.draftTokens)
        var alpha: Double?
        if let node = obj.requiredNode(K.acceptance) {
            alpha = node.double(min: 0)
            if let a = alpha, a >= 1 {
                node.report("\(FieldNode.format(a)) is out of range", allowed: "a number >= 0 and < 1")
                alpha = nil
            }
        }
        let modelNode = obj.node(K.draftModel)
        let ratioNode = obj.node(K.draftCostRatio)
        let overheadNode = obj.node(K.draftStepOverhead)
        let limit = obj.read(K.disableAboveBatch)
        var draft: SpeculativeDecoding.Draft?
        switch (modelNode, ratioNode) {
        case (nil, nil):
            sink.report(obj.childPath(K.draftModel.name), "is missing", allowed: K.draftModel.spec.hint)
        case (.some, .some):
            sink.report(obj.childPath(K.draftCostRatio.name), "is given with draftModel", allowed: "one of draftModel and draftCostRatio")
        case (let m?, nil):
            if performanceKind != "roofline" {
                m.report("needs the pool's performance model \"roofline\" (the draft runs through it on the pool's hardware)",
                         allowed: "draftCostRatio for a \(performanceKind) pool")
            } else if let shape = ServingParser.model(m) {
                draft = .model(shape, stepOverhead: overheadNode.flatMap(K.draftStepOverhead.read))
            }
        case (nil, let r?):
            if let ratio = K.draftCostRatio.read(r) { draft = .costRatio(ratio) }
        }
        if let overheadNode, modelNode == nil {
            overheadNode.report("applies only with draftModel", allowed: "remove it, or give draftModel")
        }
        guard sink.reportedCount == before, let k, let alpha, let draft else { return nil }
        return SpeculativeDecoding(draftTokens: k, acceptance: alpha, draft: draft, disableAboveBatch: limit)
    }
}
