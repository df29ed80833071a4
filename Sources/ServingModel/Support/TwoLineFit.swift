/// Fits `max` of two lines to a sum of steps that are each `max` of two lines, as `DecodeCost` needs
/// (seconds as a function of total context `S`, tokens).
///
/// Each component (one step, `max(a1 + b1 S, a2 + b2 S)`) switches at most once, at the context
/// where its steeper line overtakes the other. The sum `f` is convex and piecewise linear: piece 0
/// is the sum of every component's line that dominates at `S = 0`, and each switch (in order of
/// context) swaps one component's line, so `f(S) = max` over its pieces. The fit is the pair of
/// pieces `(i, j)` whose `max` has the smallest largest relative underestimate of `f` over all
/// `S >= 0` (exact: both are linear between breakpoints, so a ratio's extremes lie on breakpoints
/// or at infinity); ties go to the lower indices. It is therefore never above `f`, and equals `f`
/// when at most one component switches (or when the switches are at the same context).
///
/// `keep`: a component whose two lines both stay in the fit (`i` before its switch, `j` after), so
/// the fit is never below that component alone.
public enum TwoLineFit {
    struct Line {
        var a: Double, b: Double
        @inline(__always) func at(_ s: Double) -> Double { a + b * s }
    }

    public static func fit(_ components: [DecodeCost], keep: Int) -> DecodeCost {
        // Each component's line at S = 0, the line it switches to (if any) and where.
        var first: [Line] = [], switches: [(at: Double, component: Int, to: Line)] = []
        for (c, cost) in components.enumerated() {
            let l1 = Line(a: cost.a1, b: cost.b1), l2 = Line(a: cost.a2, b: cost.b2)
            let (f, s) = l1.a > l2.a || (l1.a == l2.a && l1.b >= l2.b) ? (l1, l2) : (l2, l1)
            first.append(f)
            if s.b > f.b { switches.append(((f.a - s.a) / (s.b - f.b), c, s)) }
        }
        switches.sort { $0.at < $1.at || ($0.at == $1.at && $0.component < $1.component) }
        var pieces = [first.reduce(Line(a: 0, b: 0)) { Line(a: $0.a + $1.a, b: $0.b + $1.b) }]
        var keepSwitch = Int.max  // index of the first piece holding `keep`'s second line
        for s in switches {
            let last = pieces[pieces.count - 1], old = first[s.component]
            pieces.append(Line(a: last.a - old.a + s.to.a, b: last.b - old.b + s.to.b))
            if s.component == keep { keepSwitch = pieces.count - 1 }
        }
        if pieces.count == 1 { return DecodeCost(a: pieces[0].a, b: pieces[0].b) }

        func f(_ s: Double) -> Double { pieces.reduce(-Double.infinity) { max($0, $1.at(s)) } }
        let points = [0] + switches.map(\.at).filter { $0 > 0 }
        let fAt = points.map(f)
        let slopeAtInfinity = pieces[pieces.count - 1].b
        var best = (error: Double.infinity, i: 0, j: pieces.count - 1)
        for i in pieces.indices {
            for j in i..<pieces.count {
                if keepSwitch != Int.max && !(i < keepSwitch && j >= keepSwitch) { continue }
                let p = pieces[i], q = pieces[j]
                func error(_ s: Double, _ fs: Double) -> Double { fs > 0 ? (fs - max(p.at(s), q.at(s))) / fs : 0 }
                var worst = slopeAtInfinity > 0 ? (slopeAtInfinity - max(p.b, q.b)) / slopeAtInfinity : 0
                for (s, fs) in zip(points, fAt) { worst = max(worst, error(s, fs)) }
                if q.b != p.b {
                    let meet = (p.a - q.a) / (q.b - p.b)
                    if meet > 0 && meet.isFinite { worst = max(worst, error(meet, f(meet))) }
                }
                if worst < best.error { best = (worst, i, j) }
            }
        }
        let p = pieces[best.i], q = pieces[best.j]
        return DecodeCost(a1: p.a, b1: p.b, a2: q.a, b2: q.b)
    }
}
