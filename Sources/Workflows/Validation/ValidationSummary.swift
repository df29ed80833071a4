/// The JSON written by `servesim validate`: measured vs simulated distributions and the verdict.
public struct ValidationSummary: Codable, Sendable {
    public var run: String
    /// The step-time model used (profile path or roofline preset).
    public var model: String
    public var requests: Int
    /// Allowed |relative error| of p95 TTFT and p95 E2E (fraction).
    public var tolerance: Double
    public var withinTolerance: Bool
    public var comparisons: [MetricComparison]

    public init(run: String, model: String, requests: Int, tolerance: Double, withinTolerance: Bool, comparisons: [MetricComparison]) {
        self.run = run
        self.model = model
        self.requests = requests
        self.tolerance = tolerance
        self.withinTolerance = withinTolerance
        self.comparisons = comparisons
    }
}
