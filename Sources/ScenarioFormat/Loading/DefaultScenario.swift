import ServingModel
/// The built-in default scenario: the text of scenarios/chat-h100.json5 (a test keeps them equal;
/// `make default-scenario` regenerates this file from it).
public enum DefaultScenario {
    public static let name = "scenarios/chat-h100.json5"
    public static let text = #"""
// The default scenario (`servesim run` with no arguments runs this text, built in).
{
  version: 1,
  name: "chat-h100",
  description: "40 req/s of chat on Llama-3.1-8B: do 3 H100s keep p95 TTFT under 1.5 s and p95 E2E under 10 s, and what does a request cost?",
  seed: 42,
  duration: "1h",          // arrivals are generated for this long, then in-flight work drains
  warmup: "5m",            // requests arriving before this are excluded from statistics
  workload: {
    classes: [{
      name: "chat", tenant: "acme",
      arrivals: { process: "poisson", rate: 40 },
      // Lognormal lengths with the median and p95 of the Azure LLM inference trace 2023
      // (conversation): prompts median 1020, p95 4083 -> mu = ln 1020, sigma = ln(4083/1020)/1.645;
      // outputs median 129, p95 451 -> mu = ln 129, sigma = ln(451/129)/1.645.
      promptTokens: { distribution: "lognormal", mu: 6.9276, sigma: 0.8433 },
      outputTokens: { distribution: "lognormal", mu: 4.8598, sigma: 0.7609 },
    }],
  },
  pools: [{
    name: "h100", hardware: "H100-SXM-80GB", model: "llama-3.1-8b", tensorParallel: 1,
    replicas: 3, pricePerGpuHour: 3.0,
    routing: "least-outstanding",
    scheduler: { policy: "continuous", maxNumSeqs: 256, maxBatchedTokens: 8192, chunkedPrefill: true },
    performance: { model: "roofline" },
  }],
  slos: [
    { name: "ttft-p95", sli: "ttft", threshold: "1.5s", objective: 0.95, window: "30d" },
    { name: "e2e-p95", sli: "e2e", threshold: "10s", objective: 0.95, window: "30d" },
    { name: "availability", sli: "availability", objective: 0.999, window: "30d" },
  ],
}

"""#
}
