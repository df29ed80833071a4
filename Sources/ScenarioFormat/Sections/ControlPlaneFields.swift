import ServingModel

/// The keys of a pool's elastic capacity (`autoscaling`, `coldStart`, `warmPool`) and of the
/// scenario's `faults`.
enum AutoscalingFields {
    private static let d = AutoscalerSpec(maxReplicas: 1, target: 1)
    static let minReplicas = Key.integer("minReplicas", min: 0, default: d.minReplicas, doc: "Fewest replicas (0 allows scale to zero).")
    static let maxReplicas = Key.integer("maxReplicas", min: 1, required: "", doc: "Most replicas (>= minReplicas).")
    static let metric = Key.choice("metric", AutoscalerSpec.Metric.self, docs: {
        switch $0 {
        case .concurrency: "requests in the pool per ready replica (Knative's default)"
        case .queueDepth: "waiting requests per ready replica (KEDA-style)"
        case .kvUtilization: "share of KV blocks in use (target in (0, 1])"
        case .requestRate: "arrivals per second per ready replica"
        }
    }, default: d.metric, doc: "What the autoscaler holds at target.")
    static let target = Key.raw("target", .number(NumberRange(min: 0, minExclusive: true)), required: "",
                                doc: "The metric's target per ready replica (kvUtilization: at most 1).")
    static let syncPeriod = Key.duration("syncPeriod", min: 0, exclusiveMin: true, default: d.syncPeriod,
                                         doc: "How often it decides (HPA's sync period).")
    static let tolerance = Key.number("tolerance", min: 0, max: 0.999, default: d.tolerance,
                                      doc: "No change while the metric is within this share of target.")
    static let scaleUp = Key.raw("scaleUp", .object(ScaleUpFields.section), doc: "How fast it adds replicas.")
    static let scaleDownStabilization = Key.duration("scaleDownStabilization", default: d.scaleDownStabilization,
                                                     doc: "It scales down to the highest recommendation of this trailing window.")
    static let scaleToZeroGrace = Key.duration("scaleToZeroGrace", default: d.scaleToZeroGrace,
                                               doc: "With minReplicas 0: idle this long before the last replica stops.")
    static let panicWindow = Key.duration("panicWindow", min: 0, exclusiveMin: true, default: d.panicWindow,
                                          doc: "Knative's panic window: a short window for bursts.")
    static let panicThreshold = Key.number("panicThreshold", min: 1, default: d.panicThreshold,
                                           doc: "Panic (scale up at once, never down) above this multiple of target.")
    static let stableWindow = Key.duration("stableWindow", min: 0, exclusiveMin: true, default: d.stableWindow,
                                           doc: "Knative's stable window (>= panicWindow).")
    static let predictive = Key.raw("predictive", .object(PredictiveFields.section),
                                    doc: "Scale ahead of a forecast rate (default: none).")
    static let section = Section("autoscaling", title: "pools[].autoscaling",
                                 doc: "An HPA/KEDA/Knative-style autoscaler; `replicas` is then the initial count.", fields: [
        minReplicas.spec, maxReplicas.spec, metric.spec, target.spec, syncPeriod.spec, tolerance.spec, scaleUp.spec,
        scaleDownStabilization.spec, scaleToZeroGrace.spec, panicWindow.spec, panicThreshold.spec, stableWindow.spec,
        predictive.spec,
    ])
}

enum ScaleUpFields {
    private static let d = AutoscalerSpec(maxReplicas: 1, target: 1)
    static let factor = Key.number("factor", min: 1, default: d.scaleUpFactor, doc: "At most this multiple of the current count per decision.")
    static let pods = Key.integer("pods", min: 0, default: d.scaleUpPods, doc: "Or at most this many more per decision, whichever is larger.")
    static let section = Section("scaleUp", title: "pools[].autoscaling.scaleUp", doc: "HPA's scale-up policy.",
                                 fields: [factor.spec, pods.spec])
}

