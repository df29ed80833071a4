/// Names typed by people, matched loosely: a name that differs only in case finds its entry, and a
/// near miss gets a "did you mean" suggestion.
public enum NameMatch {
    /// The entry of `names` equal to `name` ignoring case (ASCII and Unicode lower-casing), or nil.
    public static func ignoringCase(_ name: String, among names: [String]) -> String? {
        let key = name.lowercased()
        return names.first { $0.lowercased() == key }
    }

    /// At most two names of `names` that `name` was probably meant to be, closest first: equal
    /// ignoring case, containing it or contained in it (3 or more characters, ignoring case), or
    /// within an edit distance of a third of its length (at least 1, at most 3). Empty when none is
    /// close: a wild guess helps less than the list.
    public static func suggestions(for name: String, among names: [String]) -> [String] {
        let key = Array(name.lowercased())
        guard !key.isEmpty, key.count <= 200 else { return [] }
        let limit = max(1, min(3, key.count / 3))
        var scored: [(distance: Int, name: String)] = []
        for candidate in names where candidate != name {
            let other = Array(candidate.lowercased())
            let distance: Int
            if other == key {
                distance = 0
            } else if key.count >= 3, other.count >= 3, (other.contains(subsequence: key) || key.contains(subsequence: other)) {
                distance = 1
            } else {
                let d = editDistance(key, other)
                guard d <= limit else { continue }
                distance = d
            }
            scored.append((distance, candidate))
        }
        return scored.sorted { ($0.distance, $0.name) < ($1.distance, $1.name) }.prefix(2).map(\.name)
    }

    /// "did you mean X? " (or "did you mean X or Y? ") for a hint's front, or "" when nothing is close.
    public static func didYouMean(_ name: String, among names: [String]) -> String {
        let s = suggestions(for: name, among: names)
        return s.isEmpty ? "" : "did you mean " + s.joined(separator: " or ") + "? "
    }

    /// Levenshtein distance (insertions, deletions, substitutions of one character each), two rows
    /// of dynamic programming: O(a x b) time, O(b) memory.
    public static func editDistance(_ a: [Character], _ b: [Character]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        var current = Array(repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)
                current[j] = min(substitution, previous[j] + 1, current[j - 1] + 1)
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}

private extension Array where Element == Character {
    /// Whether `part` occurs in this array as a contiguous run.
    func contains(subsequence part: [Character]) -> Bool {
        guard part.count <= count else { return false }
        for start in 0...(count - part.count) where self[start..<(start + part.count)].elementsEqual(part) { return true }
        return false
    }
}
