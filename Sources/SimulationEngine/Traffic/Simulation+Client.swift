import ServingModel
/// Clients: timeouts and retries with backoff (the admission checks themselves, token buckets and
/// the in-flight token budget, are `rejection` in `Simulation+Gateway`). Retries are new attempts of the same request: they load the pools
/// like new arrivals (a retry storm shows in the time series and counts) but the request is
/// recorded once, with its final outcome, from its first send.
extension Simulation {
    /// A request waiting to be retried.
    struct RetryTicket {
        var state: RequestState
    }

    func scheduleRetry(of r: RequestState, after backoff: Double) {
        var next = r
        next.attempt += 1
        next.arrival = events.now + backoff
        next.generated = 0
        next.prefilled = 0
        next.prefillTarget = next.promptTokens
        next.heldBlocks = 0
        next.chunkInFlight = 0
        next.firstScheduled = -1
        next.firstToken = -1
        next.replica = -1
        next.routed = false
        next.cancelled = false
        next.home = -1  // the geo router routes each attempt afresh
        retries += 1
        series.retry(at: events.now)
        forward(next, at: next.arrival + (regionRun != nil ? 0 : pools[scenario.classPools[Int(r.classIndex)]].requestOverhead))
    }

    /// Holds an attempt (a retry, or a first try the gateway passes on to its pool) in a ticket and
    /// admits it at `time`.
    func forward(_ state: RequestState, at time: Double) {
        let index: Int
        if let free = freeRetryTickets.popLast() {
            retryTickets[free] = RetryTicket(state: state)
            index = free
        } else {
            retryTickets.append(RetryTicket(state: state))
            index = retryTickets.count - 1
        }
        events.schedule(at: time, kind: EventKind.retry, target: index)
    }

    func handleRetry(ticket index: Int) {
        guard let ticket = retryTickets[index] else { return }
        retryTickets[index] = nil
        freeRetryTickets.append(index)
        admit(ticket.state)
    }

    /// The client gave up waiting. The request is recorded (or retried) now; the replica or queue
    /// holding it drops it at its next step boundary.
    func handleTimeout(slot: Int32, generation: UInt32) {
        let r = requests.slots[Int(slot)]
        guard r.generation == generation, !r.cancelled else { return }
        timeouts += 1
        finish(slot, .timedOut, holdSlot: true)
        if r.replica >= 0 {
            let replica = replicas[Int(r.replica)]
            // A decode stretch must end at the next step so the batch drops the request.
            if replica.work == .decode && replica.running.contains(slot) { interrupt(replica) }
        }
    }

    /// Drops a cancelled request a queue or batch still held, freeing its slot.
    func dropCancelled(_ slot: Int32) {
        requests.remove(slot)
    }
}
