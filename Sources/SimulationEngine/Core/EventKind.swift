/// What an event means: one case per meaning, each handled by the component named in its doc.
///
/// Payloads: every event carries `target` (an index whose meaning the case gives) and `stamp` (a
/// version for lazy cancellation: a handler ignores an event whose stamp no longer matches the
/// entity's). Nothing else is hidden in them.
package enum EventKind: UInt8, CaseIterable, Sendable {
    /// Core: a class's next request is sent (or, when no stage needs the send instant, reaches its
    /// pool). target: class index.
    case arrival
    /// Core: an attempt held back (a retry's backoff, the gateway's pass-on, the network to a region)
    /// is admitted. target: forward ticket.
    case forward
    /// Closed loop: a client's next request is sent (or reaches its pool, as for `arrival`).
    /// target: send ticket of `ClosedLoopClients`.
    case clientSend
    /// Batching: a replica's step, or stretch of decode steps, ends. target: replica; stamp:
    /// `Replica.stamp`.
    case stepBoundary
    /// Batching: a service-time request finishes. target: request slot; stamp: its generation.
    case serviceDone
    /// Lifecycle: a replica's start (cold, or from the warm pool) finishes. target: replica; stamp:
    /// `Replica.lifecycleStamp`.
    case startDone
    /// Clients: a client gives up waiting. target: request slot; stamp: its generation.
    /// Housekeeping: most fire after their request has completed and do nothing, so they must not
    /// keep the run (and the bill) going; one that does time a request out extends the run to it
    /// (`Clients.timedOut`).
    case timeout
    /// Gateway: a response-cache hit is served. target: request slot; stamp: its generation.
    case cacheHit
    /// Gateway: a request on the hosted API completes. target: request slot; stamp: its generation.
    case hostedDone
    /// Disaggregation: a KV transfer lands at the decode pool. target: transfer ticket; stamp: the
    /// request's generation.
    case kvTransferLanded
    /// Regions: a response reaches its client half an RTT after the pool finished it. target:
    /// request slot; stamp: its generation.
    case delivery
    /// Autoscaling: a pool's autoscaler syncs. target: pool.
    case autoscale
    /// Time series: an interval closes. target: 0.
    case sample
    /// Faults: a replica fails. target: replica; stamp: `Replica.lifecycleStamp` when armed.
    case replicaFailure
    /// Faults: a failed replica is repaired and starts again. target: replica; stamp: its
    /// `lifecycleStamp` when it failed.
    case repairDone
    /// Faults: a spot replica gets its reclaim notice and drains. target: replica; stamp:
    /// `lifecycleStamp` when armed.
    case spotNotice
    /// Faults: the notice ran out; the spot node is reclaimed. target: replica.
    case spotKill
    /// Faults: a scheduled outage begins, and ends. target: outage index.
    case outageStart
    case outageEnd
    /// Degradation: a ladder reads its signal. target: ladder index.
    case ladderCheck
    /// Releases: a release's analysis runs, and its promotion is due. target: release index.
    case releaseAnalysis
    case releasePromotion
    /// Error-budget policy: an evaluation of the enforced policy. target: 0.
    case budgetPolicyCheck

    /// Housekeeping events observe or steer the system and never extend the simulated end time:
    /// once nothing is left to serve, they are dropped. Every other event is work.
    package var isHousekeeping: Bool {
        switch self {
        case .autoscale, .sample, .replicaFailure, .repairDone, .spotNotice, .spotKill, .outageStart, .outageEnd,
             .ladderCheck, .releaseAnalysis, .releasePromotion, .budgetPolicyCheck, .timeout:
            true
        case .arrival, .forward, .clientSend, .stepBoundary, .serviceDone, .startDone, .cacheHit, .hostedDone,
             .kvTransferLanded, .delivery:
            false
        }
    }
}
