import ServingModel
import SimulationEngine
import Foundation

/// One table cell: text (escaped when rendered) and how it is marked.
public struct HTMLCell: Sendable, Equatable, ExpressibleByStringLiteral {
    public enum Mark: Sendable, Equatable {
        case none
        /// The best value of its row or column: bold, shaded, and followed by " ★" (explained
        /// under the table), so it is visible without colour.
        case best
        /// A value that needs attention (an SLO not met): bold.
        case warning
    }

    public var text: String
    public var mark: Mark

    public init(_ text: String, mark: Mark = .none) {
        self.text = text
        self.mark = mark
    }

    public init(stringLiteral value: String) { self.init(value) }

    /// A cell marked best when `best` is true.
    public static func best(_ text: String, if best: Bool = true) -> HTMLCell {
        HTMLCell(text, mark: best ? .best : .none)
    }
}

/// A table: a header row and rows of cells. The first column is left-aligned and the others
/// right-aligned (numbers) unless `alignments` says otherwise.
public struct HTMLTable: Sendable, Equatable {
    public enum Alignment: Sendable, Equatable { case left, right }

    /// Text above the table; nil for none.
    public var caption: String?
    public var header: [String]
    public var rows: [[HTMLCell]]
    /// Per column; missing entries: left for column 0, right for the others.
    public var alignments: [Alignment]
    /// The note printed under a table that has a `.best` cell.
    public static let bestNote = "★ marks the best value."

    public init(caption: String? = nil, header: [String], rows: [[HTMLCell]], alignments: [Alignment] = []) {
        self.caption = caption
        self.header = header
        self.rows = rows
        self.alignments = alignments
    }

    func alignment(_ column: Int) -> Alignment {
        column < alignments.count ? alignments[column] : (column == 0 ? .left : .right)
    }

    /// The `<table>` element (plus the best-value note when a cell is marked best).
    public func html() -> String {
        var out = ["<table>"]
        if let caption { out.append("<caption>\(HTMLText.escape(caption))</caption>") }
        let head = header.enumerated().map { (i, h) in
            "<th scope=\"col\"\(alignment(i) == .right ? " class=\"num\"" : "")>\(HTMLText.escape(h))</th>"
        }
        out.append("<thead><tr>\(head.joined())</tr></thead>")
        out.append("<tbody>")
        var anyBest = false
        for row in rows {
            let cells = row.enumerated().map { (i, cell) -> String in
                var classes: [String] = []
                if alignment(i) == .right { classes.append("num") }
                var text = HTMLText.escape(cell.text)
                switch cell.mark {
                case .none: break
                case .best:
                    anyBest = true
                    classes.append("best")
                    text = "<strong>\(text)</strong> ★"
                case .warning:
                    classes.append("warn")
                    text = "<strong>\(text)</strong>"
                }
                let c = classes.isEmpty ? "" : " class=\"\(classes.joined(separator: " "))\""
                return "<td\(c)>\(text)</td>"
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
        body.append("<p\(note ? " class=\"note\"" : "")>\(HTMLText.escape(text))</p>")
    }

    /// A bulleted list of plain-text items (nothing for no items).
    public mutating func list(_ items: [String]) {
        guard !items.isEmpty else { return }
        body.append("<ul>\n" + items.map { "<li>\(HTMLText.escape($0))</li>" }.joined(separator: "\n") + "\n</ul>")
    }

    public mutating func table(_ table: HTMLTable) {
        body.append(table.html())
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
