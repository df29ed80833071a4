/// Commented starter scenarios `servesim init` writes: each asks one planner's question with
/// realistic defaults and says, in comments, what to change and how to ask the next question.
///
/// `"NAME"` in a template's text is replaced by the scenario's name and `THIS.json5` by the file's
/// path. Every template is a valid scenario as written (a test loads and runs each).
public struct StarterTemplate: Sendable {
    /// The `--template` value.
    public let name: String
    /// One line for `servesim init --help`.
    public let summary: String
    /// The scenario text, with `"NAME"` where the scenario's name goes and `THIS.json5` where
    /// the file's path goes.
    let text: String

    /// The template's text for the scenario `scenarioName` in the file `file`.
    public func text(named scenarioName: String, file: String) -> String {
        text.replacingOccurrences(of: "\"NAME\"", with: "\"\(scenarioName)\"").replacingOccurrences(of: "THIS.json5", with: file)
    }

    /// Every template, the default (`chat`) first.
    public static let all: [StarterTemplate] = [chat, rag, batch, autoscale]

    public static func named(_ name: String) -> StarterTemplate? { all.first { $0.name == name } }

    // Lengths used below: the Azure LLM inference trace 2023 (conversation) has prompts of median
    // 1020 and p95 4083 tokens and outputs of median 129 and p95 451 (mu = ln median, sigma =
    // ln(p95 / median) / 1.645), as scenarios/chat-h100.json5 documents.

