/// How a replica batches requests.
public struct SchedulerConfig: Sendable, Equatable {
    public enum Policy: String, Sendable, CaseIterable {
        /// vLLM-style continuous batching: sequences join and leave the batch at every step.
        case continuous
        /// Static batching: take up to `maxNumSeqs` requests when idle and run them until all finish.
        /// With `maxNumSeqs: 1` and a service-time model this is a textbook single server.
        case fcfs
    }
    public var policy: Policy
    /// Most sequences in a batch (vLLM `max_num_seqs`).
    public var maxNumSeqs: Int
    /// Most tokens processed in one step (vLLM `max_num_batched_tokens`).
    public var maxBatchedTokens: Int
    /// Split long prompts into chunks that fit the token budget (vLLM chunked prefill).
    public var chunkedPrefill: Bool
    /// Tokens per KV block (vLLM `block_size`, default 16).
    public var blockSize: Int

    public init(policy: Policy = .continuous, maxNumSeqs: Int = 256, maxBatchedTokens: Int = 8192,
                chunkedPrefill: Bool = true, blockSize: Int = 16) {
        self.policy = policy
        self.maxNumSeqs = maxNumSeqs
        self.maxBatchedTokens = maxBatchedTokens
        self.chunkedPrefill = chunkedPrefill
        self.blockSize = blockSize
    }
}

/// What determines how long a replica takes: token-level steps, or a per-request service time.
public enum PerformanceModel: Sendable {
    /// Engine steps timed by a step-time model (roofline or calibrated profile).
    case steps(any StepTimeModel, kvCapacityTokens: Int, requestOverhead: Double)
    /// Each request holds one of `maxNumSeqs` slots for a service time; no tokens, no KV.
    case service(ServiceTimeDistribution)
}
