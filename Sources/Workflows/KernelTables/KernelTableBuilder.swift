import ServingModel
import Foundation

/// Condenses aiconfigurator's microbenchmark tables (the `microbench/<gpu>/` layout of
/// ../shared/data/aiconfigurator, see its README) into the `KernelMeasurements` ServeSim ships:
/// - GEMM: the efficiency against the datasheet roofline, median per (power of two of m, integer
///   log2 of n * k) cell over the shapes with n, k >= 128 (what model layers use); empty cells take
///   the nearest filled cell of their row. Quality: mean relative error of the table's time
///   against every row, and against the rows of every other n when the table is built from the rest.
/// - Collectives: vLLM custom all-reduce (graph and eager) and NCCL all-reduce and all-to-all
///   latency by message size and GPU count, as measured (the median of repeated sizes).
/// - Attention: per KV cache dtype, a non-negative weighted least-squares fit (GSL) of one
///   layer's prefill and decode kernel time (`AttentionFit`); held-out error by fitting on every
///   other sequence length.
/// - MoE: the fused-MoE latency by tokens for the expert shapes of ServeSim's MoE model presets,
///   every measured sharding, balanced routing.
/// Every stored number is rounded to 4 significant digits, so the Swift source reads back equal.
public enum KernelTableBuilder {
    /// Builds the tables of `gpu` (an aiconfigurator system name) from the folder holding `microbench/`.
    public static func build(gpu: String, directory: String) throws -> KernelMeasurements {
        let root = directory + "/microbench/" + gpu
        guard FileManager.default.fileExists(atPath: root) else {
            throw InputError(file: root, "no such folder", allowed: "the aiconfigurator data folder, holding microbench/<gpu>")
        }
        let hardware = HardwareSpec.presets.first { $0.measurements == gpu }
        var gemm: [GEMMTable] = [], attention: [AttentionFit] = [], moe: [MoETable] = []
        var device = ""
        if let file = newest(root + "/gemm/vllm", file: "gemm_perf.csv"), let hardware {
            let csv = try NamedCSV(path: file)
            device = try deviceName(csv)
            for format in GEMMFormat.allCases {
                if let table = try gemmTable(csv, format: format, hardware: hardware) { gemm.append(table) }
            }
        }
        if let context = newest(root + "/attention/vllm", file: "context_attention_perf.csv"),
           let generation = newest(root + "/attention/vllm", file: "generation_attention_perf.csv"), let hardware {
            attention = try attentionFits(context: NamedCSV(path: context), generation: NamedCSV(path: generation), hardware: hardware)
        }
        if let file = newest(root + "/moe/vllm", file: "moe_perf.csv") { moe = try moeTables(NamedCSV(path: file)) }
        let (collectives, versions, commDevice) = try collectiveTables(root: root)
        if device.isEmpty { device = commDevice }
        let source = "aiconfigurator 095f58a microbenchmarks (Apache-2.0) on \(device): " + versions
        return KernelMeasurements(gpu: gpu, source: source, gemm: gemm, collectives: collectives, attention: attention, moe: moe)
    }

