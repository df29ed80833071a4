import ServingModel

/// The keys of `workload` and its request classes: arrivals, token lengths, shared prefixes,
/// sessions and clients.
enum WorkloadFields {
    static let classes = Key.raw("classes", .list(.object(ClassFields.section), minItems: 1),
                                 required: "an array of request classes", doc: "The request classes; names unique.")
    static let section = Section("workload", title: "workload", doc: "What arrives.", fields: [classes.spec])
}

enum ClassFields {
    static let name = Key.string("name", required: "", doc: "Unique; names the class's random streams and report rows.")
    static let tenant = Key.string("tenant", default: "default", doc: "Who is billed; costs and rate limits are per tenant.")
    static let arrivals = Key.raw("arrivals", .object(ArrivalFields.section),
                                  required: "an object with process: " + ArrivalFields.processes.joined(separator: ", "),
                                  doc: "When requests arrive.")
    static let lengthsHint = "an object with distribution: " + LengthFields.distributions.joined(separator: ", ")
    static let promptTokens = Key.raw("promptTokens", .object(LengthFields.section), hint: lengthsHint,
                                      doc: "Prompt tokens per request; required with synthetic arrivals, not with a trace.")
    static let outputTokens = Key.raw("outputTokens", .object(LengthFields.section), hint: lengthsHint,
                                      doc: "Output tokens per request; required with synthetic arrivals, not with a trace.")
    static let client = Key.raw("client", .object(ClientFields.section), doc: "The clients' timeout and retries.")
    static let sharedPrefix = Key.raw("sharedPrefix", .object(SharedPrefixFields.section),
                                      doc: "Synthetic shared prompt prefixes (system prompts) put in front of each drawn prompt; not with trace arrivals.")
    static let sessions = Key.raw("sessions", .object(SessionFields.section),
                                  doc: "Multi-turn chat sessions: arrivals are then new sessions; not with trace arrivals.")
    static let origin = Key.raw("origin", .string(pattern: nil), doc: "With regions: the region its clients send from.")
    static let origins = Key.raw("origins", .list(.object(OriginShareFields.section), minItems: 1),
                                 doc: "With regions: several origin regions, fractions summing to 1 (drawn per request from stream origin/<class>).")
    static let pools = Key.raw("pools", .list(.string(pattern: nil), minItems: 1),
                               doc: "With regions: geo routing over these pools (nearest available region by RTT from the origin); not with a pool's classes naming this class.")
    static let failover = Key.boolean("failover", default: true,
                                      doc: "With pools: fail over to the next-nearest available region when the nearest is unavailable.")

    static let section = Section("requestClass", title: "workload.classes[]", doc: "One class of requests.", fields: [
        name.spec, tenant.spec, arrivals.spec, promptTokens.spec, outputTokens.spec, client.spec, sharedPrefix.spec,
        sessions.spec, origin.spec, origins.spec, pools.spec, failover.spec,
    ])
}

enum ArrivalFields {
    static let processes = ["poisson", "gamma", "schedule", "trace", "closed-loop"]
    static let process = Key.oneOf("process", [
        Choice("poisson", "exponential inter-arrival times"),
        Choice("gamma", "gamma inter-arrival times with a coefficient of variation (bursts)"),
        Choice("schedule", "piecewise-constant Poisson rate"),
        Choice("trace", "replay a recorded trace"),
        Choice("closed-loop", "a fixed number of clients, each sending its next request when its last one ended"),
    ], required: processes.joined(separator: ", "), doc: "The arrival process.")
    static let concurrency = Key.integer("concurrency", min: 1, max: 1_000_000, required: "clients, an integer >= 1",
                                         doc: "Clients, all sending at time 0 (vllm bench --max-concurrency).")
    static let requests = Key.integer("requests", min: 1, max: 1_000_000_000, required: "an integer >= 1",
                                      doc: "Requests the clients send in all (vllm bench --num-prompts); none after the duration.")
    static let thinkTime = Key.raw("thinkTime", .either([.duration(min: 0, exclusive: false), .object(DurationDistributionFields.section)]),
                                   schemaDefault: .string("0s"),
                                   doc: "From a client seeing its request end to its next send (stream think/<class>).")
    static let rate = Key.number("rate", min: 0, exclusiveMin: true, required: "requests per second > 0", unit: "requests/s",
                                 doc: "Mean arrival rate (with sessions: new sessions per second).")
    static let cv = Key.number("cv", min: 0, max: 100, exclusiveMin: true, required: "coefficient of variation > 0 (1 = Poisson)",
                               doc: "Coefficient of variation of inter-arrival times (1 = Poisson; at most 100: beyond it one burst holds the whole run).")
    static let steps = Key.raw("steps", .list(.object(RateStepFields.section), minItems: 1), required: "an array of { at, rate }",
                               doc: "Piecewise-constant rate; the first step is at 0, times strictly increasing.")
    static let file = Key.raw("file", .string(pattern: nil), required: "a path to the trace, relative to the scenario file",
                              doc: "The trace file, relative to the scenario file's folder.")
    static let format = Key.choice("format", TraceSpec.Format.self, docs: {
        switch $0 {
        case .azure: "Azure LLM inference trace 2023 (TIMESTAMP, ContextTokens, GeneratedTokens)"
        case .mooncake: "Mooncake JSONL (timestamp ms, input_length, output_length, hash_ids)"
        case .csv: "a header with time (seconds), prompt_tokens, output_tokens"
        }
    }, required: TraceSpec.Format.allCases.map(\.rawValue).joined(separator: ", "), doc: "The trace's format.")
    static let timeScale = Key.number("timeScale", min: 0, exclusiveMin: true, default: 1,
                                      doc: "Multiplies the trace's inter-arrival times (0.5 replays twice as fast).")
    static let blockTokens = Key.integer("blockTokens", min: 1, max: 1_000_000, default: TraceSpec.mooncakeBlockTokens,
                                         unit: "tokens", doc: "Format mooncake only: prompt tokens per hash id.")

