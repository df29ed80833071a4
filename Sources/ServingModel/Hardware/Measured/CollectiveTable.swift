/// Measured latency of one collective (all-reduce or all-to-all) on `gpus` GPUs of one node, by
/// message size, for one implementation:
/// - `customGraph`, `customEager`: vLLM's custom all-reduce (what vLLM uses for tensor parallelism
///   on NVLink, and on PCIe with two GPUs, up to `customAllReduceMaxBytes`) inside a CUDA graph
///   (decode and small mixed steps) or launched eagerly (larger steps);
/// - `nccl`: NCCL (nccl-tests, out of place, no CUDA graph), for larger messages and PCIe.
///
/// Message sizes are bytes (the source counts BF16 elements; converted at build time).
/// Invariant: `bytes` ascending and positive, `seconds` positive, same count (>= 2).
public struct CollectiveTable: Sendable, Equatable {
    public enum Operation: String, Sendable { case allReduce = "all_reduce", allToAll = "alltoall" }
    public enum Implementation: String, Sendable { case customGraph, customEager, nccl }

    public var operation: Operation
    public var implementation: Implementation
    public var gpus: Int
    public var bytes: [Double]
    public var seconds: [Double]

    public init(operation: Operation, implementation: Implementation, gpus: Int, bytes: [Double], seconds: [Double]) {
        precondition(bytes.count == seconds.count && bytes.count >= 2, "collective table shape")
        self.operation = operation
        self.implementation = implementation
        self.gpus = gpus
        self.bytes = bytes
        self.seconds = seconds
    }

    /// Latency of a message of `bytes` bytes, seconds: the table's value at its sizes,
    /// interpolated in log-log between them, the smallest size's latency below, the last
    /// segment's bandwidth above.
    public func time(bytes size: Double) -> Double { logLogInterpolate(size, xs: bytes, ys: seconds) }

    /// vLLM's custom all-reduce handles messages up to 8 MiB (`CustomAllreduce(max_size=8192 *
    /// 1024)` in vllm/distributed/device_communicators/custom_all_reduce.py); larger ones go to NCCL.
    public static let customAllReduceMaxBytes = 8.0 * 1024 * 1024

    /// vLLM captures CUDA graphs for steps of up to 512 tokens (`max_cudagraph_capture_size`'s
    /// default); larger steps run eagerly.
    public static let cudaGraphMaxTokens = 512
}
