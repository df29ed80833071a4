import Foundation

/// A small decoder-only transformer (Llama-style) on OpenBLAS, float32, with random weights: the
/// real workload that calibration times and that a real serving loop can run.
///
/// One call is one engine step. The rows of every sequence in the step (prompt chunks and decode
/// tokens alike) are concatenated for the dense matrices (one sgemm per matrix for the whole
/// step); attention runs per sequence over its own KV cache. A prefill continues from whatever is
/// cached for the sequence, so chunked prefill is a sequence of prefill calls.
///
/// Not thread-safe (one kernel, one owner); BLAS threading is set with `openblas_set_num_threads`.
public final class TransformerKernel {
    public let config: KernelConfig
    let weights: KernelWeights
    private var caches: [Int: KVCache] = [:]
    private let inverseFrequencies: [Double]

    /// Builds the model with weights drawn from the GSL stream `(seed, "kernel/weights")`.
    public init(config: KernelConfig, seed: UInt64) {
        self.config = config
        weights = KernelWeights(config: config, seed: seed)
        let d = Double(config.headDim)
        inverseFrequencies = (0..<config.headDim / 2).map { i in
            1 / Foundation.pow(config.ropeTheta, 2 * Double(i) / d)
        }
    }

    /// Prompt tokens of several sequences in one step (each continues after its cached tokens).
    /// Returns the logits (`vocab` floats) after the last token of each sequence, in batch order.
    public func prefill(batch: [(seqId: Int, tokens: [Int32])]) -> [[Float]] {
        forward(batch, allPositions: false)
    }

    /// One new token for each running sequence, in one step. Returns each sequence's next-token
    /// logits, in batch order.
    public func decode(batch: [(seqId: Int, token: Int32)]) -> [[Float]] {
        forward(batch.map { ($0.seqId, [$0.token]) }, allPositions: false)
    }

    /// A mixed step: prefill chunks and decode tokens together. Returns the logits of the prefill
    /// sequences (after their last token) followed by those of the decode sequences.
    public func step(prefill: [(seqId: Int, tokens: [Int32])], decode: [(seqId: Int, token: Int32)]) -> [[Float]] {
        forward(prefill + decode.map { ($0.seqId, [$0.token]) }, allPositions: false)
    }

    /// Frees a sequence's KV cache (no-op for an unknown id).
    public func release(seqId: Int) { caches.removeValue(forKey: seqId) }

    /// Tokens cached for a sequence (0 when unknown).
    public func cachedTokens(seqId: Int) -> Int { caches[seqId]?.length ?? 0 }

    /// Bytes of KV cache currently allocated over all sequences.
    public var kvAllocatedBytes: Int { caches.values.reduce(0) { $0 + $1.allocatedBytes } }

