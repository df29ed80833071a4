/// Indices of the points (x[i], y[i]) no other point beats on both coordinates, lower being
/// better on both: sorted by x, then y, then index, each kept when its y is strictly below that of
/// every point before it. Points with a non-finite coordinate are left out; of identical points
/// the first is kept. O(n log n).
public func paretoFrontier(x: [Double], y: [Double]) -> [Int] {
    precondition(x.count == y.count, "one y per x")
    let order = x.indices.filter { x[$0].isFinite && y[$0].isFinite }.sorted { (x[$0], y[$0], $0) < (x[$1], y[$1], $1) }
    var frontier: [Int] = []
    var best = Double.infinity
    for i in order where y[i] < best {
        frontier.append(i)
        best = y[i]
    }
    return frontier
}
