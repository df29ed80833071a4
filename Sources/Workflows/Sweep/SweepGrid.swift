import ScenarioFormat
import Foundation

/// A problem with a sweep's `--set` or `--shard` text: what is wrong and what is allowed.
public struct SweepSpecError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    public var allowed: String

    public init(_ message: String, allowed: String) {
        self.message = message
        self.allowed = allowed
    }

    public var description: String { "\(message) (\(allowed))" }
}

/// One swept scenario field: a dotted path (as `ScenarioOverride` reads it) and the values it
/// takes, in order.
///
/// Value syntax (after `PATH=`): a comma list `a,b,c` (each item read by
/// `ScenarioOverride.value(from:)`: JSON5 when it parses, else a string; commas inside brackets,
/// braces or quotes do not split), an inclusive integer range `4..16`, a stepped one `4..16:4`
/// (4, 8, 12, 16), or a list mixing them (`1..4,8,16`). Ranges are integers only; list decimals.
public struct SweepAxis: Sendable, Equatable {
    /// Path segments (object keys, or decimal array indices).
    public var path: [String]
    /// The values, in sweep order; never empty.
    public var values: [JSONValue]

    /// The most values one axis may take (a range beyond it is almost surely a typo).
    public static let maxValues = 100_000

    public init(path: [String], values: [JSONValue]) {
        self.path = path
        self.values = values
    }

    /// The dotted path as written, e.g. `pools.0.replicas`: the table column of this axis.
    public var dottedPath: String { path.joined(separator: ".") }

    static let syntax = "PATH=VALUES: a comma list a,b,c, an integer range 4..16 or a stepped range 4..16:4"

    /// Parses one `--set` argument, `PATH=VALUES`.
    public static func parse(_ text: String) throws(SweepSpecError) -> SweepAxis {
        guard let eq = text.firstIndex(of: "=") else {
            throw SweepSpecError("\"\(text)\" has no '='", allowed: syntax)
        }
        let dotted = text[..<eq].trimmingCharacters(in: .whitespaces)
        let path = dotted.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard !dotted.isEmpty, path.allSatisfy({ !$0.isEmpty }) else {
            throw SweepSpecError("\"\(text)\": \"\(dotted)\" is not a field path",
                                 allowed: "a dotted path such as pools.0.replicas")
        }
        do {
            return SweepAxis(path: path, values: try values(String(text[text.index(after: eq)...])))
        } catch {
            throw SweepSpecError("\(dotted): \(error.message)", allowed: error.allowed)
        }
    }

    /// The values a `VALUES` text stands for, in order (see the type's documentation).
    public static func values(_ text: String) throws(SweepSpecError) -> [JSONValue] {
        let items = splitTopLevel(text)
        var values: [JSONValue] = []
        for raw in items {
            let item = raw.trimmingCharacters(in: .whitespaces)
            if item.isEmpty {
                throw SweepSpecError("\"\(text)\" has an empty value",
                                     allowed: "values separated by single commas, e.g. 1,2,4")
            }
            if let range = try range(item) {
                values += range
            } else {
                values.append(ScenarioOverride.value(from: item))
            }
            if values.count > maxValues {
                throw SweepSpecError("\"\(text)\" has more than \(maxValues) values", allowed: "at most \(maxValues) per --set")
            }
        }
        return values
    }

    /// The values of `START..END` or `START..END:STEP`, or nil when `item` is not a range (its
    /// text before `..` is not a number).
    static func range(_ item: String) throws(SweepSpecError) -> [JSONValue]? {
        guard let dots = item.range(of: "..") else { return nil }
        let startText = String(item[..<dots.lowerBound]).trimmingCharacters(in: .whitespaces)
        guard Double(startText) != nil else { return nil }
        let allowed = "START..END or START..END:STEP, integers with START <= END and STEP >= 1"
        let rest = item[dots.upperBound...]
        let parts = rest.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
        let endText = String(parts[0]).trimmingCharacters(in: .whitespaces)
        let stepText = parts.count > 1 ? String(parts[1]).trimmingCharacters(in: .whitespaces) : "1"
        guard let start = Int(startText), let end = Int(endText) else {
            if Double(startText) != nil && Double(endText) != nil {
                throw SweepSpecError("\"\(item)\" is not an integer range", allowed: "integer ranges only; list decimals as 0.5,1,1.5")
            }
            throw SweepSpecError("\"\(item)\" is not a range", allowed: allowed)
        }
        guard let step = Int(stepText), step >= 1 else {
            throw SweepSpecError("\"\(item)\": step \"\(stepText)\" is not a positive integer", allowed: allowed)
        }
        guard start <= end else {
            throw SweepSpecError("\"\(item)\" is empty: \(start) is above \(end)", allowed: allowed)
        }
        let (span, overflow) = end.subtractingReportingOverflow(start)
        guard !overflow, span / step < maxValues else {
            throw SweepSpecError("\"\(item)\" has more than \(maxValues) values", allowed: "at most \(maxValues) per --set")
        }
        return stride(from: start, through: end, by: step).map { .number(Double($0)) }
    }