    static let section = Section("arrivals", title: "workload.classes[].arrivals", doc: "When requests arrive.",
                                 fields: [process.spec], tag: "process", variants: [
        Variant("poisson", fields: [rate.spec]),
        Variant("gamma", fields: [rate.spec, cv.spec]),
        Variant("schedule", fields: [steps.spec]),
        Variant("trace", fields: [file.spec, format.spec, timeScale.spec, blockTokens.spec]),
        Variant("closed-loop", fields: [concurrency.spec, requests.spec, thinkTime.spec]),
    ])
}

enum RateStepFields {
    static let at = Key.duration("at", required: "a duration from the start", doc: "When the step begins.")
    static let rate = Key.number("rate", min: 0, required: "requests per second >= 0", unit: "requests/s",
                                 doc: "The rate from then on (0: no arrivals).")
    static let section = Section("rateStep", title: "workload.classes[].arrivals.steps[]", doc: "One step of a rate schedule.",
                                 fields: [at.spec, rate.spec])
}

enum LengthFields {
    static let distributions = ["fixed", "uniform", "lognormal", "empirical"]
    static let distribution = Key.oneOf("distribution", [
        Choice("fixed", "always value"),
        Choice("uniform", "uniform on min ... max"),
        Choice("lognormal", "by mean and p95 (solved for mu and sigma), or by mu and sigma of the log"),
        Choice("empirical", "resampled uniformly from values, or from a CSV column"),
    ], required: distributions.joined(separator: ", "), doc: "How token counts are drawn (rounded, at least 1).")
    static let value = Key.integer("value", min: 1, required: "tokens, an integer >= 1", unit: "tokens", doc: "The token count.")
    static let min = Key.integer("min", min: 1, required: "tokens, an integer >= 1", unit: "tokens", doc: "Smallest count.")
    static let max = Key.integer("max", min: 1, required: "tokens, an integer >= min", unit: "tokens", doc: "Largest count (>= min).")
    static let mean = Key.number("mean", min: 0, exclusiveMin: true, hint: "tokens > 0 (or give mu and sigma)", unit: "tokens",
                                 doc: "Mean, with p95.")
    static let p95 = Key.number("p95", min: 0, exclusiveMin: true, hint: "tokens > mean (or give mu and sigma)", unit: "tokens",
                                doc: "95th percentile, with mean; p95 / mean below 3.87.")
    static let mu = Key.number("mu", hint: "mean of the log of tokens", doc: "Mean of the log of tokens, with sigma.")
    static let sigma = Key.number("sigma", min: 0, max: 5, hint: "standard deviation of the log, 0 to 5",
                                  doc: "Standard deviation of the log of tokens, with mu (at most 5: p95 already 3,800 times the median).")
    static let values = Key.raw("values", .list(.integer(min: 1, max: nil), minItems: 1),
                                hint: "an array of token counts, or file and column", doc: "Token counts to resample.")
    static let file = Key.raw("file", .string(pattern: nil), hint: "a CSV file with a header row",
                              doc: "A CSV file (header row first), relative to the scenario file's folder.")
    static let column = Key.string("column", hint: "a column name in the file's header", doc: "The column of token counts.")

    static let section = Section("lengths", title: "token lengths (promptTokens, outputTokens)",
                                 doc: "A distribution of token counts.", fields: [distribution.spec], tag: "distribution", variants: [
        Variant("fixed", fields: [value.spec]),
        Variant("uniform", fields: [min.spec, max.spec]),
        Variant("lognormal", fields: [mean.spec, p95.spec, mu.spec, sigma.spec],
                alternatives: [["mean", "p95"], ["mu", "sigma"]]),
        Variant("empirical", fields: [values.spec, file.spec, column.spec], alternatives: [["values"], ["file", "column"]]),
    ])
}