enum PredictiveFields {
    static let leadTime = Key.duration("leadTime", default: 120, doc: "How far ahead it forecasts (about a cold start).")
    static let mode = Key.choice("mode", AutoscalerSpec.Predictive.Mode.self, docs: {
        switch $0 {
        case .schedule: "the scenario's own rate schedule"
        case .trend: "the measured rate's change over the last two sync periods, extended"
        }
    }, default: .trend, doc: "Where the forecast comes from.")
    static let perReplicaRate = Key.number("perReplicaRate", min: 0, exclusiveMin: true, required: "requests/s one replica serves",
                                           unit: "requests/s", doc: "Requests per second one replica serves.")
    static let section = Section("predictive", title: "pools[].autoscaling.predictive", doc: "Predictive scaling.",
                                 fields: [leadTime.spec, mode.spec, perReplicaRate.spec])
}

enum ColdStartFields {
    private static let phase = FieldType.either([.duration(min: 0, exclusive: false), .object(DurationDistributionFields.section)])
    static let provision = Key.raw("provision", phase, defaultNote: "lognormal, mean 20s, p95 45s", doc: "Getting a node.")
    static let imagePull = Key.raw("imagePull", phase, defaultNote: "lognormal, mean 30s, p95 60s", doc: "Pulling the image.")
    static let engineStart = Key.raw("engineStart", phase, defaultNote: "lognormal, mean 20s, p95 40s",
                                     doc: "Starting the engine (CUDA graphs, warm-up).")
    static let weightLoadBandwidth = Key.number("weightLoadBandwidth", min: 0, exclusiveMin: true,
                                                default: ColdStartSpec.defaultWeightLoadBandwidth, unit: "bytes/s",
                                                doc: "Loading the model's weights takes weight bytes / this.")
    static let section = Section("coldStart", title: "pools[].coldStart",
                                 doc: "A replica's start from nothing: provision + image pull + weight load + engine start.",
                                 fields: [provision.spec, imagePull.spec, engineStart.spec, weightLoadBandwidth.spec])
}

enum WarmPoolFields {
    static let size = Key.integer("size", min: 0, required: "", doc: "Provisioned idle replicas kept ready to start fast.")
    static let startTime = Key.raw("startTime", .either([.duration(min: 0, exclusive: false), .object(DurationDistributionFields.section)]),
                                   defaultNote: "lognormal, mean 5s, p95 10s", doc: "A warm replica's start.")
    static let idleCostFraction = Key.fraction("idleCostFraction", exclusive: false, default: 1,
                                               doc: "Share of the GPU price paid while warm.")
    static let section = Section("warmPool", title: "pools[].warmPool", doc: "A warm pool of stopped, fast-starting replicas.",
                                 fields: [size.spec, startTime.spec, idleCostFraction.spec])
}

enum CircuitBreakerFields {
    static let failureThreshold = Key.integer("failureThreshold", min: 1, default: 5,
                                              doc: "Consecutive failures that open it (Envoy's consecutive_5xx).")
    static let openDuration = Key.duration("openDuration", min: 0, exclusiveMin: true, default: 30,
                                           doc: "How long it stays open before a half-open probe (Envoy's base_ejection_time).")
    static let section = Section("circuitBreaker", title: "pools[].circuitBreaker",
                                 doc: "Fails attempts fast while the pool keeps failing them.",
                                 fields: [failureThreshold.spec, openDuration.spec])
}

enum FaultFields {
    static let replicaFailures = Key.raw("replicaFailures", .object(ReplicaFailureFields.section),
                                         doc: "Replicas fail and are repaired.")
    static let spotPreemption = Key.raw("spotPreemption", .object(SpotFields.section), doc: "Spot replicas are reclaimed with notice.")
    static let outages = Key.raw("outages", .list(.object(OutageFields.section), minItems: 0), doc: "Scheduled outages of pools (a zone).")
    static let inFlight = Key.choice("inFlight", FaultSpec.InFlight.self, docs: {
        switch $0 {
        case .fail: "they fail (clients may retry)"
        case .retry: "they go back to their pool and are recomputed"
        }
    }, default: .fail, doc: "What happens to the requests a failed replica held.")
    static let section = Section("faults", title: "faults", doc: "Replica failures, spot preemption and outages.",
                                 fields: [replicaFailures.spec, spotPreemption.spec, outages.spec, inFlight.spec])
}

