import CGSL

/// Causal grouped-query attention of one sequence's new rows over its KV cache.
enum Attention {
    /// Attention for `chunk` new query rows of one sequence whose keys and values (for this layer)
    /// are already written at cache positions `cached ..< cached + chunk`.
    ///
    /// - q: the first query row; row `i` is at `q + i * qStride`, heads contiguous (`heads * headDim`).
    /// - keys, values: the layer's cache, rows of `kvWidth` floats, `cached + chunk` rows valid.
    /// - out: row `i` at `out + i * outStride`, `heads * headDim` floats.
    /// - scratch: at least `max(chunk, heads / kvHeads) * (cached + chunk)` floats.
    ///
    /// A single row (decode) runs one sgemm per KV head over the query heads that share it; a
    /// longer chunk runs one sgemm per query head over all its rows, with the causal mask applied
    /// in the softmax (row `i` sees positions `0 ... cached + i`).
    static func run(config c: KernelConfig, chunk: Int, cached: Int,
                    q: UnsafePointer<Float>, qStride: Int,
                    keys: UnsafePointer<Float>, values: UnsafePointer<Float>,
                    out: UnsafeMutablePointer<Float>, outStride: Int,
                    scratch: UnsafeMutablePointer<Float>) {
        let d = c.headDim, kvWidth = c.kvWidth, total = cached + chunk
        let group = c.heads / c.kvHeads
        let scale = 1 / Float(d).squareRoot()
        if chunk == 1 {
            for g in 0..<c.kvHeads {
                // [group x d] queries (contiguous heads) times [total x d]^T keys of head g.
                cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(group), Int32(total), Int32(d),
                            scale, q + g * group * d, Int32(d), keys + g * d, Int32(kvWidth),
                            0, scratch, Int32(total))
                for r in 0..<group { Layers.softmax(scratch + r * total, valid: total, width: total) }
                cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(group), Int32(d), Int32(total),
                            1, scratch, Int32(total), values + g * d, Int32(kvWidth),
                            0, out + g * group * d, Int32(d))
            }
            return
        }
        for h in 0..<c.heads {
            let g = h / group
            let scores = scratch
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(chunk), Int32(total), Int32(d),
                        scale, q + h * d, Int32(qStride), keys + g * d, Int32(kvWidth),
                        0, scores, Int32(total))
            for i in 0..<chunk { Layers.softmax(scores + i * total, valid: cached + i + 1, width: total) }
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(chunk), Int32(d), Int32(total),
                        1, scores, Int32(total), values + g * d, Int32(kvWidth),
                        0, out + h * d, Int32(outStride))
        }
    }
}