    /// One forward pass. `chunks` must have distinct, non-empty sequences. With `allPositions`,
    /// returns logits for every row of every chunk (in order), else only each chunk's last row.
    public func forward(_ chunks: [(seqId: Int, tokens: [Int32])], allPositions: Bool) -> [[Float]] {
        let c = config
        precondition(Set(chunks.map(\.seqId)).count == chunks.count, "a sequence appears twice in one step")
        let rows = chunks.reduce(0) { $0 + $1.tokens.count }
        guard rows > 0 else { return [] }
        // Caches and positions.
        var seqCaches: [KVCache] = []
        var starts: [Int] = []   // first row of each chunk
        var scratchNeeded = 0
        var row = 0
        for chunk in chunks {
            precondition(!chunk.tokens.isEmpty, "empty chunk for sequence \(chunk.seqId)")
            let cache = caches[chunk.seqId] ?? KVCache(layers: c.layers, width: c.kvWidth)
            caches[chunk.seqId] = cache
            cache.reserve(extra: chunk.tokens.count)
            seqCaches.append(cache)
            starts.append(row)
            row += chunk.tokens.count
            let total = cache.length + chunk.tokens.count
            scratchNeeded = max(scratchNeeded, max(chunk.tokens.count, c.heads / c.kvHeads) * total)
        }
        let x = FloatBuffer(count: rows * c.hidden)          // residual stream
        let normed = FloatBuffer(count: rows * c.hidden)
        let qkv = FloatBuffer(count: rows * c.qkvWidth)
        let attended = FloatBuffer(count: rows * c.qWidth)
        let gateUp = FloatBuffer(count: rows * 2 * c.ffn)
        let activated = FloatBuffer(count: rows * c.ffn)
        let scratch = FloatBuffer(count: scratchNeeded)

        // Embedding.
        row = 0
        for chunk in chunks {
            for token in chunk.tokens {
                precondition(token >= 0 && Int(token) < c.vocab, "token \(token) outside the vocabulary")
                (x.pointer + row * c.hidden).update(from: weights.embedding.pointer + Int(token) * c.hidden,
                                                     count: c.hidden)
                row += 1
            }
        }

        for (l, w) in weights.layers.enumerated() {
            // Attention block.
            Layers.rmsNorm(x.pointer, rows: rows, width: c.hidden, gain: w.attentionNorm.pointer,
                           eps: c.normEps, into: normed.pointer)
            Layers.linear(normed.pointer, rows: rows, inFeatures: c.hidden, w.qkv.pointer,
                          outFeatures: c.qkvWidth, into: qkv.pointer)
            for (s, chunk) in chunks.enumerated() {
                let cache = seqCaches[s], cached = cache.length
                for i in 0..<chunk.tokens.count {
                    let r = qkv.pointer + (starts[s] + i) * c.qkvWidth
                    Layers.rope(r, heads: c.heads + c.kvHeads, headDim: c.headDim, position: cached + i,
                                inverseFrequencies: inverseFrequencies)  // q and k heads are adjacent
                    (cache.keys(l) + (cached + i) * c.kvWidth).update(from: r + c.qWidth, count: c.kvWidth)
                    (cache.values(l) + (cached + i) * c.kvWidth).update(from: r + c.qWidth + c.kvWidth,
                                                                        count: c.kvWidth)
                }
                Attention.run(config: c, chunk: chunk.tokens.count, cached: cached,
                              q: qkv.pointer + starts[s] * c.qkvWidth, qStride: c.qkvWidth,
                              keys: cache.keys(l), values: cache.values(l),
                              out: attended.pointer + starts[s] * c.qWidth, outStride: c.qWidth,
                              scratch: scratch.pointer)
            }
            Layers.linear(attended.pointer, rows: rows, inFeatures: c.qWidth, w.output.pointer,
                          outFeatures: c.hidden, into: x.pointer, beta: 1)
            // MLP block.
            Layers.rmsNorm(x.pointer, rows: rows, width: c.hidden, gain: w.mlpNorm.pointer,
                           eps: c.normEps, into: normed.pointer)
            Layers.linear(normed.pointer, rows: rows, inFeatures: c.hidden, w.gateUp.pointer,
                          outFeatures: 2 * c.ffn, into: gateUp.pointer)
            Layers.swiglu(gateUp.pointer, rows: rows, ffn: c.ffn, into: activated.pointer)
            Layers.linear(activated.pointer, rows: rows, inFeatures: c.ffn, w.down.pointer,
                          outFeatures: c.hidden, into: x.pointer, beta: 1)
        }
        for (s, chunk) in chunks.enumerated() { seqCaches[s].commit(extra: chunk.tokens.count) }

        // Final norm and output projection, only for the rows whose logits are wanted.
        let selected: [Int] = allPositions ? Array(0..<rows)
            : chunks.indices.map { starts[$0] + chunks[$0].tokens.count - 1 }
        let picked = FloatBuffer(count: selected.count * c.hidden)
        for (i, r) in selected.enumerated() {
            (picked.pointer + i * c.hidden).update(from: x.pointer + r * c.hidden, count: c.hidden)
        }
        Layers.rmsNorm(picked.pointer, rows: selected.count, width: c.hidden, gain: weights.finalNorm.pointer,
                       eps: c.normEps, into: picked.pointer)
        let logits = FloatBuffer(count: selected.count * c.vocab)
        Layers.linear(picked.pointer, rows: selected.count, inFeatures: c.hidden, weights.lmHead.pointer,
                      outFeatures: c.vocab, into: logits.pointer)
        return (0..<selected.count).map { i in
            Array(UnsafeBufferPointer(start: logits.pointer + i * c.vocab, count: c.vocab))
        }
    }

    // MARK: calibration support

    /// Gives a sequence `length` cached tokens of synthetic keys and values without running the
    /// model (decode timing does not depend on the cached values, and prefilling long contexts
    /// for every grid point would dominate calibration time).
    package func synthesizeContext(seqId: Int, length: Int) {
        let cache = KVCache(layers: config.layers, width: config.kvWidth, initialCapacity: length + 16)
        cache.reserve(extra: length)
        for l in 0..<config.layers {
            let k = cache.keys(l), v = cache.values(l)
            for i in 0..<length * config.kvWidth {
                k[i] = Float((i % 17) - 8) * 0.05
                v[i] = Float((i % 13) - 6) * 0.05
            }
        }
        cache.commit(extra: length)
        caches[seqId] = cache
    }

    /// Drops a sequence's cached tokens after the first `length` (rewinds a timed step).
    package func truncate(seqId: Int, to length: Int) { caches[seqId]?.truncate(to: length) }
}
