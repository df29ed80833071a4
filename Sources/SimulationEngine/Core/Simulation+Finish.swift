import ServingModel

/// The end of an attempt: the attempt observers see it, the client may retry it, else the request
/// is recorded (core metrics and time series, then every `RecordSink`); the pool and the system
/// let go of it.
extension Simulation {
    /// Ends a request's attempt. A non-completed attempt is retried when the class's retry policy
    /// allows another; otherwise the request's final outcome is recorded (latencies from the
    /// client's first send). `holdSlot`: a queue or batch still holds the slot (a cancellation),
    /// which then frees it when it drops the request. `deliveryDelay`: seconds until the client
    /// sees the last token (the engine's output processing and streaming, `EnginePipeline`).
    func finish(_ slot: Int32, _ outcome: Outcome, holdSlot: Bool = false, deliveryDelay: Double = 0) {
        var outcome = outcome
        if !features.attemptObservers.isEmpty {
            let r = requests.slots[Int(slot)]
            // Attempts the gateway served never reached a pool.
            if r.routed || outcome == .rejected {
                for observer in features.attemptObservers { outcome = observer.attemptEnded(slot, outcome, self) }
            }
        }
        // With regions the response still travels half an RTT to the client.
        if outcome == .completed, let regions = features.regions, regions.deferDelivery(slot, after: deliveryDelay, self) { return }
        let r = requests.slots[Int(slot)]
        let now = events.now
        let end = now + deliveryDelay
        let classIndex = Int(r.classIndex)
        if outcome != .completed, let clients = features.clients, clients.retryIfAllowed(r, self) {
            // a new attempt of the same request is on its way
        } else {
            var record = RequestRecord(classIndex: classIndex, outcome: outcome, arrival: r.firstArrival, end: end,
                                       queueWait: 0, ttft: 0, tpot: 0, e2e: end - r.firstArrival,
                                       promptTokens: Int(r.promptTokens), outputTokens: Int(r.outputTokens),
                                       pool: Int(r.pool))
            if outcome == .completed {
                // Time in the scheduler's queue: from reaching the pool (after the request overhead,
                // which an attempt pays at its class's pool, before a degradation ladder may move it).
                record.queueWait = r.firstScheduled - r.arrival - reachDelay(r)
                record.ttft = r.firstToken - r.firstArrival
                record.tpot = r.outputTokens > 1 ? (record.e2e - record.ttft) / Double(r.outputTokens - 1) : 0
                record.schemaViolation = r.schemaViolation
                record.safetyFlag = r.safetyFlag
            }
            metrics.record(record)
            series.record(record)
            if !features.sinks.isEmpty {
                for sink in features.sinks { sink.record(record, of: r, self) }
            }
            recordObserver?(record)
            if r.firstArrival >= scenario.warmup {
                measuredInFlight -= 1
                measuredInFlightByClass[classIndex] -= 1
            }
        }
        executor?.release(sequence: Int(slot))
        if r.routed {
            let p = Int(r.pool)
            // What the client saw of the pool: a failure or a timeout counts against it.
            features.breakers?.record(pool: p, success: outcome == .completed, at: now)
            leavePool(p)
        }
        if r.routed { features.limits?.released(r) }
        changeInSystem(by: -1)
        if holdSlot {
            requests.slots[Int(slot)].cancelled = true
        } else {
            requests.remove(slot)
        }
    }

    /// Drops a cancelled request a queue or batch still held, freeing its slot.
    func dropCancelled(_ slot: Int32) {
        requests.remove(slot)
    }

    /// A request stops counting in pool `p` (it ended, or moved on): the in-pool integral, and the
    /// idle clock when the pool is now empty (for scale to zero).
    func leavePool(_ p: Int) {
        pools[p].inPool.add(-1, at: events.now)
        if pools[p].inPool.value == 0 { pools[p].idleSince = events.now }
    }

    /// Changes pool `p`'s waiting count and its time integral (for the queue-depth metric).
    func changeQueued(_ p: Int, by delta: Int) {
        pools[p].changeQueued(by: delta, at: events.now)
    }

    func changeInSystem(by delta: Int) {
        let now = events.now
        inSystemArea += Double(inSystem) * (now - inSystemSince)
        inSystemSince = now
        inSystem += delta
    }

    /// Adds a replica's busy time from `busySince` to `time`, clipped to the measured span.
    func addBusy(_ replica: Replica, until time: Double) {
        let from = max(replica.busySince, scenario.warmup)
        if time > from { replica.busySeconds += time - from }
        if time > replica.busySince { replica.busyUnclipped += time - replica.busySince }
        replica.busySince = time
    }
}
