/// A place in an input file: line and column, both from 1. The column counts Unicode scalars from
/// the start of the line (a tab is one column), as editors that count characters show it.
public struct SourcePosition: Sendable, Equatable, CustomStringConvertible {
    public var line: Int32
    public var column: Int32

    public init(line: Int, column: Int) {
        self.line = Int32(clamping: line)
        self.column = Int32(clamping: column)
    }

    /// `LINE:COL`.
    public var description: String { "\(line):\(column)" }
}

/// Where each value of a parsed document starts, by dotted path (`pools.0.replicas`), so a
/// diagnostic about a field can name its line and column.
///
/// Object members are found at their key, array entries at their first character. A path the map
/// does not hold (a missing key) is found at its nearest ancestor: "is missing" points at the
/// object that lacks the key. Paths under a value changed after parsing (`--set`, variants) have
/// no position: the text at that place is not what was judged.
public struct SourceMap: Sendable {
    /// Positions of object members (at their key) and of the whole document (path "").
    private var positions: [String: SourcePosition] = [:]
    /// Positions of the entries of each array (one key per array, not one per entry: a list of a
    /// million numbers costs 8 bytes an entry).
    private var arrayEntries: [String: [SourcePosition]] = [:]
    /// Paths whose values were replaced after parsing.
    private var replaced: [[Substring]] = []

    public init() {}

    public mutating func record(_ path: String, _ position: SourcePosition) { positions[path] = position }

    /// The positions of every entry of the array at `path`, by index.
    public mutating func recordEntries(array path: String, _ entries: [SourcePosition]) {
        if !entries.isEmpty { arrayEntries[path] = entries }
    }

    /// Forgets the positions at and under `path` (its value was replaced by an override).
    public mutating func replace(_ path: String) { replaced.append(path.split(separator: ".", omittingEmptySubsequences: false)) }

    /// Where the value at `path` starts, or where its nearest ancestor does; nil when the value
    /// (or an ancestor) was replaced after parsing, or the map is empty.
    public func position(of path: String) -> SourcePosition? {
        let parts = path.isEmpty ? [] : path.split(separator: ".", omittingEmptySubsequences: false)
        for r in replaced where parts.starts(with: r) { return nil }
        var count = parts.count
        while count >= 0 {
            let key = parts[..<count].joined(separator: ".")
            if let p = positions[key] { return p }
            if count > 0, let index = Int(parts[count - 1]) {
                let array = parts[..<(count - 1)].joined(separator: ".")
                if let entries = arrayEntries[array], entries.indices.contains(index) { return entries[index] }
            }
            count -= 1
        }
        return nil
    }
}
