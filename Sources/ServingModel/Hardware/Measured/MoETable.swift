/// Measured latency of one fused-MoE layer (vLLM's `fused_moe`: routing, the experts' gate/up
/// and down GEMMs and the activation) by tokens in the step, for one layer shape and sharding:
/// `tensorParallel` splits every expert's width, `expertParallel` spreads whole experts over GPUs.
/// Balanced routing. Communication (the all-reduce or all-to-all around it) is not included.
///
/// Invariant: `tokens` ascending and positive, `seconds` positive, same count (>= 2).
public struct MoETable: Sendable, Equatable {
    public var hidden: Int
    public var intermediate: Int
    public var topK: Int
    public var experts: Int
    public var tensorParallel: Int
    public var expertParallel: Int
    public var format: GEMMFormat
    public var tokens: [Double]
    public var seconds: [Double]

    public init(hidden: Int, intermediate: Int, topK: Int, experts: Int, tensorParallel: Int, expertParallel: Int,
                format: GEMMFormat, tokens: [Double], seconds: [Double]) {
        precondition(tokens.count == seconds.count && tokens.count >= 2, "MoE table shape")
        self.hidden = hidden
        self.intermediate = intermediate
        self.topK = topK
        self.experts = experts
        self.tensorParallel = tensorParallel
        self.expertParallel = expertParallel
        self.format = format
        self.tokens = tokens
        self.seconds = seconds
    }

    /// Layer time for a step of `tokens` tokens, seconds (log-log between measured token counts).
    public func time(tokens count: Int) -> Double { logLogInterpolate(Double(max(1, count)), xs: tokens, ys: seconds) }
}
