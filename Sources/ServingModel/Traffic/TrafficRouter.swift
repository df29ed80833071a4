/// A request router in front of several pools (model tiers): it splits the attempts of the classes
/// it serves by weight, e.g. 70% to a small model and 30% to a large one, and optionally falls back
/// to another tier when the drawn one is saturated.
///
/// Each attempt (a first try or a retry) draws its tier afresh from the router's own random stream
/// `router/<name>`: exactly one uniform per attempt, so the draws never shift another stream and a
/// retry may land on another tier. Then, with a fallback rule, a saturated tier hands the attempt to
/// the first other tier (in `split` order) that is not saturated; when every tier is saturated the
/// attempt stays on the drawn one. The chosen pool's release (canary) and degradation ladder apply
/// after the router.
public struct TrafficRouter: Sendable, Equatable {
    /// One tier: a pool and its weight (>= 0; a weight-0 tier only takes fallbacks).
    public struct Tier: Sendable, Equatable {
        /// Index into `scenario.pools`.
        public var pool: Int
        public var weight: Double
        public init(pool: Int, weight: Double) {
            self.pool = pool
            self.weight = weight
        }
    }

    /// When a tier counts as saturated.
    public enum Saturation: Sendable, Equatable {
        /// The pool would turn the attempt away for capacity (see `wouldReject`).
        case wouldReject
        /// The pool would turn it away, or `threshold` or more requests are waiting in it.
        case queueDepth(threshold: Int)

        /// The scenario-file name.
        public var name: String {
            switch self {
            case .wouldReject: return "wouldReject"
            case .queueDepth: return "queueDepth"
            }
        }
    }

    /// Unique among pools and routers; names the random stream `router/<name>`.
    public var name: String
    /// In scenario order; pools distinct; weights sum to more than 0.
    public var split: [Tier]
    /// nil: no fallback (the drawn tier takes the attempt whatever its load).
    public var fallback: Saturation?

    public init(name: String, split: [Tier], fallback: Saturation? = nil) {
        self.name = name
        self.split = split
        self.fallback = fallback
    }

    /// Each tier's share of the draws: weight / sum of weights.
    public var shares: [Double] {
        let total = split.reduce(0) { $0 + $1.weight }
        return split.map { total > 0 ? $0.weight / total : 0 }
    }

    /// The tier (index into `split`) a uniform draw `u` in (0, 1) selects: the first whose
    /// cumulative share exceeds `u` (the last positive-weight tier when rounding leaves `u` above
    /// the sum). Pure.
    public func tier(for u: Double) -> Int {
        let total = split.reduce(0) { $0 + $1.weight }
        var cumulative = 0.0
        var last = 0
        for (k, tier) in split.enumerated() where tier.weight > 0 {
            cumulative += tier.weight
            last = k
            if u * total < cumulative { return k }
        }
        return last
    }

    /// Where an attempt drawn for tier `drawn` goes, given which tiers (indices into a split of
    /// `count` tiers) are saturated: the drawn one unless it is saturated, else the first unsaturated
    /// other tier in split order, else the drawn one. `saturated` is asked about the drawn tier
    /// first and about others only when the drawn one is saturated.
    public static func fallbackTier(drawn: Int, count: Int, saturated: (Int) -> Bool) -> Int {
        guard saturated(drawn) else { return drawn }
        return (0..<count).first { $0 != drawn && !saturated($0) } ?? drawn
    }
}
