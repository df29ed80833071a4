import CGSL
import Foundation

/// What the calibration ran on (for the profile's provenance fields).
package enum MachineInfo {
    /// The first "model name" of /proc/cpuinfo, or "unknown".
    package static var cpuModel: String {
        guard let text = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8) else { return "unknown" }
        for line in text.split(separator: "\n") where line.hasPrefix("model name") {
            if let colon = line.firstIndex(of: ":") {
                return line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            }
        }
        return "unknown"
    }

    /// Logical cores available to this process.
    package static var cores: Int { ProcessInfo.processInfo.activeProcessorCount }

    /// "OpenBLAS " + `openblas_get_config()` (version, target, threading).
    package static var blas: String {
        guard let config = openblas_get_config() else { return "OpenBLAS" }
        return "OpenBLAS " + String(cString: config)
    }
}
