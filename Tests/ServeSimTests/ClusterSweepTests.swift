import Foundation
import Testing

/// Issue 15: sweeps beyond one machine. Slurm: a real cluster. The test starts a single-node cluster in a temporary
/// folder (`scripts/slurm-local.sh`: munged, slurmctld and slurmd on 127.0.0.1, Debian's slurm-wlm
/// and munge, which `make test` installs), runs a 3-shard sweep through `scripts/slurm-sweep.sh`
/// (`sbatch --array=1-3`, then a merge job that depends on it) and checks the merged table equals
/// the unsharded sweep byte for byte; then a sweep whose shards fail must exit non-zero and leave
/// no table. The cluster is stopped whatever happens.
/// Kubernetes: the Indexed Job's own command (scripts/kubernetes/sweep-job.yaml) run for every
/// completion index by a local shell, then the merge its header gives.
@Suite(.serialized) struct ClusterSweepTests {
    static let tools = ["mungekey", "munged", "slurmctld", "slurmd", "sbatch", "scontrol", "sinfo"]
    static let available = tools.allSatisfy { onPath($0) != nil }

    /// Runs a repository script under `timeout` (so a cluster that never schedules cannot hang the
    /// suite), with `SLURM_CONF` set.
    func script(_ name: String, _ arguments: [String], conf: URL? = nil, in dir: URL, seconds: Int = 300) throws -> CLI.Output {
        let env = conf.map { ["SLURM_CONF=\($0.path)"] } ?? []
        return try CLI.runProgram("/usr/bin/env", env + ["timeout", "\(seconds)", CLI.repoRoot.appendingPathComponent("scripts/\(name)").path] + arguments,
                                  in: dir)
    }

    @Test("a 3-shard sweep through sbatch --array merges into the unsharded table byte for byte",
          .enabled(if: available, "slurm-wlm and munge are not installed (make test installs them)"))
    func slurmSweepEqualsUnshardedSweep() throws {
        let dir = try CLI.temporaryDirectory()
        let cluster = dir.appendingPathComponent("cluster")
        let port = 20000 + Int.random(in: 0..<20000) / 2 * 2
        let started = try script("slurm-local.sh", ["start", cluster.path, "\(port)"], in: dir, seconds: 60)
        defer { _ = try? script("slurm-local.sh", ["stop", cluster.path], in: dir, seconds: 60) }
        try #require(started.code == 0, "cluster did not start: \(started.stderr)")
        let conf = cluster.appendingPathComponent("slurm.conf")

        let file = dir.appendingPathComponent("small.json5")
        try CLI.smallScenario.write(to: file, atomically: true, encoding: .utf8)
        let grid = ["--set", "pools.0.replicas=1..3", "--set", "pools.0.hardware=H100-SXM-80GB,A100-80GB"]
        let whole = dir.appendingPathComponent("whole.csv")
        let unsharded = try CLI.run(["sweep", file.path] + grid + ["--quiet", "--out", whole.path])
        try #require(unsharded.code == 0, "\(unsharded.stderr)")

        let results = dir.appendingPathComponent("results")
        let sweep = try script("slurm-sweep.sh", ["--shards", "3", "--results", results.path, "--servesim", CLI.binary.path, "--wait",
                                                  "small.json5"] + grid, conf: conf, in: dir)
        #expect(sweep.code == 0, "\(sweep.stdout)\n\(sweep.stderr)")
        #expect(sweep.stdout.contains("(array 1-3)") && sweep.stdout.contains("merged 3 shards"), "\(sweep.stdout)")
        let merged = results.appendingPathComponent("sweep.csv")
        #expect(try Data(contentsOf: merged) == Data(contentsOf: whole))
        // Slurm ran them: one log per array task and the merge job's, and each shard has its sidecar.
        for k in 1...3 {
            #expect(FileManager.default.fileExists(atPath: results.appendingPathComponent("logs/shard-\(k).log").path))
            let sidecar = try String(contentsOf: results.appendingPathComponent("shard-\(k).csv.shard.json"), encoding: .utf8)
            #expect(sidecar.contains("\"shard\": \"\(k)/3\""), "\(sidecar)")
        }

        // Shards that fail (a replica count of 0 is bad input) cancel the merge: non-zero exit,
        // no table (not even the previous run's), and the shards' error in the message.
        let failed = try script("slurm-sweep.sh", ["--shards", "3", "--results", results.path, "--servesim", CLI.binary.path, "--wait",
                                                   "small.json5", "--set", "pools.0.replicas=0,1,2"], conf: conf, in: dir)
        #expect(failed.code == 1, "\(failed.stdout)\n\(failed.stderr)")
        #expect(!FileManager.default.fileExists(atPath: merged.path))
        #expect(failed.stderr.contains("did not merge") && failed.stderr.contains("pools.0.replicas"), "\(failed.stderr)")
    }
}

