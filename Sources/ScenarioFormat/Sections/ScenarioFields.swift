import ServingModel

/// The top-level keys of a scenario file (the root section of the format).
enum ScenarioFields {
    static let version = Key<Int>("version", .constant(1), required: "1", doc: "The format's version.") { $0.int() }
    static let name = Key.string("name", required: "a short identifier", pattern: "^[A-Za-z0-9._-]+$",
                                 doc: "Report file names derive from it: letters, digits, '-', '_', '.'.")
    static let description = Key.text("description", default: "", doc: "The planning question this scenario answers.")
    static let seed = Key.integer("seed", min: 0, default: 1, doc: "Master seed; every random stream derives from it and its name.")
    static let duration = Key.duration("duration", min: 0, exclusiveMin: true, required: DurationParser.allowed,
                                       doc: "Arrivals are generated for this long; in-flight work then drains.")
    static let warmup = Key.duration("warmup", default: 0,
                                     doc: "Requests arriving earlier are simulated but excluded from statistics (< duration).")
    static let drainTimeout = Key.duration("drainTimeout", defaultNote: "drain until empty, at most the duration or 1 day, the longer",
                                           doc: "Stop this long after duration.")
    static let timeSeriesInterval = Key.duration("timeSeriesInterval", min: 0, exclusiveMin: true, default: 60,
                                                 doc: "Interval of the report's time series.")
    static let engine = Key.raw("engine", .object(EngineFields.section), doc: "How the engine simulates.")
    static let workload = Key.raw("workload", .object(WorkloadFields.section), required: "", doc: "What arrives.")
    static let pools = Key.raw("pools", .list(.object(PoolFields.section), minItems: 1), required: "an array of pools",
                               doc: "The pools of replicas that serve it.")
    static let slos = Key.raw("slos", .list(.object(SLOFields.section), minItems: 0), doc: "Service-level objectives.")
    static let faults = Key.raw("faults", .object(FaultFields.section), doc: "Replica failures, spot preemption, outages.")
    static let admission = Key.raw("admission", .object(AdmissionFields.section), doc: "Admission control in front of all pools.")
    static let degradation = Key.raw("degradation", .list(.object(LadderFields.section), minItems: 0),
                                     doc: "Degradation ladders, at most one per pool.")
    static let caches = Key.raw("caches", .list(.object(CacheFields.section), minItems: 0),
                                doc: "Response caches in front of the pools, looked up in order.")
    static let hosted = Key.raw("hosted", .object(HostedFields.section), doc: "A hosted API endpoint paid per token.")
    static let routers = Key.raw("routers", .list(.object(RouterFields.section), minItems: 0),
                                 doc: "Request routers: classes split over pools (model tiers).")
    static let releases = Key.raw("releases", .list(.object(ReleaseFields.section), minItems: 0),
                                  doc: "Canary and blue/green releases with automatic rollback.")
    static let errorBudgetPolicy = Key.raw("errorBudgetPolicy", .object(BudgetPolicyFields.section),
                                           doc: "Enforce the error-budget policy during the run: freeze promotions above 25% of a budget, roll releases back above 50% (default: only reported).")
    static let variants = Key.raw("variants", .list(.object(VariantFields.section), minItems: 0),
                                  doc: "Named variants for `servesim compare`: the scenario with fields changed; `run` ignores them.")
    static let disaggregation = Key.raw("disaggregation", .list(.object(DisaggregationFields.section), minItems: 0),
                                        doc: "Prefill/decode pool pairs and their KV links.")
    static let regions = Key.raw("regions", .list(.object(RegionFields.section), minItems: 1),
                                 doc: "Regions and client round-trip times; every pool then names its region and every class its origin.")

    static let section = Section("scenario", title: "top level", doc: "A scenario file (JSON5).", fields: [
        version.spec, name.spec, description.spec, seed.spec, duration.spec, warmup.spec, drainTimeout.spec,
        timeSeriesInterval.spec, engine.spec, workload.spec, pools.spec, slos.spec, faults.spec, admission.spec,
        degradation.spec, caches.spec, hosted.spec, routers.spec, releases.spec, errorBudgetPolicy.spec, variants.spec,
        disaggregation.spec,
        regions.spec,
    ])
}

enum EngineFields {
    static let mode = Key.oneOf("mode", [
        Choice("jump-ahead", "decode stretches timed in closed form (the default: fast)"),
        Choice("per-iteration", "every decode step an event (the reference; slower)"),
    ], default: "jump-ahead", doc: "How decode steps are simulated; both give the same requests' times.")
    static let section = Section("engine", title: "engine", doc: "How the engine simulates.", fields: [mode.spec])
}

/// `errorBudgetPolicy`: which SLOs the enforced policy watches and how often (`ErrorBudgetPolicy`).
enum BudgetPolicyFields {
    static let slos = Key.raw("slos", .list(.string(pattern: nil), minItems: 1), defaultNote: "every SLO",
                              doc: "Names of the SLOs whose budgets it watches.")
    static let interval = Key.duration("interval", min: 0, exclusiveMin: true, default: 60,
                                       doc: "Between evaluations, from warm-up.")
    static let minRequests = Key.integer("minRequests", min: 1, default: 100,
                                         doc: "Requests an SLO must have counted before its budget has a say.")
    static let section = Section("errorBudgetPolicy", title: "errorBudgetPolicy",
                                 doc: "The error-budget policy, enforced: states from each SLO's projected consumption so far.",
                                 fields: [slos.spec, interval.spec, minRequests.spec])
}

enum VariantFields {
    static let name = Key.string("name", required: "a file-safe name", pattern: "^[A-Za-z0-9._-]+$",
                                 doc: "Reports of the variant carry it as their scenario name; unique among the scenario and its variants.")
    static let set = Key.raw("set", .map(.any), required: "an object of dotted paths to values",
                             doc: "Dotted paths (e.g. pools.0.replicas) to values, applied in sorted path order.")
    static let section = Section("variant", title: "variants[]", doc: "A named variant of the scenario.",
                                 fields: [name.spec, set.spec])
}
