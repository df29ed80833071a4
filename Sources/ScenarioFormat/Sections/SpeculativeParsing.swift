import ServingModel
/// Reads a pool's `speculative` object.
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
    static let maxDraftTokens = 16

    /// `performanceKind`: the pool's performance model ("roofline", "profile" or "service").
    static func parse(_ node: FieldNode, performanceKind: String) -> SpeculativeDecoding? {
        guard let obj = node.object() else { return nil }
        defer { obj.finish() }
        let sink = obj.sink
        let before = sink.diagnostics.count
        if performanceKind == "service" {
            node.report("applies only to token-level pools", allowed: "performance model \"roofline\" or \"profile\", or remove it")
        }
        let k = obj.required("draftTokens", allowed: "an integer from 1 to \(maxDraftTokens)")?.int(min: 1, max: maxDraftTokens)
        var alpha: Double?
        if let node = obj.required("acceptance", allowed: "a number >= 0 and < 1: the probability that the target accepts a draft token") {
            alpha = node.double(min: 0)
            if let a = alpha, a >= 1 {
                node.report("\(FieldNode.format(a)) is out of range", allowed: "a number >= 0 and < 1")
                alpha = nil
            }
        }
        let modelNode = obj.optional("draftModel")
        let ratioNode = obj.optional("draftCostRatio")
        let overheadNode = obj.optional("draftStepOverhead")
        let limit = obj.optional("disableAboveBatch")?.int(min: 1, max: 65_536)
        var draft: SpeculativeDecoding.Draft?
        switch (modelNode, ratioNode) {
        case (nil, nil):
            sink.report(obj.childPath("draftModel"), "is missing",
                        allowed: "draftModel (a model preset or object) or draftCostRatio (a number in (0, 1])")
        case (.some, .some):
            sink.report(obj.childPath("draftCostRatio"), "is given with draftModel", allowed: "one of draftModel and draftCostRatio")
        case (let m?, nil):
            if performanceKind != "roofline" {
                m.report("needs the pool's performance model \"roofline\" (the draft runs through it on the pool's hardware)",
                         allowed: "draftCostRatio for a \(performanceKind) pool")
            } else if let shape = ServingParser.model(m) {
                draft = .model(shape, stepOverhead: overheadNode?.duration())
            }
        case (nil, let r?):
            if let ratio = r.double(min: 0, max: 1, exclusiveMin: true) { draft = .costRatio(ratio) }
        }
        if let overheadNode, modelNode == nil {
            overheadNode.report("applies only with draftModel", allowed: "remove it, or give draftModel")
        }
        guard sink.diagnostics.count == before, let k, let alpha, let draft else { return nil }
        return SpeculativeDecoding(draftTokens: k, acceptance: alpha, draft: draft, disableAboveBatch: limit)
    }
}