extension ClusterSweepTests {
    /// The shell command of the Indexed Job's container (the folded `args` block) and its
    /// completion count.
    func indexedJob() throws -> (command: String, completions: Int, merge: String) {
        let yaml = try String(contentsOf: CLI.repoRoot.appendingPathComponent("scripts/kubernetes/sweep-job.yaml"), encoding: .utf8)
        let lines = yaml.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let start = try #require(lines.firstIndex { $0.trimmingCharacters(in: .whitespaces) == "- >-" })
        let indent = lines[start].prefix { $0 == " " }.count
        let block = lines[(start + 1)...].prefix { $0.prefix { $0 == " " }.count > indent }
        let completions = try #require(lines.lazy.compactMap { line -> Int? in
            guard line.trimmingCharacters(in: .whitespaces).hasPrefix("completions:") else { return nil }
            return Int(line.split(separator: ":")[1].split(separator: "#")[0].trimmingCharacters(in: .whitespaces))
        }.first)
        let merge = try #require(lines.lazy.compactMap { line -> String? in
            guard let r = line.range(of: "servesim merge ") else { return nil }
            return String(line[r.lowerBound...].prefix { $0 != "\"" })
        }.first)
        return (block.map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " "), completions, merge)
    }

    @Test func kubernetesIndexedJobCommandMergesIntoTheUnshardedTable() throws {
        let job = try indexedJob()
        #expect(job.command.contains("--shard $((JOB_COMPLETION_INDEX+1))/\(job.completions) "), "\(job.command)")
        let dir = try CLI.temporaryDirectory()
        let plans = dir.appendingPathComponent("plans"), results = dir.appendingPathComponent("results")
        try FileManager.default.createDirectory(at: plans, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: results, withIntermediateDirectories: true)
        try CLI.smallScenario.write(to: plans.appendingPathComponent("chat.json5"), atomically: true, encoding: .utf8)
        func local(_ command: String) -> String {
            command.replacingOccurrences(of: "servesim ", with: CLI.binary.path + " ")
                .replacingOccurrences(of: "/plans/", with: plans.path + "/").replacingOccurrences(of: "/results/", with: results.path + "/")
        }
        for index in 0..<job.completions {
            let r = try CLI.runProgram("/usr/bin/env", ["JOB_COMPLETION_INDEX=\(index)", "sh", "-c", local(job.command)], in: dir)
            #expect(r.code == 0, "index \(index): \(r.stderr)")
        }
        let merged = try CLI.runProgram("/bin/sh", ["-c", local(job.merge)], in: dir)
        #expect(merged.code == 0, "\(merged.stderr)")
        // The same sweep unsharded: the job's command without its --shard and with another --out.
        let whole = try #require(job.command.range(of: " --shard ")).lowerBound
        let grid = String(job.command[..<whole]).replacingOccurrences(of: "/plans/", with: plans.path + "/")
            .replacingOccurrences(of: "servesim ", with: CLI.binary.path + " ")
        let unsharded = try CLI.runProgram("/bin/sh", ["-c", grid + " --quiet --out \(dir.path)/whole.csv"], in: dir)
        #expect(unsharded.code == 0, "\(unsharded.stderr)")
        #expect(try Data(contentsOf: results.appendingPathComponent("sweep.csv")) == Data(contentsOf: dir.appendingPathComponent("whole.csv")))
    }
}

/// The full path of a program on PATH (or in /usr/sbin, where daemons live), or nil.
func onPath(_ name: String) -> String? {
    let path = (ProcessInfo.processInfo.environment["PATH"] ?? "") + ":/usr/sbin:/sbin"
    for dir in path.split(separator: ":") where FileManager.default.isExecutableFile(atPath: "\(dir)/\(name)") {
        return "\(dir)/\(name)"
    }
    return nil
}
