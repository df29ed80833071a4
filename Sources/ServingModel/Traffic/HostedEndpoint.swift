/// A hosted LLM API (pay per token) beside the pools: it takes a fixed share of the traffic, and/or
/// the requests a pool would reject for lack of capacity (overflow).
///
/// A request it serves completes `ttft + tpot x (output - 1)` after it was sent there (both drawn
/// per request from the stream `hosted/<name>/latency`; the share decision uses its own stream
/// `hosted/<name>/share`), costs `prompt x inputPricePerMillion / 1e6 + output x
/// outputPricePerMillion / 1e6` USD, uses no GPU of ours, and is recorded as a normal completion.
/// The endpoint has no capacity limit and never fails (its rate limits are not modelled).
public struct HostedEndpointSpec: Sendable, Equatable {
    public var name: String
    /// USD per million prompt (input) tokens and per million output tokens.
    public var inputPricePerMillion: Double
    public var outputPricePerMillion: Double
    /// Time to first token, and time per further output token (one draw per request).
    public var ttft: DurationDistribution
    public var tpot: DurationDistribution
    /// Fraction of first attempts (after the caches) sent to the endpoint always, in [0, 1].
    public var share: Double
    /// Send an attempt its pool would reject for capacity (queue full, in-flight token budget,
    /// open circuit breaker, too long for a replica) to the endpoint instead.
    public var overflow: Bool

    public init(name: String, inputPricePerMillion: Double, outputPricePerMillion: Double,
                ttft: DurationDistribution, tpot: DurationDistribution, share: Double = 0, overflow: Bool = false) {
        self.name = name
        self.inputPricePerMillion = inputPricePerMillion
        self.outputPricePerMillion = outputPricePerMillion
        self.ttft = ttft
        self.tpot = tpot
        self.share = share
        self.overflow = overflow
    }

    /// USD for these many prompt and output tokens.
    public func cost(promptTokens: Int, outputTokens: Int) -> Double {
        Double(promptTokens) * inputPricePerMillion / 1e6 + Double(outputTokens) * outputPricePerMillion / 1e6
    }
}