enum SharedPrefixFields {
    static let tokens = Key.integer("tokens", min: 1, max: 10_000_000, required: "prefix tokens, an integer >= 1",
                                    unit: "tokens", doc: "Tokens of each prefix.")
    static let count = Key.integer("count", min: 1, max: 100_000, required: "distinct prefixes, an integer >= 1",
                                   doc: "Distinct prefixes.")
    static let skew = Key.number("skew", min: 0, max: 100, default: 0, doc: "Zipf exponent of their popularity (0 = uniform).")
    static let blockTokens = Key.integer("blockTokens", min: 1, max: 1_000_000, default: SharedPrefixSpec.defaultBlockTokens,
                                         unit: "tokens", doc: "Tokens per hash block (at most tokens).")
    static let section = Section("sharedPrefix", title: "workload.classes[].sharedPrefix",
                                 doc: "Synthetic shared prompt prefixes; one is drawn per request (per session with sessions).",
                                 fields: [tokens.spec, count.spec, skew.spec, blockTokens.spec])
}

enum SessionFields {
    static let turns = Key.raw("turns", .either([.number(NumberRange(min: 1, max: 1_000_000)), .object(LengthFields.section)]),
                               required: "a mean number of turns >= 1, or a length distribution",
                               doc: "Turns per session: the mean of a geometric count, or a length distribution.")
    static let thinkTime = Key.duration("thinkTime", min: 0, exclusiveMin: true,
                                        required: "a mean duration > 0 between turns, e.g. \"30s\"",
                                        doc: "Mean time between two turns' sends (exponential, open loop).")
    static let maxContextTokens = Key.integer("maxContextTokens", min: 1, max: 100_000_000,
                                              default: SessionSpec.defaultMaxContextTokens, unit: "tokens",
                                              doc: "A later turn whose prompt would exceed this ends the session.")
    static let blockTokens = Key.integer("blockTokens", min: 1, max: 1_000_000, default: SessionSpec.defaultBlockTokens,
                                         unit: "tokens",
                                         doc: "Tokens per hash block of the conversation (with sharedPrefix: its blockTokens).")
    static let section = Section("sessions", title: "workload.classes[].sessions",
                                 doc: "Multi-turn chat: each turn's prompt is the conversation so far plus its own promptTokens draw.",
                                 fields: [turns.spec, thinkTime.spec, maxContextTokens.spec, blockTokens.spec])
}

enum ClientFields {
    static let timeout = Key.duration("timeout", min: 0, exclusiveMin: true,
                                      doc: "The client gives up this long after sending (default: never).")
    static let retry = Key.raw("retry", .object(RetryFields.section), doc: "Retries of attempts that did not complete (default: none).")
    static let section = Section("client", title: "workload.classes[].client", doc: "How the class's clients behave.",
                                 fields: [timeout.spec, retry.spec])
}

enum RetryFields {
    static let maxAttempts = Key.integer("maxAttempts", min: 1, max: 100, default: RetryPolicy().maxAttempts,
                                         doc: "Attempts in all, the first included.")
    static let baseBackoff = Key.duration("baseBackoff", default: RetryPolicy().baseBackoff, doc: "Backoff before the first retry.")
    static let maxBackoff = Key.duration("maxBackoff", default: RetryPolicy().maxBackoff, doc: "Backoff cap (>= baseBackoff).")
    static let multiplier = Key.number("multiplier", min: 1, default: RetryPolicy().multiplier,
                                       doc: "Backoff growth per attempt.")
    static let jitter = Key.choice("jitter", RetryPolicy.Jitter.self, docs: {
        switch $0 {
        case .full: "uniform on [0, backoff]"
        case .equal: "backoff / 2 plus uniform on [0, backoff / 2]"
        case .none: "the backoff itself"
        }
    }, default: RetryPolicy().jitter, doc: "Randomisation of each backoff (AWS architecture blog's names).")
    static let section = Section("retry", title: "workload.classes[].client.retry", doc: "Exponential backoff with jitter.",
                                 fields: [maxAttempts.spec, baseBackoff.spec, maxBackoff.spec, multiplier.spec, jitter.spec])
}

enum OriginShareFields {
    static let region = Key.raw("region", .string(pattern: nil), required: "", doc: "A region name.")
    static let fraction = Key.fraction("fraction", exclusive: false, required: "a fraction in (0, 1], e.g. 0.9 or \"90%\"",
                                       doc: "Share of the class's requests sent from there (> 0).")
    static let section = Section("originShare", title: "workload.classes[].origins[]", doc: "One origin region and its share.",
                                 fields: [region.spec, fraction.spec])
}
