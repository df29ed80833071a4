import Foundation
import Testing
import ServeSim

// MARK: Helpers

private func times(_ arrivals: ClassArrivals) -> [Double] {
    var result: [Double] = []
    while let draw = arrivals.next() { result.append(draw.time) }
    return result
}

private func meanAndCV(_ xs: [Double]) -> (mean: Double, cv: Double) {
    let mean = xs.reduce(0, +) / Double(xs.count)
    let variance = xs.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(xs.count - 1)
    return (mean, variance.squareRoot() / mean)
}

private func gaps(_ ts: [Double]) -> [Double] { zip(ts.dropFirst(), ts).map { $0 - $1 } }

private func synthetic(_ arrivals: ArrivalSpec, name: String = "chat",
                       prompt: LengthDistribution = .fixed(100), output: LengthDistribution = .fixed(10)) -> RequestClassSpec {
    RequestClassSpec(name: name, tenant: "default", arrivals: arrivals, promptTokens: prompt, outputTokens: output)
}


/// ../shared/data next to the repository (the repo root is two levels above this file's folder).
private let sharedData = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("shared/data")

private func traceErrors(_ text: String, format: TraceSpec.Format, file: String = "trace.csv") -> [Diagnostic] {
    do {
        _ = try TraceReader.parse(Data(text.utf8), file: file, format: format)
        return []
    } catch {
        return error.diagnostics
    }
}

// MARK: Arrival processes

@Suite struct WorkloadArrivalTests {
    @Test func poissonCountAndGapCV() {
        let rate = 50.0, duration = 2000.0
        let ts = times(ClassArrivals(spec: synthetic(.poisson(rate: rate)), seed: 1, duration: duration))
        let expected = rate * duration
        #expect(abs(Double(ts.count) - expected) < 4 * expected.squareRoot())
        #expect(zip(ts, ts.dropFirst()).allSatisfy { $0 <= $1 })
        #expect(ts.last! < duration)
        let (mean, cv) = meanAndCV(gaps(ts))
        #expect(abs(mean - 1 / rate) / (1 / rate) < 0.02)
        #expect(abs(cv - 1) < 0.02)
    }

    @Test func gammaHasRequestedRateAndCV() {
        let rate = 100.0, duration = 2000.0
        let ts = times(ClassArrivals(spec: synthetic(.gamma(rate: rate, cv: 4)), seed: 2, duration: duration))
        let (mean, cv) = meanAndCV(gaps(ts))
        #expect(abs(mean * rate - 1) < 0.03)
        #expect(abs(cv - 4) / 4 < 0.05, "gap CV \(cv)")
    }

    @Test func gammaWithCVOneLooksPoisson() {
        let ts = times(ClassArrivals(spec: synthetic(.gamma(rate: 20, cv: 1)), seed: 3, duration: 2000))
        #expect(abs(meanAndCV(gaps(ts)).cv - 1) < 0.03)
    }

    @Test func scheduleCountsPerStep() {
        let steps = [RateStep(start: 0, rate: 10), RateStep(start: 100, rate: 0),
                     RateStep(start: 200, rate: 40), RateStep(start: 300, rate: 5)]
        let ts = times(ClassArrivals(spec: synthetic(.schedule(steps: steps)), seed: 4, duration: 400))
        let windows: [(Double, Double, Double)] = [(0, 100, 10), (100, 200, 0), (200, 300, 40), (300, 400, 5)]
        for (start, end, rate) in windows {
            let count = Double(ts.filter { $0 >= start && $0 < end }.count)
            let expected = rate * (end - start)
            #expect(abs(count - expected) <= 4 * max(expected.squareRoot(), 0.5), "[\(start), \(end)): \(count) vs \(expected)")
        }
        #expect(ts.last! < 400)
    }

    @Test func scheduleEndingAtZeroRateStops() {
        let steps = [RateStep(start: 0, rate: 5), RateStep(start: 10, rate: 0)]
        let arrivals = ClassArrivals(spec: synthetic(.schedule(steps: steps)), seed: 5, duration: .infinity)
        let ts = times(arrivals)
        #expect(!ts.isEmpty && ts.last! < 10)
        #expect(arrivals.next() == nil)
    }