enum ReplicaFailureFields {
    static let mtbf = Key.raw("mtbf", .either([.duration(min: 0, exclusive: true), .object(DurationDistributionFields.section)]),
                              required: "a duration (exponential mean), or an exponential or weibull object",
                              doc: "Time to failure of a ready replica: a duration is an exponential mean.")
    static let mttr = Key.raw("mttr", .either([.duration(min: 0, exclusive: false), .object(DurationDistributionFields.section)]),
                              required: "", doc: "Time to repair; then it starts again (cold).")
    static let section = Section("replicaFailures", title: "faults.replicaFailures", doc: "Failures and repairs.",
                                 fields: [mtbf.spec, mttr.spec])
}

enum SpotFields {
    static let rate = Key.number("rate", min: 0, exclusiveMin: true, required: "preemptions per replica-hour",
                                 unit: "per replica-hour", doc: "Reclaims per replica-hour (exponential).")
    static let notice = Key.duration("notice", default: 120, doc: "Warning before the reclaim; the replica drains meanwhile.")
    static let section = Section("spotPreemption", title: "faults.spotPreemption", doc: "Spot reclaims.",
                                 fields: [rate.spec, notice.spec])
}

enum OutageFields {
    static let at = Key.duration("at", required: "", doc: "When it begins.")
    static let duration = Key.duration("duration", min: 0, exclusiveMin: true, required: "", doc: "How long it lasts.")
    static let pools = Key.raw("pools", .list(.string(pattern: nil), minItems: 1), defaultNote: "all pools",
                               doc: "The pools (a zone) it takes down.")
    static let section = Section("outage", title: "faults.outages[]", doc: "Every replica of the pools fails; they restart cold after.",
                                 fields: [at.spec, duration.spec, pools.spec])
}

enum DurationDistributionFields {
    static let names = ["fixed", "uniform", "exponential", "lognormal", "weibull"]
    static let distribution = Key.oneOf("distribution", [
        Choice("fixed", "always value"), Choice("uniform", "uniform on min ... max"),
        Choice("exponential", "with mean"), Choice("lognormal", "by mean and p95, or by mu and sigma (log-seconds)"),
        Choice("weibull", "with scale and shape"),
    ], required: names.joined(separator: ", "), doc: "The distribution.")
    static let value = Key.duration("value", required: "", doc: "The duration.")
    static let min = Key.duration("min", required: "", doc: "Shortest.")
    static let max = Key.duration("max", required: "", doc: "Longest (>= min).")
    static let mean = Key.duration("mean", min: 0, exclusiveMin: true, hint: "", doc: "Mean.")
    static let p95 = Key.duration("p95", min: 0, exclusiveMin: true, hint: "", doc: "95th percentile, with mean; p95 / mean <= 3.87.")
    static let mu = Key.number("mu", hint: "", doc: "Mean of the log of seconds, with sigma.")
    static let sigma = Key.number("sigma", min: 0, hint: "", doc: "Standard deviation of the log of seconds, with mu.")
    static let scale = Key.duration("scale", min: 0, exclusiveMin: true, required: "", doc: "Scale.")
    static let shape = Key.number("shape", min: 0, exclusiveMin: true, required: "", doc: "Shape (1 = exponential).")
    static let section = Section("durationDistribution", title: "duration distributions",
                                 doc: "A random duration; a plain duration is fixed.", fields: [distribution.spec],
                                 tag: "distribution", variants: [
        Variant("fixed", fields: [value.spec]),
        Variant("uniform", fields: [min.spec, max.spec]),
        Variant("exponential", fields: [mean.spec], alternatives: [["mean"]]),
        Variant("lognormal", fields: [mean.spec, p95.spec, mu.spec, sigma.spec], alternatives: [["mean", "p95"], ["mu", "sigma"]]),
        Variant("weibull", fields: [scale.spec, shape.spec]),
    ])
}
