import ServeSim

/// `--shape layers=32,hidden=4096,heads=32,kvHeads=8,intermediate=14336,vocab=128256[,headDim=128][,name=x]`:
/// an explicit model shape on the command line (the scenario format's model object, flattened).
enum ModelShapeArgument {
    static let required = ["layers", "hidden", "heads", "kvHeads", "intermediate", "vocab"]

    static func parse(_ text: String) throws -> ModelSpec {
        var values: [String: Int] = [:]
        var name = "custom"
        for part in text.split(separator: ",") {
            let kv = part.split(separator: "=", maxSplits: 1).map { String($0).trimmingCharacters(in: .whitespaces) }
            guard kv.count == 2 else { throw UsageError("\"\(part)\" is not key=value") }
            if kv[0] == "name" { name = kv[1]; continue }
            guard required.contains(kv[0]) || kv[0] == "headDim" else {
                throw UsageError("unknown key \"\(kv[0])\" (\((required + ["headDim", "name"]).joined(separator: ", ")))")
            }
            guard let v = Int(kv[1]), v >= 1 else { throw UsageError("\(kv[0]): \"\(kv[1])\" is not an integer >= 1") }
            values[kv[0]] = v
        }
        let missing = required.filter { values[$0] == nil }
        guard missing.isEmpty else { throw UsageError("missing \(missing.joined(separator: ", "))") }
        guard values["heads"]! % values["kvHeads"]! == 0 else { throw UsageError("kvHeads must divide heads") }
        return ModelSpec(name: name, layers: values["layers"]!, hidden: values["hidden"]!, heads: values["heads"]!,
                         kvHeads: values["kvHeads"]!, headDim: values["headDim"], intermediate: values["intermediate"]!,
                         vocab: values["vocab"]!)
    }
}

import Foundation