    /// The table `file` in the newest version folder under `folder` (versions compared numerically).
    static func newest(_ folder: String, file: String) -> String? {
        guard let versions = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return nil }
        let sorted = versions.filter { FileManager.default.fileExists(atPath: folder + "/" + $0 + "/" + file) }
            .sorted { $0.split(separator: ".").compactMap { Int($0) }.lexicographicallyPrecedes($1.split(separator: ".").compactMap { Int($0) }) }
        return sorted.last.map { folder + "/" + $0 + "/" + file }
    }

    static func deviceName(_ csv: NamedCSV) throws -> String {
        guard let i = csv.header["device"], let row = csv.rows.first else { return "" }
        return String(NamedCSV.text(row, i))
    }

    // MARK: GEMM

    struct GEMMSample { var m: Int, n: Int, k: Int, seconds: Double }

    static func gemmTable(_ csv: NamedCSV, format: GEMMFormat, hardware: HardwareSpec) throws -> GEMMTable? {
        let (dt, mi, ni, ki, li) = try (csv.column("gemm_dtype"), csv.column("m"), csv.column("n"), csv.column("k"), csv.column("latency"))
        var samples: [GEMMSample] = []
        for row in csv.rows where NamedCSV.text(row, dt) == format.tableName {
            guard let m = NamedCSV.number(row, mi), let n = NamedCSV.number(row, ni), let k = NamedCSV.number(row, ki),
                  let ms = NamedCSV.number(row, li), ms > 0, m >= 1, n >= 128, k >= 128 else { continue }
            samples.append(GEMMSample(m: Int(m), n: Int(n), k: Int(k), seconds: ms * 1e-3))
        }
        guard !samples.isEmpty else { return nil }
        let peak = hardware.peakFlops(for: format), bandwidth = hardware.memoryBandwidth
        func grid(_ from: [GEMMSample]) -> GEMMTable {
            let mKnots = Set(from.map(\.m)).filter { $0 & ($0 - 1) == 0 }.sorted()
            let w = from.map { Int(log2(Double($0.n) * Double($0.k)).rounded()) }
            let wKnots = Array(w.min()!...w.max()!)
            var cells: [[Double]] = Array(repeating: [], count: mKnots.count * wKnots.count)
            let row = Dictionary(uniqueKeysWithValues: mKnots.enumerated().map { ($1, $0) })
            for (s, wi) in zip(from, w) {
                guard let i = row[s.m] else { continue }
                let roof = GEMMTable.rooflineTime(m: s.m, n: s.n, k: s.k, format: format, peakFlops: peak, memoryBandwidth: bandwidth)
                cells[i * wKnots.count + (wi - wKnots[0])].append(roof / s.seconds)
            }
            var efficiency = [Double](repeating: 0, count: cells.count)
            for i in mKnots.indices {
                for j in wKnots.indices {
                    // An empty cell takes the nearest filled cell of its row.
                    let nearest = wKnots.indices.filter { !cells[i * wKnots.count + $0].isEmpty }
                        .min { abs($0 - j) < abs($1 - j) }
                    efficiency[i * wKnots.count + j] = nearest.map { significant(median(cells[i * wKnots.count + $0])) } ?? 1
                }
            }
            return GEMMTable(format: format, peakFlops: peak, memoryBandwidth: bandwidth,
                             log2Tokens: mKnots.map { log2(Double($0)) }, log2Weights: wKnots.map(Double.init),
                             efficiency: efficiency, quality: FitQuality(rows: 0, meanAbsoluteError: 0))
        }
        func error(_ table: GEMMTable, _ on: [GEMMSample]) -> Double {
            on.reduce(0) { $0 + abs(table.time(m: $1.m, n: $1.n, k: $1.k) / $1.seconds - 1) } / Double(on.count)
        }
        var table = grid(samples)
        let ns = Set(samples.map(\.n)).sorted()
        let oddN = Set(ns.enumerated().filter { $0.offset % 2 == 1 }.map(\.element))
        let train = samples.filter { !oddN.contains($0.n) }, test = samples.filter { oddN.contains($0.n) }
        let heldOut = test.isEmpty || train.isEmpty ? nil : significant(error(grid(train), test), 3)
        table.quality = FitQuality(rows: samples.count, meanAbsoluteError: significant(error(table, samples), 3), heldOutError: heldOut)
        return table
    }

    // MARK: Collectives

    static func collectiveTables(root: String) throws -> ([CollectiveTable], String, String) {
        var tables: [CollectiveTable] = [], versions: [String] = [], device = ""
        func add(_ operation: CollectiveTable.Operation, _ implementation: CollectiveTable.Implementation,
                 _ points: [Int: [Double: [Double]]]) {
            for gpus in points.keys.sorted() {
                let sizes = points[gpus]!.keys.sorted()
                guard sizes.count >= 2 else { continue }
                tables.append(CollectiveTable(operation: operation, implementation: implementation, gpus: gpus, bytes: sizes,
                                              seconds: sizes.map { significant(median(points[gpus]![$0]!)) }))
            }
        }
        if let file = newest(root + "/comm/vllm", file: "custom_allreduce_perf.csv") {
            let csv = try NamedCSV(path: file)
            if device.isEmpty { device = try deviceName(csv) }
            versions.append("vLLM \(FilePath.folder(of: file).split(separator: "/").last ?? "") custom all-reduce")
            let (src, g, size, lat) = try (csv.column("kernel_source"), csv.column("num_gpus"), csv.column("message_size"), csv.column("latency"))
            var graph: [Int: [Double: [Double]]] = [:], eager: [Int: [Double: [Double]]] = [:]
            for row in csv.rows {
                guard let n = NamedCSV.number(row, g), let elements = NamedCSV.number(row, size), let ms = NamedCSV.number(row, lat), ms > 0
                else { continue }
                let kind = NamedCSV.text(row, src)
                if kind == "vLLM_custom_graph" { graph[Int(n), default: [:]][elements * 2, default: []].append(ms * 1e-3) }
                if kind == "vLLM_custom_eager" { eager[Int(n), default: [:]][elements * 2, default: []].append(ms * 1e-3) }
            }
            add(.allReduce, .customGraph, graph)
            add(.allReduce, .customEager, eager)
        }
        if let file = newest(root + "/comm/nccl", file: "nccl_perf.csv") {
            let csv = try NamedCSV(path: file)
            if device.isEmpty { device = try deviceName(csv) }
            versions.append("NCCL \(FilePath.folder(of: file).split(separator: "/").last ?? "")")
            let (op, dt, g, size, lat) = try (csv.column("op_name"), csv.column("nccl_dtype"), csv.column("num_gpus"),
                                              csv.column("message_size"), csv.column("latency"))
            var reduce: [Int: [Double: [Double]]] = [:], toAll: [Int: [Double: [Double]]] = [:]
            for row in csv.rows where NamedCSV.text(row, dt) == "half" {
                guard let n = NamedCSV.number(row, g), let elements = NamedCSV.number(row, size), let ms = NamedCSV.number(row, lat), ms > 0
                else { continue }
                let name = NamedCSV.text(row, op)
                if name == "all_reduce" { reduce[Int(n), default: [:]][elements * 2, default: []].append(ms * 1e-3) }
                if name == "alltoall" { toAll[Int(n), default: [:]][elements * 2, default: []].append(ms * 1e-3) }
            }
            add(.allReduce, .nccl, reduce)
            add(.allToAll, .nccl, toAll)
        }
        return (tables, versions.joined(separator: ", "), device)
    }

    // MARK: Attention

    static func attentionFits(context: NamedCSV, generation: NamedCSV, hardware: HardwareSpec) throws -> [AttentionFit] {
        var fits: [AttentionFit] = []
        for format in KVCacheFormat.allCases {
            guard let prefill = try fitAttention(context, format: format, decode: false, hardware: hardware),
                  let decode = try fitAttention(generation, format: format, decode: true, hardware: hardware) else { continue }
            fits.append(AttentionFit(kvFormat: format, prefillConstant: prefill.c[0], prefillPerFlop: prefill.c[1],
                                     prefillPerTokenWidth: prefill.c[2], decodeConstant: decode.c[0], decodePerKVByte: decode.c[1],
                                     decodePerSequenceWidth: decode.c[2], prefillQuality: prefill.quality, decodeQuality: decode.quality))
        }
        return fits
    }

    /// Fits one attention table's rows (window_size 0: full attention). Rows that imply more than
    /// the datasheet peak (prefill FLOP/s above the BF16 peak, decode bytes/s above the memory
    /// bandwidth) are measurement errors and left out: about a third of the H200 context table
    /// (up to 17x the peak on GQA shapes), a few percent of its generation table, none on H100.
    static func fitAttention(_ csv: NamedCSV, format: KVCacheFormat, decode: Bool,
                             hardware: HardwareSpec) throws -> (c: [Double], quality: FitQuality)? {
        let cols = try ["batch_size", "isl", "num_heads", "num_key_value_heads", "head_dim", "kv_cache_dtype", "window_size", "latency"]
            .map(csv.column)
        let step = decode ? try csv.column("step") : nil
        var x: [[Double]] = [], y: [Double] = [], length: [Double] = []
        for row in csv.rows where NamedCSV.text(row, cols[5]) == format.tableName && NamedCSV.number(row, cols[6]) == 0 {
            guard let b = NamedCSV.number(row, cols[0]), let isl = NamedCSV.number(row, cols[1]), let h = NamedCSV.number(row, cols[2]),
                  let kv = NamedCSV.number(row, cols[3]), let d = NamedCSV.number(row, cols[4]), let ms = NamedCSV.number(row, cols[7]),
                  ms > 0 else { continue }
            let seconds = ms * 1e-3
            if decode {
                guard let s = step.flatMap({ NamedCSV.number(row, $0) }) else { continue }
                let context = isl + s
                let bytes = b * context * 2 * kv * d * format.bytesPerElement
                if bytes / seconds > hardware.memoryBandwidth { continue }
                x.append([1, bytes, b * h * d])
                length.append(context)
            } else {
                let flops = 4 * d * h * b * StepShape.attentionPairs(chunk: Int(isl), cached: 0)
                if flops / seconds > hardware.peakFlops { continue }
                x.append([1, flops, b * isl * h * d])
                length.append(isl)
            }
            y.append(seconds)
        }
        guard x.count >= 3, let fit = LeastSquares.nonNegativeFit(rows: x, y: y) else { return nil }
        let c = fit.coefficients.map { significant($0) }
        func error(_ c: [Double], _ rows: [Int]) -> Double {
            rows.reduce(0) { $0 + abs(zip(x[$1], c).reduce(0) { $0 + $1.0 * $1.1 } / y[$1] - 1) } / Double(rows.count)
        }
        let lengths = Set(length).sorted()
        let odd = Set(lengths.enumerated().filter { $0.offset % 2 == 1 }.map(\.element))
        let train = x.indices.filter { !odd.contains(length[$0]) }, test = x.indices.filter { odd.contains(length[$0]) }
        var heldOut: Double?
        if train.count >= 3, !test.isEmpty, let part = LeastSquares.nonNegativeFit(rows: train.map { x[$0] }, y: train.map { y[$0] }) {
            heldOut = significant(error(part.coefficients, test), 3)
        }
        return (c, FitQuality(rows: x.count, meanAbsoluteError: significant(error(c, Array(x.indices)), 3), heldOutError: heldOut))
    }

    // MARK: MoE

    static func moeTables(_ csv: NamedCSV) throws -> [MoETable] {
        let cols = try ["moe_dtype", "num_tokens", "hidden_size", "inter_size", "topk", "num_experts", "moe_tp_size", "moe_ep_size",
                        "distribution", "latency"].map(csv.column)
        let shapes = Set(ModelSpec.presets.compactMap { m in m.moe.map { [m.hidden, $0.expertIntermediate, $0.topK, $0.experts] } })
        struct Key: Hashable { var shape: [Int], tp: Int, ep: Int, format: String }
        var points: [Key: [Double: [Double]]] = [:]
        for row in csv.rows where NamedCSV.text(row, cols[8]) == "balanced" {
            let numbers = cols.map { NamedCSV.number(row, $0) }
            guard let tokens = numbers[1], let hidden = numbers[2], let inter = numbers[3], let k = numbers[4], let e = numbers[5],
                  let tp = numbers[6], let ep = numbers[7], let ms = numbers[9], ms > 0 else { continue }
            let shape = [Int(hidden), Int(inter), Int(k), Int(e)]
            guard shapes.contains(shape) else { continue }
            points[Key(shape: shape, tp: Int(tp), ep: Int(ep), format: String(NamedCSV.text(row, cols[0]))), default: [:]][tokens, default: []]
                .append(ms * 1e-3)
        }
        var tables: [MoETable] = []
        let keys = points.keys.sorted { ($0.shape, $0.format, $0.tp, $0.ep) < ($1.shape, $1.format, $1.tp, $1.ep) }
        for key in keys {
            guard let format = GEMMFormat.allCases.first(where: { $0.tableName == key.format }) else { continue }
            let tokens = points[key]!.keys.sorted()
            guard tokens.count >= 2 else { continue }
            tables.append(MoETable(hidden: key.shape[0], intermediate: key.shape[1], topK: key.shape[2], experts: key.shape[3],
                                   tensorParallel: key.tp, expertParallel: key.ep, format: format, tokens: tokens,
                                   seconds: tokens.map { significant(median(points[key]![$0]!)) }))
        }
        return tables
    }
}

/// Lexicographic order of integer lists (for sorting MoE shapes).
private func < (a: ([Int], String, Int, Int), b: ([Int], String, Int, Int)) -> Bool {
    if a.0 != b.0 { return a.0.lexicographicallyPrecedes(b.0) }
    if a.1 != b.1 { return a.1 < b.1 }
    if a.2 != b.2 { return a.2 < b.2 }
    return a.3 < b.3
}
