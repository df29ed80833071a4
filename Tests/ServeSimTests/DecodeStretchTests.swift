import Testing
import ServeSim

@Suite struct DecodeStretchTests {
    /// Naive step-by-step sum, the definition the closed form must reproduce.
    func naive(_ s: DecodeStretch, _ k: Int) -> Double {
        var total = 0.0
        for j in 1...max(k, 1) where k > 0 { total += s.stepTime(j) }
        return total
    }

    @Test(arguments: [
        DecodeCost(a: 0.005, b: 1e-7),                              // single line
        DecodeCost(a1: 0.004, b1: 2e-7, a2: 0.006, b2: 5e-8),      // memory line first, compute later
        DecodeCost(a1: 0.008, b1: 0, a2: 0.002, b2: 3e-7),         // crossing from the flat line
        DecodeCost(a1: 0.001, b1: 1e-6, a2: 0.009, b2: 1e-6),      // parallel lines
    ])
    func closedFormMatchesStepByStepSum(cost: DecodeCost) {
        for (batch, context) in [(1, 0), (7, 1234), (64, 80_000), (256, 10)] {
            let s = DecodeStretch(start: 3.5, batch: batch, initialContext: context, cost: cost)
            for k in [0, 1, 2, 3, 17, 100, 1000, 4096] {
                let exact = naive(s, k)
                let closed = s.cumulative(k)
                #expect(abs(closed - exact) <= 1e-12 * max(1, exact), "k=\(k) batch=\(batch): \(closed) vs \(exact)")
            }
        }
    }

    @Test func stepsCompletedInvertsEndOfStep() {
        let s = DecodeStretch(start: 10, batch: 32, initialContext: 5000,
                              cost: DecodeCost(a1: 0.004, b1: 2e-7, a2: 0.006, b2: 5e-8))
        for k in [0, 1, 5, 99, 500] {
            let t = s.endOfStep(k)
            #expect(s.stepsCompleted(by: t, limit: 1000) == k)
            if k > 0 { #expect(s.stepsCompleted(by: t.nextDown, limit: 1000) == k - 1) }
        }
        #expect(s.stepsCompleted(by: 1e9, limit: 42) == 42)
        #expect(s.stepsCompleted(by: 9.0, limit: 42) == 0)
    }
}
