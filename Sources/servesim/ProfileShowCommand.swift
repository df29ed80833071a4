import Foundation
import ServeSim

let profileShowHelp = """
    USAGE: servesim profile show --hardware PRESET --model PRESET [--tp N] [--quantization fp8|fp8-block]
                                 [--kv-cache-dtype fp8] [--expert-parallel] [--kernels auto|datasheet]

    Prints the step times a pool of this hardware and model would use, operator by operator: the
    layers' projections, MLP or MoE and communication at several token counts, the LM head, and
    attention per layer, with which operators come from measured kernel tables.
    """

func profileShowCommand(_ raw: [String]) -> Int32 {
    let args: Arguments
    do {
        args = try Arguments.parse(raw, command: "profile show", options: ["hardware", "model", "tp", "quantization", "kv-cache-dtype",
                                                                          "kernels"], flags: ["expert-parallel"])
    } catch let e as UsageError { printError(e.message); return Exit.badInput } catch { return Exit.badInput }
    if args.help { print(profileShowHelp); return Exit.ok }
    var problems: [String] = []
    /// "--NAME: unknown preset "X" (presets)", or "a preset is required" without the option.
    func missingPreset(_ option: String, _ presets: [String]) {
        if let given = args.options[option] {
            problems.append(unknownPreset(given, kind: option, names: presets, option: option, command: "profile show"))
        } else {
            problems.append("servesim profile show: --\(option): a preset is required (\(presets.joined(separator: ", ")))")
        }
    }
    let hardware = args.options["hardware"].flatMap(HardwareSpec.preset(matching:))
    if hardware == nil { missingPreset("hardware", HardwareSpec.presets.map(\.name)) }
    var model = args.options["model"].flatMap(ModelSpec.preset(matching:))
    if model == nil { missingPreset("model", ModelSpec.presets.map(\.name)) }
    let tp = args.options["tp"].map { Int($0) } ?? 1
    if tp == nil || tp! < 1 { problems.append("servesim profile show: --tp: an integer >= 1") }
    if let q = args.options["quantization"] {
        if let format = GEMMFormat(rawValue: q) { model = model?.withWeights(format) } else {
            problems.append("servesim profile show: --quantization: \(q) is not supported (bf16, fp8, fp8-block)")
        }
    }
    if let kv = args.options["kv-cache-dtype"] {
        if kv == "fp8" { model = model?.withKVCache(.fp8) } else if kv != "auto" {
            problems.append("servesim profile show: --kv-cache-dtype: \(kv) is not supported (auto, fp8)")
        }
    }
    let kernels = args.options["kernels"] ?? "auto"
    if !["auto", "datasheet"].contains(kernels) { problems.append("servesim profile show: --kernels: auto or datasheet") }
    guard problems.isEmpty, let hardware, let model, let tp else { problems.forEach(printError); return Exit.badInput }
    let costs = KernelCosts(hardware: hardware, model: model, tensorParallel: tp, expertParallel: args.flags.contains("expert-parallel"),
                            measurements: kernels == "datasheet" ? nil : hardware.measurements.flatMap(KernelMeasurements.named))
    print(KernelCostTable.text(costs))
    return Exit.ok
}
