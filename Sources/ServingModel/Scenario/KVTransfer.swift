import Foundation

/// Prefill/decode disaggregation (DistServe, Zhong et al., OSDI 2024; Splitwise, Patel et al.,
/// ISCA 2024): a prefill pool computes a request's prompt and first token, ships its KV cache over
/// a link, and a decode pool generates the rest.
///
/// Units: bytes, bytes/s, seconds, tokens.

/// The link a pair's KV caches cross: per GPU lane, a bandwidth and a one-way latency.
///
/// Invariant: `bandwidth > 0`, `latency >= 0`.
public struct KVLink: Sendable, Equatable {
    /// Bytes per second of one GPU's link (one direction): a GPU's NVLink share or its NIC.
    public var bandwidth: Double
    /// Fixed seconds added to every transfer after it leaves the link (propagation, setup); it does
    /// not occupy the link.
    public var latency: Double

    public init(bandwidth: Double, latency: Double = 0) {
        self.bandwidth = bandwidth
        self.latency = latency
    }
}

/// One prefill pool paired with one decode pool (indices into `Scenario.pools`).
///
/// Invariants (checked by the loader): both pools are token-level and serve the same model; a pool
/// is in at most one pair; `prefillPool != decodePool`.
public struct DisaggregationPair: Sendable, Equatable {
    public var prefillPool: Int
    public var decodePool: Int
    public var link: KVLink
    /// KV cache bytes per token of the pools' model (`ModelSpec.kvBytesPerToken`).
    public var kvBytesPerToken: Double
    /// Parallel lanes a transfer uses: `min(prefill TP, decode TP)` (each GPU sends its KV shard).
    public var lanes: Int

    public init(prefillPool: Int, decodePool: Int, link: KVLink, kvBytesPerToken: Double, lanes: Int = 1) {
        self.prefillPool = prefillPool
        self.decodePool = decodePool
        self.link = link
        self.kvBytesPerToken = kvBytesPerToken
        self.lanes = lanes
    }
}

/// The transfer arithmetic, as pure functions.
public enum KVTransfer {
    /// Bytes of KV cache for `tokens` tokens: tokens x bytes per token (2 x layers x kvHeads x
    /// headDim x bytes per element, `ModelSpec.kvBytesPerToken`).
    public static func bytes(tokens: Int, bytesPerToken: Double) -> Double {
        Double(tokens) * bytesPerToken
    }

    /// Parallel lanes of a transfer between replicas with these tensor-parallel degrees. Each GPU
    /// holds the KV of `kvHeads / TP` heads and sends its shard over its own link, as Splitwise
    /// does (per-GPU InfiniBand) and DistServe places paired stages on the same node; with unequal
    /// degrees the smaller side bounds the parallelism.
    public static func lanes(prefillTensorParallel: Int, decodeTensorParallel: Int) -> Int {
        max(1, min(prefillTensorParallel, decodeTensorParallel))
    }

    /// Seconds the link is busy moving `bytes` over `lanes` lanes of `bandwidth` bytes/s each.
    public static func serializationSeconds(bytes: Double, bandwidth: Double, lanes: Int) -> Double {
        bytes / (bandwidth * Double(max(1, lanes)))
    }

    /// Seconds from the start of an uncontended transfer to its arrival: latency + serialization.
    public static func transferSeconds(tokens: Int, bytesPerToken: Double, link: KVLink, lanes: Int) -> Double {
        link.latency + serializationSeconds(bytes: bytes(tokens: tokens, bytesPerToken: bytesPerToken),
                                            bandwidth: link.bandwidth, lanes: lanes)
    }

    /// A FIFO link: a transfer enqueued at `now` on a link free from `freeAt` starts at
    /// `max(now, freeAt)`, occupies it for `serialization` seconds, and lands `latency` later.
    /// Returns (start, the link's new free time, landing time).
    public static func schedule(now: Double, freeAt: Double, serialization: Double,
                                latency: Double) -> (start: Double, freeAt: Double, lands: Double) {
        let start = max(now, freeAt)
        let end = start + serialization
        return (start, end, end + latency)
    }
}

/// Link bandwidths written with a unit.
public enum LinkBandwidth {
    /// Units and their bytes/s: decimal (SI) byte rates, binary byte rates, and bit rates (/8).
    static let units: [(String, Double)] = [
        ("TiB/s", 1_099_511_627_776), ("GiB/s", 1_073_741_824), ("MiB/s", 1_048_576), ("KiB/s", 1024),
        ("TB/s", 1e12), ("GB/s", 1e9), ("MB/s", 1e6), ("KB/s", 1e3), ("kB/s", 1e3), ("B/s", 1),
        ("Tbps", 1e12 / 8), ("Gbps", 1e9 / 8), ("Mbps", 1e6 / 8), ("Kbps", 1e3 / 8), ("kbps", 1e3 / 8),
        ("Tb/s", 1e12 / 8), ("Gb/s", 1e9 / 8), ("Mb/s", 1e6 / 8), ("bps", 1.0 / 8),
    ]

    /// What `bytesPerSecond` accepts, for error messages.
    public static let allowed = "bytes/s as a number, or a string like \"50GB/s\", \"400Gbps\", \"64GiB/s\""

    /// Bytes per second of `text` (`"50GB/s"`, `"400Gbps"`, `"1.5 TB/s"`); nil when it is not a
    /// positive finite rate with a known unit.
    public static func bytesPerSecond(_ text: String) -> Double? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        for (unit, scale) in units where trimmed.hasSuffix(unit) {
            let number = trimmed.dropLast(unit.count).trimmingCharacters(in: .whitespaces)
            guard let value = Double(number), value.isFinite, value > 0 else { return nil }
            return value * scale
        }
        return nil
    }
}
