import ServingModel
/// The requests of one class, generated lazily in nondecreasing time order.
///
/// Synthetic processes keep O(1) state (no pre-generated arrays). Each purpose draws from its own
/// stream, seeded from (scenario seed, name): `arrivals/<class>` for times, `prompt/<class>` and
/// `output/<class>` for token counts, so classes never share numbers and a change to one class's
/// lengths never moves another class's (or its own) arrival times.
///
/// - Poisson: exponential gaps with mean 1 / rate.
/// - Gamma: gamma gaps with shape 1 / cv^2 and scale cv^2 / rate (mean 1 / rate, CV `cv`).
/// - Schedule: non-homogeneous Poisson with a piecewise-constant rate. A gap drawn at rate r that
///   crosses a step boundary is discarded and the process restarts at the boundary with the next
///   rate (exact, by memorylessness); a step with rate 0 has no arrivals.
/// - Trace: the records' times relative to the first record, multiplied by `timeScale`; tokens
///   (and Mooncake hash ids) come from the records.
/// - Sessions (a synthetic class with `sessions`): the process above gives session starts, and
///   `SessionGenerator` turns them into multi-turn conversations (see `SessionSpec`).
/// - Closed loop: no arrivals of its own; `ClosedLoopClients` sends, drawing each request's
///   lengths with `drawSend`.
///
/// The first arrival is one gap after time 0 (trace: at 0). `next()` returns nil once the next
/// arrival would be at or after `duration` (traces: also at the end of the records), and keeps
/// returning nil.
public final class ClassArrivals {
    public let spec: RequestClassSpec
    /// Seconds; arrivals at or after this time are not generated.
    public let duration: Double

    private enum Process {
        case poisson(meanGap: Double)
        case gamma(shape: Double, scale: Double)
        case schedule(steps: [RateStep], index: Int)
        case trace(records: [TraceRecord], index: Int, origin: Double, scale: Double)
        /// Sends come from `ClosedLoopClients` (`drawSend`); `next()` has none.
        case closedLoop
    }

    private var process: Process
    private var now = 0.0
    private var done = false
    private let arrivals: RandomStream
    private let prompt: LengthSampler
    private let output: LengthSampler
    /// Shared prompt prefixes (stream `prefix/<class>`; only a class with `sharedPrefix` opens it).
    private let sharedPrefix: SharedPrefixSampler?
    /// Multi-turn sessions (streams `sessions/<class>/...`; only a class with `sessions` opens them).
    private let sessions: SessionGenerator?

    /// - Parameters:
    ///   - spec: a validated class (rates > 0, cv > 0, schedule sorted and starting at 0).
    ///   - seed: the scenario seed; stream names add the class name.
    ///   - duration: seconds of arrivals (may be `.infinity`).
    ///   - trace: the records of a trace class (`WorkloadParser.loadTraces`); ignored otherwise.
    public init(spec: RequestClassSpec, seed: UInt64, duration: Double, trace: [TraceRecord] = []) {
        self.spec = spec
        self.duration = duration
        arrivals = RandomStream(seed: seed, name: "arrivals/\(spec.name)")
        prompt = LengthSampler(spec.promptTokens, stream: RandomStream(seed: seed, name: "prompt/\(spec.name)"))
        output = LengthSampler(spec.outputTokens, stream: RandomStream(seed: seed, name: "output/\(spec.name)"))
        sharedPrefix = spec.sharedPrefix.map { SharedPrefixSampler($0, className: spec.name, seed: seed) }
        if let sessionSpec = spec.sessions, !spec.arrivals.isTrace {
            sessions = SessionGenerator(sessionSpec, className: spec.name, seed: seed, duration: duration,
                                        prompt: prompt, output: output, sharedPrefix: sharedPrefix)
        } else {
            sessions = nil
        }
        switch spec.arrivals {
        case .poisson(let rate):
            precondition(rate > 0 && rate.isFinite, "poisson rate must be positive")
            process = .poisson(meanGap: 1 / rate)
        case .gamma(let rate, let cv):
            precondition(rate > 0 && rate.isFinite && cv > 0 && cv.isFinite, "gamma rate and cv must be positive")
            process = .gamma(shape: 1 / (cv * cv), scale: cv * cv / rate)
        case .schedule(let steps):
            precondition(!steps.isEmpty && steps[0].start == 0, "schedule must start at 0")
            process = .schedule(steps: steps, index: 0)
        case .trace(let traceSpec):
            process = .trace(records: trace, index: 0, origin: trace.first?.time ?? 0, scale: traceSpec.timeScale)
        case .closedLoop:
            process = .closedLoop
            done = true
        }
    }

    /// A closed-loop client's request sent at `time`: token counts drawn from the class's streams
    /// (and its shared prefix), in send order.
    public func drawSend(at time: Double) -> ArrivalDraw {
        var draw = ArrivalDraw(time: time, promptTokens: prompt.sample(), outputTokens: output.sample())
        if let sharedPrefix {
            draw.promptTokens += sharedPrefix.spec.tokens
            draw.hashIds = sharedPrefix.draw().hashIds
        }
        return draw
    }

    /// The next request of this class, or nil when there are no more before `duration`.
    public func next() -> ArrivalDraw? {
        if done { return nil }
        if let sessions {
            guard let draw = sessions.next(startTime: { self.nextSyntheticTime() }) else { return finish() }
            return draw
        }
        if case .trace(let records, let index, let origin, let scale) = process {
            guard index < records.count else { return finish() }
            let record = records[index]
            process = .trace(records: records, index: index + 1, origin: origin, scale: scale)
            now = (record.time - origin) * scale
            guard now < duration else { return finish() }
            return ArrivalDraw(time: now, promptTokens: record.promptTokens,
                               outputTokens: record.outputTokens, hashIds: record.hashIds)
        }
        guard let time = nextSyntheticTime() else { return finish() }
        return drawSend(at: time)
    }

    /// The next time of a synthetic process (poisson, gamma, schedule), or nil when it is at or
    /// after `duration` (or a schedule has no more arrivals). Not for traces.
    private func nextSyntheticTime() -> Double? {
        switch process {
        case .poisson(let meanGap):
            now += arrivals.exponential(mean: meanGap)
        case .gamma(let shape, let scale):
            now += arrivals.gamma(shape: shape, scale: scale)
        case .schedule(let steps, var index):
            guard let t = nextScheduled(steps, &index) else { return nil }
            process = .schedule(steps: steps, index: index)
            now = t
        case .trace, .closedLoop:
            return nil
        }
        return now < duration ? now : nil
    }

    /// Sessions started, turns sent, and sessions ended by the context cap so far (nil: the class
    /// has no sessions).
    public var sessionCounts: (started: Int, turns: Int, capped: Int)? {
        sessions.map { ($0.sessionsStarted, $0.turnsSent, $0.sessionsCapped) }
    }

    /// Next arrival time of the piecewise-constant Poisson process after `now`, or nil if none.
    private func nextScheduled(_ steps: [RateStep], _ index: inout Int) -> Double? {
        var t = now
        while t < duration {
            let end = index + 1 < steps.count ? steps[index + 1].start : Double.infinity
            let rate = steps[index].rate
            if rate > 0 {
                let candidate = t + arrivals.exponential(mean: 1 / rate)
                if candidate < end { return candidate }
            }
            guard end.isFinite else { return nil }  // last step, rate 0: nothing more ever arrives
            t = end
            index += 1
        }
        return nil
    }

    private func finish() -> ArrivalDraw? {
        done = true
        return nil
    }
}
