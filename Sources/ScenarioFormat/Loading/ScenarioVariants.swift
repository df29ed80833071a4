import ServingModel
import Foundation

/// A named variant of a scenario file: the file's scenario with some fields changed, so an
/// architect compares topologies from one file.
///
/// ```json5
/// variants: [
///   { name: "tp2", set: { "pools.0.tensorParallel": 2, "pools.0.replicas": 2 } },
///   { name: "warm-pool", set: { "pools.0.warmPool": { size: 2 } } },
/// ]
/// ```
/// `set` maps dotted paths (as `--set` takes them) to values; they are applied in sorted path
/// order, then the variant is validated like any scenario. `servesim run` runs only the base;
/// `servesim compare FILE` runs the base and every variant.
public struct ScenarioVariant: Sendable, Equatable {
    /// File-safe name; reports of the variant carry it as their scenario name.
    public var name: String
    public var overrides: [ScenarioOverride]
}

enum VariantParser {
    static func parse(_ node: FieldNode, baseName: String) -> [ScenarioVariant]? {
        guard let items = node.array() else { return nil }
        var variants: [ScenarioVariant] = []
        var ok = true
        for item in items {
            guard let obj = item.object(VariantFields.section) else { ok = false; continue }
            let name = obj.read(VariantFields.name)
            if let name, !name.allSatisfy({ $0.isLetter || $0.isNumber || "-_.".contains($0) }) {
                item.sink.report(obj.childPath("name"), "\"\(name)\" is not a file-safe name", allowed: "letters, digits, '-', '_', '.'")
                ok = false
            } else if let name, name == baseName || variants.contains(where: { $0.name == name }) {
                item.sink.report(obj.childPath("name"), "duplicate name \"\(name)\"", allowed: "unique among the scenario and its variants")
                ok = false
            }
            var overrides: [ScenarioOverride] = []
            if let setNode = obj.requiredNode(VariantFields.set) {
                if case .object(let fields) = setNode.value, !fields.isEmpty {
                    for key in fields.keys.sorted() {
                        let path = key.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
                        if path.contains(where: \.isEmpty) {
                            item.sink.report(setNode.path + "." + key, "is not a dotted path", allowed: "e.g. pools.0.replicas")
                            ok = false
                        } else {
                            overrides.append(ScenarioOverride(path: path, value: fields[key]!))
                        }
                    }
                } else {
                    setNode.report("is not a non-empty object", allowed: "an object of dotted paths to values")
                    ok = false
                }
            }
            obj.finish()
            if let name { variants.append(ScenarioVariant(name: name, overrides: overrides)) } else { ok = false }
        }
        return ok ? variants : nil
    }
}

extension ScenarioLoader {
    /// The scenario at `path` followed by each of its variants, all validated; a variant's
    /// problems name the variant. `overrides` (`--set`) apply to the file first, so to every
    /// variant too (a variant's own `set` comes after them).
    public static func loadWithVariants(path: String, overrides: [ScenarioOverride] = [], seed: UInt64? = nil,
                                        limits: RunLimits = .standard) throws -> [Scenario] {
        let source = try ScenarioSource.read(path: path, limits: limits)
        let scenario = try source.scenario(overrides: overrides, seed: seed)
        var scenarios = [scenario]
        var problems: [Diagnostic] = []
        for variant in source.variants() {
            do {
                let renamed = [ScenarioOverride(path: ["name"], value: .string(variant.name)),
                               ScenarioOverride(path: ["variants"], value: .null)]
                scenarios.append(try source.scenario(overrides: overrides + variant.overrides + renamed, seed: seed))
            } catch let e as InputError {
                problems += e.diagnostics.map { d in
                    var d = d
                    d.message += " [variant \(variant.name)]"
                    return d
                }
            }
        }
        if !problems.isEmpty { throw InputError(problems) }
        return scenarios
    }
}

extension ScenarioSource {
    /// The file's named variants, in file order (empty when it has none). Call after the scenario
    /// itself validated: that pass reports any problem in them.
    public func variants() -> [ScenarioVariant] {
        guard case .object(let top) = document, let node = top["variants"], node != .null else { return [] }
        let sink = DiagnosticSink(file: file)
        var baseName = ""
        if case .string(let name)? = top["name"] { baseName = name }
        return VariantParser.parse(FieldNode(value: node, path: "variants", sink: sink), baseName: baseName) ?? []
    }
}
