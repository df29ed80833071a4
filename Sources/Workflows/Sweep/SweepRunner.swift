import ServingModel
import ScenarioFormat
import SimulationEngine
import Foundation

/// A parameter sweep over one scenario file, every point validated: built by `prepare`, run
/// (all points or a shard's) by `run`.
///
/// Each point is the scenario document with the grid's overrides for that point applied, then
/// validated like any file, and simulated as its own `Simulation`; points share nothing, so
/// they run in parallel and the table never depends on the order they finish in.
public struct SweepPlan: Sendable {
    /// The scenario file, read once.
    public let source: ScenarioSource
    /// `--seed`: overrides every point's seed when given.
    public let seed: UInt64?
    public let grid: SweepGrid
    /// The SLO names of all points, first seen first: they make the SLO columns.
    public private(set) var sloNames: [String] = []

    /// Loads `path` and validates every point of `grid` (on up to `jobs` threads). Throws every
    /// problem of every point, each followed by the point's assignment, e.g.
    /// `s.json5: pools.0.replicas: 0 is out of range (an integer from 1 to 100000) (sweep point 3: pools.0.replicas=0)`;
    /// a problem every point has is reported once, `(all 12 sweep points)`.
    public static func prepare(path: String, grid: SweepGrid, seed: UInt64?, jobs: Int = 1,
                               limits: RunLimits = .standard) throws(InputError) -> SweepPlan {
        let source: ScenarioSource
        do { source = try ScenarioSource.read(path: path, limits: limits) } catch { throw error as! InputError }
        var plan = SweepPlan(source: source, seed: seed, grid: grid)
        let checked = parallelMap(grid.count, jobs: jobs) { [plan] point -> Result<[String], InputError> in
            do throws(InputError) { return .success(try plan.scenario(at: point).slos.map(\.name)) } catch { return .failure(error) }
        }
        var names: [String] = []
        var failures: [(point: Int, diagnostics: [Diagnostic])] = []
        for (point, result) in checked.enumerated() {
            switch result {
            case .success(let sloNames): for n in sloNames where !names.contains(n) { names.append(n) }
            case .failure(let e): failures.append((point, e.diagnostics))
            }
        }
        if !failures.isEmpty {
            throw InputError(Self.describe(failures, grid: grid))
        }
        plan.sloNames = names
        return plan
    }

    /// Point problems with each point's assignment; those all points share, once.
    static func describe(_ failures: [(point: Int, diagnostics: [Diagnostic])], grid: SweepGrid) -> [Diagnostic] {
        var shared: [Diagnostic] = []
        if failures.count == grid.count && grid.count > 1 {
            shared = failures[0].diagnostics.filter { d in failures.allSatisfy { $0.diagnostics.contains(d) } }
        }
        var result = shared.map { d -> Diagnostic in
            var d = d
            d.allowed += d.allowed.isEmpty ? "all \(grid.count) sweep points" : ") (all \(grid.count) sweep points"
            return d
        }
        for (point, diagnostics) in failures {
            for var d in diagnostics where !shared.contains(d) {
                let note = "sweep point \(point): \(grid.assignment(at: point))"
                d.allowed += d.allowed.isEmpty ? note : ") (\(note)"
                result.append(d)
            }
        }
        return result
    }

    /// The validated scenario of point `point`.
    public func scenario(at point: Int) throws(InputError) -> Scenario {
        do {
            return try source.scenario(overrides: grid.overrides(at: point), seed: seed)
        } catch {
            throw error as? InputError ?? InputError(file: source.file, "\(error)")
        }
    }

    /// The scenario's `name` (before overrides), naming the table.
    public var scenarioName: String { source.document.value(at: ["name"])?.label ?? "" }

    /// The table's columns (the same for every shard: they come from all points).
    public var columns: [String] {
        SweepTable.columns(parameters: grid.axes.map(\.dottedPath), sloNames: sloNames)
    }

    /// The sweep's identity: FNV-1a (64-bit) of the scenario document (sorted keys), the seed
    /// option and each axis with its values, as 16 hex digits. Shards of one sweep share it;
    /// it does not depend on where the file is.
    public var identity: String {
        var text = "servesim sweep 1\n" + source.document.jsonText + "\nseed=" + (seed.map(String.init) ?? "file") + "\n"
        for axis in grid.axes { text += axis.dottedPath + "=" + axis.values.map(\.jsonText).joined(separator: ",") + "\n" }
        let hex = String(fnv1a64(text.utf8), radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }

    /// Simulates the points of `shard` (all when nil) on up to `jobs` threads and returns their
    /// table. `progress` is called from the worker threads as each point ends, with the point
    /// and its wall-clock seconds (for stderr only: wall time never reaches the table).
    public func run(shard: SweepShard?, jobs: Int,
                    progress: (@Sendable (_ point: Int, _ wallSeconds: Double) -> Void)? = nil) throws(InputError) -> SweepTable {
        let points = shard?.points(of: grid.count) ?? Array(0..<grid.count)
        let metrics = SweepTable.metrics(sloNames: sloNames)
        let rows = parallelMap(points.count, jobs: jobs) { [self] i -> Result<[JSONValue], InputError> in
            let point = points[i]
            let started = Date()
            let scenario: Scenario
            do throws(InputError) { scenario = try self.scenario(at: point) } catch { return .failure(error) }
            let (report, _) = ScenarioRunner.run(scenario)
            progress?(point, Date().timeIntervalSince(started))
            return .success(SweepTable.row(point: point, values: grid.values(at: point), report: report, metrics: metrics))
        }
        var table: [[JSONValue]] = []
        for row in rows {
            switch row {
            case .success(let r): table.append(r)
            case .failure(let e): throw e
            }
        }
        return SweepTable(scenario: scenarioName, points: grid.count, grid: identity, shard: shard, columns: columns, rows: table)
    }
}
