/// What a serving engine does around its GPU steps, and when the client sees a token.
///
/// vLLM V1 (`vllm/v1/engine/core.py`, `step_with_batch_queue`) keeps up to two batches in flight
/// when async scheduling is on: step N+1 is scheduled and launched before step N's outputs are
/// processed, so
/// - a request that reaches the queue during step N is first scheduled when N ends, into step
///   N+2 (step N+1 was planned when N started): up to about one step later than a synchronous
///   engine would take it;
/// - the CPU work of a step (scheduling, input preparation, output processing) overlaps the next
///   GPU step, which then lasts at least as long as that CPU work.
/// A synchronous engine adds its CPU work to every step. A token reaches the client
/// `deliveryDelay` after its step ends: the step's output processing (async only: a synchronous
/// step already ended with it), then detokenisation and streaming. TTFT and E2E are measured at the client.
///
/// Units: seconds. `none` (the Swift default) is an engine with no CPU cost and no lag, which
/// times exactly as ServeSim did before the pipeline was modelled.
public struct EnginePipeline: Sendable, Equatable {
    /// Step N+1 is planned while step N runs (vLLM V1 `--async-scheduling`).
    public var asyncScheduling: Bool
    /// CPU seconds per step: `cpuPerStep + cpuPerSequence * sequences in the step`.
    public var cpuPerStep: Double
    public var cpuPerSequence: Double
    /// From a token's output processing to the client: detokenisation and the streamed response.
    public var streamingDelay: Double

    public init(asyncScheduling: Bool, cpuPerStep: Double = 0, cpuPerSequence: Double = 0, streamingDelay: Double = 0) {
        self.asyncScheduling = asyncScheduling
        self.cpuPerStep = cpuPerStep
        self.cpuPerSequence = cpuPerSequence
        self.streamingDelay = streamingDelay
    }

    /// No CPU cost, no scheduling lag, tokens seen when their step ends.
    public static let none = EnginePipeline(asyncScheduling: false)

    /// vLLM V1 as served by `vllm serve` (the scenario format's default): async scheduling on (the
    /// default since vLLM PR #27614; implemented in PR #19970). CPU per step: 0.1 ms plus 0.01 ms
    /// per sequence, an assumption scaled from vLLM issue 6913 (V0 output processing of Llama-3-70B
    /// on 4 H100s: 0.2 ms at batch 1, 3.4 ms at batch 32, i.e. 0.1 ms + 0.1 ms per sequence) by the
    /// tenfold smaller per-sequence cost V1's separate output process was built for; under async
    /// scheduling it only delays delivery and rarely bounds a step. No separate streaming delay:
    /// detokenisation and streaming are in the request overhead fitted on client-side TTFT
    /// (`RooflineModel.defaultRequestOverhead`), since only their sum shows in TTFT.
    public static let vllmV1 = EnginePipeline(asyncScheduling: true, cpuPerStep: 0.0001, cpuPerSequence: 0.00001,
                                              streamingDelay: 0)

    /// CPU seconds of a step over `sequences` sequences.
    @inline(__always) public func cpuTime(sequences: Int) -> Double { cpuPerStep + cpuPerSequence * Double(sequences) }

    /// Seconds from the end of a step over `sequences` sequences to the client seeing its tokens:
    /// async engines process a step's outputs while the next step runs, so its CPU work comes
    /// after the step; synchronous ones did it inside the step (`stepTime(gpu:sequences:)`).
    @inline(__always) public func deliveryDelay(sequences: Int) -> Double {
        (asyncScheduling ? cpuTime(sequences: sequences) : 0) + streamingDelay
    }

    /// In words, for reports: "async scheduling, CPU 0.1 ms + 0.01 ms per sequence per step".
    public var summary: String {
        if self == .none { return "no engine costs (tokens seen when their step ends)" }
        func ms(_ s: Double) -> String {
            var t = String(format: "%.3f", s * 1e3)
            while t.hasSuffix("0") { t.removeLast() }
            if t.hasSuffix(".") { t.removeLast() }
            return t + " ms"
        }
        var text = (asyncScheduling ? "async scheduling" : "synchronous scheduling")
            + ", CPU \(ms(cpuPerStep)) + \(ms(cpuPerSequence)) per sequence per step"
        if streamingDelay > 0 { text += ", streaming \(ms(streamingDelay))" }
        return text
    }

    /// Whether steps need the CPU time added or overlapped.
    public var hasCPUCost: Bool { cpuPerStep > 0 || cpuPerSequence > 0 }

    /// A step's duration from its GPU time: synchronous engines add the CPU work, async ones
    /// overlap it (`max`).
    @inline(__always) public func stepTime(gpu: Double, sequences: Int) -> Double {
        let cpu = cpuTime(sequences: sequences)
        return asyncScheduling ? max(gpu, cpu) : gpu + cpu
    }

    /// A decode batch's cost with the CPU work: added to both lines (synchronous) or made the
    /// floor (async), so a stretch stays in closed form.
    @inline(__always) public func decodeCost(_ gpu: DecodeCost, batch: Int) -> DecodeCost {
        var cost = gpu
        let cpu = cpuTime(sequences: batch)
        if asyncScheduling {
            cost.floor = max(cost.floor, cpu)
        } else {
            cost.a1 += cpu
            cost.a2 += cpu
            if cost.floor > 0 { cost.floor += cpu }
        }
        return cost
    }
}
