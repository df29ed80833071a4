/// Markdown of report sections: `#` headings, pipe tables (`---` / `---:` for the alignment),
/// `- ` lists and paragraphs, each block after a blank line. `|` in any text is escaped so a name
/// cannot break a table row; strong text and marked cells are bold, a best cell is followed by
/// "best".
public enum MarkdownSections {
    /// The lines of `sections`, in order: the first starts the text, each later one after a blank line.
    public static func lines(_ sections: [ReportSection]) -> [String] {
        var out: [String] = []
        for section in sections {
            if section.level > 0 {
                if !out.isEmpty { out.append("") }
                out.append(String(repeating: "#", count: section.level) + " " + escape(section.title))
            }
            for block in section.blocks {
                if !out.isEmpty { out.append("") }
                out += lines(block)
            }
        }
        return out
    }

    /// The whole text: the lines joined, ending with a newline.
    public static func text(_ sections: [ReportSection]) -> String { lines(sections).joined(separator: "\n") + "\n" }

    static func lines(_ block: ReportBlock) -> [String] {
        switch block {
        case .paragraph(let text): [inline(text)]
        case .list(let items): items.map { "- " + inline($0) }
        case .table(let table):
            ["| " + table.columns.map { escape($0.title) }.joined(separator: " | ") + " |",
             "|" + table.columns.map { $0.alignment == .right ? " ---: |" : " --- |" }.joined()]
                + table.rows.map { row in "| " + row.map(cell).joined(separator: " | ") + " |" }
        }
    }

    static func cell(_ c: ReportCell) -> String {
        let text = escape(c.text)
        switch c.mark {
        case .none: return text + escape(c.after)
        case .strong, .warning: return "**\(text)**" + escape(c.after)
        case .best: return "**\(text)** best" + escape(c.after)
        }
    }

    static func inline(_ text: ReportText) -> String {
        text.runs.map { $0.strong ? "**\(escape($0.text))**" : escape($0.text) }.joined()
    }

    /// Escapes `|` so a name cannot break a table row.
    static func escape(_ text: String) -> String { markdownCell(text) }
}
