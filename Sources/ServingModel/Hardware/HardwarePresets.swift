extension HardwareSpec {
    // Efficiency defaults: 0.7 compute / 0.9 memory are the commonly used roofline factors
    // (docs/reference-numbers.md, "roofline efficiencies"). Where measured per-layer vLLM 0.19
    // timings of Llama-3.1-8B exist (the real_vllm measurements' per-layer dense.csv, README
    // "Where the roofline defaults come from"; scripts/fit_roofline_defaults.py) the presets carry
    // the fitted values instead:
    // memory efficiency = weight bytes / projection GEMM time at 1-8 tokens (0.89-0.93 measured);
    // compute efficiency = GEMM FLOPs / time at 2048 tokens / datasheet peak.
    // Prices: planning defaults, typical 2025 on-demand list prices per GPU-hour; override them.

    /// NVIDIA H100 SXM5 80 GB. NVIDIA H100 Tensor Core GPU datasheet (2023): 989 TFLOP/s dense
    /// BF16 (1979 with sparsity), 1979 TFLOP/s dense FP8, 3.35 TB/s HBM3, NVLink 900 GB/s (450 GB/s
    /// each direction); memory as nvidia-smi reports it, 81,559 MiB (the "80 GB" are GiB). Measured
    /// kernel tables: GEMM, attention, MoE, all-reduce.
    public static let h100 = HardwareSpec(name: "H100-SXM-80GB", peakFlops: 989e12, memoryBandwidth: 3.35e12,
                                          memoryBytes: 85.52e9, pricePerGpuHour: 3.00, interconnectBandwidth: 450e9,
                                          peakFlopsFP8: 1979e12, interconnect: .nvlink, measurements: "h100_sxm")
    /// NVIDIA H200 SXM 141 GB. NVIDIA H200 Tensor Core GPU datasheet (2024): the H100's compute
    /// (989 TFLOP/s dense BF16, 1979 dense FP8) with 141 GB HBM3e at 4.8 TB/s; NVLink 900 GB/s;
    /// memory as nvidia-smi reports it, 143,771 MiB. Price: a typical 2025 on-demand rate.
    /// Measured kernel tables: GEMM, attention, MoE, all-reduce.
    public static let h200 = HardwareSpec(name: "H200-SXM-141GB", peakFlops: 989e12, memoryBandwidth: 4.8e12,
                                          memoryBytes: 150.75e9, pricePerGpuHour: 3.80, interconnectBandwidth: 450e9,
                                          peakFlopsFP8: 1979e12, interconnect: .nvlink, measurements: "h200_sxm")
    /// NVIDIA B200 (HGX B200, 180 GB). NVIDIA DGX B200 datasheet (2024): 72 PFLOPS FP8 training for
    /// 8 GPUs with sparsity, i.e. 4.5 PFLOP/s dense FP8 and 2.25 dense BF16 per GPU; 1,440 GB HBM3e
    /// (180 GB per GPU) at 8 TB/s per GPU; NVLink 5, 1.8 TB/s (900 GB/s each direction). Price: a
    /// typical 2025 on-demand rate. No measured tables: the datasheet roofline.
    public static let b200 = HardwareSpec(name: "B200-180GB", peakFlops: 2.25e15, memoryBandwidth: 8e12,
                                          memoryBytes: 180e9, pricePerGpuHour: 6.00, interconnectBandwidth: 900e9,
                                          peakFlopsFP8: 4.5e15, interconnect: .nvlink)
    /// NVIDIA A100 SXM4 80 GB. NVIDIA A100 datasheet (2021): 312 TFLOP/s dense BF16, 2,039 GB/s,
    /// NVLink 600 GB/s (300 GB/s each direction); no FP8. Measured kernel tables: all-reduce only.
    public static let a100 = HardwareSpec(name: "A100-80GB", peakFlops: 312e12, memoryBandwidth: 2.039e12,
                                          memoryBytes: 80e9, pricePerGpuHour: 1.80, interconnectBandwidth: 300e9,
                                          interconnect: .nvlink, measurements: "a100_sxm")
    /// NVIDIA L40S. NVIDIA L40S datasheet (2023): 362 TFLOP/s dense BF16 (733 with sparsity), 733
    /// dense FP8, 864 GB/s GDDR6, 48 GB; PCIe Gen4 x16, 32 GB/s each direction. Measured kernel
    /// tables: all-reduce only.
    public static let l40s = HardwareSpec(name: "L40S", peakFlops: 362e12, memoryBandwidth: 864e9,
                                          memoryBytes: 48e9, pricePerGpuHour: 1.00, interconnectBandwidth: 32e9,
                                          peakFlopsFP8: 733e12, measurements: "l40s")
    /// NVIDIA L4. NVIDIA L4 datasheet (2023): 121 TFLOP/s dense BF16 (242 with sparsity), 300 GB/s,
    /// 24 GB; PCIe Gen4 x16.
    public static let l4 = HardwareSpec(name: "L4", peakFlops: 121e12, memoryBandwidth: 300e9,
                                        memoryBytes: 24e9, pricePerGpuHour: 0.80, interconnectBandwidth: 32e9)
    /// NVIDIA A10G (AWS G5). NVIDIA publishes no A10G datasheet; AWS G5 documentation gives 24 GB
    /// and 600 GB/s. Peak taken from the A10 datasheet (125 TFLOP/s dense BF16); the A10G's lower
    /// clocks make this optimistic, so its default compute efficiency is lower (0.5). Price: AWS
    /// g5.xlarge on-demand, us-east-1 (about $1.01/h).
    public static let a10g = HardwareSpec(name: "A10G", peakFlops: 125e12, memoryBandwidth: 600e9,
                                          memoryBytes: 24e9, pricePerGpuHour: 1.01, interconnectBandwidth: 32e9,
                                          computeEfficiency: 0.5)
    /// NVIDIA RTX PRO 6000 Blackwell Server Edition, 96 GB. Bandwidth 1,597 GB/s and memory from the
    /// real vLLM run's config.json (the real_vllm measurements); peak 503.8 TFLOP/s dense BF16 from
    /// the datasheet's 4 PFLOPS FP4 with sparsity (halved for sparsity, FP4 -> FP8 -> BF16; dense
    /// FP8 is twice the BF16 figure).
    /// Fitted (scripts/fit_roofline_defaults.py): compute efficiency 0.756 at >= 1024 tokens,
    /// memory efficiency 0.908 at 1-8 tokens.
    public static let rtxPro6000 = HardwareSpec(name: "RTX-PRO-6000-96GB", peakFlops: 503.8e12, memoryBandwidth: 1.597e12,
                                                memoryBytes: 96e9, pricePerGpuHour: 1.80, interconnectBandwidth: 64e9,
                                                computeEfficiency: 0.756, memoryEfficiency: 0.908, peakFlopsFP8: 1007.6e12)
    /// NVIDIA GeForce RTX 4090, 24 GB. Ada Lovelace whitepaper: 165.2 TFLOP/s dense BF16 with FP32
    /// accumulate, 1,008 GB/s GDDR6X; PCIe Gen4. Memory: 24 GiB (nvidia-smi's total, 24,564 MiB,
    /// is what vLLM's `gpu_memory_utilization` multiplies). Fitted (scripts/fit_roofline_defaults.py): compute
    /// efficiency 0.963 at >= 1024 tokens (boost clocks run above the datasheet's), memory
    /// efficiency 0.908 at 1-8 tokens. Price: typical community-cloud rate.
    public static let rtx4090 = HardwareSpec(name: "RTX-4090-24GB", peakFlops: 165.2e12, memoryBandwidth: 1.008e12,
                                             memoryBytes: 25.757e9, pricePerGpuHour: 0.70, interconnectBandwidth: 32e9,
                                             computeEfficiency: 0.963, memoryEfficiency: 0.908)

    /// Presets by the names scenario files use.
    public static let presets: [HardwareSpec] = [h100, h200, b200, a100, l40s, l4, a10g, rtxPro6000, rtx4090]

    public static func preset(named name: String) -> HardwareSpec? { presets.first { $0.name == name } }

    /// The preset whose name equals `name` ignoring case (for names typed on the command line).
    public static func preset(matching name: String) -> HardwareSpec? {
        NameMatch.ignoringCase(name, among: presets.map(\.name)).flatMap(preset(named:))
    }
}
