import ServingModel

/// The keys of the traffic sections: `admission`, the gateway (`caches`, `hosted`), `routers`,
/// `releases`, `regions`, `disaggregation` and `degradation`.
enum AdmissionFields {
    static let maxInFlightTokens = Key.integer("maxInFlightTokens", min: 1, unit: "tokens",
                                               doc: "Global budget of prompt + output tokens of admitted requests not ended.")
    static let tenants = Key.raw("tenants", .list(.object(TenantLimitFields.section), minItems: 0),
                                 doc: "Per-tenant token buckets.")
    static let section = Section("admission", title: "admission", doc: "Admission control in front of all pools.",
                                 fields: [maxInFlightTokens.spec, tenants.spec])
}

enum TenantLimitFields {
    static let tenant = Key.string("tenant", required: "", doc: "A tenant of some class.")
    static let rate = Key.number("rate", min: 0, exclusiveMin: true, required: "per second, > 0", unit: "per second",
                                 doc: "Refill rate (requests or tokens per second).")
    static let burst = Key.number("burst", min: 0, exclusiveMin: true, defaultNote: "max(1, rate)", doc: "Bucket size.")
    static let unit = Key.choice("unit", Admission.TenantLimit.Unit.self, docs: {
        switch $0 {
        case .requests: "one per attempt"
        case .tokens: "prompt + output tokens per attempt"
        }
    }, default: .requests, doc: "What the bucket counts.")
    static let section = Section("tenantLimit", title: "admission.tenants[]", doc: "A tenant's rate limit (token bucket).",
                                 fields: [tenant.spec, rate.spec, burst.spec, unit.spec])
}

enum CacheFields {
    static let name = Key.string("name", defaultNote: "its kind", doc: "Unique among caches.")
    static let kind = Key.choice("kind", ResponseCacheSpec.Kind.self, docs: {
        switch $0 {
        case .exact: "the same prompt"
        case .semantic: "a similar prompt (an embedding lookup)"
        }
    }, required: ResponseCacheSpec.Kind.allCases.map(\.rawValue).joined(separator: ", "), doc: "What counts as a hit.")
    static let hitRatio = Key.fraction("hitRatio", exclusive: false,
                                       doc: "Steady-state probability that a lookup hits (or give content).")
    static let content = Key.raw("content", .object(CacheContentFields.section),
                                 doc: "Simulate what is cached instead of a hit ratio: Zipf-popular prompts, an LRU capacity and a TTL.")
    static let hitLatency = Key.raw("hitLatency", .either([.duration(min: 0, exclusive: false), .object(DurationDistributionFields.section)]),
                                    required: "a duration or a duration distribution", doc: "Send to full response on a hit.")
    static let classes = Key.raw("classes", .list(.string(pattern: nil), minItems: 1), defaultNote: "all classes",
                                 doc: "Classes it serves.")
    static let section = Section("cache", title: "caches[]",
                                 doc: "A response cache in front of the pools; a hit completes the request at its hit latency with no GPU.",
                                 fields: [name.spec, kind.spec, hitRatio.spec, content.spec, hitLatency.spec, classes.spec])
}

enum CacheContentFields {
    static let distinct = Key.integer("distinct", min: 1, max: CacheContentModel.maxDistinct,
                                      required: "distinct prompts, 1 ... \(CacheContentModel.maxDistinct)",
                                      doc: "Distinct prompts (intents for a semantic cache).")
    static let skew = Key.number("skew", min: 0, default: 0.8, doc: "Zipf exponent of their popularity (0 = uniform).")
    static let capacity = Key.integer("capacity", min: 1, defaultNote: "unbounded", doc: "Entries kept, least recently used evicted.")
    static let ttl = Key.duration("ttl", exclusiveMin: true, defaultNote: "forever", doc: "How long an entry stays valid after it is stored.")
    static let section = Section("cacheContent", title: "caches[].content", doc: "A simulated cache's content.",
                                 fields: [distinct.spec, skew.spec, capacity.spec, ttl.spec])
}

