import Foundation

/// Runs the `servesim` binary built beside the test bundle, for end-to-end tests.
enum CLI {
    struct Output { var code: Int32; var stdout: String; var stderr: String }

    static var binary: URL {
        if let path = ProcessInfo.processInfo.environment["SERVESIM_BIN"] { return URL(fileURLWithPath: path) }
        return URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
            .deletingLastPathComponent().appendingPathComponent("servesim")
    }

    /// The repository root (two levels above this file's folder).
    static var repoRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
    }

    /// The shared data folder beside the repository (CI always has it).
    static var sharedData: URL { repoRoot.deletingLastPathComponent().appendingPathComponent("shared/data") }

    static func run(_ arguments: [String], in directory: URL? = nil) throws -> Output {
        try runProgram(binary.path, arguments, in: directory)
    }

    /// Runs any program and collects its exit code and output.
    static func runProgram(_ executable: String, _ arguments: [String], in directory: URL? = nil) throws -> Output {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.currentDirectoryURL = directory ?? repoRoot
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        // Read both pipes before waiting so a full pipe cannot block the child.
        final class Box: @unchecked Sendable { var data = Data() }
        let outBox = Box()
        let group = DispatchGroup()
        group.enter()
        DispatchQueue.global().async { outBox.data = out.fileHandleForReading.readDataToEndOfFile(); group.leave() }
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        return Output(code: process.terminationStatus, stdout: String(decoding: outBox.data, as: UTF8.self),
                      stderr: String(decoding: errData, as: UTF8.self))
    }

    /// A fresh temporary folder.
    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("servesim-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// A small valid scenario text; `patch` edits it textually to make bad variants.
    static let smallScenario = """
        {
          version: 1, name: "small", seed: 7, duration: "2m", warmup: "10s",
          workload: { classes: [{ name: "chat", tenant: "acme",
            arrivals: { process: "poisson", rate: 5 },
            promptTokens: { distribution: "lognormal", mean: 600, p95: 2000 },
            outputTokens: { distribution: "uniform", min: 20, max: 300 } }] },
          pools: [{ name: "gpu", hardware: "H100-SXM-80GB", model: "llama-3.1-8b", replicas: 1,
                    performance: { model: "roofline" } }],
          slos: [{ name: "ttft", sli: "ttft", threshold: "500ms", objective: 0.95 },
                 { name: "avail", sli: "availability", objective: 0.999 }],
        }
        """
}
