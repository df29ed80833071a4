import CGSL

/// Linear least squares through GSL (`gsl_multifit_wlinear`), with non-negative coefficients.
public enum LeastSquares {
    public struct Fit: Sendable {
        /// One coefficient per column of the design matrix (0 for columns left out).
        public var coefficients: [Double]
        /// 1 - SS_res / SS_tot of the unweighted residuals.
        public var r2: Double
        /// max_i |fitted_i - y_i| / y_i.
        public var maxRelativeResidual: Double
    }

    /// Fits `y ~ X * c` with `c >= 0`, minimising the sum of squared *relative* residuals
    /// (weights `1 / y^2`): step times span two or three orders of magnitude and their noise is
    /// roughly proportional to their size, so an unweighted fit would let the longest steps
    /// decide and leave the short decode steps (the ones that make up TPOT) badly fitted.
    ///
    /// Non-negativity (a step-time term cannot be negative, and `DecodeCost` requires slopes >= 0)
    /// is enforced exactly by trying every subset of columns and keeping the best feasible fit;
    /// with three columns that is seven small GSL fits. Returns nil when no subset is feasible.
    public static func nonNegativeFit(rows x: [[Double]], y: [Double]) -> Fit? {
        precondition(!x.isEmpty && x.count == y.count)
        let p = x[0].count
        var best: (chisq: Double, c: [Double])?
        for mask in 1..<(1 << p) {
            let columns = (0..<p).filter { mask & (1 << $0) != 0 }
            guard columns.count <= x.count, let (c, chisq) = weightedFit(x.map { r in columns.map { r[$0] } }, y)
            else { continue }
            guard c.allSatisfy({ $0 >= 0 && $0.isFinite }) else { continue }
            if best == nil || chisq < best!.chisq - 1e-15 * abs(best!.chisq) {
                var full = [Double](repeating: 0, count: p)
                for (k, col) in columns.enumerated() { full[col] = c[k] }
                best = (chisq, full)
            }
        }
        guard let c = best?.c else { return nil }
        let fitted = x.map { r in zip(r, c).reduce(0) { $0 + $1.0 * $1.1 } }
        let mean = y.reduce(0, +) / Double(y.count)
        let ssTot = y.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
        let ssRes = zip(fitted, y).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }
        let maxRel = zip(fitted, y).map { abs($0 - $1) / $1 }.max() ?? 0
        return Fit(coefficients: c, r2: ssTot > 0 ? 1 - ssRes / ssTot : 1, maxRelativeResidual: maxRel)
    }

    /// Weighted least squares with weights `1 / y^2`; returns (coefficients, weighted chi^2).
    private static func weightedFit(_ x: [[Double]], _ y: [Double]) -> ([Double], Double)? {
        let n = x.count, p = x[0].count
        guard let X = gsl_matrix_alloc(n, p), let Y = gsl_vector_alloc(n), let W = gsl_vector_alloc(n),
              let C = gsl_vector_alloc(p), let cov = gsl_matrix_alloc(p, p),
              let work = gsl_multifit_linear_alloc(n, p) else { return nil }
        defer {
            gsl_matrix_free(X); gsl_vector_free(Y); gsl_vector_free(W); gsl_vector_free(C)
            gsl_matrix_free(cov); gsl_multifit_linear_free(work)
        }
        for i in 0..<n {
            for j in 0..<p { gsl_matrix_set(X, i, j, x[i][j]) }
            gsl_vector_set(Y, i, y[i])
            gsl_vector_set(W, i, 1 / (y[i] * y[i]))
        }
        var chisq = 0.0
        guard gsl_multifit_wlinear(X, W, Y, C, cov, &chisq, work) == GSL_SUCCESS else { return nil }
        return ((0..<p).map { gsl_vector_get(C, $0) }, chisq)
    }
}
