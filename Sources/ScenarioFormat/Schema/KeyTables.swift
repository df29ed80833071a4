import Foundation
import ServingModel

/// The README's reference of scenario keys, generated from the declarations (`servesim schema
/// --markdown` prints it; `make readme` puts it between the README's markers, and a test fails when
/// the README is stale). One table per object, in the order a scenario file nests them.
public enum KeyTables {
    /// The markers the generated text sits between in README.md.
    public static let begin = "<!-- BEGIN GENERATED KEYS: make readme -->"
    public static let end = "<!-- END GENERATED KEYS -->"

    /// Every section's table, depth first from the top level (each section once).
    public static var markdown: String {
        var seen = Set<String>()
        var order: [Section] = []
        visit(ScenarioFields.section, &seen, &order)
        return order.map(table).joined(separator: "\n\n") + "\n"
    }

    private static func visit(_ section: Section, _ seen: inout Set<String>, _ order: inout [Section]) {
        guard seen.insert(section.id).inserted else { return }
        order.append(section)
        for field in section.allFields { children(field.type).forEach { visit($0, &seen, &order) } }
    }

    private static func children(_ type: FieldType) -> [Section] {
        switch type {
        case .object(let s): [s]
        case .list(let t, _), .map(let t): children(t)
        case .either(let ts): ts.flatMap(children)
        default: []
        }
    }

    static func table(_ section: Section) -> String {
        var lines = ["#### `\(section.title)`", "", section.doc, ""]
        let tagged = section.tag != nil
        lines.append(tagged ? "| key | with | type | default | meaning |" : "| key | type | default | meaning |")
        lines.append(tagged ? "| --- | --- | --- | --- | --- |" : "| --- | --- | --- | --- |")
        for field in section.fields { lines.append(row(field, with: tagged ? "" : nil)) }
        // A form's keys, in form order; a key several forms share in the same way is one row.
        var rows: [(field: FieldSpec, forms: [String])] = []
        for variant in section.variants {
            for field in variant.fields {
                if let k = rows.firstIndex(where: { $0.field.key == field.key && row($0.field, with: "") == row(field, with: "") }) {
                    rows[k].forms.append(variant.value)
                } else {
                    rows.append((field, [variant.value]))
                }
            }
        }
        for (field, forms) in rows {
            lines.append(row(field, with: "\(section.tag!): " + forms.map { "`\($0)`" }.joined(separator: ", ")))
        }
        return lines.joined(separator: "\n")
    }

    private static func row(_ field: FieldSpec, with: String?) -> String {
        var meaning = field.doc
        if let unit = field.unit { meaning += " (\(unit))" }
        if case .choice(let choices) = field.type, choices.contains(where: { !$0.doc.isEmpty }) {
            meaning += " " + choices.map { $0.doc.isEmpty ? "`\($0.value)`" : "`\($0.value)`: \($0.doc)" }.joined(separator: "; ") + "."
        }
        let cells = ["`\(field.key)`"] + (with.map { [$0] } ?? []) + [field.type.summary, defaultText(field), meaning]
        return "| " + cells.map(cell).joined(separator: " | ") + " |"
    }

    private static func defaultText(_ field: FieldSpec) -> String {
        if field.required { return "required" }
        if case .string(let text)? = field.defaultValue { return "`\(text)`" }
        if let value = field.defaultValue { return "`" + render(SchemaValue(value)) + "`" }
        return field.defaultNote ?? ""
    }

    /// A Markdown table cell: bars escaped, no line breaks.
    private static func cell(_ text: String) -> String {
        text.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ")
    }
}