    /// Splits at commas that are outside brackets, braces and quotes.
    static func splitTopLevel(_ text: String) -> [String] {
        var items: [String] = []
        var current = ""
        var depth = 0
        var quote: Character?
        var escaped = false
        for c in text {
            if let q = quote {
                if escaped { escaped = false } else if c == "\\" { escaped = true } else if c == q { quote = nil }
            } else if c == "\"" || c == "'" {
                quote = c
            } else if c == "[" || c == "{" {
                depth += 1
            } else if c == "]" || c == "}" {
                depth = max(0, depth - 1)
            } else if c == "," && depth == 0 {
                items.append(current)
                current = ""
                continue
            }
            current.append(c)
        }
        items.append(current)
        return items
    }
}

/// The cartesian product of several axes. Points are numbered 0..<count with the first axis
/// varying slowest and the last fastest (like nested loops in the order the axes were given).
public struct SweepGrid: Sendable, Equatable {
    public var axes: [SweepAxis]

    /// The most points a grid may have.
    public static let maxPoints = 1_000_000

    /// A grid over `axes`; no axis may repeat another's path, and the product must stay within
    /// `maxPoints`.
    public init(axes: [SweepAxis]) throws(SweepSpecError) {
        var seen: Set<String> = []
        var count = 1
        for axis in axes {
            guard seen.insert(axis.dottedPath).inserted else {
                throw SweepSpecError("\(axis.dottedPath) is set twice", allowed: "each path in one --set; list its values with commas")
            }
            let (product, overflow) = count.multipliedReportingOverflow(by: axis.values.count)
            guard !overflow, product <= Self.maxPoints else {
                throw SweepSpecError("the grid has more than \(Self.maxPoints) points", allowed: "at most \(Self.maxPoints)")
            }
            count = product
        }
        self.axes = axes
    }

    /// Number of points: the product of the axes' value counts (1 for no axes).
    public var count: Int { axes.reduce(1) { $0 * $1.values.count } }

    /// The value of each axis at point `index` (0 ..< count), in axis order.
    public func values(at index: Int) -> [JSONValue] {
        precondition(index >= 0 && index < count, "sweep point \(index) is outside the grid")
        var rest = index
        var result = [JSONValue](repeating: .null, count: axes.count)
        for a in axes.indices.reversed() {
            let n = axes[a].values.count
            result[a] = axes[a].values[rest % n]
            rest /= n
        }
        return result
    }

    /// The overrides that make point `index`'s scenario, in axis order.
    public func overrides(at index: Int) -> [ScenarioOverride] {
        zip(axes, values(at: index)).map { ScenarioOverride(path: $0.path, value: $1) }
    }

    /// Point `index`'s assignment as text, e.g. `pools.0.replicas=4, pools.0.hardware=A100-80GB`.
    public func assignment(at index: Int) -> String {
        zip(axes, values(at: index)).map { "\($0.dottedPath)=\($1.label)" }.joined(separator: ", ")
    }
}

/// Shard K of N (1 <= K <= N): the grid points whose index modulo N is K - 1. The N shards of a
/// grid are disjoint and together cover it; each is spread over the whole grid, so shards of a
/// grid whose run time grows along an axis take about the same time.
public struct SweepShard: Sendable, Equatable, CustomStringConvertible {
    /// 1-based shard number.
    public var index: Int
    /// Number of shards.
    public var count: Int

    public init(index: Int, count: Int) {
        precondition(count >= 1 && index >= 1 && index <= count, "shard \(index)/\(count)")
        self.index = index
        self.count = count
    }

    /// Parses `K/N`.
    public static func parse(_ text: String) throws(SweepSpecError) -> SweepShard {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        let allowed = "K/N with 1 <= K <= N, e.g. 2/8"
        guard parts.count == 2, let k = Int(parts[0].trimmingCharacters(in: .whitespaces)),
              let n = Int(parts[1].trimmingCharacters(in: .whitespaces)) else {
            throw SweepSpecError("\"\(text)\" is not a shard", allowed: allowed)
        }
        guard n >= 1, k >= 1, k <= n else { throw SweepSpecError("\"\(text)\" is out of range", allowed: allowed) }
        return SweepShard(index: k, count: n)
    }

    /// `K/N`.
    public var description: String { "\(index)/\(count)" }

    /// Whether point `point` belongs to this shard.
    public func contains(_ point: Int) -> Bool { point % count == index - 1 }

    /// The points of a grid of `points` points that belong to this shard, ascending.
    public func points(of points: Int) -> [Int] { Array(stride(from: index - 1, to: points, by: count)) }
}
