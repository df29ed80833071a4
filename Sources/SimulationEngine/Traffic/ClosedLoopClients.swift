import ServingModel

/// Closed-loop clients (`ClosedLoopSpec`): per class, `concurrency` clients send at time 0; each
/// record of the class (the request's final outcome) makes its client send the next request a
/// think time after the client saw the end, until the class has sent `requests` or the
/// scenario's duration is reached. Requests enter as arrivals do (`Simulation.enter`), reaching
/// their pool the request overhead after the send.
///
/// Invariant: per class, requests in the system plus sends pending <= concurrency.
final class ClosedLoopClients: RecordSink, Controller {
    private struct Loop {
        let classIndex: Int
        let spec: ClosedLoopSpec
        let think: RandomStream
        var sent = 0
    }

    /// Per class: its loop's index in `loops`, -1 for open-loop classes.
    private let loopOf: [Int]
    private var loops: [Loop]
    /// Sends scheduled and not yet made: (class, draw) by ticket.
    private var tickets: [(classIndex: Int, draw: ArrivalDraw)?] = []
    private var freeTickets: [Int] = []
    /// Sends scheduled and not yet made, all classes.
    private(set) var pendingSends = 0
    /// Every class is a closed loop: the run ends when the last request does, not at the duration.
    let coversEveryClass: Bool

    /// Nil when no class is a closed loop.
    init?(scenario: Scenario) {
        var loopOf = [Int](repeating: -1, count: scenario.classes.count)
        var loops: [Loop] = []
        for (c, spec) in scenario.classes.enumerated() {
            guard let closed = spec.arrivals.closedLoop else { continue }
            loopOf[c] = loops.count
            loops.append(Loop(classIndex: c, spec: closed, think: RandomStream(seed: scenario.seed, name: "think/\(spec.name)")))
        }
        guard !loops.isEmpty else { return nil }
        coversEveryClass = loops.count == scenario.classes.count
        self.loopOf = loopOf
        self.loops = loops
    }

    /// Every client sends its first request at time 0.
    func start(_ sim: Simulation) {
        for l in loops.indices {
            for _ in 0..<min(loops[l].spec.concurrency, loops[l].spec.requests) { schedule(loop: l, at: 0, sim) }
        }
    }

    /// A request of a closed-loop class ended for good: its client thinks, then sends the next.
    func record(_ record: RequestRecord, of request: RequestState, _ sim: Simulation) {
        let l = loopOf[record.classIndex]
        guard l >= 0, loops[l].sent < loops[l].spec.requests else { return }
        schedule(loop: l, at: record.end + loops[l].spec.thinkTime.sample(loops[l].think), sim)
    }

    /// Draws the request sent at `time` and schedules its entry (none at or after the duration).
    private func schedule(loop l: Int, at time: Double, _ sim: Simulation) {
        guard time < sim.scenario.duration else { return }
        loops[l].sent += 1
        let c = loops[l].classIndex
        let draw = sim.arrivalSources[c].drawSend(at: time)
        let ticket: Int
        if let free = freeTickets.popLast() {
            tickets[free] = (c, draw)
            ticket = free
        } else {
            tickets.append((c, draw))
            ticket = tickets.count - 1
        }
        pendingSends += 1
        let overhead = sim.arrivesAtSend[c] ? 0 : sim.pools[sim.scenario.classPools[c]].requestOverhead
        sim.events.schedule(at: time + overhead, .clientSend, target: ticket)
    }

    /// The send of `ticket` happens: the request enters the system.
    func send(ticket: Int, _ sim: Simulation) {
        guard let (c, draw) = tickets[ticket] else { return }
        tickets[ticket] = nil
        freeTickets.append(ticket)
        pendingSends -= 1
        sim.enter(draw, classIndex: c)
    }
}