enum HostedFields {
    private static let latency = FieldType.either([.duration(min: 0, exclusive: false), .object(DurationDistributionFields.section)])
    static let name = Key.string("name", default: "hosted", doc: "Names its streams and report rows.")
    static let inputPricePerMillion = Key.number("inputPricePerMillion", min: 0, required: "USD per million input tokens, >= 0",
                                                 unit: "USD per million tokens", doc: "Price of prompt tokens.")
    static let outputPricePerMillion = Key.number("outputPricePerMillion", min: 0, required: "USD per million output tokens, >= 0",
                                                  unit: "USD per million tokens", doc: "Price of output tokens.")
    static let ttft = Key.raw("ttft", latency, required: "a duration or a duration distribution", doc: "Its time to first token.")
    static let tpot = Key.raw("tpot", latency, required: "seconds per output token: a duration or a duration distribution",
                              doc: "Seconds per output token after the first.")
    static let share = Key.fraction("share", exclusive: false, default: 0, doc: "Fraction of first attempts always sent there.")
    static let overflow = Key.boolean("overflow", default: false,
                                      doc: "Take attempts a pool would reject for capacity (queue full, in-flight token budget, open circuit breaker, too long).")
    static let section = Section("hosted", title: "hosted",
                                 doc: "A hosted API endpoint, paid per token: a share of the traffic and/or the pools' overflow.",
                                 fields: [name.spec, inputPricePerMillion.spec, outputPricePerMillion.spec, ttft.spec, tpot.spec,
                                          share.spec, overflow.spec])
}

enum RouterFields {
    static let name = Key.string("name", required: "a name unique across pools and routers", doc: "Names the random stream router/<name>.")
    static let classes = Key.raw("classes", .list(.string(pattern: nil), minItems: 1), required: "the request classes it serves",
                                 doc: "Classes it serves (not also named by a pool).")
    static let split = Key.raw("split", .list(.object(TierFields.section), minItems: 1), required: "an array of { pool, weight }",
                               doc: "The tiers and their weights.")
    static let fallback = Key.raw("fallback", .object(RouterFallbackFields.section), doc: "Fall back when the drawn tier is saturated.")
    static let section = Section("router", title: "routers[]",
                                 doc: "Splits classes over pools (model tiers) by weight, with fallback when a tier is saturated.",
                                 fields: [name.spec, classes.spec, split.spec, fallback.spec])
}

enum TierFields {
    static let pool = Key.raw("pool", .string(pattern: nil), required: "a pool name", doc: "The tier's pool.")
    static let weight = Key.number("weight", min: 0, required: "a number >= 0 (relative share)", doc: "Relative share; 0: fallback only.")
    static let section = Section("tier", title: "routers[].split[]", doc: "One tier.", fields: [pool.spec, weight.spec])
}

enum RouterFallbackFields {
    static let when = Key.oneOf("when", [
        Choice("wouldReject", "the tier would reject the attempt for capacity"),
        Choice("queueDepth", "also when threshold or more requests wait in it"),
    ], required: "wouldReject, queueDepth", doc: "When a tier counts as saturated.")
    static let threshold = Key.integer("threshold", min: 1, hint: "waiting requests, an integer >= 1",
                                       doc: "queueDepth only: waiting requests.")
    static let section = Section("routerFallback", title: "routers[].fallback", doc: "Fallback to the first free other tier.",
                                 fields: [when.spec, threshold.spec])
}

