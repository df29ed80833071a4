/// One accelerator (or CPU socket) as the roofline sees it.
///
/// Units: FLOP/s, bytes/s, bytes, USD per GPU-hour. Efficiencies are the fractions of the peaks
/// that a serving engine reaches on large GEMMs (compute) and on weight streaming (memory).
public struct HardwareSpec: Sendable, Equatable {
    public var name: String
    /// Dense BF16 tensor throughput, FLOP/s (not the 2:4 sparsity figure).
    public var peakFlops: Double
    /// Memory bandwidth, bytes/s.
    public var memoryBandwidth: Double
    /// Memory capacity, bytes.
    public var memoryBytes: Double
    /// Planning default price, USD per GPU-hour (override per pool with `pricePerGpuHour`).
    public var pricePerGpuHour: Double
    /// Per-GPU bandwidth for tensor-parallel all-reduce, bytes/s (NVLink, or PCIe).
    public var interconnectBandwidth: Double
    /// Default fraction of `peakFlops` reached on large GEMMs.
    public var computeEfficiency: Double
    /// Default fraction of `memoryBandwidth` reached streaming weights and KV.
    public var memoryEfficiency: Double
    /// Dense FP8 tensor throughput, FLOP/s (nil: no FP8 tensor cores; FP8 weights then run at the
    /// BF16 peak, as weight-only kernels do).
    public var peakFlopsFP8: Double?
    /// How the GPUs of one replica talk: NVLink (vLLM's custom all-reduce at any GPU count) or
    /// PCIe (custom all-reduce at 2 GPUs only, NCCL beyond).
    public var interconnect: Interconnect
    /// The measured kernel tables shipped for this GPU (`KernelMeasurements.named`), nil: none.
    public var measurements: String?

    public enum Interconnect: String, Sendable { case nvlink, pcie }

    public init(name: String, peakFlops: Double, memoryBandwidth: Double, memoryBytes: Double, pricePerGpuHour: Double,
                interconnectBandwidth: Double, computeEfficiency: Double = 0.7, memoryEfficiency: Double = 0.9,
                peakFlopsFP8: Double? = nil, interconnect: Interconnect = .pcie, measurements: String? = nil) {
        self.name = name
        self.peakFlops = peakFlops
        self.memoryBandwidth = memoryBandwidth
        self.memoryBytes = memoryBytes
        self.pricePerGpuHour = pricePerGpuHour
        self.interconnectBandwidth = interconnectBandwidth
        self.computeEfficiency = computeEfficiency
        self.memoryEfficiency = memoryEfficiency
        self.peakFlopsFP8 = peakFlopsFP8
        self.interconnect = interconnect
        self.measurements = measurements
    }

    /// Peak FLOP/s of GEMMs on weights stored as `format`.
    public func peakFlops(for format: GEMMFormat) -> Double {
        format == .bf16 ? peakFlops : peakFlopsFP8 ?? peakFlops
    }
}

