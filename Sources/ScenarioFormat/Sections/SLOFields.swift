import ServingModel

/// The keys of one entry of `slos` (OpenSLO style).
enum SLOFields {
    static let name = Key.string("name", required: "", doc: "Unique among the SLOs; names it in reports.")
    static let sli = Key.choice("sli", SLOSpec.SLI.self, docs: {
        switch $0 {
        case .ttft: "time to first token"
        case .tpot: "time per output token after the first"
        case .e2e: "end to end, send to last token"
        case .queueWait: "time in the scheduler's queue"
        case .availability: "completed requests are good"
        case .schemaAdherence: "completed answers that follow their output schema are good (pools[].quality)"
        case .safety: "completed answers the safety classifier did not flag are good (pools[].quality)"
        }
    }, required: SLOSpec.SLI.allCases.map(\.rawValue).joined(separator: ", "), doc: "What is measured.")
    static let threshold = Key.duration(
        "threshold", min: 0, exclusiveMin: true, hint: "a duration such as \"1.5s\", required for latency SLIs",
        doc: "A request is good when its SLI is at most this; required for latency SLIs, not allowed for availability and the quality SLIs.")
    static let objective = Key.fraction("objective", exclusive: true, required: "a fraction such as 0.95 or \"95%\"",
                                        doc: "Target share of good requests, strictly between 0 and 1.")
    static let window = Key.duration("window", min: 0, exclusiveMin: true, default: SLOParser.defaultWindow,
                                     doc: "SLO window, for the error budget's projection.")
    static let classes = Key.raw("classes", .list(.string(pattern: nil), minItems: 0),
                                 doc: "Classes it covers (unique names); absent or empty: all.")

    static let section = Section("slo", title: "slos[]", doc: "A service-level objective over the measured span.",
                                 fields: [name.spec, sli.spec, threshold.spec, objective.spec, window.spec, classes.spec])
}
