/// The one model of what a human-readable report shows: titled sections of tables (aligned
/// columns, marked cells), paragraphs and lists. Every feature contributes sections
/// (`ReportSections`); the Markdown renderer and the HTML page both draw the same sections, so
/// the two formats always show the same rows. Text is plain: renderers escape it themselves.
public struct ReportSection: Sendable, Equatable {
    /// Stable name of the section, for renderers that add to it (the HTML page's charts).
    public var id: String
    public var title: String
    /// 1 for the document's title, 2 for a section, 3 for a subsection; 0 for blocks without a
    /// heading (a verdict line before the first heading).
    public var level: Int
    public var blocks: [ReportBlock]

    public init(id: String, title: String, level: Int = 2, blocks: [ReportBlock]) {
        self.id = id
        self.title = title
        self.level = level
        self.blocks = blocks
    }
}

public enum ReportBlock: Sendable, Equatable {
    case table(ReportTable)
    case paragraph(ReportText)
    case list([ReportText])
}

/// A line of text in runs, some of them strong (bold).
public struct ReportText: Sendable, Equatable, ExpressibleByStringLiteral, ExpressibleByStringInterpolation {
    public struct Run: Sendable, Equatable {
        public var text: String
        public var strong: Bool
    }

    public var runs: [Run]

    public init(_ text: String) { runs = [Run(text: text, strong: false)] }
    public init(runs: [Run]) { self.runs = runs }
    public init(stringLiteral value: String) { self.init(value) }

    /// Text with one strong run in the middle.
    public init(_ before: String, strong: String, _ after: String = "") {
        runs = [Run(text: before, strong: false), Run(text: strong, strong: true), Run(text: after, strong: false)]
            .filter { !$0.text.isEmpty }
    }

    /// The text without marks.
    public var plain: String { runs.map(\.text).joined() }

    public static func + (a: ReportText, b: ReportText) -> ReportText { ReportText(runs: a.runs + b.runs) }
}

/// A table: a header of columns (each aligned left for text, right for numbers) and rows of cells.
public struct ReportTable: Sendable, Equatable {
    public enum Alignment: Sendable, Equatable { case left, right }

    public struct Column: Sendable, Equatable {
        public var title: String
        public var alignment: Alignment
        public init(_ title: String, _ alignment: Alignment = .right) {
            self.title = title
            self.alignment = alignment
        }
    }

    /// Text above the table in the HTML page (the Markdown shows none); nil for none.
    public var caption: String?
    public var columns: [Column]
    public var rows: [[ReportCell]]
    /// The note under a table that has a `.best` cell.
    public static let bestNote = "★ marks the best value."

    public init(caption: String? = nil, columns: [Column], rows: [[ReportCell]]) {
        self.caption = caption
        self.columns = columns
        self.rows = rows
    }

    /// A table whose first `leftColumns` columns hold text (left-aligned) and the rest numbers.
    public init(caption: String? = nil, header: [String], leftColumns: Int = 1, rows: [[ReportCell]]) {
        self.init(caption: caption, columns: header.enumerated().map { Column($1, $0 < leftColumns ? .left : .right) }, rows: rows)
    }
}

/// One table cell: its text, and how it is marked.
public struct ReportCell: Sendable, Equatable, ExpressibleByStringLiteral, ExpressibleByStringInterpolation {
    public enum Mark: Sendable, Equatable {
        case none
        /// Stands out (a chosen answer): bold.
        case strong
        /// Needs attention (an SLO not met): bold, and shaded in HTML.
        case warning
        /// The best value of its row: bold and followed by "best" (Markdown) or "★" (HTML).
        case best
    }

    public var text: String
    public var mark: Mark
    /// Unmarked text after the marked text ("cheapest" marked, " (+1 after re-check)" not).
    public var after: String

    public init(_ text: String, mark: Mark = .none, after: String = "") {
        self.text = text
        self.mark = mark
        self.after = after
    }

    public init(stringLiteral value: String) { self.init(value) }

    /// A cell marked best when `best` is true.
    public static func best(_ text: String, if best: Bool = true) -> ReportCell { ReportCell(text, mark: best ? .best : .none) }
}
