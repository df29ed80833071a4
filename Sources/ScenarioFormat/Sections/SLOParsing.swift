import ServingModel
/// Reads the scenario's `slos` array:
/// `[{ name, sli, threshold, objective, window, classes }]`.
///
/// - `name`: non-empty string, unique among the SLOs.
/// - `sli`: `ttft`, `tpot`, `e2e`, `queueWait`, `availability`, `schemaAdherence` or `safety`.
/// - `threshold`: a duration > 0 (seconds or "1.5s"); required for latency SLIs, not allowed for
///   `availability` (which has no threshold: a stray one is a mistake, not a default).
/// - `objective`: strictly between 0 and 1, as a number (0.95) or a percentage ("95%").
/// - `window`: a duration > 0, default 30 days.
/// - `classes`: optional array of unique class names (empty or absent = all classes); checked
///   against `knownClasses` when given.
///
/// Every problem is reported to the node's sink with its exact path (`slos.1.threshold`); the
/// result is nil when anything was wrong.
public enum SLOParser {
    /// Default SLO window: 30 days, seconds.
    public static let defaultWindow: Double = 30 * 86400

    public static func parse(_ node: FieldNode, knownClasses: [String]? = nil) -> [SLOSpec]? {
        let before = node.sink.reportedCount
        guard let items = node.array() else { return nil }
        var specs: [SLOSpec] = []
        var firstPathOfName: [String: String] = [:]
        for item in items {
            guard let object = item.object(SLOFields.section) else { continue }
            let nameNode = object.requiredNode(SLOFields.name)
            let name = nameNode?.string()
            if let name, let nameNode {
                if let earlier = firstPathOfName[name] {
                    nameNode.report("duplicate SLO name \"\(name)\"", allowed: "unique names; also used at \(earlier)")
                } else {
                    firstPathOfName[name] = nameNode.path
                }
            }
            let sli = object.read(SLOFields.sli)
            var threshold: Double? = 0
            let thresholdNode = object.node(SLOFields.threshold)
            if let sli, !sli.isLatency {
                thresholdNode?.report("not allowed for sli \"\(sli.rawValue)\"",
                                      allowed: sli == .availability ? "remove it; availability counts completed requests as good"
                                          : "remove it; \(sli.rawValue) counts each completed answer as good or bad")
            } else if sli != nil {
                threshold = object.read(SLOFields.threshold, required: true)
            }
            let objective = object.read(SLOFields.objective)
            let window = object.read(SLOFields.window)
            let classes = object.node(SLOFields.classes).map { parseClasses($0, knownClasses: knownClasses) } ?? []
            object.finish()
            if let name, let sli, let threshold, let objective, let window, let classes {
                specs.append(SLOSpec(name: name, sli: sli, threshold: threshold, objective: objective,
                                     window: window, classes: classes))
            }
        }
        return node.sink.reportedCount == before ? specs : nil
    }

    static func parseClasses(_ node: FieldNode, knownClasses: [String]?) -> [String]? {
        guard let items = node.array() else { return nil }
        var names: [String] = []
        var ok = true
        for item in items {
            guard let name = item.string() else { ok = false; continue }
            if names.contains(name) {
                item.report("duplicate class \"\(name)\"", allowed: "each class at most once"); ok = false
            } else if let knownClasses, !knownClasses.contains(name) {
                item.report("unknown class \"\(name)\"", allowed: knownClasses.isEmpty ? FieldNode.known([], "request class") : "one of: " + knownClasses.joined(separator: ", "))
                ok = false
            }
            names.append(name)
        }
        return ok ? names : nil
    }
}
