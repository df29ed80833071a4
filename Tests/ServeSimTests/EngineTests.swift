import Testing
import ServeSim

@Suite struct EventQueueTests {
    @Test func ordersByTimeThenInsertion() {
        var q = EventQueue()
        q.schedule(at: 2, .arrival, target: 1)
        q.schedule(at: 1, .arrival, target: 2)
        q.schedule(at: 2, .arrival, target: 3)
        q.schedule(at: 1, .arrival, target: 4)
        var order: [Int] = []
        while let e = q.next() { order.append(e.target) }
        #expect(order == [2, 4, 1, 3])
        #expect(q.processed == 4)
        #expect(q.now == 2)
    }

    @Test func heapMatchesSortOnManyEvents() {
        let rng = RandomStream(seed: 7, name: "heap")
        var q = EventQueue()
        var expected: [(Double, Int)] = []
        for i in 0..<5000 {
            let t = Double(rng.uniformInt(100))  // many ties
            q.schedule(at: t, .arrival, target: i)
            expected.append((t, i))
        }
        expected.sort { $0.0 < $1.0 || ($0.0 == $1.0 && $0.1 < $1.1) }
        var got: [Int] = []
        while let e = q.next() { got.append(e.target) }
        #expect(got == expected.map(\.1))
    }
}

@Suite struct RandomStreamTests {
    @Test func sameSeedAndNameGiveSameNumbers() {
        let a = RandomStream(seed: 42, name: "arrivals/chat")
        let b = RandomStream(seed: 42, name: "arrivals/chat")
        for _ in 0..<100 { #expect(a.uniformPositive() == b.uniformPositive()) }
    }

    @Test func namesAndSeedsSeparateStreams() {
        let a = RandomStream(seed: 42, name: "arrivals/chat")
        let b = RandomStream(seed: 42, name: "arrivals/batch")
        let c = RandomStream(seed: 43, name: "arrivals/chat")
        let xa = (0..<8).map { _ in a.uniformPositive() }
        #expect(xa != (0..<8).map { _ in b.uniformPositive() })
        #expect(xa != (0..<8).map { _ in c.uniformPositive() })
    }
}
