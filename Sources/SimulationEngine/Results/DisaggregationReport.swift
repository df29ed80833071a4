import ServingModel
/// What one prefill/decode pair's KV link did over the measured span (requests first sent at or
/// after warm-up). Present in a report (`disaggregation`) only when the scenario pairs pools; the
/// pools' own utilizations are in `pools`.
public struct DisaggregationReport: Codable, Sendable, Equatable {
    /// Prefill and decode pool names.
    public var prefill: String
    public var decode: String
    /// Configured bytes/s per GPU lane, and one-way latency in seconds.
    public var bandwidth: Double
    public var latency: Double
    /// Lanes a transfer uses (min of the two pools' tensor-parallel degrees).
    public var lanes: Int
    /// KV cache bytes per token of the pair's model.
    public var kvBytesPerToken: Double
    /// Transfers that landed (requests that then decoded on the decode pool, or ended while
    /// waiting there), and transfers lost with a failed prefill replica.
    public var transfers: Int
    public var lost: Int
    /// Bytes moved by the landed transfers.
    public var bytes: Double
    /// Seconds from leaving the prefill batch to landing: queueing on the link + bytes / (lanes x
    /// bandwidth) + latency.
    public var transferSeconds: LatencySummary
    /// Mean seconds a transfer waited for its link (FIFO behind earlier transfers).
    public var meanLinkWait: Double
    /// Link busy seconds / link-seconds available (prefill replicas ready or draining).
    public var linkUtilization: Double
}
