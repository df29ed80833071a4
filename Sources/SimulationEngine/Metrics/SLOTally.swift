import ServingModel
/// Good/total counts of one SLO, overall and in time buckets (for burn-rate alerts).
///
/// SLI rules (docs/reference-numbers.md): availability counts a request good iff it completed. A latency SLI
/// (ttft, tpot, e2e, queueWait) counts it good iff it completed and its value is `<= threshold`;
/// a request that was rejected, timed out or failed counts as bad for latency SLIs too (it did not
/// get its first token, or its answer, in time), so shedding load never improves a latency SLO.
/// A completed request with one output token has TPOT 0 and is good for a TPOT SLI. The quality
/// SLIs count completed requests only (`counts`): schemaAdherence is good iff the answer followed
/// its schema, safety iff it was not flagged; a request with no answer is not counted at all.
public struct SLOTally: Sendable, Equatable {
    public let spec: SLOSpec
    public private(set) var good = 0
    public private(set) var total = 0
    /// Good and bad counts per time bucket, keyed by the request's end time: bucket `k` covers
    /// `[origin + k * bucket, origin + (k + 1) * bucket)` where origin is the collector's warmup.
    public private(set) var goodBuckets: [Int] = []
    public private(set) var badBuckets: [Int] = []

    /// Whether only completed requests count (a quality SLI), computed once: the hot path reads it.
    public let completedOnly: Bool

    public init(spec: SLOSpec) {
        self.spec = spec
        completedOnly = spec.sli.isQuality
    }

    /// Whether the request counts for this SLO at all (class filter not applied here): every
    /// request, except that the quality SLIs count completed ones only.
    @inline(__always)
    public func counts(_ r: RequestRecord) -> Bool { !completedOnly || r.outcome == .completed }

    /// Whether the request is good for this SLO's SLI (class filter not applied here).
    @inline(__always)
    public func isGood(_ r: RequestRecord) -> Bool {
        guard r.outcome == .completed else { return false }
        switch spec.sli {
        case .availability: return true
        case .schemaAdherence: return !r.schemaViolation
        case .safety: return !r.safetyFlag
        case .ttft: return r.ttft <= spec.threshold
        case .tpot: return r.tpot <= spec.threshold
        case .e2e: return r.e2e <= spec.threshold
        case .queueWait: return r.queueWait <= spec.threshold
        }
    }

    @inline(__always)
    mutating func add(_ r: RequestRecord, bucket k: Int) {
        guard counts(r) else { return }
        let ok = isGood(r)
        total += 1
        if goodBuckets.count <= k {
            let grow = k + 1 - goodBuckets.count
            goodBuckets.append(contentsOf: repeatElement(0, count: grow))
            badBuckets.append(contentsOf: repeatElement(0, count: grow))
        }
        if ok { good += 1; goodBuckets[k] += 1 } else { badBuckets[k] += 1 }
    }
}
