import ServingModel
import Foundation

/// A scenario file read once: its value tree, ready to be validated as it is or with overrides
/// (`--set` points of a sweep, variants, a plan's sizes) without reading the file again.
public struct ScenarioSource: Sendable {
    /// The path, as diagnostics name it.
    public let file: String
    /// The file's value tree, before any override.
    public let document: JSONValue
    /// Folder that relative paths in the scenario (traces, profiles) resolve against.
    public let baseDirectory: String

    public init(file: String, document: JSONValue, baseDirectory: String) {
        self.file = file
        self.document = document
        self.baseDirectory = baseDirectory
    }

    /// Reads and parses the file at `path` (JSON5; not yet validated).
    public static func read(path: String) throws -> ScenarioSource {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw InputError(file: path, "cannot read the file", allowed: "a readable scenario file")
        }
        let base = (path as NSString).deletingLastPathComponent
        return ScenarioSource(file: path, document: try ScenarioLoader.document(data, file: path),
                              baseDirectory: base.isEmpty ? "." : base)
    }

    /// The validated scenario with `overrides` applied in order; an override's bad path or value
    /// is reported like any field error.
    public func scenario(overrides: [ScenarioOverride] = [], seed: UInt64? = nil, perIteration: Bool? = nil) throws -> Scenario {
        var root = document
        for o in overrides { root = try o.apply(to: root, file: file) }
        return try ScenarioLoader.parse(value: root, file: file, baseDirectory: baseDirectory, seed: seed,
                                        perIteration: perIteration)
    }
}
