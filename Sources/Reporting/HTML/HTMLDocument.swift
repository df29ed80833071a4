import ServingModel
import SimulationEngine
import Foundation

extension ReportTable {
    /// The `<table>` element (plus the best-value note when a cell is marked best).
    public func html() -> String {
        var out = ["<table>"]
        if let caption { out.append("<caption>\(HTMLText.escape(caption))</caption>") }
        let head = columns.map { c in
            "<th scope=\"col\"\(c.alignment == .right ? " class=\"num\"" : "")>\(HTMLText.escape(c.title))</th>"
        }
        out.append("<thead><tr>\(head.joined())</tr></thead>")
        out.append("<tbody>")
        var anyBest = false
        for row in rows {
            let cells = row.enumerated().map { (i, cell) -> String in
                var classes: [String] = []
                if i < columns.count, columns[i].alignment == .right { classes.append("num") }
                var text = HTMLText.escape(cell.text)
                switch cell.mark {
                case .none: break
                case .strong: text = "<strong>\(text)</strong>"
                case .best:
                    anyBest = true
                    classes.append("best")
                    text = "<strong>\(text)</strong> ★"
                case .warning:
                    classes.append("warn")
                    text = "<strong>\(text)</strong>"
                }
                let c = classes.isEmpty ? "" : " class=\"\(classes.joined(separator: " "))\""
                return "<td\(c)>\(text)\(HTMLText.escape(cell.after))</td>"
            }
            out.append("<tr>\(cells.joined())</tr>")
        }
        out.append("</tbody>")
        out.append("</table>")
        if anyBest { out.append("<p class=\"note\">\(HTMLText.escape(Self.bestNote))</p>") }
        return out.joined(separator: "\n")
    }
}

/// A self-contained HTML page built from headings, paragraphs, lists, tables and SVG figures:
/// inline CSS, no scripts, nothing fetched. The output is also well-formed XML (every element
/// closed, attributes quoted, text escaped), after `<!DOCTYPE html>`, so tools can parse it with
/// an XML parser. Deterministic: the same calls give the same bytes.
public struct HTMLDocument: Sendable, Equatable {
    /// The page title (`<title>`, and the `<h1>` that starts the body).
    public var title: String
    /// Body elements in order (already markup).
    public private(set) var body: [String] = []

    /// The stylesheet: dark text on white, visible table borders, best cells bold; no colour
    /// carries meaning on its own.
    public static let css = """
        body { font-family: system-ui, sans-serif; color: #1a1a1a; background: #ffffff; max-width: 1100px; \
        margin: 1.5em auto; padding: 0 1em; line-height: 1.45; }
        h1 { font-size: 1.7em; margin-bottom: 0.2em; }
        h2 { font-size: 1.3em; margin-top: 1.8em; border-bottom: 2px solid #444444; padding-bottom: 0.15em; }
        h3 { font-size: 1.1em; margin-top: 1.3em; }
        table { border-collapse: collapse; margin: 0.6em 0 1em 0; }
        caption { text-align: left; font-weight: bold; padding: 0.3em 0; }
        th, td { border: 1px solid #8c8c8c; padding: 0.25em 0.6em; vertical-align: top; }
        th { background: #ececec; text-align: left; }
        .num { text-align: right; font-variant-numeric: tabular-nums; }
        td.best { background: #dcefdc; }
        td.warn { background: #f7e1e1; }
        figure { margin: 1em 0 1.5em 0; }
        figcaption { font-size: 0.92em; color: #333333; margin-top: 0.3em; }
        svg { max-width: 100%; height: auto; display: block; }
        .note { font-size: 0.92em; color: #333333; }
        """

    public init(title: String) {
        self.title = title
    }

    /// `<h1>` to `<h6>` (level clamped); `id` (optional) for links within the page.
    public mutating func heading(_ text: String, level: Int = 2, id: String? = nil) {
        let l = min(6, max(1, level))
        let idAttribute = id.map { " id=\"\(HTMLText.escape($0))\"" } ?? ""
        body.append("<h\(l)\(idAttribute)>\(HTMLText.escape(text))</h\(l)>")
    }

    /// A paragraph of plain text; `note` sets it in the smaller note style.
    public mutating func paragraph(_ text: String, note: Bool = false) {
        paragraph(ReportText(text), note: note)
    }

    /// A paragraph whose strong runs are bold.
    public mutating func paragraph(_ text: ReportText, note: Bool = false) {
        body.append("<p\(note ? " class=\"note\"" : "")>\(Self.inline(text))</p>")
    }

    /// A bulleted list (nothing for no items).
    public mutating func list(_ items: [String]) { list(items.map { ReportText($0) }) }

    public mutating func list(_ items: [ReportText]) {
        guard !items.isEmpty else { return }
        body.append("<ul>\n" + items.map { "<li>\(Self.inline($0))</li>" }.joined(separator: "\n") + "\n</ul>")
    }

    public mutating func table(_ table: ReportTable) {
        body.append(table.html())
    }

    /// A report section: its heading (none at level 0), then its tables, paragraphs and lists.
    public mutating func section(_ section: ReportSection) {
        if section.level > 0 { heading(section.title, level: section.level) }
        blocks(section.blocks)
    }

    /// Blocks of a report section, without its heading.
    public mutating func blocks(_ blocks: [ReportBlock]) {
        for block in blocks {
            switch block {
            case .table(let t): table(t)
            case .paragraph(let p): paragraph(p)
            case .list(let items): list(items)
            }
        }
    }

    static func inline(_ text: ReportText) -> String {
        text.runs.map { $0.strong ? "<strong>\(HTMLText.escape($0.text))</strong>" : HTMLText.escape($0.text) }.joined()
    }

    /// A figure: `svg` (an `<svg>` element from `LineChart`, `BarChart` or `ScatterChart`) with
    /// a caption under it (plain text; say what to read from the chart).
    public mutating func figure(svg: String, caption: String) {
        body.append("<figure>\n\(svg)\n<figcaption>\(HTMLText.escape(caption))</figcaption>\n</figure>")
    }

    /// Markup added as is: it must be well-formed XML and self-contained (no external references).
    public mutating func raw(_ markup: String) {
        body.append(markup)
    }

    /// The whole page.
    public func render() -> String {
        var out = ["<!DOCTYPE html>", "<html lang=\"en\">", "<head>", "<meta charset=\"utf-8\"/>",
                   "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>",
                   "<title>\(HTMLText.escape(title))</title>", "<style>", Self.css, "</style>", "</head>", "<body>"]
        out.append("<h1>\(HTMLText.escape(title))</h1>")
        out += body
        out += ["</body>", "</html>"]
        return out.joined(separator: "\n") + "\n"
    }
}