enum ReleaseFields {
    static let name = Key.string("name", required: "a unique name", doc: "Names the random stream release/<name>.")
    static let stable = Key.raw("stable", .string(pattern: nil), required: "the pool now serving", doc: "The pool now serving.")
    static let candidate = Key.raw("candidate", .string(pattern: nil), required: "the pool of the new version",
                                   doc: "The pool of the new version.")
    static let strategy = Key.choice("strategy", ReleaseSpec.Strategy.self, docs: {
        switch $0 {
        case .canary: "a share of the stable pool's attempts"
        case .blueGreen: "all of them at once"
        }
    }, required: ReleaseSpec.Strategy.allCases.map(\.rawValue).joined(separator: ", "), doc: "How traffic moves.")
    static let start = Key.duration("start", default: 0, doc: "When it begins.")
    static let canary = Key.raw("canary", .object(CanaryFields.section), hint: "{ fraction } of the stable pool's traffic",
                                doc: "canary only (required there): the candidate's share.")
    static let analysis = Key.raw("analysis", .object(AnalysisFields.section),
                                  required: "{ window, interval, minRequests, and thresholds: maxTtftP95, maxErrorRate, minSchemaAdherence, maxSafetyFlagRate }",
                                  doc: "The candidate's health check.")
    static let promoteAfter = Key.duration("promoteAfter", min: 0, exclusiveMin: true, defaultNote: "never",
                                           doc: "Promote (all traffic to the candidate) this long after start if healthy.")
    static let section = Section("release", title: "releases[]",
                                 doc: "A canary or blue/green release from a stable pool to a candidate pool, with automatic rollback.",
                                 fields: [name.spec, stable.spec, candidate.spec, strategy.spec, start.spec, canary.spec,
                                          analysis.spec, promoteAfter.spec])
}

enum CanaryFields {
    static let fraction = Key.fraction("fraction", exclusive: false, required: "a share in (0, 1]",
                                       doc: "Share of the stable pool's attempts sent to the candidate (> 0).")
    static let section = Section("canary", title: "releases[].canary", doc: "The canary's share.", fields: [fraction.spec])
}

enum AnalysisFields {
    static let window = Key.duration("window", min: 0, exclusiveMin: true, required: "a duration > 0",
                                     doc: "Trailing window of candidate attempts; first analysis at start + window.")
    static let interval = Key.duration("interval", min: 0, exclusiveMin: true, default: 30, doc: "Between analyses.")
    static let minRequests = Key.integer("minRequests", min: 1, default: 20, doc: "Fewer attempts in the window pass.")
    static let maxTtftP95 = Key.duration("maxTtftP95", min: 0, exclusiveMin: true,
                                         doc: "Roll back above this p95 TTFT of completed attempts.")
    static let maxErrorRate = Key.fraction("maxErrorRate", exclusive: false, hint: thresholdsHint,
                                           doc: "Roll back above this share of attempts not completed.")
    static let minSchemaAdherence = Key.fraction("minSchemaAdherence", exclusive: false,
                                                 doc: "Roll back below this share of completed attempts whose answer followed its schema (needs the candidate pool's quality).")
    static let maxSafetyFlagRate = Key.fraction("maxSafetyFlagRate", exclusive: false,
                                                doc: "Roll back above this share of completed attempts whose answer was flagged (needs the candidate pool's quality).")
    static let thresholdsHint = "at least one of maxTtftP95, maxErrorRate, minSchemaAdherence, maxSafetyFlagRate"
    static let section = Section("analysis", title: "releases[].analysis", doc: "Give at least one threshold.",
                                 fields: [window.spec, interval.spec, minRequests.spec, maxTtftP95.spec, maxErrorRate.spec,
                                          minSchemaAdherence.spec, maxSafetyFlagRate.spec])
}

enum RegionFields {
    static let name = Key.string("name", required: "a region name, e.g. \"us-east\"", doc: "Unique.")
    static let rtt = Key.raw("rtt", .map(.duration(min: 0, exclusive: false)), required: "an object: region name -> round-trip time",
                             doc: "Region name -> round-trip time between clients in this region and servers in that one.")
    static let section = Section("region", title: "regions[]",
                                 doc: "A region and its round-trip times; every pair (a region with itself included) given in one of the two regions' rtt.",
                                 fields: [name.spec, rtt.spec])
}

