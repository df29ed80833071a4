import Foundation
import ServeSim

/// `servesim calibrate [--model tiny|small|base] [--out FILE] [--threads N] [--kv-memory GIB] [--quick]`
///
/// Times the real kernel on this machine, prints the fit report to stdout (progress to stderr)
/// and writes the profile (default `profiles/kernel-<model>.json`). Exit 0 on success, 2 on bad
/// arguments or when the profile cannot be written.
func calibrateCommand(_ arguments: [String]) -> Int32 {
    let usage = """
        USAGE: servesim calibrate [--model tiny|small|base] [--out FILE] [--threads N] [--kv-memory GIB] [--quick]
          --model      kernel size to time (default base)
          --out        profile to write (default profiles/kernel-<model>.json)
          --threads    OpenBLAS threads (default: all cores)
          --kv-memory  KV cache budget of one replica in GiB, sets kvCapacityTokens (default 4)
          --quick      small grid, few repetitions (smoke test; not for committed profiles)
        """
    func fail(_ message: String) -> Int32 {
        printError("servesim calibrate: \(message)")
        return 2
    }
    var modelName = "base", out: String?, threads = ProcessInfo.processInfo.activeProcessorCount
    var quick = false, kvGiB = 4.0
    var i = 0
    func value(_ flag: String) -> String? {
        guard i + 1 < arguments.count else { return nil }
        i += 1
        return arguments[i]
    }
    let names = KernelConfig.presets.map(\.name).joined(separator: ", ")
    while i < arguments.count {
        let flag = arguments[i]
        switch flag {
        case "--help", "-h":
            print(usage)
            return 0
        case "--model":
            guard let v = value(flag), KernelConfig.preset(named: v) != nil else {
                return fail("--model: expects a model size (\(names))")
            }
            modelName = v
        case "--out":
            guard let v = value(flag), !v.isEmpty else { return fail("--out: expects a file path") }
            out = v
        case "--threads":
            guard let v = value(flag), let n = Int(v), (1...256).contains(n) else {
                return fail("--threads: expects an integer from 1 to 256")
            }
            threads = n
        case "--kv-memory":
            guard let v = value(flag), let g = Double(v), g > 0, g.isFinite else {
                return fail("--kv-memory: expects a positive number of GiB")
            }
            kvGiB = g
        case "--quick":
            quick = true
        default:
            return fail("\(flag): unknown option (--model, --out, --threads, --kv-memory, --quick, --help)")
        }
        i += 1
    }
    var options = CalibrationOptions.standard(model: KernelConfig.preset(named: modelName)!, threads: threads,
                                              quick: quick)
    options.kvMemoryBytes = Int(kvGiB * Double(1 << 30))
    let path = out ?? "profiles/kernel-\(modelName).json"
    let profile = Calibration.run(options) { line in
        FileHandle.standardError.write(Data("calibrate: \(line)\n".utf8))
    }
    print(CalibrationReport.text(profile), terminator: "")
    do {
        try profile.write(to: path)
    } catch {
        return fail("\(path): cannot write the profile: \(error)")
    }
    print("wrote \(path)")
    return 0
}
