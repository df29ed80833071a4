import ServingModel

/// Latencies of completed requests (TPOT: of those with more than one output token).
public struct LatencyReport: Codable, Sendable, Equatable {
    public var ttft: LatencySummary
    public var tpot: LatencySummary
    public var e2e: LatencySummary
    public var queueWait: LatencySummary
}

/// Summary of one latency distribution, seconds. Percentiles are nearest-rank, within 0.5%
/// (`LogHistogram`). All 0 when `count` is 0.
public struct LatencySummary: Codable, Sendable, Equatable {
    public var count: Int
    public var mean: Double
    public var min: Double
    public var p50: Double
    public var p90: Double
    public var p95: Double
    public var p99: Double
    public var max: Double

    public init(count: Int, mean: Double, min: Double, p50: Double, p90: Double, p95: Double, p99: Double, max: Double) {
        self.count = count
        self.mean = mean
        self.min = min
        self.p50 = p50
        self.p90 = p90
        self.p95 = p95
        self.p99 = p99
        self.max = max
    }
}

extension LatencySummary {
    /// Summary of a histogram; all zeros when it is empty.
    public init(_ h: LogHistogram) {
        guard h.count > 0 else {
            self.init(count: 0, mean: 0, min: 0, p50: 0, p90: 0, p95: 0, p99: 0, max: 0)
            return
        }
        self.init(count: h.count, mean: finite(h.mean), min: finite(h.min),
                  p50: finite(h.percentile(0.50)), p90: finite(h.percentile(0.90)),
                  p95: finite(h.percentile(0.95)), p99: finite(h.percentile(0.99)), max: finite(h.max))
    }
}

extension LatencyReport {
    public init(_ h: LatencyHistograms) {
        self.init(ttft: LatencySummary(h.ttft), tpot: LatencySummary(h.tpot),
                  e2e: LatencySummary(h.e2e), queueWait: LatencySummary(h.queueWait))
    }
}
