/// A validated request class: who sends it, how often, and how long its prompts and outputs are.
public struct RequestClassSpec: Sendable, Equatable {
    public var name: String
    public var tenant: String
    public var arrivals: ArrivalSpec
    /// Prompt (input) length in tokens, >= 1. Ignored for trace arrivals, which carry their own.
    public var promptTokens: LengthDistribution
    /// Output length in tokens, >= 1 (the first output token comes from the prefill step).
    public var outputTokens: LengthDistribution
    /// The client's timeout and retry policy (nil: waits forever, never retries).
    public var client: ClientSpec?
    /// Synthetic shared prompt prefixes (system prompts) for prefix caching; nil: none. Not with
    /// trace arrivals, whose records carry their own block hashes.
    public var sharedPrefix: SharedPrefixSpec?
    /// Multi-turn chat sessions (nil: every request stands alone). With it, `arrivals` gives the
    /// start times of new sessions (with `sharedPrefix`, each session starts with one drawn prefix).
    /// Not with trace arrivals.
    public var sessions: SessionSpec?

    /// Tokens per prompt hash block of this class's requests: the trace's `blockTokens` for a
    /// Mooncake trace, the shared prefix's or the sessions' for a synthetic class; nil when its
    /// requests carry none.
    public var prefixBlockTokens: Int? {
        if case .trace(let trace) = arrivals { return trace.format == .mooncake ? trace.blockTokens : nil }
        return sharedPrefix?.blockTokens ?? sessions?.blockTokens
    }

    public init(name: String, tenant: String, arrivals: ArrivalSpec,
                promptTokens: LengthDistribution, outputTokens: LengthDistribution) {
        self.name = name
        self.tenant = tenant
        self.arrivals = arrivals
        self.promptTokens = promptTokens
        self.outputTokens = outputTokens
    }
}

/// How requests of one class arrive. Rates are requests per second; times are seconds.
public enum ArrivalSpec: Sendable, Equatable {
    /// Exponential inter-arrival times.
    case poisson(rate: Double)
    /// Gamma inter-arrival times with the given rate and coefficient of variation (CV 1 = Poisson,
    /// CV > 1 bursty).
    case gamma(rate: Double, cv: Double)
    /// Piecewise-constant Poisson rate: each step holds from its `start` until the next step's.
    /// Steps are sorted by start; the first starts at 0.
    case schedule(steps: [RateStep])
    /// Replay of recorded requests (arrival time, prompt and output tokens from the file).
    case trace(TraceSpec)
    /// A closed loop: a fixed number of clients, each sending its next request when its last one
    /// ended (and a think time passed), as benchmark clients with a maximum concurrency do.
    case closedLoop(ClosedLoopSpec)

    /// Whether this is a trace replay.
    public var isTrace: Bool {
        if case .trace = self { return true }
        return false
    }

    /// The closed loop's settings, nil for open-loop arrivals.
    public var closedLoop: ClosedLoopSpec? {
        if case .closedLoop(let spec) = self { return spec }
        return nil
    }
}

/// Clients in a closed loop (`vllm bench serve --max-concurrency`, inference-perf, InferenceX):
/// `concurrency` clients all send a request at time 0; when a client's request ends (completed,
/// rejected, failed or timed out, after any retries), it waits a think time and sends the next,
/// until `requests` have been sent in all (`--num-prompts`) or the scenario's duration is reached.
/// With think time Z and mean response time R, throughput is N / (R + Z) (the interactive
/// response-time law).
///
/// Invariants: concurrency >= 1, requests >= 1.
public struct ClosedLoopSpec: Sendable, Equatable {
    public var concurrency: Int
    public var requests: Int
    /// Seconds between a client's request ending and its next send (stream `think/<class>`).
    public var thinkTime: DurationDistribution

    public init(concurrency: Int, requests: Int, thinkTime: DurationDistribution = .fixed(0)) {
        self.concurrency = concurrency
        self.requests = requests
        self.thinkTime = thinkTime
    }
}

/// One step of a piecewise-constant rate schedule.
public struct RateStep: Sendable, Equatable {
    /// Seconds from the start of the simulation.
    public var start: Double
    /// Requests per second from `start` on (>= 0).
    public var rate: Double
    public init(start: Double, rate: Double) { self.start = start; self.rate = rate }
}

/// A trace file to replay.
public struct TraceSpec: Sendable, Equatable {
    public enum Format: String, Sendable, CaseIterable {
        /// Azure LLM inference trace 2023 CSV: `TIMESTAMP,ContextTokens,GeneratedTokens` (timestamps
        /// as dates) or the `arrived_at,num_prefill_tokens,num_decode_tokens` variant (seconds).
        case azure
        /// Mooncake JSONL: `timestamp` (ms), `input_length`, `output_length`, `hash_ids`.
        case mooncake
        /// Generic CSV with a header naming `time` (seconds), `prompt_tokens`, `output_tokens`.
        case csv
    }
    /// Path as written in the scenario (resolved against the scenario file's folder).
    public var file: String
    public var format: Format
    /// Multiplies inter-arrival times: 0.5 replays the trace twice as fast.
    public var timeScale: Double
    /// Prompt tokens per hash id (Mooncake: 512, the trace's block size).
    public var blockTokens: Int
    public static let mooncakeBlockTokens = 512
    public init(file: String, format: Format, timeScale: Double = 1, blockTokens: Int = mooncakeBlockTokens) {
        self.file = file
        self.format = format
        self.timeScale = timeScale
        self.blockTokens = blockTokens
    }
}

/// A distribution of token counts. Samples are rounded to integers and clamped to >= 1.
public enum LengthDistribution: Sendable, Equatable {
    case fixed(Int)
    /// Uniform integer in `min...max`.
    case uniform(min: Int, max: Int)
    /// exp(N(mu, sigma^2)); scenario files may give `mean` and `p95` instead (converted at parse).
    case lognormal(mu: Double, sigma: Double)
    /// Resampling of observed values (each equally likely).
    case empirical([Int])
}

/// One request drawn from a class: when it arrives and how many tokens it has.
public struct ArrivalDraw: Sendable, Equatable {
    /// Seconds since the start of the simulation.
    public var time: Double
    public var promptTokens: Int
    public var outputTokens: Int
    /// Prompt block hash ids (a Mooncake trace's, one per `blockTokens` prompt tokens, or a
    /// synthetic shared prefix's); empty when the class has none.
    public var hashIds: [Int]
    /// The session and turn of a class with `sessions`; nil otherwise.
    public var session: SessionRef?
    public init(time: Double, promptTokens: Int, outputTokens: Int, hashIds: [Int] = []) {
        self.time = time
        self.promptTokens = promptTokens
        self.outputTokens = outputTokens
        self.hashIds = hashIds
    }
}
