import Foundation

/// Multi-turn chat sessions of a synthetic class (class key `sessions`).
///
/// With it, the class's `arrivals` process gives the start times of NEW sessions (its rate is
/// sessions per second, not requests per second). A session sends `turns` requests: the first at
/// its start, turn t+1 an exponential think time (mean `thinkTime`) after turn t was sent. That is
/// an open loop: the next turn does not wait for the previous answer (a simplification; a closed
/// loop would start the think time when the answer ends, so under overload real clients slow down
/// and here they do not).
///
/// Turn t's prompt is the whole conversation so far (every earlier turn's own new tokens and its
/// output tokens) followed by the turn's own new tokens (a draw of the class's `promptTokens`);
/// its output is a draw of `outputTokens`. The conversation is one hash chain of `blockTokens`-
/// token blocks, so turn t+1's block hashes start with all of turn t's.
///
/// Prompt growth is capped: a later turn whose prompt would exceed `maxContextTokens` is not sent
/// and ends its session (the first turn is always sent, as a request without sessions would be).
///
/// With the class's `sharedPrefix` too, each session draws one shared prefix (a system prompt) at
/// its start and every turn's prompt begins with it: prompt = prefix tokens + conversation + own
/// tokens, and the hash chain is the prefix's full blocks, then the session's own blocks covering
/// the rest. Both then use the prefix's `blockTokens`.
public struct SessionSpec: Sendable, Equatable {
    /// How many turns a session has (each draw >= 1).
    public enum Turns: Sendable, Equatable {
        /// Geometric on 1, 2, 3, ... with this mean (>= 1): P(k) = p (1 - p)^(k - 1), p = 1 / mean.
        /// A scenario's `turns: 4` (a plain number).
        case geometric(mean: Double)
        /// A length distribution (as `promptTokens`), its draws clamped to >= 1.
        case distribution(LengthDistribution)
    }

    public var turns: Turns
    /// Mean think time between two turns' sends, seconds (> 0; exponential).
    public var thinkTime: Double
    /// Longest prompt a later turn may have, tokens (>= 1).
    public var maxContextTokens: Int
    /// Tokens per hash block of the conversation (default 16, vLLM's block size).
    public var blockTokens: Int

    public static let defaultMaxContextTokens = 32_768
    public static let defaultBlockTokens = 16

    public init(turns: Turns, thinkTime: Double, maxContextTokens: Int = defaultMaxContextTokens,
                blockTokens: Int = defaultBlockTokens) {
        self.turns = turns
        self.thinkTime = thinkTime
        self.maxContextTokens = maxContextTokens
        self.blockTokens = blockTokens
    }

    /// Stable 64-bit key of session `index` (0-based, in start order) of class `className`: its
    /// routing key for `session-affinity` and the root of its block ids.
    public static func key(className: String, index: Int) -> UInt64 {
        PrefixChain.combine(fnv1a64(Array("sessions/\(className)".utf8)), UInt64(index))
    }

    /// The geometric draw on 1, 2, ... with `mean` (> 1) by inversion of a uniform `u` in (0, 1):
    /// `1 + floor(log u / log(1 - 1 / mean))`, capped at `LengthSampler.maxTokens`.
    public static func geometric(mean: Double, uniform u: Double) -> Int {
        let k = 1 + (log(u) / log(1 - 1 / mean)).rounded(.down)
        return k >= Double(LengthSampler.maxTokens) ? LengthSampler.maxTokens : max(1, Int(k))
    }

    /// The id of block `j` of the conversation whose session key is `key`.
    @inline(__always) public static func blockId(key: UInt64, block j: Int) -> Int {
        Int(bitPattern: UInt(PrefixChain.combine(key, UInt64(j))))
    }
}

/// Which session a request belongs to.
public struct SessionRef: Sendable, Equatable {
    /// The session's index in its class (0-based, in start order).
    public var index: Int
    /// The turn within the session (0-based).
    public var turn: Int
    /// `SessionSpec.key(className:index:)`.
    public var key: UInt64
    public init(index: Int, turn: Int, key: UInt64) {
        self.index = index
        self.turn = turn
        self.key = key
    }
}
