/// A degradation ladder guarding one pool: when a signal (the pool's queue depth, or an SLO's burn
/// rate over a trailing window) crosses a step's threshold, that step and every step below it
/// apply to new attempts arriving for the pool, in ladder order:
/// fall back to another (smaller) pool, cap output tokens, shed load, turn speculative decoding off.
///
/// Escalation is immediate (several steps at once if the signal jumped); release is one step at a
/// time, after the signal stayed below the top engaged step's threshold for `recoverAfter`
/// seconds (hysteresis, so a ladder does not flap). Steps act on attempts as they arrive: requests
/// already admitted keep their pool and output length. A retry passes the ladder again, asking for
/// its full output; an attempt sent to the fallback pool has paid the guarded pool's request
/// overhead.
public struct DegradationLadder: Sendable, Equatable {
    public enum Signal: Sendable, Equatable {
        /// Requests waiting in the guarded pool (shared queue plus replicas' queues).
        case queueDepth
        /// Burn rate of `scenario.slos[slo]` over the trailing `window` seconds: the bad fraction of
        /// requests ended in the window divided by the SLO's error budget (1 - objective).
        case burnRate(slo: Int, window: Double)
        /// The enforced error-budget policy's state (`ErrorBudgetPolicy`): 0 ok, 1 freeze, 2 rollback.
        case budgetPolicy
    }

    public enum Action: Sendable, Equatable {
        /// Send `fraction` of new attempts to pool `pool` instead (its own ladder does not apply).
        case fallback(pool: Int, fraction: Double)
        /// Cap new attempts' output at `maxOutputTokens` tokens (the gateway lowers max_tokens).
        case limitOutput(maxOutputTokens: Int)
        /// Reject `fraction` of new attempts (they count against availability; clients may retry).
        case shed(fraction: Double)
        /// Turn the guarded pool's speculative decoding off while engaged: its replicas decode
        /// plainly from their next step boundary on (it acts on the pool, not on attempts).
        case disableSpeculation

        /// The scenario-file name of the action.
        public var name: String {
            switch self {
            case .fallback: return "fallback"
            case .limitOutput: return "limitOutput"
            case .shed: return "shed"
            case .disableSpeculation: return "disableSpeculation"
            }
        }
    }

    public struct Step: Sendable, Equatable {
        public var name: String
        /// The step engages when the signal is >= this (requests for queue depth, a multiple of the
        /// sustainable rate for burn rate). Strictly increasing along the ladder.
        public var threshold: Double
        public var action: Action
        public init(name: String, threshold: Double, action: Action) {
            self.name = name
            self.threshold = threshold
            self.action = action
        }
    }

    /// Index of the guarded pool in `scenario.pools`.
    public var pool: Int
    public var signal: Signal
    public var steps: [Step]
    /// Seconds between evaluations of the signal (default 10).
    public var checkInterval: Double
    /// Seconds the signal must stay below the top engaged step's threshold before it is released.
    public var recoverAfter: Double

    public init(pool: Int, signal: Signal, steps: [Step], checkInterval: Double = 10, recoverAfter: Double = 60) {
        self.pool = pool
        self.signal = signal
        self.steps = steps
        self.checkInterval = checkInterval
        self.recoverAfter = recoverAfter
    }
}

/// Where a ladder stands: how many steps are engaged, and since when the signal has been below the
/// top engaged step's threshold. Pure: `update` is the whole escalation rule.
public struct LadderState: Sendable, Equatable {
    /// Steps engaged, 0 ... steps.count; steps `0 ..< level` apply.
    public private(set) var level = 0
    /// When the signal last dropped below the top engaged step's threshold (nil while it is not below).
    public private(set) var belowSince: Double?

    public init() {}

    /// Evaluates the signal at `time` and returns the new level (the same level when nothing changed).
    /// `thresholds` must be strictly increasing.
    public mutating func update(signal: Double, at time: Double, thresholds: [Double], recoverAfter: Double) -> Int {
        let target = thresholds.prefix { $0 <= signal }.count
        if target > level {
            level = target
            belowSince = nil
        } else if target < level {
            let since = belowSince ?? time
            if time - since >= recoverAfter {
                level -= 1
                // Further releases wait another full recoverAfter.
                belowSince = target < level ? time : nil
            } else {
                belowSince = since
            }
        } else {
            belowSince = nil
        }
        return level
    }
}

/// Good and bad request counts over a trailing window, in buckets of `bucket` seconds.
///
/// `counts(at:)` covers the bucket holding `time` and the `ceil(window / bucket)` buckets before it:
/// evaluated on a bucket boundary (as the ladder does, with bucket = its check interval) that is
/// exactly the trailing window. Memory is `window / bucket + 2` buckets; `add` is O(1) and
/// `counts` O(window / bucket).
public struct SlidingGoodBad: Sendable {
    public let bucket: Double
    private var good: [Int]
    private var bad: [Int]
    /// The absolute bucket index each ring entry holds (-1: empty).
    private var ids: [Int]

    public init(window: Double, bucket: Double) {
        self.bucket = bucket
        let n = Int((window / bucket).rounded(.up)) + 2
        good = Array(repeating: 0, count: n)
        bad = good
        ids = Array(repeating: -1, count: n)
    }

    public mutating func add(good isGood: Bool, at time: Double) {
        let id = Int((time / bucket).rounded(.down))
        let k = id % ids.count
        if ids[k] != id {
            ids[k] = id
            good[k] = 0
            bad[k] = 0
        }
        if isGood { good[k] += 1 } else { bad[k] += 1 }
    }

    /// Good and bad counts of the buckets within the window ending at `time`.
    public func counts(at time: Double) -> (good: Int, bad: Int) {
        let newest = Int((time / bucket).rounded(.down))
        let oldest = newest - (ids.count - 2)
        var g = 0, b = 0
        for k in ids.indices where ids[k] >= oldest && ids[k] <= newest {
            g += good[k]
            b += bad[k]
        }
        return (g, b)
    }

    /// Burn rate over the window: bad fraction / (1 - objective); 0 with no requests.
    public func burnRate(at time: Double, objective: Double) -> Double {
        let (g, b) = counts(at: time)
        return ErrorBudget.intervalBurnRate(bad: b, total: g + b, objective: objective)
    }
}