    static let chat = StarterTemplate(name: "chat", summary: "interactive chat on H100s: p95 TTFT, E2E and cost per request", text: #"""
// A starter scenario written by `servesim init --template chat`. Edit it, then:
//   servesim run THIS.json5                       the report: tails, SLOs, cost per request
//   servesim plan THIS.json5 --hardware H100-SXM-80GB,A100-80GB --safety 1.2
//                                                 the fewest replicas that meet every SLO
//   servesim sweep THIS.json5 --set pools.0.replicas=1..6
//                                                 one row per replica count
// Every key is listed in the README ("Scenario keys"); `servesim schema` prints the JSON Schema.
{
  version: 1,
  name: "NAME",
  description: "20 req/s of chat on Llama-3.1-8B: do 2 H100s keep p95 TTFT under 1.5 s and p95 E2E under 10 s, and what does a request cost?",
  seed: 1,                 // same seed, same arrivals and lengths: byte-identical reports
  duration: "1h",          // arrivals are generated for this long, then in-flight work drains
  warmup: "5m",            // requests arriving before this are left out of the statistics
  workload: {
    classes: [{
      name: "chat", tenant: "default",
      // Open-loop Poisson arrivals; for bursts use { process: "gamma", rate: 20, cv: 4 }, for
      // a day's shape { process: "schedule", steps: [{ at: "0s", rate: 5 }, { at: "30m", rate: 20 }] }.
      arrivals: { process: "poisson", rate: 20 },
      // Lengths of the Azure LLM inference trace 2023 (conversation), tokens.
      promptTokens: { distribution: "lognormal", mu: 6.9276, sigma: 0.8433 },
      outputTokens: { distribution: "lognormal", mu: 4.8598, sigma: 0.7609 },
    }],
  },
  pools: [{
    name: "gpu", hardware: "H100-SXM-80GB", model: "llama-3.1-8b", tensorParallel: 1,
    replicas: 2,
    // pricePerGpuHour: 3.0,   // USD; default: the hardware preset's planning price
    routing: "least-outstanding",
    // vLLM-like continuous batching: at most 256 sequences and 8192 tokens per step.
    scheduler: { policy: "continuous", maxNumSeqs: 256, maxBatchedTokens: 8192, chunkedPrefill: true },
    performance: { model: "roofline" },   // step times from the GPU's measured kernels and datasheet
  }],
  slos: [
    { name: "ttft-p95", sli: "ttft", threshold: "1.5s", objective: 0.95, window: "30d" },
    { name: "e2e-p95", sli: "e2e", threshold: "10s", objective: 0.95, window: "30d" },
    { name: "availability", sli: "availability", objective: 0.999, window: "30d" },
  ],
}
"""#)

    static let rag = StarterTemplate(name: "rag", summary: "retrieval-augmented generation: long prompts, shared system prompts, prefix caching", text: #"""
// A starter scenario written by `servesim init --template rag`: retrieval-augmented answers,
// where every prompt carries one of a few long system prompts and instructions (shared prefixes)
// plus retrieved passages, and the answers are short. Prefix caching keeps the shared prefixes'
// KV so their prefill is paid once per replica; prefix-affinity routing sends each prefix to the
// replicas that hold it. Edit it, then:
//   servesim run THIS.json5                        prefill tokens saved, TTFT, cost
//   servesim sweep THIS.json5 --set pools.0.prefixCaching=true,false --set pools.0.routing=least-outstanding,prefix-affinity
// Every key is listed in the README ("Scenario keys").
{
  version: 1,
  name: "NAME",
  description: "10 req/s of RAG on Llama-3.1-8B with 4 shared 2k-token system prompts and ~3k tokens of retrieved context: do 2 H100s with prefix caching keep p95 TTFT under 2 s?",
  seed: 1,
  duration: "1h",
  warmup: "5m",
  workload: {
    classes: [{
      name: "rag", tenant: "default",
      arrivals: { process: "poisson", rate: 10 },
      // The request's own part: the question and its retrieved passages (tokens; an assumed
      // mean of 3000 and p95 of 8000: put your retriever's figures here).
      promptTokens: { distribution: "lognormal", mean: 3000, p95: 8000 },
      outputTokens: { distribution: "lognormal", mean: 250, p95: 600 },
      // In front of each prompt: one of 4 system prompts of 2048 tokens, the first ones more
      // often (Zipf skew 1).
      sharedPrefix: { tokens: 2048, count: 4, skew: 1.0 },
    }],
  },
  pools: [{
    name: "gpu", hardware: "H100-SXM-80GB", model: "llama-3.1-8b", replicas: 2,
    prefixCaching: true,
    routing: "prefix-affinity",
    scheduler: { policy: "continuous", maxNumSeqs: 256, maxBatchedTokens: 8192, chunkedPrefill: true },
    performance: { model: "roofline" },
  }],
  slos: [
    { name: "ttft-p95", sli: "ttft", threshold: "2s", objective: 0.95 },
    { name: "e2e-p95", sli: "e2e", threshold: "15s", objective: 0.95 },
    { name: "availability", sli: "availability", objective: 0.999 },
  ],
}
"""#)

    static let batch = StarterTemplate(name: "batch", summary: "offline batch work: a fixed set of requests, throughput and cost per 1M tokens", text: #"""
// A starter scenario written by `servesim init --template batch`: an offline job (summaries,
// evaluations, embeddings-then-generation) sent by a fixed number of workers, each sending its
// next request when the last one finished, as `vllm bench serve --max-concurrency` does. The run
// ends with the last request; the report's throughput and cost per 1M output tokens answer
// "how long, and how much?". Edit it, then:
//   servesim run THIS.json5
//   servesim sweep THIS.json5 --set workload.classes.0.arrivals.concurrency=16,32,64,128
//                                                  more workers: more throughput, longer requests
// Every key is listed in the README ("Scenario keys").
{
  version: 1,
  name: "NAME",
  description: "A batch job of 5,000 summaries (2k tokens in, 500 out) sent by 64 workers to one H100 with Llama-3.1-8B: how long does it take, and what do 1M output tokens cost?",
  seed: 1,
  duration: "24h",         // an upper bound: closed-loop work ends when the last request does
  workload: {
    classes: [{
      name: "batch", tenant: "default",
      arrivals: { process: "closed-loop", concurrency: 64, requests: 5000 },
      promptTokens: { distribution: "uniform", min: 1500, max: 2500 },
      outputTokens: { distribution: "uniform", min: 300, max: 700 },
    }],
  },
  pools: [{
    name: "gpu", hardware: "H100-SXM-80GB", model: "llama-3.1-8b", replicas: 1,
    scheduler: { policy: "continuous", maxNumSeqs: 256, maxBatchedTokens: 8192, chunkedPrefill: true },
    performance: { model: "roofline" },
  }],
  slos: [
    // Batch work has no user waiting on the first token; the per-request latency bounds how
    // stale a result may be.
    { name: "e2e-p95", sli: "e2e", threshold: "2m", objective: 0.95 },
    { name: "availability", sli: "availability", objective: 0.999 },
  ],
}
"""#)

    static let autoscale = StarterTemplate(name: "autoscale", summary: "a morning ramp with an autoscaler, cold starts and a warm pool", text: #"""
// A starter scenario written by `servesim init --template autoscale`: traffic that ramps from a
// quiet night to a busy morning, an autoscaler adding replicas, cold starts that take about a
// minute, and a warm pool of stopped-but-ready replicas that start in seconds. The question: what
// does the warm pool cost per request, and how much p95 TTFT does it save while the autoscaler
// catches up? Edit it, then:
//   servesim run THIS.json5 --format json,md,html  the HTML page charts replicas and queue over time
//   servesim sweep THIS.json5 --set pools.0.warmPool.size=0,1,2,4
// Every key is listed in the README ("Scenario keys").
{
  version: 1,
  name: "NAME",
  description: "A ramp from 1 to 30 req/s of chat on Llama-3.1-8B / H100 with autoscaling (1 to 8 replicas) and a warm pool of 2: what does the pool cost, and does p95 TTFT stay under 1.5 s while capacity catches up?",
  seed: 1,
  duration: "2h",
  warmup: "0s",
  timeSeriesInterval: "1m",   // one row per minute in the report's time series
  workload: {
    classes: [{
      name: "chat", tenant: "default",
      arrivals: { process: "schedule", steps: [
        { at: "0s", rate: 1 }, { at: "45m", rate: 10 }, { at: "60m", rate: 20 }, { at: "75m", rate: 30 },
      ] },
      promptTokens: { distribution: "lognormal", mu: 6.9276, sigma: 0.8433 },
      outputTokens: { distribution: "lognormal", mu: 4.8598, sigma: 0.7609 },
    }],
  },
  pools: [{
    name: "gpu", hardware: "H100-SXM-80GB", model: "llama-3.1-8b", replicas: 1,
    routing: "least-outstanding",
    scheduler: { policy: "continuous", maxNumSeqs: 256, maxBatchedTokens: 8192, chunkedPrefill: true },
    performance: { model: "roofline" },
    // Scale on requests in flight per replica, checked every 15 s.
    autoscaling: { minReplicas: 1, maxReplicas: 8, metric: "concurrency", target: 48, syncPeriod: "15s" },
    // A cold start: node provisioning, image pull, weights at 2 GB/s, engine start (assumed
    // figures; measure yours).
    coldStart: {
      provision: { distribution: "lognormal", mean: "20s", p95: "45s" },
      imagePull: { distribution: "lognormal", mean: "30s", p95: "60s" },
      engineStart: { distribution: "lognormal", mean: "20s", p95: "40s" },
      weightLoadBandwidth: 2e9,
    },
    // Replicas kept stopped but ready: they start in seconds and are billed at 30% while idle.
    warmPool: { size: 2, startTime: { distribution: "lognormal", mean: "15s", p95: "30s" }, idleCostFraction: 0.3 },
  }],
  slos: [
    { name: "ttft-p95", sli: "ttft", threshold: "1.5s", objective: 0.95 },
    { name: "availability", sli: "availability", objective: 0.999 },
  ],
}
"""#)
}
