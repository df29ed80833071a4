/// A service-level objective in OpenSLO style.
public struct SLOSpec: Sendable, Equatable {
    public enum SLI: String, Sendable, CaseIterable {
        case ttft, tpot, e2e, queueWait, availability
        /// Quality proxies of completed answers (`AnswerQuality`): good iff the answer follows its
        /// schema, and iff the safety classifier did not flag it.
        case schemaAdherence, safety

        /// Whether a request is good when its SLI value is at most the threshold (a latency).
        public var isLatency: Bool {
            switch self {
            case .ttft, .tpot, .e2e, .queueWait: true
            case .availability, .schemaAdherence, .safety: false
            }
        }

        /// Quality SLIs count completed requests only: an answer that never came has no quality
        /// (availability counts it).
        public var isQuality: Bool { self == .schemaAdherence || self == .safety }
    }
    public var name: String
    public var sli: SLI
    /// Seconds; a request is good when its SLI value is <= threshold. Unused for availability and
    /// the quality SLIs.
    public var threshold: Double
    /// Target fraction of good requests, strictly between 0 and 1.
    public var objective: Double
    /// SLO window in seconds (default 30 days), for budget projection.
    public var window: Double
    /// Request classes it covers (names); empty = all.
    public var classes: [String]

    /// Whether it covers requests of the class named `className` (an empty `classes` covers all).
    public func covers(_ className: String) -> Bool { classes.isEmpty || classes.contains(className) }

    public init(name: String, sli: SLI, threshold: Double, objective: Double, window: Double, classes: [String] = []) {
        self.name = name
        self.sli = sli
        self.threshold = threshold
        self.objective = objective
        self.window = window
        self.classes = classes
    }
}