enum DisaggregationFields {
    static let prefill = Key.raw("prefill", .string(pattern: nil), required: "a pool name",
                                 doc: "Token-level pool that runs prefills (classes send requests to it).")
    static let decode = Key.raw("decode", .string(pattern: nil), required: "a pool name",
                                doc: "Token-level pool of the same model that decodes; each pool in at most one pair.")
    static let link = Key.raw("link", .object(LinkFields.section), required: "{ bandwidth, latency }", doc: "The KV link.")
    static let section = Section("disaggregationPair", title: "disaggregation[]",
                                 doc: "Prefill/decode disaggregation: requests emit their first token on the prefill pool, ship their KV cache over the link and decode on the paired pool.",
                                 fields: [prefill.spec, decode.spec, link.spec])
}

enum LinkFields {
    static let bandwidth = Key.raw("bandwidth", .bandwidth, required: LinkBandwidth.allowed,
                                   doc: "Per GPU lane, one direction; a transfer uses min(prefill TP, decode TP) lanes.")
    static let latency = Key.duration("latency", default: 0, doc: "Added to each transfer after it leaves the link.")
    static let section = Section("link", title: "disaggregation[].link", doc: "A per-replica FIFO link.",
                                 fields: [bandwidth.spec, latency.spec])
}

enum LadderFields {
    static let pool = Key.raw("pool", .string(pattern: nil), required: "a pool name", doc: "The pool it guards.")
    static let signal = Key.oneOf("signal", [
        Choice("queueDepth", "requests waiting in the pool"), Choice("burnRate", "an SLO's burn rate over a trailing window"),
        Choice("budgetPolicy", "the enforced errorBudgetPolicy's state: 1 freeze, 2 rollback (steps at when: 1 and 2)"),
    ], default: "queueDepth", doc: "What it watches.")
    static let slo = Key.raw("slo", .string(pattern: nil), hint: "the name of an SLO in slos", doc: "burnRate only: the SLO watched.")
    static let window = Key.duration("window", min: 0, exclusiveMin: true, default: 300, doc: "burnRate only: trailing window.")
    static let checkInterval = Key.duration("checkInterval", min: 0, exclusiveMin: true, default: 10, doc: "Between checks.")
    static let recoverAfter = Key.duration("recoverAfter", default: 60,
                                           doc: "Signal below a step's threshold this long releases it (one step at a time).")
    static let steps = Key.raw("steps", .list(.object(LadderStepFields.section), minItems: 1), required: "a non-empty array of steps",
                               doc: "Thresholds strictly increasing; each action at most once.")
    static let section = Section("ladder", title: "degradation[]", doc: "A degradation ladder guarding one pool.",
                                 fields: [pool.spec, signal.spec, slo.spec, window.spec, checkInterval.spec, recoverAfter.spec,
                                          steps.spec])
}

enum LadderStepFields {
    static let actions = ["fallback", "limitOutput", "shed", "disableSpeculation"]
    static let when = Key.number("when", min: 0, exclusiveMin: true, required: "signal level > 0 (queued requests, or burn rate)",
                                 doc: "The signal level at which it engages.")
    static let action = Key.oneOf("action", [
        Choice("fallback", "send a share of new attempts to another pool"), Choice("limitOutput", "cap output tokens"),
        Choice("shed", "reject a share of new attempts"), Choice("disableSpeculation", "turn the pool's speculative decoding off"),
    ], required: actions.joined(separator: ", "), doc: "What it does while engaged.")
    static let name = Key.string("name", defaultNote: "its action", doc: "Labels the step in reports.")
    static let pool = Key.raw("pool", .string(pattern: nil), required: "the pool to fall back to", doc: "The pool to send requests to.")
    static let fraction = Key.fraction("fraction", exclusive: false, default: 1, doc: "Share of new attempts it applies to.")
    static let maxOutputTokens = Key.integer("maxOutputTokens", min: 1, required: "", unit: "tokens", doc: "Cap on output tokens.")
    static let section = Section("ladderStep", title: "degradation[].steps[]", doc: "One step of a ladder.",
                                 fields: [when.spec, action.spec, name.spec], tag: "action", variants: [
        Variant("fallback", fields: [pool.spec, fraction.spec]),
        Variant("limitOutput", fields: [maxOutputTokens.spec]),
        Variant("shed", fields: [fraction.spec]),
        Variant("disableSpeculation", fields: []),
    ])
}
