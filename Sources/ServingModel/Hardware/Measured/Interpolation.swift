/// Interpolation over measured tables. Pure functions; every one returns the table's own value at
/// a knot and stays between the two neighbouring values in between (so it is monotone between
/// consecutive knots).

/// Index `i` of the segment `[xs[i], xs[i+1]]` holding `x` (`xs` ascending, count >= 2), clamped
/// to the first and last segment. Binary search.
@inline(__always)
func segment(_ x: Double, _ xs: [Double]) -> Int {
    var lo = 0, hi = xs.count - 2
    while lo < hi {
        let mid = (lo + hi + 1) >> 1
        if xs[mid] <= x { lo = mid } else { hi = mid - 1 }
    }
    return lo
}

/// Linear interpolation of `ys` over ascending `xs`, held constant outside the range.
func clampedLinear(_ x: Double, xs: [Double], ys: [Double]) -> Double {
    guard xs.count > 1 else { return ys.first ?? 0 }
    if x <= xs[0] { return ys[0] }
    if x >= xs[xs.count - 1] { return ys[ys.count - 1] }
    let i = segment(x, xs)
    let t = (x - xs[i]) / (xs[i + 1] - xs[i])
    return ys[i] + t * (ys[i + 1] - ys[i])
}

/// Interpolation of positive `ys` over positive ascending `xs` linear in (log x, log y): the
/// natural scale of latency against message size or token count, which span decades. Below the
/// first knot the first value holds (a latency floor); above the last the last segment's slope in
/// linear terms continues (bandwidth- or compute-bound growth).
func logLogInterpolate(_ x: Double, xs: [Double], ys: [Double]) -> Double {
    guard xs.count > 1 else { return ys.first ?? 0 }
    if x <= xs[0] { return ys[0] }
    let n = xs.count
    if x >= xs[n - 1] {
        let slope = (ys[n - 1] - ys[n - 2]) / (xs[n - 1] - xs[n - 2])
        return ys[n - 1] + max(0, slope) * (x - xs[n - 1])
    }
    let i = segment(x, xs)
    let t = (log(x) - log(xs[i])) / (log(xs[i + 1]) - log(xs[i]))
    return ys[i] * pow(ys[i + 1] / ys[i], t)  // exactly ys[i] at the knot (t = 0)
}

/// Bilinear interpolation on a row-major grid `values[i * ys.count + j]` over ascending knots
/// `xs` (rows) and `ys` (columns), with coordinates clamped to the grid.
func bilinear(x: Double, y: Double, xs: [Double], ys: [Double], values: [Double]) -> Double {
    let cx = min(max(x, xs[0]), xs[xs.count - 1]), cy = min(max(y, ys[0]), ys[ys.count - 1])
    let i = xs.count > 1 ? segment(cx, xs) : 0, j = ys.count > 1 ? segment(cy, ys) : 0
    let tx = xs.count > 1 ? (cx - xs[i]) / (xs[i + 1] - xs[i]) : 0
    let ty = ys.count > 1 ? (cy - ys[j]) / (ys[j + 1] - ys[j]) : 0
    let w = ys.count
    let v00 = values[i * w + j]
    let v01 = ys.count > 1 ? values[i * w + j + 1] : v00
    let v10 = xs.count > 1 ? values[(i + 1) * w + j] : v00
    let v11 = xs.count > 1 && ys.count > 1 ? values[(i + 1) * w + j + 1] : v10
    return (1 - tx) * ((1 - ty) * v00 + ty * v01) + tx * ((1 - ty) * v10 + ty * v11)
}

import Foundation
