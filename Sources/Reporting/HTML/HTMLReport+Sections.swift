import ServingModel
import SimulationEngine
import Foundation

/// The report's topology sections in the HTML page: gateway, disaggregation, regions, speculative
/// decoding, prefix caches, tenants, routers and releases. Each is rendered from the same lines as
/// its Markdown section (one source for both formats; sessions too), turned into HTML by `MarkdownBlocks`.
extension HTMLReport {
    static func topology(_ report: Report, _ doc: inout HTMLDocument) {
        var lines: [String] = []
        if let g = report.gateway { lines += ReportRenderer.gatewayMarkdown(g) }
        if let d = report.disaggregation { lines += ReportRenderer.disaggregationMarkdown(d) }
        if let regions = report.regions { lines += ReportRenderer.regionsMarkdown(regions) }
        lines += ReportRenderer.speculativeMarkdown(report.pools)
        lines += ReportRenderer.prefixCacheMarkdown(report.pools)
        lines += ReportRenderer.sessionMarkdown(report.classes)
        lines += ReportRenderer.tenantsMarkdown(report.tenants)
        lines += ReportRenderer.routersMarkdown(report.routers ?? [])
        lines += ReportRenderer.releasesMarkdown(report.releases ?? [])
        for block in MarkdownBlocks.parse(lines) {
            switch block {
            case .heading(let text, let level): doc.heading(text, level: level)
            case .paragraph(let text): doc.paragraph(text)
            case .list(let items): doc.list(items)
            case .table(let table): doc.table(table)
            }
        }
    }
}

/// The small Markdown subset the report's sections are written in, read back as blocks: `#`
/// headings, pipe tables (a header row, a `---` / `---:` separator row giving each column's
/// alignment, then rows), `- ` list items and plain paragraphs. Bold markers are dropped and `\|`
/// is a literal bar. Anything else is kept as paragraph text, so nothing is lost.
enum MarkdownBlocks: Equatable {
    case heading(String, level: Int)
    case paragraph(String)
    case list([String])
    case table(HTMLTable)

    static func parse(_ lines: [String]) -> [MarkdownBlocks] {
        var blocks: [MarkdownBlocks] = []
        var i = 0
        while i < lines.count {
            let line = lines[i]
            if line.isEmpty {
                i += 1
            } else if line.hasPrefix("#") {
                let level = line.prefix { $0 == "#" }.count
                blocks.append(.heading(plain(String(line.dropFirst(level)).trimmingCharacters(in: .whitespaces)), level: level))
                i += 1
            } else if line.hasPrefix("|"), i + 1 < lines.count, isSeparator(lines[i + 1]) {
                let header = cells(line).map(plain)
                let alignments = cells(lines[i + 1]).map { $0.hasSuffix(":") ? HTMLTable.Alignment.right : .left }
                var rows: [[HTMLCell]] = []
                i += 2
                while i < lines.count, lines[i].hasPrefix("|") {
                    rows.append(cells(lines[i]).map { HTMLCell(plain($0)) })
                    i += 1
                }
                blocks.append(.table(HTMLTable(header: header, rows: rows, alignments: alignments)))
            } else if line.hasPrefix("- ") {
                var items: [String] = []
                while i < lines.count, lines[i].hasPrefix("- ") {
                    items.append(plain(String(lines[i].dropFirst(2))))
                    i += 1
                }
                blocks.append(.list(items))
            } else {
                blocks.append(.paragraph(plain(line)))
                i += 1
            }
        }
        return blocks
    }

    /// The cells of a `| a | b |` row, split on bars that are not escaped, trimmed.
    static func cells(_ row: String) -> [String] {
        var out: [String] = []
        var current = ""
        var escaped = false
        for ch in row.trimmingCharacters(in: .whitespaces).dropFirst() {
            if escaped { current.append(ch); escaped = false; continue }
            if ch == "\\" { current.append(ch); escaped = true; continue }
            if ch == "|" { out.append(current.trimmingCharacters(in: .whitespaces)); current = ""; continue }
            current.append(ch)
        }
        if !current.trimmingCharacters(in: .whitespaces).isEmpty { out.append(current.trimmingCharacters(in: .whitespaces)) }
        return out
    }

    static func isSeparator(_ line: String) -> Bool {
        let c = cells(line)
        return !c.isEmpty && c.allSatisfy { cell in !cell.isEmpty && cell.allSatisfy { $0 == "-" || $0 == ":" } }
    }

    /// Markdown cell or line text as plain text: `\|` becomes `|`, `**` bold markers go.
    static func plain(_ text: String) -> String {
        text.replacingOccurrences(of: "\\|", with: "|").replacingOccurrences(of: "**", with: "")
    }
}
