import CGSL
import Foundation

/// The kernel's building blocks on raw float32 row-major buffers. Every matrix product goes
/// through OpenBLAS (`cblas_sgemm`); the element-wise parts are plain loops.
enum Layers {
    /// `Y[m x n] = X[m x k] * W^T + beta * Y` for a weight `W` stored `[n x k]` (PyTorch layout).
    ///
    /// Always sgemm, also for one row: `cblas_sgemv` for a batch-1 decode was measured about 2x
    /// faster (it streams the weights without packing them), but then batch 1 and batch 2 take
    /// different code paths and the decode step time jumps ~2.5x from B = 1 to B = 2, which no
    /// smooth step-time model fits. One code path keeps the kernel's cost curve honest.
    @inline(__always)
    static func linear(_ x: UnsafePointer<Float>, rows m: Int, inFeatures k: Int,
                       _ w: UnsafePointer<Float>, outFeatures n: Int,
                       into y: UnsafeMutablePointer<Float>, beta: Float = 0) {
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(m), Int32(n), Int32(k),
                    1, x, Int32(k), w, Int32(k), beta, y, Int32(n))
    }

    /// RMSNorm of each of `rows` rows of width `width`: `y = x / sqrt(mean(x^2) + eps) * gain`.
    static func rmsNorm(_ x: UnsafePointer<Float>, rows: Int, width: Int, gain: UnsafePointer<Float>,
                        eps: Float, into y: UnsafeMutablePointer<Float>) {
        for r in 0..<rows {
            let xr = x + r * width, yr = y + r * width
            var sum: Float = 0
            for i in 0..<width { sum += xr[i] * xr[i] }
            let scale = 1 / (sum / Float(width) + eps).squareRoot()
            for i in 0..<width { yr[i] = xr[i] * scale * gain[i] }
        }
    }

    /// Rotary position embedding ("rotate half" form, as in Llama) applied in place to `count`
    /// consecutive heads of size `headDim` starting at `v`, for token position `position`.
    /// `inverseFrequencies[i] = theta^(-2i / headDim)` for `i < headDim / 2`.
    static func rope(_ v: UnsafeMutablePointer<Float>, heads count: Int, headDim: Int, position: Int,
                     inverseFrequencies: [Double]) {
        let half = headDim / 2
        for i in 0..<half {
            let angle = Double(position) * inverseFrequencies[i]
            let c = Float(cos(angle)), s = Float(sin(angle))
            for h in 0..<count {
                let p = v + h * headDim
                let x0 = p[i], x1 = p[i + half]
                p[i] = x0 * c - x1 * s
                p[i + half] = x0 * s + x1 * c
            }
        }
    }

    /// SwiGLU: `out[r][i] = silu(gateUp[r][i]) * gateUp[r][ffn + i]`, `gateUp` is `[rows x 2 ffn]`.
    static func swiglu(_ gateUp: UnsafePointer<Float>, rows: Int, ffn: Int, into out: UnsafeMutablePointer<Float>) {
        for r in 0..<rows {
            let g = gateUp + r * 2 * ffn, o = out + r * ffn
            for i in 0..<ffn {
                let gate = g[i]
                o[i] = gate / (1 + expf(-gate)) * g[ffn + i]
            }
        }
    }

    /// Numerically stable softmax in place over the first `valid` entries of a row; entries from
    /// `valid` to `width` (masked, in the future of the query) are set to 0.
    static func softmax(_ row: UnsafeMutablePointer<Float>, valid: Int, width: Int) {
        var m = -Float.infinity
        for j in 0..<valid { m = max(m, row[j]) }
        var sum: Float = 0
        for j in 0..<valid {
            let e = expf(row[j] - m)
            row[j] = e
            sum += e
        }
        let inv = 1 / sum
        for j in 0..<valid { row[j] *= inv }
        for j in valid..<width { row[j] = 0 }
    }
}
