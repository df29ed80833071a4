/// Faults injected into a run: random replica failures, spot preemptions and scheduled outages.
public struct FaultSpec: Sendable, Equatable {
    /// Each replica fails after a random up time and is back after a random repair time.
    public struct ReplicaFailures: Sendable, Equatable {
        /// Seconds of up time before a failure (`mtbf`; exponential or weibull).
        public var timeToFailure: DurationDistribution
        /// Seconds from a failure until the replica serves again (`mttr`), restart included.
        public var timeToRepair: DurationDistribution

        public init(timeToFailure: DurationDistribution, timeToRepair: DurationDistribution) {
            self.timeToFailure = timeToFailure
            self.timeToRepair = timeToRepair
        }
    }

    /// Spot / preemptible capacity reclaimed by the provider with a short notice.
    ///
    /// `notice` default 120 s (SOURCE: AWS EC2 Spot two-minute interruption notice; GCP Spot VMs
    /// and preemptible VMs give 30 s).
    public struct SpotPreemption: Sendable, Equatable {
        /// Preemptions per replica-hour (Poisson; > 0).
        public var ratePerReplicaHour: Double
        /// Seconds between the notice and the replica's removal.
        public var notice: Double

        public init(ratePerReplicaHour: Double, notice: Double = 120) {
            self.ratePerReplicaHour = ratePerReplicaHour
            self.notice = notice
        }

        /// Mean seconds between preemptions of one replica.
        public var meanTimeBetween: Double { 3600 / ratePerReplicaHour }
    }

    /// Every replica of the named pools is down on [at, at + duration).
    public struct Outage: Sendable, Equatable {
        public var at: Double
        public var duration: Double
        /// Pool names; empty means every pool.
        public var pools: [String]

        public init(at: Double, duration: Double, pools: [String] = []) {
            self.at = at
            self.duration = duration
            self.pools = pools
        }
    }

    /// What happens to requests running on a replica that fails or is preempted.
    public enum InFlight: String, Sendable, Equatable, CaseIterable {
        /// They fail (counted as failed; a client retry policy may resend them).
        case fail
        /// They are re-queued in the pool at once, keeping their arrival time.
        case retry
    }

    public var replicaFailures: ReplicaFailures?
    public var spotPreemption: SpotPreemption?
    public var outages: [Outage]
    public var inFlight: InFlight

    public init(replicaFailures: ReplicaFailures? = nil, spotPreemption: SpotPreemption? = nil,
                outages: [Outage] = [], inFlight: InFlight = .fail) {
        self.replicaFailures = replicaFailures
        self.spotPreemption = spotPreemption
        self.outages = outages
        self.inFlight = inFlight
    }
}