    @Test func sameSeedSameSequenceDifferentClassDifferentSequence() {
        let spec = synthetic(.poisson(rate: 10), prompt: .lognormal(mu: 6, sigma: 1), output: .uniform(min: 1, max: 500))
        let a = ClassArrivals(spec: spec, seed: 42, duration: 100)
        let b = ClassArrivals(spec: spec, seed: 42, duration: 100)
        var drawsA: [ArrivalDraw] = []
        while let d = a.next() { drawsA.append(d) }
        var drawsB: [ArrivalDraw] = []
        while let d = b.next() { drawsB.append(d) }
        #expect(drawsA == drawsB)
        #expect(drawsA.count > 800)

        var other = spec
        other.name = "batch"
        let c = ClassArrivals(spec: other, seed: 42, duration: 100)
        #expect(c.next() != drawsA.first)
        let d = ClassArrivals(spec: spec, seed: 43, duration: 100)
        #expect(d.next() != drawsA.first)
    }

    @Test func lengthsDoNotShiftArrivalTimes() {
        // Separate streams per purpose: changing a class's lengths keeps its arrival times.
        let a = times(ClassArrivals(spec: synthetic(.poisson(rate: 10), prompt: .fixed(5)), seed: 9, duration: 50))
        let b = times(ClassArrivals(spec: synthetic(.poisson(rate: 10), prompt: .lognormal(mu: 5, sigma: 1)), seed: 9, duration: 50))
        #expect(a == b)
    }

    @Test func nilAfterDurationAndStaysNil() {
        let arrivals = ClassArrivals(spec: synthetic(.poisson(rate: 1)), seed: 1, duration: 5)
        _ = times(arrivals)
        #expect(arrivals.next() == nil)
        #expect(ClassArrivals(spec: synthetic(.poisson(rate: 1)), seed: 1, duration: 0).next() == nil)
    }

    @Test func traceReplayIsRelativeAndScaled() {
        let records = [TraceRecord(time: 100, promptTokens: 5, outputTokens: 6, hashIds: [1, 2]),
                       TraceRecord(time: 101, promptTokens: 7, outputTokens: 8),
                       TraceRecord(time: 104, promptTokens: 9, outputTokens: 10)]
        let spec = synthetic(.trace(TraceSpec(file: "t.csv", format: .csv, timeScale: 0.5)))
        let arrivals = ClassArrivals(spec: spec, seed: 1, duration: 2, trace: records)
        #expect(arrivals.next() == ArrivalDraw(time: 0, promptTokens: 5, outputTokens: 6, hashIds: [1, 2]))
        #expect(arrivals.next() == ArrivalDraw(time: 0.5, promptTokens: 7, outputTokens: 8))
        #expect(arrivals.next() == nil)  // 2.0 is not before the 2 s duration
        #expect(arrivals.next() == nil)
        let all = ClassArrivals(spec: spec, seed: 1, duration: .infinity, trace: records)
        #expect(times(all) == [0, 0.5, 2])
    }
}

// MARK: Lengths

@Suite struct WorkloadLengthTests {
    @Test func lognormalFitMatchesMeanAndP95() throws {
        let (mu, sigma) = try LognormalFit.parameters(mean: 240, p95: 451)
        #expect(abs(exp(mu + sigma * sigma / 2) - 240) < 1e-9)
        #expect(abs(exp(mu + LognormalFit.z95 * sigma) - 451) < 1e-9)
        #expect(sigma > 0 && sigma < LognormalFit.z95)  // the smaller root
        #expect(abs(LognormalFit.z95 - 1.6448536269514722) < 1e-12)
    }

