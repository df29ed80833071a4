import Foundation
import Testing
import ServeSim

@Suite struct ScenarioOverrideTests {
    let doc = try! JSONValue.parse(Data(#"{ pools: [{ name: "a", replicas: 2 }, { name: "b" }], seed: 1 }"#.utf8))

    @Test func parsesPathsAndValues() throws {
        let o = try #require(ScenarioOverride.parse("pools.0.replicas=4"))
        #expect(o.path == ["pools", "0", "replicas"])
        #expect(o.value == .number(4))
        #expect(ScenarioOverride.parse("pools.0.hardware=H100-SXM-80GB")?.value == .string("H100-SXM-80GB"))
        #expect(ScenarioOverride.parse("duration=30s")?.value == .string("30s"))
        #expect(ScenarioOverride.parse("x={ size: 2 }")?.value == .object(["size": .number(2)]))
        #expect(ScenarioOverride.parse("flag=true")?.value == .bool(true))
        #expect(ScenarioOverride.parse("no-equals") == nil)
        #expect(ScenarioOverride.parse("pools..replicas=1") == nil)
    }

    @Test func setsExistingAndNewFieldsAndRejectsMissingEntries() throws {
        let changed = try ScenarioOverride.parse("pools.1.replicas=8")!.apply(to: doc, file: "f")
        #expect(changed.value(at: ["pools", "1", "replicas"]) == .number(8))
        #expect(changed.value(at: ["pools", "0", "replicas"]) == .number(2))
        let nested = try ScenarioOverride.parse("pools.0.warmPool.size=2")!.apply(to: doc, file: "f")
        #expect(nested.value(at: ["pools", "0", "warmPool", "size"]) == .number(2))
        #expect(throws: InputError.self) { try ScenarioOverride.parse("pools.2.replicas=1")!.apply(to: doc, file: "f") }
        do {
            _ = try ScenarioOverride.parse("seed.x=1")!.apply(to: doc, file: "f")
            Issue.record("expected an error")
        } catch let e as InputError {
            #expect(e.description == "f: seed: is a number, not an object or array (a path to a field of an object or an entry of an array)")
        }
        #expect(JSONValue.string("a/b").jsonText == "\"a/b\"")
        #expect(JSONValue.number(4).label == "4" && JSONValue.number(0.5).label == "0.5")
    }

    @Test func anOverriddenScenarioIsValidatedLikeAFile() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("override-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let path = dir.appendingPathComponent("s.json5").path
        try Data(DefaultScenario.text.utf8).write(to: URL(fileURLWithPath: path))
        let s = try ScenarioLoader.load(path: path, overrides: [ScenarioOverride.parse("pools.0.replicas=5")!])
        #expect(s.pools[0].replicas == 5)
        do {
            _ = try ScenarioLoader.load(path: path, overrides: [ScenarioOverride.parse("pools.0.replicas=-1")!])
            Issue.record("expected an error")
        } catch let e as InputError {
            #expect(e.description.hasPrefix("\(path): pools.0.replicas: -1 is out of range"))
        }
    }
}
