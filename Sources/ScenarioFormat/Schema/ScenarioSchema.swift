import ServingModel
/// JSON Schema (draft 2020-12) of scenario files, printed by `servesim schema`.
///
/// Editors use it for completion and validation; the loader remains the authority (it also checks
/// cross-field rules such as warmup < duration). Keep it in step with the parsers: a test checks
/// that every key used in scenarios/ is declared here.
public enum ScenarioSchema {
    public static let text = #"""
{
  "$schema": "https://json-schema.org/draft/2020-12/schema",
  "$id": "https://servesim.dev/schema/scenario-v1.json",
  "title": "ServeSim scenario",
  "type": "object",
  "additionalProperties": false,
  "required": ["version", "name", "duration", "workload", "pools"],
  "properties": {
    "version": { "const": 1 },
    "name": { "type": "string", "pattern": "^[A-Za-z0-9._-]+$", "description": "Report file names derive from it." },
    "description": { "type": "string", "description": "The planning question this scenario answers." },
    "seed": { "type": "integer", "minimum": 0, "default": 1 },
    "duration": { "$ref": "#/$defs/duration", "description": "Arrivals are generated for this long; in-flight work then drains." },
    "warmup": { "$ref": "#/$defs/duration", "default": 0, "description": "Requests arriving earlier are excluded from statistics." },
    "drainTimeout": { "$ref": "#/$defs/duration", "description": "Stop this long after duration (default: drain until empty)." },
    "timeSeriesInterval": { "$ref": "#/$defs/duration", "default": "60s", "description": "Interval of the report's time series." },
    "engine": {
      "type": "object", "additionalProperties": false,
      "properties": { "mode": { "enum": ["jump-ahead", "per-iteration"], "default": "jump-ahead" } }
    },
    "workload": {
      "type": "object", "additionalProperties": false, "required": ["classes"],
      "properties": { "classes": { "type": "array", "minItems": 1, "items": { "$ref": "#/$defs/requestClass" } } }
    },
    "pools": { "type": "array", "minItems": 1, "items": { "$ref": "#/$defs/pool" } },
    "slos": { "type": "array", "items": { "$ref": "#/$defs/slo" } },
    "faults": {
      "type": "object", "additionalProperties": false,
      "properties": {
        "replicaFailures": { "type": "object", "additionalProperties": false, "required": ["mtbf", "mttr"],
                             "properties": { "mtbf": { "$ref": "#/$defs/durationDistribution" }, "mttr": { "$ref": "#/$defs/durationDistribution" } } },
        "spotPreemption": { "type": "object", "additionalProperties": false, "required": ["rate"],
                            "properties": { "rate": { "type": "number", "exclusiveMinimum": 0, "description": "reclaims per replica-hour" },
                                            "notice": { "$ref": "#/$defs/duration", "default": "120s" } } },
        "outages": { "type": "array", "items": { "type": "object", "additionalProperties": false, "required": ["at", "duration"],
                     "properties": { "at": { "$ref": "#/$defs/duration" }, "duration": { "$ref": "#/$defs/duration" },
                                     "pools": { "type": "array", "items": { "type": "string" } } } } },
        "inFlight": { "enum": ["fail", "retry"], "default": "fail" }
      }
    },
    "admission": {
      "type": "object", "additionalProperties": false,
      "properties": {
        "maxInFlightTokens": { "type": "integer", "minimum": 1 },
        "tenants": { "type": "array", "items": { "type": "object", "additionalProperties": false, "required": ["tenant", "rate"],
                     "properties": { "tenant": { "type": "string" }, "rate": { "type": "number", "exclusiveMinimum": 0 },
                                     "burst": { "type": "number", "exclusiveMinimum": 0 }, "unit": { "enum": ["requests", "tokens"] } } } }
      }
    },
    "caches": {
      "type": "array", "description": "Response caches in front of the pools, looked up in order; a hit completes the request at its hit latency with no GPU.",
      "items": {
        "type": "object", "additionalProperties": false, "required": ["kind", "hitLatency"],
        "oneOf": [ { "required": ["hitRatio"] }, { "required": ["content"] } ],
        "properties": {
          "name": { "type": "string", "description": "Unique; default: the kind." },
          "kind": { "enum": ["exact", "semantic"] },
          "hitRatio": { "oneOf": [ { "type": "number", "minimum": 0, "maximum": 1 }, { "type": "string", "pattern": "^[0-9.]+%$" } ],
                        "description": "Steady-state probability that a lookup hits (or give content)." },
          "content": {
            "type": "object", "additionalProperties": false, "required": ["distinct"],
            "description": "Simulate what is cached instead of a hit ratio: Zipf-popular prompts, an LRU capacity and a TTL.",
            "properties": {
              "distinct": { "type": "integer", "minimum": 1, "maximum": 10000000, "description": "Distinct prompts (intents for a semantic cache)." },
              "skew": { "type": "number", "minimum": 0, "default": 0.8, "description": "Zipf exponent of their popularity (0 = uniform)." },
              "capacity": { "type": "integer", "minimum": 1, "description": "Entries kept, least recently used evicted; default unbounded." },
              "ttl": { "$ref": "#/$defs/duration", "description": "How long an entry stays valid after it is stored; default forever." }
            }
          },
          "hitLatency": { "$ref": "#/$defs/durationDistribution", "description": "Send to full response on a hit." },
          "classes": { "type": "array", "minItems": 1, "items": { "type": "string" }, "description": "Classes it serves; default all." }
        }
      }
    },
    "hosted": {
      "type": "object", "additionalProperties": false, "description": "A hosted API endpoint, paid per token: a share of the traffic and/or the pools' overflow.",
      "required": ["inputPricePerMillion", "outputPricePerMillion", "ttft", "tpot"],
      "properties": {
        "name": { "type": "string", "default": "hosted" },
        "inputPricePerMillion": { "type": "number", "minimum": 0, "description": "USD per million prompt tokens." },
        "outputPricePerMillion": { "type": "number", "minimum": 0, "description": "USD per million output tokens." },
        "ttft": { "$ref": "#/$defs/durationDistribution" },
        "tpot": { "$ref": "#/$defs/durationDistribution", "description": "Seconds per output token after the first." },
        "share": { "oneOf": [ { "type": "number", "minimum": 0, "maximum": 1 }, { "type": "string", "pattern": "^[0-9.]+%$" } ],
                   "default": 0, "description": "Fraction of first attempts always sent there." },
        "overflow": { "type": "boolean", "default": false, "description": "Take attempts a pool would reject for capacity (queue full, in-flight token budget, open circuit breaker, too long)." }
      }
    },
    "regions": {
      "type": "array", "minItems": 1,
      "description": "Regions and client round-trip times. With regions every pool names its region and every class its origin; RTTs are symmetric and every pair (a region with itself included) must be given in one of the two regions' rtt.",
      "items": {
        "type": "object", "additionalProperties": false, "required": ["name", "rtt"],
        "properties": {
          "name": { "type": "string" },
          "rtt": { "type": "object", "additionalProperties": { "$ref": "#/$defs/duration" },
                   "description": "Region name -> round-trip time between clients in this region and servers in that one." }
        }
      }
    },
    "variants": {
      "type": "array", "description": "Named variants for `servesim compare`: the scenario with fields changed; `run` ignores them.",
      "items": {
        "type": "object", "additionalProperties": false, "required": ["name", "set"],
        "properties": {
          "name": { "type": "string", "pattern": "^[A-Za-z0-9._-]+$" },
          "set": { "type": "object", "minProperties": 1, "description": "Dotted paths (e.g. pools.0.replicas) to values." }
        }
      }
    },
    "disaggregation": {
      "type": "array", "description": "Prefill/decode disaggregation: a prefill pool's requests emit their first token there, ship their KV cache over the link, and decode on the paired pool.",
      "items": {
        "type": "object", "additionalProperties": false, "required": ["prefill", "decode", "link"],
        "properties": {
          "prefill": { "type": "string", "description": "Token-level pool that runs prefills (classes send requests to it)." },
          "decode": { "type": "string", "description": "Token-level pool of the same model that decodes; each pool in at most one pair." },
          "link": {
            "type": "object", "additionalProperties": false, "required": ["bandwidth"],
            "properties": {
              "bandwidth": { "oneOf": [ { "type": "number", "exclusiveMinimum": 0 }, { "type": "string", "pattern": "^[0-9.eE+]+ *(TiB/s|GiB/s|MiB/s|KiB/s|TB/s|GB/s|MB/s|KB/s|kB/s|B/s|Tbps|Gbps|Mbps|Kbps|kbps|Tb/s|Gb/s|Mb/s|bps)$" } ],
                             "description": "Per GPU lane, one direction: bytes/s, or a string with a unit (\"450GB/s\", \"100Gbps\"); a transfer uses min(prefill TP, decode TP) lanes." },
              "latency": { "$ref": "#/$defs/duration", "default": 0, "description": "Added to each transfer after it leaves the link." }
            }
          }
        }
      }
    },
    "degradation": {
      "type": "array", "description": "Degradation ladders, at most one per pool.",
      "items": {
        "type": "object", "additionalProperties": false, "required": ["pool", "steps"],
        "properties": {
          "pool": { "type": "string", "description": "The pool the ladder guards." },
          "signal": { "enum": ["queueDepth", "burnRate"], "default": "queueDepth" },
          "slo": { "type": "string", "description": "burnRate only: the SLO whose burn rate is watched." },
          "window": { "$ref": "#/$defs/duration", "default": "5m", "description": "burnRate only: trailing window." },
          "checkInterval": { "$ref": "#/$defs/duration", "default": "10s" },
          "recoverAfter": { "$ref": "#/$defs/duration", "default": "60s", "description": "Signal below a step's threshold this long releases it." },
          "steps": {
            "type": "array", "minItems": 1, "description": "Thresholds strictly increasing; each action at most once.",
            "items": {
              "type": "object", "additionalProperties": false, "required": ["when", "action"],
              "properties": {
                "name": { "type": "string" },
                "when": { "type": "number", "exclusiveMinimum": 0, "description": "Queued requests, or burn rate." },
                "action": { "enum": ["fallback", "limitOutput", "shed", "disableSpeculation"] },
                "pool": { "type": "string", "description": "fallback: the pool to send requests to." },
                "fraction": { "type": "number", "minimum": 0, "maximum": 1, "default": 1, "description": "fallback, shed: share of attempts." },
                "maxOutputTokens": { "type": "integer", "minimum": 1, "description": "limitOutput: cap on output tokens." }
              }
            }
          }
        }
      }
    },
    "routers": {
      "type": "array", "description": "Request routers: split classes over pools (model tiers) by weight, with fallback when a tier is saturated. Names unique across pools and routers.",
      "items": {
        "type": "object", "additionalProperties": false, "required": ["name", "classes", "split"],
        "properties": {
          "name": { "type": "string", "description": "Names the random stream router/<name>." },
          "classes": { "type": "array", "minItems": 1, "items": { "type": "string" }, "description": "Classes it serves (not also named by a pool)." },
          "split": { "type": "array", "minItems": 1, "items": { "type": "object", "additionalProperties": false, "required": ["pool", "weight"],
                     "properties": { "pool": { "type": "string" }, "weight": { "type": "number", "minimum": 0, "description": "Relative share; 0: fallback only." } } } },
          "fallback": { "type": "object", "additionalProperties": false, "required": ["when"],
                        "properties": { "when": { "enum": ["wouldReject", "queueDepth"], "description": "A tier is saturated when it would reject the attempt for capacity, or also when threshold or more requests wait in it." },
                                        "threshold": { "type": "integer", "minimum": 1, "description": "queueDepth only: waiting requests." } } }
        }
      }
    },
    "releases": {
      "type": "array", "description": "Canary and blue/green releases from a stable pool to a candidate pool, with automatic rollback.",
      "items": {
        "type": "object", "additionalProperties": false, "required": ["name", "stable", "candidate", "strategy", "analysis"],
        "properties": {
          "name": { "type": "string", "description": "Names the random stream release/<name>." },
          "stable": { "type": "string", "description": "The pool now serving." },
          "candidate": { "type": "string", "description": "The pool of the new version." },
          "strategy": { "enum": ["canary", "blue-green"] },
          "start": { "$ref": "#/$defs/duration", "default": 0 },
          "canary": { "type": "object", "additionalProperties": false, "required": ["fraction"],
                      "properties": { "fraction": { "oneOf": [ { "type": "number", "exclusiveMinimum": 0, "maximum": 1 }, { "type": "string", "pattern": "^[0-9.]+%$" } ],
                                                    "description": "Share of the stable pool's attempts sent to the candidate." } } },
          "analysis": { "type": "object", "additionalProperties": false, "required": ["window"],
                        "properties": { "window": { "$ref": "#/$defs/duration", "description": "Trailing window of candidate attempts; first analysis at start + window." },
                                        "interval": { "$ref": "#/$defs/duration", "default": "30s" },
                                        "minRequests": { "type": "integer", "minimum": 1, "default": 20 },
                                        "maxTtftP95": { "$ref": "#/$defs/duration", "description": "Roll back above this p95 TTFT of completed attempts." },
                                        "maxErrorRate": { "type": "number", "minimum": 0, "maximum": 1, "description": "Roll back above this share of attempts not completed." } } },
          "promoteAfter": { "$ref": "#/$defs/duration", "description": "Promote (all traffic to the candidate) this long after start if healthy." }
        }
      }
    }
  },
  "$defs": {
    "duration": {
      "description": "Seconds as a number, or a string with a unit: ms, s, m, h, d.",
      "oneOf": [ { "type": "number", "minimum": 0 }, { "type": "string", "pattern": "^[0-9.]+(us|ms|s|m|h|d)?$" } ]
    },
    "durationDistribution": {
      "description": "A duration (fixed), or a distribution of durations.",
      "oneOf": [
        { "$ref": "#/$defs/duration" },
        { "type": "object", "additionalProperties": false, "required": ["distribution"],
          "properties": {
            "distribution": { "enum": ["fixed", "uniform", "exponential", "lognormal", "weibull"] },
            "value": { "$ref": "#/$defs/duration" }, "min": { "$ref": "#/$defs/duration" }, "max": { "$ref": "#/$defs/duration" },
            "mean": { "$ref": "#/$defs/duration" }, "p95": { "$ref": "#/$defs/duration" },
            "mu": { "type": "number" }, "sigma": { "type": "number", "minimum": 0 },
            "scale": { "$ref": "#/$defs/duration" }, "shape": { "type": "number", "exclusiveMinimum": 0 }
          } }
      ]
    },
    "autoscaling": {
      "type": "object", "additionalProperties": false, "required": ["maxReplicas", "target"],
      "properties": {
        "minReplicas": { "type": "integer", "minimum": 0, "default": 1 },
        "maxReplicas": { "type": "integer", "minimum": 1 },
        "metric": { "enum": ["concurrency", "queueDepth", "kvUtilization", "requestRate"], "default": "concurrency" },
        "target": { "type": "number", "exclusiveMinimum": 0, "description": "per ready replica" },
        "syncPeriod": { "$ref": "#/$defs/duration", "default": "15s" },
        "tolerance": { "type": "number", "minimum": 0, "exclusiveMaximum": 1, "default": 0.1 },
        "scaleUp": { "type": "object", "additionalProperties": false,
                     "properties": { "factor": { "type": "number", "minimum": 1, "default": 2 }, "pods": { "type": "integer", "minimum": 0, "default": 4 } } },
        "scaleDownStabilization": { "$ref": "#/$defs/duration", "default": "5m" },
        "scaleToZeroGrace": { "$ref": "#/$defs/duration", "default": "5m" },
        "panicWindow": { "$ref": "#/$defs/duration", "default": "6s" },
        "panicThreshold": { "type": "number", "minimum": 1, "default": 2 },
        "stableWindow": { "$ref": "#/$defs/duration", "default": "60s" },
        "predictive": { "type": "object", "additionalProperties": false, "required": ["perReplicaRate"],
                        "properties": { "leadTime": { "$ref": "#/$defs/duration", "default": "120s" },
                                        "mode": { "enum": ["schedule", "trend"], "default": "trend" },
                                        "perReplicaRate": { "type": "number", "exclusiveMinimum": 0 } } }
      }
    },
    "coldStart": {
      "type": "object", "additionalProperties": false,
      "properties": {
        "provision": { "$ref": "#/$defs/durationDistribution" }, "imagePull": { "$ref": "#/$defs/durationDistribution" },
        "engineStart": { "$ref": "#/$defs/durationDistribution" },
        "weightLoadBandwidth": { "type": "number", "exclusiveMinimum": 0, "default": 2e9, "description": "bytes/s" }
      }
    },
    "warmPool": {
      "type": "object", "additionalProperties": false, "required": ["size"],
      "properties": {
        "size": { "type": "integer", "minimum": 0 },
        "startTime": { "$ref": "#/$defs/durationDistribution" },
        "idleCostFraction": { "type": "number", "minimum": 0, "maximum": 1, "default": 1 }
      }
    },
    "fraction": { "oneOf": [ { "type": "number", "exclusiveMinimum": 0, "exclusiveMaximum": 1 }, { "type": "string", "pattern": "^[0-9.]+%$" } ] },
    "requestClass": {
      "type": "object", "additionalProperties": false, "required": ["name", "arrivals"],
      "properties": {
        "name": { "type": "string" },
        "tenant": { "type": "string", "default": "default" },
        "arrivals": { "$ref": "#/$defs/arrivals" },
        "promptTokens": { "$ref": "#/$defs/lengths" },
        "outputTokens": { "$ref": "#/$defs/lengths" },
        "sharedPrefix": {
          "type": "object", "additionalProperties": false, "required": ["tokens", "count"],
          "description": "synthetic shared prompt prefixes (system prompts) put in front of each drawn prompt; not with trace arrivals",
          "properties": {
            "tokens": { "type": "integer", "minimum": 1 },
            "count": { "type": "integer", "minimum": 1, "description": "distinct prefixes" },
            "skew": { "type": "number", "minimum": 0, "default": 0, "description": "Zipf exponent of prefix popularity (0 = uniform)" },
            "blockTokens": { "type": "integer", "minimum": 1, "default": 16, "description": "tokens per hash block" }
          }
        },
        "sessions": {
          "type": "object", "additionalProperties": false, "required": ["turns", "thinkTime"],
          "description": "multi-turn chat sessions: arrivals give new sessions; each turn's prompt is the conversation so far plus its own promptTokens draw; with sharedPrefix each session starts with one drawn prefix; not with trace arrivals",
          "properties": {
            "turns": { "oneOf": [ { "type": "number", "minimum": 1, "description": "mean of a geometric number of turns" }, { "$ref": "#/$defs/lengths" } ] },
            "thinkTime": { "$ref": "#/$defs/duration", "description": "mean time between two turns' sends (exponential, open loop)" },
            "maxContextTokens": { "type": "integer", "minimum": 1, "default": 32768, "description": "a later turn whose prompt would exceed this ends the session" },
            "blockTokens": { "type": "integer", "minimum": 1, "default": 16, "description": "tokens per hash block of the conversation (with sharedPrefix: its blockTokens)" }
          }
        },
        "origin": { "type": "string", "description": "With regions: the region its clients send from." },
        "origins": { "type": "array", "minItems": 1, "description": "With regions: several origin regions, fractions summing to 1 (drawn per request from stream origin/<class>).",
                     "items": { "type": "object", "additionalProperties": false, "required": ["region", "fraction"],
                                "properties": { "region": { "type": "string" },
                                                "fraction": { "oneOf": [ { "type": "number", "exclusiveMinimum": 0, "maximum": 1 }, { "type": "string", "pattern": "^[0-9.]+%$" } ] } } } },
        "pools": { "type": "array", "minItems": 1, "items": { "type": "string" },
                   "description": "With regions: geo routing over these pools (nearest available region by RTT from the origin); not with a pool's classes naming this class." },
        "failover": { "type": "boolean", "default": true, "description": "With pools: fail over to the next-nearest available region when the nearest is unavailable." },
        "client": {
          "type": "object", "additionalProperties": false,
          "properties": {
            "timeout": { "$ref": "#/$defs/duration" },
            "retry": { "type": "object", "additionalProperties": false,
                       "properties": { "maxAttempts": { "type": "integer", "minimum": 1, "default": 3 },
                                       "baseBackoff": { "$ref": "#/$defs/duration", "default": "1s" },
                                       "maxBackoff": { "$ref": "#/$defs/duration", "default": "30s" },
                                       "multiplier": { "type": "number", "minimum": 1, "default": 2 },
                                       "jitter": { "enum": ["full", "equal", "none"], "default": "full" } } }
          }
        }
      }
    },
    "arrivals": {
      "type": "object", "additionalProperties": false, "required": ["process"],
      "properties": {
        "process": { "enum": ["poisson", "gamma", "schedule", "trace"] },
        "rate": { "type": "number", "exclusiveMinimum": 0, "description": "requests per second (poisson, gamma)" },
        "cv": { "type": "number", "exclusiveMinimum": 0, "description": "coefficient of variation of inter-arrival times (gamma)" },
        "steps": {
          "type": "array", "minItems": 1, "description": "piecewise-constant rate (schedule); the first step is at 0",
          "items": { "type": "object", "additionalProperties": false, "required": ["at", "rate"],
                     "properties": { "at": { "$ref": "#/$defs/duration" }, "rate": { "type": "number", "minimum": 0 } } }
        },
        "file": { "type": "string", "description": "trace path, relative to the scenario file (trace)" },
        "format": { "enum": ["azure", "mooncake", "csv"] },
        "timeScale": { "type": "number", "exclusiveMinimum": 0, "default": 1, "description": "multiplies trace inter-arrival times" },
        "blockTokens": { "type": "integer", "minimum": 1, "default": 512, "description": "prompt tokens per hash id (format mooncake)" }
      }
    },
    "lengths": {
      "type": "object", "additionalProperties": false, "required": ["distribution"],
      "properties": {
        "distribution": { "enum": ["fixed", "uniform", "lognormal", "empirical"] },
        "value": { "type": "integer", "minimum": 1 },
        "min": { "type": "integer", "minimum": 1 },
        "max": { "type": "integer", "minimum": 1 },
        "mean": { "type": "number", "exclusiveMinimum": 0 },
        "p95": { "type": "number", "exclusiveMinimum": 0 },
        "mu": { "type": "number" },
        "sigma": { "type": "number", "exclusiveMinimum": 0 },
        "values": { "type": "array", "items": { "type": "integer", "minimum": 1 } },
        "file": { "type": "string" },
        "column": { "type": "string" }
      }
    },
    "hardware": {
      "oneOf": [
        { "enum": ["H100-SXM-80GB", "A100-80GB", "L40S", "L4", "A10G", "RTX-PRO-6000-96GB", "RTX-4090-24GB"] },
        { "type": "object", "additionalProperties": false,
          "required": ["name", "peakFlops", "memoryBandwidth", "memoryBytes"],
          "properties": {
            "name": { "type": "string" },
            "peakFlops": { "type": "number", "exclusiveMinimum": 0, "description": "dense BF16 FLOP/s" },
            "memoryBandwidth": { "type": "number", "exclusiveMinimum": 0, "description": "bytes/s" },
            "memoryBytes": { "type": "number", "exclusiveMinimum": 0 },
            "pricePerGpuHour": { "type": "number", "minimum": 0, "description": "USD" },
            "interconnectBandwidth": { "type": "number", "exclusiveMinimum": 0, "description": "bytes/s per GPU" }
          } }
      ]
    },
    "model": {
      "oneOf": [
        { "enum": ["llama-3.1-8b", "llama-3.1-70b", "mistral-7b", "qwen2.5-0.5b", "llama-2-7b", "llama-3.2-1b"] },
        { "type": "object", "additionalProperties": false,
          "required": ["name", "layers", "hidden", "heads", "kvHeads", "intermediate", "vocab"],
          "properties": {
            "name": { "type": "string" },
            "layers": { "type": "integer", "minimum": 1 }, "hidden": { "type": "integer", "minimum": 1 },
            "heads": { "type": "integer", "minimum": 1 }, "kvHeads": { "type": "integer", "minimum": 1 },
            "headDim": { "type": "integer", "minimum": 1 }, "intermediate": { "type": "integer", "minimum": 1 },
            "vocab": { "type": "integer", "minimum": 1 }, "bytesPerParam": { "type": "number", "exclusiveMinimum": 0 },
            "tiedEmbeddings": { "type": "boolean" }
          } }
      ]
    },
    "pool": {
      "type": "object", "additionalProperties": false, "required": ["name", "performance"],
      "properties": {
        "name": { "type": "string" },
        "classes": { "type": "array", "items": { "type": "string" }, "description": "classes served (default: the first pool serves unclaimed classes)" },
        "region": { "type": "string", "description": "With regions (required then): the region the pool runs in." },
        "hardware": { "$ref": "#/$defs/hardware" },
        "model": { "$ref": "#/$defs/model" },
        "tensorParallel": { "type": "integer", "minimum": 1, "default": 1 },
        "replicas": { "type": "integer", "minimum": 1 },
        "pricePerGpuHour": { "type": "number", "minimum": 0, "description": "USD per GPU-hour (default: the hardware preset's)" },
        "routing": { "enum": ["shared-queue", "round-robin", "least-outstanding", "least-kv", "power-of-two", "ewma", "weighted-round-robin", "prefix-affinity", "session-affinity"], "default": "least-outstanding" },
        "routingWeights": { "type": "array", "items": { "type": "integer", "minimum": 1 }, "minItems": 1, "description": "weighted-round-robin: one weight per replica slot (replicas or the autoscaler's maximum, plus the warm pool); default all 1" },
        "prefixCaching": { "oneOf": [ { "type": "boolean" },
                                      { "type": "object", "additionalProperties": false, "required": ["enabled"],
                                        "properties": { "enabled": { "type": "boolean" } } } ],
                           "default": false, "description": "replicas keep prompt prefixes' KV blocks (hash chains, LRU eviction under KV pressure)" },
        "affinity": { "type": "object", "additionalProperties": false, "description": "prefix-affinity and session-affinity routing: consistent hashing with bounded loads",
                      "properties": { "keyBlocks": { "type": "integer", "minimum": 1, "default": 1, "description": "prefix-affinity only: leading hash blocks in the routing key" },
                                      "epsilon": { "type": "number", "exclusiveMinimum": 0, "default": 0.25, "description": "a replica takes at most (1 + epsilon) x the mean outstanding" },
                                      "virtualNodes": { "type": "integer", "minimum": 1, "default": 64, "description": "ring points per replica slot" } } },
        "maxQueueLength": { "type": "integer", "minimum": 0, "description": "arrivals beyond this many waiting are rejected" },
        "errorRate": { "type": "number", "minimum": 0, "maximum": 1, "default": 0, "description": "share of attempts that fail at completion (stream errors/<pool>)" },
        "gpuMemoryUtilization": { "type": "number", "minimum": 0, "maximum": 1, "default": 0.9 },
        "kvCacheTokens": { "type": "integer", "minimum": 1, "description": "KV cache capacity per replica (default: from memory)" },
        "autoscaling": { "$ref": "#/$defs/autoscaling" },
        "circuitBreaker": { "type": "object", "additionalProperties": false,
                            "properties": { "failureThreshold": { "type": "integer", "minimum": 1, "default": 5 },
                                            "openDuration": { "$ref": "#/$defs/duration", "default": "30s" } } },
        "coldStart": { "$ref": "#/$defs/coldStart" },
        "warmPool": { "$ref": "#/$defs/warmPool" },
        "speculative": {
          "type": "object", "additionalProperties": false, "required": ["draftTokens", "acceptance"],
          "description": "Speculative decoding: a draft proposes draftTokens per sequence, one target step verifies them. Give draftModel or draftCostRatio.",
          "properties": {
            "draftTokens": { "type": "integer", "minimum": 1, "maximum": 16, "description": "k, draft tokens per round" },
            "acceptance": { "type": "number", "minimum": 0, "exclusiveMaximum": 1, "description": "alpha, probability that the target accepts a draft token" },
            "draftModel": { "$ref": "#/$defs/model", "description": "draft model shape, run through the pool's roofline (roofline pools only)" },
            "draftCostRatio": { "type": "number", "exclusiveMinimum": 0, "maximum": 1, "description": "draft step time / target decode step time at the same batch and context" },
            "draftStepOverhead": { "$ref": "#/$defs/duration", "description": "draftModel only: fixed cost per draft step (default: the pool's stepOverhead)" },
            "disableAboveBatch": { "type": "integer", "minimum": 1, "description": "decode batches larger than this decode plainly" }
          }
        },
        "scheduler": {
          "type": "object", "additionalProperties": false,
          "properties": {
            "policy": { "enum": ["continuous", "fcfs"], "default": "continuous" },
            "maxNumSeqs": { "type": "integer", "minimum": 1, "default": 256 },
            "maxBatchedTokens": { "type": "integer", "minimum": 1, "default": 8192 },
            "chunkedPrefill": { "type": "boolean", "default": true },
            "blockSize": { "type": "integer", "minimum": 1, "default": 16 }
          }
        },
        "performance": {
          "type": "object", "additionalProperties": false, "required": ["model"],
          "properties": {
            "model": { "enum": ["roofline", "profile", "service"] },
            "computeEfficiency": { "type": "number", "exclusiveMinimum": 0, "maximum": 1 },
            "memoryEfficiency": { "type": "number", "exclusiveMinimum": 0, "maximum": 1 },
            "stepOverhead": { "$ref": "#/$defs/duration" },
            "requestOverhead": { "$ref": "#/$defs/duration" },
            "allReduceLatency": { "$ref": "#/$defs/duration" },
            "file": { "type": "string", "description": "profile JSON (profile)" },
            "distribution": { "enum": ["exponential", "deterministic", "lognormal", "gamma"] },
            "mean": { "$ref": "#/$defs/duration" },
            "cv": { "type": "number", "exclusiveMinimum": 0 }
          }
        }
      }
    },
    "slo": {
      "type": "object", "additionalProperties": false, "required": ["name", "sli", "objective"],
      "properties": {
        "name": { "type": "string" },
        "sli": { "enum": ["ttft", "tpot", "e2e", "queueWait", "availability"] },
        "threshold": { "$ref": "#/$defs/duration" },
        "objective": { "$ref": "#/$defs/fraction" },
        "window": { "$ref": "#/$defs/duration", "default": "30d" },
        "classes": { "type": "array", "items": { "type": "string" } }
      }
    }
  }
}
"""#
}