    @Test func lognormalFitRejectsImpossibleInputs() {
        #expect(throws: LognormalFitError.p95NotAboveMean(mean: 500, p95: 400)) {
            try LognormalFit.parameters(mean: 500, p95: 400)
        }
        #expect(throws: LognormalFitError.notPositive) { try LognormalFit.parameters(mean: 0, p95: 10) }
        // p95/mean above exp(z95^2/2) ~ 3.868 has no lognormal.
        do {
            _ = try LognormalFit.parameters(mean: 1020, p95: 4083)
            Issue.record("expected ratioTooLarge")
        } catch {
            guard case .ratioTooLarge(_, let limit) = error else { Issue.record("got \(error)"); return }
            #expect(abs(limit - 3.868) < 0.001)
            #expect(error.description.contains("give mu and sigma"))
        }
    }

    @Test func lognormalSamplesHaveRequestedMeanAndP95() throws {
        let (mu, sigma) = try LognormalFit.parameters(mean: 1020, p95: 3500)
        let sampler = LengthSampler(.lognormal(mu: mu, sigma: sigma), stream: RandomStream(seed: 11, name: "prompt/test"))
        var xs = (0..<200_000).map { _ in Double(sampler.sample()) }
        let mean = xs.reduce(0, +) / Double(xs.count)
        xs.sort()
        let p95 = xs[Int(0.95 * Double(xs.count))]
        #expect(abs(mean - 1020) / 1020 < 0.02, "mean \(mean)")
        #expect(abs(p95 - 3500) / 3500 < 0.02, "p95 \(p95)")
    }

    @Test func otherDistributionsStayInRange() {
        let stream = RandomStream(seed: 1, name: "prompt/x")
        let uniform = LengthSampler(.uniform(min: 3, max: 7), stream: stream)
        let drawn = Set((0..<2000).map { _ in uniform.sample() })
        #expect(drawn == Set(3...7))
        #expect(LengthSampler(.fixed(0), stream: stream).sample() == 1)  // clamped to >= 1
        let empirical = LengthSampler(.empirical([10, 20, 30]), stream: stream)
        #expect(Set((0..<500).map { _ in empirical.sample() }) == [10, 20, 30])
        let tiny = LengthSampler(.lognormal(mu: -5, sigma: 0.1), stream: stream)
        #expect((0..<100).allSatisfy { _ in tiny.sample() == 1 })
    }
}

// MARK: Trace files

@Suite struct WorkloadTraceTests {
    @Test func azureTimestampVariant() throws {
        let dir = workloadDirectory()
        let path = writeFile("""
            TIMESTAMP,ContextTokens,GeneratedTokens
            2023-11-16 18:15:46.6805900,374,44
            2023-11-16 18:15:47.1805900,396,109
            2023-11-16 18:16:00.0000000,879,0
            2023-11-17 00:00:00,91,16

            """, "azure_ts.csv", in: dir)
        let records = try TraceReader.read(path: path, format: .azure)
        #expect(records.count == 4)
        #expect(records[0] == TraceRecord(time: 0, promptTokens: 374, outputTokens: 44))
        #expect(abs(records[1].time - 0.5) < 1e-9)
        #expect(abs(records[2].time - 13.31941) < 1e-9)
        #expect(records[2].outputTokens == 1)  // 0 output tokens read as 1
        #expect(abs(records[3].time - (5 * 3600 + 44 * 60 + 13.31941)) < 1e-6)
    }

