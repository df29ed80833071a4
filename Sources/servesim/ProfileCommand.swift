import Foundation
import ServeSim

let profileHelp = """
    USAGE: servesim profile import DIR [--out FILE] [--gpu NAME] [--hardware PRESET] [--model PRESET | --shape SHAPE]
                                   [--layers N] [--step-overhead DURATION] [--kv-tokens N]

    Turns measured per-layer GPU timings (DIR holds dense.csv, per_sequence.csv and attention.csv
    of ONE layer, as vLLM's layer profiler writes them) into a ServeSim profile: dense time of the
    whole model vs batched tokens, lm_head + sampler vs sequences, and attention fitted with GSL
    least squares (decode: constant + context + sequences; prefill: constant + token pairs +
    tokens). With a hardware preset it also fits the roofline's compute and memory efficiency to
    the same tables and reports the fit. Use the profile with
    `performance: { model: "profile", file: FILE }`.

    OPTIONS:
      --out FILE              profile to write (default: profiles/<gpu>-<model>.json)
      --gpu NAME              GPU name for the profile (default: the folder name after perf/)
      --hardware PRESET       datasheet for the roofline fit (default: guessed from the GPU name)
      --model PRESET          model shape (default: llama-3.1-8b)
      --shape SHAPE           an explicit shape instead: layers=32,hidden=4096,heads=32,kvHeads=8,
                              intermediate=14336,vocab=128256 (headDim=, name= optional)
      --layers N              layers the one-layer tables are multiplied by (default: the shape's)
      --step-overhead DUR     CPU-side per-step cost the tables lack (default 0)
      --kv-tokens N           KV cache capacity per replica, tokens (optional)
    """

func profileCommand(_ raw: [String]) -> Int32 {
    if raw.first == "hardware" { return profileHardwareCommand(Array(raw.dropFirst())) }
    if raw.first == "show" { return profileShowCommand(Array(raw.dropFirst())) }
    guard raw.first == "import" else {
        if raw.first == "--help" || raw.first == "-h" { print(profileHelp + "\n" + profileHardwareHelp + "\n" + profileShowHelp); return Exit.ok }
        printError("servesim profile: \(raw.first ?? "(nothing)"): unknown subcommand (import, hardware, show)")
        return Exit.badInput
    }
    let args: Arguments
    do {
        args = try Arguments.parse(Array(raw.dropFirst()), command: "profile import",
                                   options: ["out", "gpu", "hardware", "model", "shape", "layers", "step-overhead", "kv-tokens"],
                                   flags: [])
    } catch let e as UsageError { printError(e.message); return Exit.badInput } catch { return Exit.badInput }
    if args.help { print(profileHelp); return Exit.ok }
    guard args.positionals.count == 1, let directory = args.positionals.first else {
        printError("servesim profile import: expected one folder of per-layer tables (DIR)")
        return Exit.badInput
    }
    var problems: [String] = []
    var model: ModelSpec?
    if let shape = args.options["shape"] {
        if args.options["model"] != nil { problems.append("servesim profile import: --shape and --model: give one") }
        do { model = try ModelShapeArgument.parse(shape) } catch let e as UsageError { problems.append("servesim profile import: --shape: \(e.message)") } catch {}
    } else {
        let name = args.options["model"] ?? "llama-3.1-8b"
        model = ModelSpec.preset(matching: name)
        if model == nil {
            problems.append(unknownPreset(name, kind: "model", names: ModelSpec.presets.map(\.name), option: "model", command: "profile import",
                                          or: "or a Hugging Face id of one"))
        }
    }
    if let text = args.options["layers"] {
        if let n = Int(text), n >= 1, n <= 100_000 { model?.layers = n } else {
            problems.append("servesim profile import: --layers: an integer from 1 to 100000")
        }
    }
    var hardware: HardwareSpec?
    if let name = args.options["hardware"] {
        hardware = HardwareSpec.preset(matching: name)
        if hardware == nil {
            problems.append(unknownPreset(name, kind: "hardware", names: HardwareSpec.presets.map(\.name), option: "hardware", command: "profile import"))
        }
    }
    let overhead = args.options["step-overhead"].map { DurationParser.seconds($0) } ?? 0
    if overhead == nil || overhead! < 0 {
        problems.append("servesim profile import: --step-overhead: not a duration (\(DurationParser.allowed))")
    }
    let kvTokens = args.options["kv-tokens"].map { Int($0) }
    if let kv = kvTokens, kv == nil || kv! < 1 {
        problems.append("servesim profile import: --kv-tokens: must be an integer >= 1")
    }
    guard problems.isEmpty, let model, let overhead else { problems.forEach(printError); return Exit.badInput }

    do {
        var options = LayerTableImport.Options(model: model, gpu: args.options["gpu"], hardware: hardware,
                                               stepOverhead: overhead, kvCapacityTokens: kvTokens ?? nil)
        if options.hardware == nil {
            // Guess the datasheet from the GPU name (as the profiler's folders name it).
            options.hardware = RecordedRun.hardware(forGPU: options.gpu ?? LayerTableImport.gpuName(directory: directory))
        }
        let profile = try LayerTableImport.run(directory: directory, options: options)
        let out = args.options["out"] ?? "profiles/\(profile.gpu)-\(model.name).json"
        try profile.write(to: out)   // AtomicFile creates the folder
        print(LayerTableReport.text(profile))
        print("wrote \(out)")
        return Exit.ok
    } catch let e as InputError {
        e.diagnostics.forEach { printError($0.description) }
        return Exit.badInput
    } catch {
        printError("servesim profile import: \(error)")
        return Exit.badInput
    }
}
