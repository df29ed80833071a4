import ServingModel
import Foundation

/// A scenario file read once: its value tree, ready to be validated as it is or with overrides
/// (`--set` points of a sweep, variants, a plan's sizes) without reading the file again.
public struct ScenarioSource: Sendable {
    /// The path, as diagnostics name it.
    public let file: String
    /// The file's value tree, before any override.
    public let document: JSONValue
    /// Where the file's values are (line and column for diagnostics).
    public let positions: SourceMap
    /// Folder that relative paths in the scenario (traces, profiles) resolve against.
    public let baseDirectory: String
    /// What a run of it may cost (`--raise-limits`).
    public let limits: RunLimits

    public init(file: String, document: JSONValue, positions: SourceMap = SourceMap(), baseDirectory: String,
                limits: RunLimits = .standard) {
        self.file = file
        self.document = document
        self.positions = positions
        self.baseDirectory = baseDirectory
        self.limits = limits
    }

    /// Largest scenario file read, in bytes (8 MiB; the committed scenarios are under 4 KB). Long
    /// value lists belong in a CSV file (`file:`), which is read as a stream.
    public static let maxFileBytes = 8 << 20

    /// Reads and parses the file at `path` (JSON5; not yet validated).
    public static func read(path: String, limits: RunLimits = .standard) throws -> ScenarioSource {
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
        if size > maxFileBytes {
            throw InputError(file: path, "is \(size) bytes, larger than a scenario file may be",
                             allowed: "at most \(maxFileBytes) bytes; put long value lists in a CSV file and name it with file:")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw InputError(file: path, "cannot read the file", allowed: "a readable scenario file")
        }
        return try parse(data, file: path, baseDirectory: FilePath.folderOrCurrent(of: path), limits: limits)
    }

    /// Parses scenario text (not yet validated); `file` names it in diagnostics, relative paths in
    /// it resolve against `baseDirectory`.
    public static func parse(_ data: Data, file: String, baseDirectory: String, limits: RunLimits = .standard) throws -> ScenarioSource {
        let (document, positions) = try ScenarioLoader.document(data, file: file)
        return ScenarioSource(file: file, document: document, positions: positions, baseDirectory: baseDirectory, limits: limits)
    }

    /// The validated scenario with `overrides` applied in order; an override's bad path or value
    /// is reported like any field error.
    ///
    /// A price follows its hardware: an override that changes a pool's `hardware` without also
    /// setting that pool's `pricePerGpuHour` drops the file's price, so the new hardware's own
    /// price (the preset's, or the hardware object's) applies. Sweep, plan, compare variants and
    /// `--set` all come here, so they agree.
    public func scenario(overrides: [ScenarioOverride] = [], seed: UInt64? = nil, perIteration: Bool? = nil) throws -> Scenario {
        var root = document
        var map = positions
        for o in ScenarioOverride.pricesFollowHardware(overrides, in: document) {
            root = try o.apply(to: root, file: file)
            map.replace(o.dottedPath)
        }
        return try ScenarioLoader.parse(value: root, file: file, positions: map, baseDirectory: baseDirectory, seed: seed,
                                        perIteration: perIteration, limits: limits)
    }
}