    @Test func azureSecondsVariantWithColumnsInAnyOrderAndCRLF() throws {
        let text = "num_decode_tokens,arrived_at,num_prefill_tokens\r\n44,0.0,374\r\n109,4.3,396\r\n"
        let records = try TraceReader.parse(Data(text.utf8), file: "a.csv", format: .azure)
        #expect(records == [TraceRecord(time: 0, promptTokens: 374, outputTokens: 44),
                            TraceRecord(time: 4.3, promptTokens: 396, outputTokens: 109)])
    }

    @Test func genericCSVSortsOutOfOrderRowsStably() throws {
        let text = "time,prompt_tokens,output_tokens\n1.0,10,1\n0.5,20,2\n1.0,30,3\n"
        let records = try TraceReader.parse(Data(text.utf8), file: "g.csv", format: .csv)
        #expect(records.map(\.promptTokens) == [20, 10, 30])
    }

    @Test func mooncakeLines() throws {
        let text = """
            {"timestamp": 0, "input_length": 1500, "output_length": 500, "hash_ids": [0, 1, 2]}
            {"timestamp": 1500, "input_length": 100, "output_length": 3}

            """
        let records = try TraceReader.parse(Data(text.utf8), file: "m.jsonl", format: .mooncake)
        #expect(records == [TraceRecord(time: 0, promptTokens: 1500, outputTokens: 500, hashIds: [0, 1, 2]),
                            TraceRecord(time: 1.5, promptTokens: 100, outputTokens: 3)])
    }

    @Test func malformedRowsGiveLineNumberedErrors() {
        let errors = traceErrors("time,prompt_tokens,output_tokens\n0,10,5\n1,abc,5\n2,0,5\nx,1,1\n3,4\n", format: .csv)
        #expect(errors.map(\.description) == [
            "trace.csv:3:3: prompt_tokens \"abc\" is not an integer (a positive integer)",
            "trace.csv:4:3: prompt_tokens 0 is out of range (an integer from 1 to 100000000)",
            "trace.csv:5:1: time \"x\" is not a number (seconds)",
            "trace.csv:6:1: has 2 fields (3 fields as in the header)",
        ])
        let mooncake = traceErrors("{\"timestamp\": 0, \"input_length\": \"abc\", \"output_length\": -1}\nnot json\n",
                                   format: .mooncake, file: "m.jsonl")
        #expect(mooncake.map(\.description) == [
            "m.jsonl:1:1: input_length \"abc\" is not an integer (a positive integer)",
            "m.jsonl:1:1: output_length -1 is out of range (an integer from 0 to 100000000)",
            "m.jsonl:2:1: is not a JSON object: unexpected word not (one object per line with timestamp, input_length, output_length)",
        ])
        let azure = traceErrors("TIMESTAMP,ContextTokens,GeneratedTokens\n2023-13-01 00:00:00,1,1\n", format: .azure)
        #expect(azure.first?.position == SourcePosition(line: 2, column: 1))
    }

    @Test func headerAndEmptyAndMissingFileErrors() {
        let header = traceErrors("when,prompt_tokens,output_tokens\n1,2,3\n", format: .csv)
        #expect(header.map(\.description) == ["trace.csv:1:1: header has no time column (time,prompt_tokens,output_tokens)"])
        #expect(traceErrors("time,prompt_tokens,output_tokens\n", format: .csv).map(\.message) == ["contains no requests"])
        #expect(throws: InputError.self) { try TraceReader.read(path: "/nonexistent/trace.csv", format: .csv) }
        do {
            _ = try TraceReader.read(path: "/nonexistent/trace.csv", format: .csv)
        } catch {
            #expect(error.description == "/nonexistent/trace.csv: trace file not found (a path relative to the scenario file's folder, or absolute)")
        }
    }

    @Test func stopsAfterTwentyErrors() {
        let text = "time,prompt_tokens,output_tokens\n" + String(repeating: "0,bad,1\n", count: 50)
        let errors = traceErrors(text, format: .csv)
        #expect(errors.count == TraceReader.maxErrors + 1)
        #expect(errors.last?.message == "stopped after 20 errors")
        #expect(errors[19].position == SourcePosition(line: 21, column: 3))
    }

    @Test func realAzureConversationTrace() throws {
        let path = sharedData.appendingPathComponent("azure_llm_2023_conv.csv").path
        let records = try TraceReader.read(path: path, format: .azure)
        #expect(records.count == 19_366)
        #expect(records.first == TraceRecord(time: 0, promptTokens: 374, outputTokens: 44))
        #expect(records.last!.time > 3000 && records.last!.time <= 3600)
        let spec = synthetic(.trace(TraceSpec(file: path, format: .azure)))
        #expect(times(ClassArrivals(spec: spec, seed: 1, duration: .infinity, trace: records)).count == 19_366)
    }

    @Test func realMooncakeTrace() throws {
        let path = sharedData.appendingPathComponent("mooncake_conversation.jsonl").path
        let records = try TraceReader.read(path: path, format: .mooncake)
        #expect(records.count == 12_031)
        #expect(records[0] == TraceRecord(time: 0, promptTokens: 6758, outputTokens: 500, hashIds: Array(0...13)))
        #expect(records.allSatisfy { $0.promptTokens >= 1 && $0.outputTokens >= 1 })
    }
}

// MARK: Scenario parsing

@Suite struct WorkloadMergeTests {
    @Test func mergesClassesInTimeOrderWithSameDrawsAsAlone() {
        let specs = [synthetic(.poisson(rate: 5), name: "a"), synthetic(.gamma(rate: 3, cv: 2), name: "b"),
                     synthetic(.trace(TraceSpec(file: "t", format: .csv)), name: "c")]
        let trace = [TraceRecord(time: 7, promptTokens: 1, outputTokens: 1), TraceRecord(time: 9, promptTokens: 2, outputTokens: 2)]
        let merged = WorkloadArrivals(specs: specs, seed: 3, duration: 100, traces: [[], [], trace])
        var perClass: [[Double]] = [[], [], []]
        var last = -Double.infinity
        while let (index, draw) = merged.next() {
            #expect(draw.time >= last)
            last = draw.time
            perClass[index].append(draw.time)
        }
        #expect(perClass[0] == times(ClassArrivals(spec: specs[0], seed: 3, duration: 100)))
        #expect(perClass[1] == times(ClassArrivals(spec: specs[1], seed: 3, duration: 100)))
        #expect(perClass[2] == [0, 2])
    }
}
