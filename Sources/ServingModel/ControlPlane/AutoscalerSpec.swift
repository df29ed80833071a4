/// How a pool's replica count follows load: a Kubernetes HPA-style control loop with Knative-style
/// panic mode, KEDA-style scale to zero and an optional predictive floor. Decisions are made by
/// `Autoscaler.decide`, once every `syncPeriod`.
///
/// Defaults and their sources:
/// - `syncPeriod` 15 s, `tolerance` 0.1: Kubernetes HPA (`--horizontal-pod-autoscaler-sync-period`,
///   `--horizontal-pod-autoscaler-tolerance`).
/// - `scaleUpFactor` 2, `scaleUpPods` 4, the larger of the two per period: the HPA default scale-up
///   behavior (policies `Percent: 100` and `Pods: 4` per 15 s, `selectPolicy: Max`).
/// - `scaleDownStabilization` 300 s: HPA default `behavior.scaleDown.stabilizationWindowSeconds`.
/// - `scaleToZeroGrace` 300 s: KEDA `cooldownPeriod` default; only meaningful when `minReplicas` is 0.
/// - `panicWindow` 6 s, `panicThreshold` 2.0, `stableWindow` 60 s: Knative Pod Autoscaler
///   (`stable-window` 60 s, `panic-window-percentage` 10%, `panic-threshold-percentage` 200%).
/// - `minReplicas` 1: HPA default.
public struct AutoscalerSpec: Sendable, Equatable {
    /// The per-replica signal compared with `target`.
    public enum Metric: String, Sendable, Equatable, CaseIterable {
        /// Requests in service or queued, per ready replica (Knative's default metric).
        case concurrency
        /// Queued (not yet admitted) requests per ready replica.
        case queueDepth
        /// Fraction of KV-cache blocks in use, per ready replica (target in (0, 1]).
        case kvUtilization
        /// Arrivals per second per ready replica.
        case requestRate
    }

    /// Scale ahead of load from a forecast arrival rate.
    public struct Predictive: Sendable, Equatable {
        public enum Mode: String, Sendable, Equatable, CaseIterable {
            /// The forecast is the scenario's own arrival schedule `leadTime` ahead (a perfect
            /// calendar-based forecast, as for known daily peaks).
            case schedule
            /// The forecast extrapolates the recent arrival-rate trend `leadTime` ahead.
            case trend
        }
        /// Seconds ahead of now that the forecast looks (cover a cold start; default 120 s, the
        /// upper end of the 30-120 s cold start of a 7B model, docs/reference-numbers.md).
        public var leadTime: Double
        public var mode: Mode
        /// Requests per second one replica serves at target load (sizes the floor).
        public var perReplicaRate: Double

        public init(leadTime: Double = 120, mode: Mode = .trend, perReplicaRate: Double) {
            self.leadTime = leadTime
            self.mode = mode
            self.perReplicaRate = perReplicaRate
        }
    }

    public var minReplicas: Int
    public var maxReplicas: Int
    public var metric: Metric
    /// Target value of `metric` per replica (> 0).
    public var target: Double
    /// Seconds between decisions.
    public var syncPeriod: Double
    /// No change while |metric / target - 1| <= tolerance.
    public var tolerance: Double
    /// Per period, scale up to at most max(ceil(current * scaleUpFactor), current + scaleUpPods).
    public var scaleUpFactor: Double
    public var scaleUpPods: Int
    /// Seconds of recommendations whose maximum bounds a scale-down.
    public var scaleDownStabilization: Double
    /// Seconds without requests before a pool with minReplicas 0 goes to zero.
    public var scaleToZeroGrace: Double
    /// Seconds over which the caller averages `panicMetric`.
    public var panicWindow: Double
    /// Panic when the panic-window metric is at least this multiple of `target`.
    public var panicThreshold: Double
    /// Seconds after the last panic condition during which nothing scales down.
    public var stableWindow: Double
    public var predictive: Predictive?

    public init(minReplicas: Int = 1, maxReplicas: Int, metric: Metric = .concurrency, target: Double,
                syncPeriod: Double = 15, tolerance: Double = 0.1, scaleUpFactor: Double = 2, scaleUpPods: Int = 4,
                scaleDownStabilization: Double = 300, scaleToZeroGrace: Double = 300, panicWindow: Double = 6,
                panicThreshold: Double = 2, stableWindow: Double = 60, predictive: Predictive? = nil) {
        self.minReplicas = minReplicas
        self.maxReplicas = maxReplicas
        self.metric = metric
        self.target = target
        self.syncPeriod = syncPeriod
        self.tolerance = tolerance
        self.scaleUpFactor = scaleUpFactor
        self.scaleUpPods = scaleUpPods
        self.scaleDownStabilization = scaleDownStabilization
        self.scaleToZeroGrace = scaleToZeroGrace
        self.panicWindow = panicWindow
        self.panicThreshold = panicThreshold
        self.stableWindow = stableWindow
        self.predictive = predictive
    }
}
