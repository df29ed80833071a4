import ServingModel

/// Arrivals: each class's requests enter one by one (the next is drawn when the current one
/// arrives), and attempts held back until an instant come back through `forward`.
extension Simulation {
    /// Schedules class `classIndex`'s pending draw: at its send time when something must see the
    /// send (`arrivesAtSend`), else when it reaches its pool, the pool's request overhead later.
    func scheduleArrival(_ classIndex: Int) {
        guard let draw = pendingDraws[classIndex] else { return }
        let overhead = arrivesAtSend[classIndex] ? 0 : pools[scenario.classPools[classIndex]].requestOverhead
        events.schedule(at: draw.time + overhead, .arrival, target: classIndex)
    }

    /// A request of `classIndex` arrives: the class's next one is drawn, this one gets its state
    /// (its prefix chain and client region when those features run) and goes to the gateway or
    /// straight to admission.
    func handleArrival(classIndex: Int) {
        guard let draw = pendingDraws[classIndex] else { return }
        pendingDraws[classIndex] = arrivalSources[classIndex].next()
        scheduleArrival(classIndex)
        enter(draw, classIndex: classIndex)
    }

    /// A request drawn for `classIndex` (by its arrival process or a closed-loop client) enters:
    /// it gets its state and goes to the gateway or straight to admission.
    func enter(_ draw: ArrivalDraw, classIndex: Int) {
        let p = scenario.classPools[classIndex]
        var state = RequestState(
            classIndex: Int32(classIndex), pool: Int32(p), promptTokens: Int32(draw.promptTokens),
            outputTokens: Int32(draw.outputTokens), prefillTarget: Int32(draw.promptTokens),
            requestedOutput: Int32(draw.outputTokens), arrival: draw.time,
            serviceQuantile: serviceStreams[classIndex].uniformPositive())
        state.firstArrival = draw.time
        if let chains = features.chains { state.prefixChain = chains.add(classIndex: classIndex, draw: draw) }
        if let regions = features.regions { state.origin = regions.drawOrigin(classIndex) }
        if draw.time >= scenario.warmup {
            measuredArrived += 1
            measuredInFlight += 1
            measuredArrivedByClass[classIndex] += 1
            measuredInFlightByClass[classIndex] += 1
        }
        if let gateway = features.gateway, gateway.atGateway[classIndex] {
            gateway.arrive(state, self)
        } else {
            admit(state)
        }
    }

    /// Holds an attempt (a retry, a first try the gateway passes on, an attempt on its way to a
    /// region) and admits it at `time`.
    func forward(_ state: RequestState, at time: Double) {
        let index: Int
        if let free = freeForwardTickets.popLast() {
            forwardTickets[free] = state
            index = free
        } else {
            forwardTickets.append(state)
            index = forwardTickets.count - 1
        }
        events.schedule(at: time, .forward, target: index)
    }

    func handleForward(ticket index: Int) {
        guard let state = forwardTickets[index] else { return }
        forwardTickets[index] = nil
        freeForwardTickets.append(index)
        admit(state)
    }
}
