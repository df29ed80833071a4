import Foundation
import ServeSim

let profileHardwareHelp = """
    USAGE: servesim profile hardware DIR [--gpu NAME] [--swift] [--out FILE]

    Condenses aiconfigurator's GPU microbenchmarks (DIR holds microbench/<gpu>/: GEMM, attention,
    MoE and communication tables) into the kernel tables ServeSim ships for that GPU, and prints
    what each holds and how well it reproduces the raw measurements (mean relative error, and the
    error on rows left out of the fit). With --swift, prints (or writes to --out) the Swift source
    of Sources/ServingModel/Hardware/Measured/KernelMeasurements+<gpu>.swift; `make kernel-tables`
    regenerates all of them. A test checks the shipped tables against DIR.

    OPTIONS:
      --gpu NAME     h100_sxm, h200_sxm, a100_sxm or l40s (default: every GPU that has tables)
      --swift        print the Swift source instead of the summary
      --out FILE     write the output to FILE (atomically) instead of standard output
    """

func profileHardwareCommand(_ raw: [String]) -> Int32 {
    let args: Arguments
    do {
        args = try Arguments.parse(raw, command: "profile hardware", options: ["gpu", "out"], flags: ["swift"])
    } catch let e as UsageError { printError(e.message); return Exit.badInput } catch { return Exit.badInput }
    if args.help { print(profileHardwareHelp); return Exit.ok }
    guard args.positionals.count == 1, let directory = args.positionals.first else {
        printError("servesim profile hardware: expected the aiconfigurator data folder (DIR, holding microbench/)")
        return Exit.badInput
    }
    let known = KernelMeasurements.shipped.map(\.gpu)
    let gpus = args.options["gpu"].map { [$0] } ?? known
    if let unknown = gpus.first(where: { !known.contains($0) }) {
        printError("servesim profile hardware: --gpu: unknown GPU \"\(unknown)\" (\(known.joined(separator: ", ")))")
        return Exit.badInput
    }
    if args.flags.contains("swift") && gpus.count != 1 {
        printError("servesim profile hardware: --swift: name one GPU with --gpu (one source file each)")
        return Exit.badInput
    }
    do {
        var output: [String] = []
        for gpu in gpus {
            let tables = try KernelTableBuilder.build(gpu: gpu, directory: directory)
            output.append(args.flags.contains("swift") ? KernelTableSource.swift(tables) : KernelTableSource.summary(tables))
        }
        let text = output.joined(separator: args.flags.contains("swift") ? "" : "\n")
        if let out = args.options["out"] {
            try writeAtomically(Data(text.utf8), to: out)
        } else {
            print(text, terminator: args.flags.contains("swift") ? "" : "\n")
        }
        return Exit.ok
    } catch let e as InputError {
        e.diagnostics.forEach { printError($0.description) }
        return Exit.badInput
    } catch {
        printError("servesim profile hardware: \(error)")
        return Exit.badInput
    }
}
