import Foundation

/// A synthetic shared-prefix model for chat system prompts: every request of the class starts
/// with one of `count` prefixes of `tokens` tokens, followed by its own prompt (the class's
/// `promptTokens` draw), so a request's prompt is `tokens` + the drawn length.
public struct SharedPrefixSpec: Sendable, Equatable {
    /// Tokens of each prefix, >= 1.
    public var tokens: Int
    /// Distinct prefixes, >= 1.
    public var count: Int
    /// Zipf exponent of the prefixes' popularity: prefix k (0-based) is drawn with probability
    /// proportional to 1 / (k + 1)^skew; 0 (the default) draws them uniformly.
    public var skew: Double
    /// Tokens per hash block (default 16, vLLM's default block size). Only the prefix's full
    /// blocks carry hashes: the rest of the prompt is the request's own and never hits.
    public var blockTokens: Int

    public static let defaultBlockTokens = 16

    public init(tokens: Int, count: Int, skew: Double = 0, blockTokens: Int = defaultBlockTokens) {
        self.tokens = tokens
        self.count = count
        self.skew = skew
        self.blockTokens = blockTokens
    }

    /// Cumulative probabilities of the prefixes (the last is 1). O(count).
    public var cumulative: [Double] { table.cumulative }

    var table: CumulativeTable { CumulativeTable(weights: CumulativeTable.zipfWeights(count: count, skew: skew)) }

    /// The hash ids of prefix `k`'s full blocks for class `className`: distinct per (class, prefix,
    /// block), stable across processes (FNV-1a of a name).
    public func blockIds(prefix k: Int, className: String) -> [Int] {
        (0..<(tokens / blockTokens)).map { j in
            Int(bitPattern: UInt(fnv1a64(Array("sharedPrefix/\(className)/\(k)/\(j)".utf8))))
        }
    }
}

/// Draws prefixes for one class from its own stream `prefix/<class>` (one uniform per request),
/// so adding a shared prefix never moves the class's arrival times or lengths.
package final class SharedPrefixSampler {
    package let spec: SharedPrefixSpec
    private let stream: RandomStream
    private let table: CumulativeTable
    private let ids: [[Int]]

    package init(_ spec: SharedPrefixSpec, className: String, seed: UInt64) {
        self.spec = spec
        stream = RandomStream(seed: seed, name: "prefix/\(className)")
        table = spec.table
        ids = (0..<spec.count).map { spec.blockIds(prefix: $0, className: className) }
    }

    /// The next request's prefix: its index and its block hash ids. O(log count).
    package func draw() -> (index: Int, hashIds: [Int]) {
        let k = table.index(stream.uniformPositive())
        return (k, ids[k])
    }
}
