import Testing
import ServeSim

/// Kernel correctness on the "tiny" model.
///
/// Tolerance: two logit vectors agree when `max_i |a_i - b_i| <= 1e-4 * max_i |b_i|` (relative to
/// the vector's scale; per-element relative error is meaningless for logits near zero). Different
/// paths change the float32 summation order (sgemm shapes, batch rows), so exact equality is not
/// expected; an indexing or masking bug gives errors of order 1.
@Suite struct KernelTests {
    static let tolerance: Float = 1e-4

    /// `max_i |a_i - b_i| / max_i |b_i|` (infinite when the shapes differ).
    static func relativeError(_ a: [Float], _ b: [Float]) -> Float {
        guard a.count == b.count, !a.isEmpty else { return .infinity }
        return zip(a, b).map { abs($0 - $1) }.max()! / b.map(abs).max()!
    }

    static func agree(_ a: [Float], _ b: [Float]) -> Bool { relativeError(a, b) <= tolerance }

    static func tokens(_ n: Int, seed: UInt64) -> [Int32] {
        let rng = RandomStream(seed: seed, name: "test/tokens")
        return (0..<n).map { _ in Int32(rng.uniformInt(KernelConfig.tiny.vocab)) }
    }

    @Test func parameterCountsOfPresets() {
        #expect(KernelConfig.tiny.parameterCount < 200_000)
        #expect((20_000_000...30_000_000).contains(KernelConfig.small.parameterCount))
        #expect((50_000_000...100_000_000).contains(KernelConfig.base.parameterCount))
        #expect(KernelConfig.base.kvBytesPerToken == 2 * 8 * 4 * 64 * 4)
    }

    @Test func logitsAreFiniteAndNotDegenerate() {
        let k = TransformerKernel(config: .tiny, seed: 1)
        let out = k.prefill(batch: [(seqId: 0, tokens: Self.tokens(10, seed: 1))])
        #expect(out.count == 1 && out[0].count == KernelConfig.tiny.vocab)
        #expect(out[0].allSatisfy { $0.isFinite })
        #expect(out[0].map(abs).max()! > 1e-3)
        #expect(k.cachedTokens(seqId: 0) == 10)
    }

    @Test func sameSeedSameModelOtherSeedOtherModel() {
        let t = Self.tokens(5, seed: 2)
        let a = TransformerKernel(config: .tiny, seed: 9).prefill(batch: [(seqId: 0, tokens: t)])[0]
        let b = TransformerKernel(config: .tiny, seed: 9).prefill(batch: [(seqId: 0, tokens: t)])[0]
        let c = TransformerKernel(config: .tiny, seed: 10).prefill(batch: [(seqId: 0, tokens: t)])[0]
        #expect(a == b)
        #expect(!Self.agree(a, c))
    }

    @Test func cachedDecodeEqualsFullRecompute() {
        let t = Self.tokens(40, seed: 3)
        let k = TransformerKernel(config: .tiny, seed: 4)
        var incremental = k.prefill(batch: [(seqId: 1, tokens: Array(t[0..<4]))])
        for i in 4..<t.count { incremental += k.decode(batch: [(seqId: 1, token: t[i])]) }
        let full = k.forward([(seqId: 2, tokens: t)], allPositions: true)
        #expect(full.count == t.count)
        for (i, logits) in incremental.enumerated() {
            #expect(Self.relativeError(logits, full[i + 3]) <= Self.tolerance, "position \(i + 3)")
        }
    }

    @Test func causalMaskingLaterTokensDoNotChangeEarlierLogits() {
        let t = Self.tokens(33, seed: 5)
        let k = TransformerKernel(config: .tiny, seed: 6)
        let short = k.forward([(seqId: 1, tokens: Array(t[0..<20]))], allPositions: true)
        let long = k.forward([(seqId: 2, tokens: t)], allPositions: true)
        for i in 0..<20 { #expect(Self.relativeError(long[i], short[i]) <= Self.tolerance, "position \(i)") }
        // And the future does change: the last logits differ from any prefix's.
        #expect(!Self.agree(long[32], long[19]))
    }

    @Test func batchingDoesNotChangeLogits() {
        let k = TransformerKernel(config: .tiny, seed: 7)
        let prompts = [Self.tokens(9, seed: 11), Self.tokens(17, seed: 12), Self.tokens(3, seed: 13)]
        let alone = prompts.enumerated().map { k.prefill(batch: [(seqId: 100 + $0, tokens: $1)])[0] }
        let batched = k.prefill(batch: prompts.enumerated().map { (seqId: $0, tokens: $1) })
        for i in prompts.indices { #expect(Self.relativeError(batched[i], alone[i]) <= Self.tolerance, "prefill seq \(i)") }
        for step in 0..<5 {
            let next: [Int32] = [Int32(step), Int32(50 + step), Int32(200 + step)]
            let aloneDecode = next.enumerated().map { k.decode(batch: [(seqId: 100 + $0, token: $1)])[0] }
            let batchDecode = k.decode(batch: next.enumerated().map { (seqId: $0, token: $1) })
            for i in next.indices { #expect(Self.relativeError(batchDecode[i], aloneDecode[i]) <= Self.tolerance, "decode step \(step) seq \(i)") }
        }
    }

    @Test func chunkedPrefillEqualsOneShot() {
        let t = Self.tokens(30, seed: 14)
        let k = TransformerKernel(config: .tiny, seed: 8)
        let oneShot = k.prefill(batch: [(seqId: 1, tokens: t)])[0]
        _ = k.prefill(batch: [(seqId: 2, tokens: Array(t[0..<7]))])
        _ = k.prefill(batch: [(seqId: 2, tokens: Array(t[7..<18]))])
        let chunked = k.prefill(batch: [(seqId: 2, tokens: Array(t[18..<30]))])[0]
        #expect(k.cachedTokens(seqId: 2) == 30)
        #expect(Self.relativeError(chunked, oneShot) <= Self.tolerance)
        let d = k.decode(batch: [(seqId: 1, token: 5), (seqId: 2, token: 5)])
        #expect(Self.relativeError(d[1], d[0]) <= Self.tolerance)
    }

    @Test func mixedStepEqualsSeparateSteps() {
        let k = TransformerKernel(config: .tiny, seed: 15)
        let a = Self.tokens(12, seed: 16), b = Self.tokens(8, seed: 17)
        _ = k.prefill(batch: [(seqId: 1, tokens: a), (seqId: 11, tokens: a)])
        let mixed = k.step(prefill: [(seqId: 2, tokens: b)], decode: [(seqId: 1, token: 3)])
        let separateP = k.prefill(batch: [(seqId: 12, tokens: b)])[0]
        let separateD = k.decode(batch: [(seqId: 11, token: 3)])[0]
        #expect(Self.relativeError(mixed[0], separateP) <= Self.tolerance)
        #expect(Self.relativeError(mixed[1], separateD) <= Self.tolerance)
    }

    @Test func releaseFreesTheCache() {
        let k = TransformerKernel(config: .tiny, seed: 1)
        _ = k.prefill(batch: [(seqId: 3, tokens: [1, 2, 3])])
        #expect(k.kvAllocatedBytes > 0)
        k.release(seqId: 3)
        #expect(k.cachedTokens(seqId: 3) == 0)
        #expect(k.kvAllocatedBytes == 0)
    }
}
