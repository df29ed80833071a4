/// Regions, network round-trip times and who sends from where: the geography of a scenario.
///
/// Every pool sits in one region; every request class sends from one or more origin regions (its
/// clients' location). An attempt from origin `o` to a pool in region `r` reaches the pool
/// `rtt[o][r] / 2` seconds after it leaves the client (after the pool's request overhead), and the
/// client sees the first and the last token `rtt[o][r] / 2` after the pool produces them, so TTFT
/// and E2E grow by the full RTT and TPOT does not change.
///
/// Invariants (checked by the loader): `names` are unique and non-empty; `rtt` is square
/// (`names.count` x `names.count`), symmetric, finite and >= 0; `poolRegion` has one valid region
/// index per pool; per class, `origins` fractions are > 0 and sum to 1, and `candidates` is non-empty.
public struct RegionTopology: Sendable, Equatable {
    /// Region names, in the scenario's order (the order of every per-region output).
    public var names: [String]
    /// Round-trip times in seconds: `rtt[o][r]` between clients in region `o` and servers in region
    /// `r`. Symmetric (`rtt[o][r] == rtt[r][o]`); the diagonal is the RTT within a region.
    public var rtt: [[Double]]
    /// Region index of each pool (parallel to `Scenario.pools`).
    public var poolRegion: [Int]
    /// Per class (parallel to `Scenario.classes`): where its clients are.
    public var origins: [[OriginShare]]
    /// Per class: the pools its attempts may go to (the geo router's candidates, in the order the
    /// scenario lists them); one entry (its `Scenario.classPools` pool) for a class without `pools`.
    public var candidates: [[Int]]
    /// Per class: whether the geo router fails over to the next-nearest available region (true) or
    /// always sends to the nearest candidate (false).
    public var failover: [Bool]

    public init(names: [String], rtt: [[Double]], poolRegion: [Int], origins: [[OriginShare]],
                candidates: [[Int]], failover: [Bool]) {
        self.names = names
        self.rtt = rtt
        self.poolRegion = poolRegion
        self.origins = origins
        self.candidates = candidates
        self.failover = failover
    }

    /// One origin region of a class and the fraction of its requests sent from there (0 < f <= 1).
    public struct OriginShare: Sendable, Equatable {
        public var region: Int
        public var fraction: Double
        public init(region: Int, fraction: Double) {
            self.region = region
            self.fraction = fraction
        }
    }
}

/// The geo router's decisions, as pure functions of the topology and of which pools are available.
public enum GeoRouting {
    /// `candidates` ordered by the RTT from `origin` to each pool's region, nearest first; equal
    /// RTTs keep the listed order (a stable sort), so the order never depends on hashing.
    public static func preference(candidates: [Int], origin: Int, rtt: [[Double]], poolRegion: [Int]) -> [Int] {
        candidates.enumerated()
            .sorted { a, b in
                let ra = rtt[origin][poolRegion[a.element]], rb = rtt[origin][poolRegion[b.element]]
                return ra != rb ? ra < rb : a.offset < b.offset
            }
            .map(\.element)
    }

    /// Index into `preference` of the pool an attempt goes to: the first available one; with
    /// failover off, or when none is available, the first (the nearest), where it is queued or
    /// rejected as any attempt at an unavailable pool. `preference` is non-empty.
    public static func choose(preference: [Int], failover: Bool, available: (Int) -> Bool) -> Int {
        guard failover, preference.count > 1 else { return 0 }
        for (k, p) in preference.enumerated() where available(p) { return k }
        return 0
    }

    /// The origin region drawn from a uniform `u` in (0, 1): the first share whose cumulative
    /// fraction reaches `u` (the last one when rounding leaves the sum just below 1).
    public static func origin(_ shares: [RegionTopology.OriginShare], u: Double) -> Int {
        var cumulative = 0.0
        for share in shares {
            cumulative += share.fraction
            if u <= cumulative { return share.region }
        }
        return shares[shares.count - 1].region
    }
}
