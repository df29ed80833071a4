import ServingModel
import SimulationEngine
import Foundation

/// How series `i` of a chart is drawn. Series differ by dash pattern (lines), hatching (bars)
/// and marker shape, not only by colour, so a chart reads the same printed in grey; the colours
/// are dark enough for at least 4.5:1 contrast on white.
struct SeriesStyle {
    static let colors = ["#0b4f8a", "#b34700", "#1a6b45", "#6f2a84", "#7a6000", "#a0153e", "#3d3d3d"]
    /// SVG `stroke-dasharray`: solid, long dash, dots, dash-dot, short dash, dash-dot-dot.
    static let dashes = ["", "9 4", "2 3", "10 3 2 3", "4 3", "10 3 2 3 2 3"]
    static let markers: [Marker] = [.circle, .square, .triangle, .diamond]
    static let hatches: [Hatch] = [.solid, .diagonal, .outline, .horizontal, .grid, .vertical]

    enum Marker { case circle, square, triangle, diamond }
    /// Bar fills: solid colour, lines of the colour on white, or white with a thick outline.
    enum Hatch { case solid, diagonal, outline, horizontal, grid, vertical }

    let color: String
    let dash: String
    let marker: Marker
    let hatch: Hatch

    init(_ i: Int) {
        color = Self.colors[i % Self.colors.count]
        dash = Self.dashes[i % Self.dashes.count]
        marker = Self.markers[i % Self.markers.count]
        hatch = Self.hatches[i % Self.hatches.count]
    }
}

/// The plot rectangle in SVG pixels (y grows downwards), with the mapping from axis positions.
struct PlotArea {
    let x0: Double, x1: Double, y0: Double, y1: Double

    /// Pixel x of axis position `p` (0...1).
    func x(_ p: Double) -> Double { x0 + p * (x1 - x0) }
    /// Pixel y of axis position `p` (0 at the bottom).
    func y(_ p: Double) -> Double { y1 - p * (y1 - y0) }
}

/// Collects SVG elements and writes the `<svg>` document. Every number goes through
/// `HTMLText.coordinate` (so never NaN), every text through `HTMLText.escape`.
struct SVGCanvas {
    static let font = "12"
    static let textColor = "#1a1a1a"
    static let axisColor = "#444444"
    static let gridColor = "#d9d9d9"
    static let referenceColor = "#555555"

    let width: Double
    var elements: [String] = []
    /// Boxes of texts already drawn that reference labels must not cover (bar values, notes).
    var occupied: [TextBox] = []

    init(width: Double) { self.width = width }

    static func c(_ x: Double) -> String { HTMLText.coordinate(x) }

    /// A rough text width at `size` px (sans-serif averages about 0.55 em per character).
    static func textWidth(_ text: String, size: Double = 12) -> Double { Double(text.count) * size * 0.55 }

    mutating func line(_ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double, stroke: String,
                       width: Double = 1, dash: String = "") {
        let d = dash.isEmpty ? "" : " stroke-dasharray=\"\(dash)\""
        elements.append("<line x1=\"\(Self.c(x1))\" y1=\"\(Self.c(y1))\" x2=\"\(Self.c(x2))\" y2=\"\(Self.c(y2))\" "
            + "stroke=\"\(stroke)\" stroke-width=\"\(Self.c(width))\"\(d)/>")
    }

    mutating func rect(_ x: Double, _ y: Double, _ w: Double, _ h: Double, fill: String, stroke: String? = nil,
                       strokeWidth: Double = 1) {
        let s = stroke.map { " stroke=\"\($0)\" stroke-width=\"\(Self.c(strokeWidth))\"" } ?? ""
        elements.append("<rect x=\"\(Self.c(x))\" y=\"\(Self.c(y))\" width=\"\(Self.c(max(0, w)))\" "
            + "height=\"\(Self.c(max(0, h)))\" fill=\"\(fill)\"\(s)/>")
    }

    /// A polyline through `points` (pixels); `stepAfter` draws each value flat to the next x.
    mutating func polyline(_ points: [(Double, Double)], stroke: String, width: Double = 2, dash: String = "",
                           stepAfter: Bool = false) {
        guard let first = points.first else { return }
        var d = "M\(Self.c(first.0)) \(Self.c(first.1))"
        for p in points.dropFirst() {
            d += stepAfter ? " H\(Self.c(p.0)) V\(Self.c(p.1))" : " L\(Self.c(p.0)) \(Self.c(p.1))"
        }
        let dashAttribute = dash.isEmpty ? "" : " stroke-dasharray=\"\(dash)\""
        elements.append("<path d=\"\(d)\" fill=\"none\" stroke=\"\(stroke)\" stroke-width=\"\(Self.c(width))\" "
            + "stroke-linejoin=\"round\"\(dashAttribute)/>")
    }

    /// A marker of `shape` centred at (x, y), `r` px from centre to edge.
    mutating func marker(_ shape: SeriesStyle.Marker, _ x: Double, _ y: Double, r: Double = 3.5, color: String,
                         filled: Bool = true) {
        let fill = filled ? color : "#ffffff"
        let common = "fill=\"\(fill)\" stroke=\"\(color)\" stroke-width=\"1.5\""
        switch shape {
        case .circle:
            elements.append("<circle cx=\"\(Self.c(x))\" cy=\"\(Self.c(y))\" r=\"\(Self.c(r))\" \(common)/>")
        case .square:
            elements.append("<rect x=\"\(Self.c(x - r))\" y=\"\(Self.c(y - r))\" width=\"\(Self.c(2 * r))\" "
                + "height=\"\(Self.c(2 * r))\" \(common)/>")
        case .triangle:
            let pts = [(x, y - r * 1.2), (x + r * 1.1, y + r * 0.9), (x - r * 1.1, y + r * 0.9)]
            elements.append("<polygon points=\"\(pts.map { "\(Self.c($0.0)),\(Self.c($0.1))" }.joined(separator: " "))\" \(common)/>")
        case .diamond:
            let pts = [(x, y - r * 1.3), (x + r * 1.3, y), (x, y + r * 1.3), (x - r * 1.3, y)]
            elements.append("<polygon points=\"\(pts.map { "\(Self.c($0.0)),\(Self.c($0.1))" }.joined(separator: " "))\" \(common)/>")
        }
    }

    /// A bar (or legend swatch) filled with `style`'s hatching, outlined in its colour.
    mutating func hatchedRect(_ x: Double, _ y: Double, _ w: Double, _ h: Double, style: SeriesStyle) {
        let color = style.color
        switch style.hatch {
        case .solid: rect(x, y, w, h, fill: color, stroke: color)
        case .outline: rect(x, y, w, h, fill: "#ffffff", stroke: color, strokeWidth: 2.5)
        default:
            rect(x, y, w, h, fill: "#ffffff", stroke: color, strokeWidth: 1.5)
            let gap = 4.0
            if style.hatch == .horizontal || style.hatch == .grid {
                var yy = y + gap
                while yy < y + h - 0.5 { line(x, yy, x + w, yy, stroke: color); yy += gap }
            }
            if style.hatch == .vertical || style.hatch == .grid {
                var xx = x + gap
                while xx < x + w - 0.5 { line(xx, y, xx, y + h, stroke: color); xx += gap }
            }
            if style.hatch == .diagonal {
                // Lines x + y = s (going up to the right) clipped to the rectangle.
                var s = x + y + gap
                while s < x + w + y + h - 0.5 {
                    let xa = max(x, s - (y + h)), xb = min(x + w, s - y)
                    if xb > xa { line(xa, s - xa, xb, s - xb, stroke: color) }
                    s += gap * 1.5
                }
            }
        }
    }

    /// `halo`: a white outline under the glyphs, so the text stays legible over lines.
    mutating func text(_ text: String, _ x: Double, _ y: Double, anchor: String = "start", size: Double = 12,
                       bold: Bool = false, rotate: Bool = false, color: String = SVGCanvas.textColor,
                       halo: Bool = false) {
        var attributes = "x=\"\(Self.c(x))\" y=\"\(Self.c(y))\""
        if halo { attributes += " stroke=\"#ffffff\" stroke-width=\"3\" paint-order=\"stroke\"" }
        if anchor != "start" { attributes += " text-anchor=\"\(anchor)\"" }
        if size != 12 { attributes += " font-size=\"\(Self.c(size))\"" }
        if bold { attributes += " font-weight=\"bold\"" }
        if rotate { attributes += " transform=\"rotate(-90 \(Self.c(x)) \(Self.c(y)))\"" }
        if color != Self.textColor { attributes += " fill=\"\(color)\"" }
        elements.append("<text \(attributes)>\(HTMLText.escape(text))</text>")
    }

    /// The chart title at the top left.
    mutating func title(_ title: String) {
        text(title, 10, 18, size: 14, bold: true)
    }

    /// Grid lines, ticks and tick labels of a continuous y axis, the axis line and its title.
    mutating func yAxis(_ scale: ChartScale, label: String, area: PlotArea) {
        for (t, name) in zip(scale.ticks, scale.labels) {
            guard let p = scale.position(t) else { continue }
            let y = area.y(p)
            line(area.x0, y, area.x1, y, stroke: Self.gridColor)
            line(area.x0 - 4, y, area.x0, y, stroke: Self.axisColor)
            text(name, area.x0 - 6, y + 4, anchor: "end", size: 11)
        }
        line(area.x0, area.y0, area.x0, area.y1, stroke: Self.axisColor)
        text(label, 14, (area.y0 + area.y1) / 2, anchor: "middle", rotate: true)
    }

    /// Grid lines, ticks and tick labels of a continuous x axis, the axis line and its title.
    mutating func xAxis(_ scale: ChartScale, label: String, area: PlotArea) {
        for (t, name) in zip(scale.ticks, scale.labels) {
            guard let p = scale.position(t) else { continue }
            let x = area.x(p)
            line(x, area.y0, x, area.y1, stroke: Self.gridColor)
            line(x, area.y1, x, area.y1 + 4, stroke: Self.axisColor)
            text(name, x, area.y1 + 17, anchor: "middle", size: 11)
        }
        line(area.x0, area.y1, area.x1, area.y1, stroke: Self.axisColor)
        text(label, (area.x0 + area.x1) / 2, area.y1 + 36, anchor: "middle")
    }

    /// Reference lines with their labels (positions outside the range are clamped to the edge):
    /// horizontal ones labelled at the right end above the line, vertical ones near the bottom,
    /// stacked upwards, on the side with more room.
    /// Reference lines with their labels. Each label takes the first of its candidate spots whose
    /// box meets no label placed before it (horizontal: right end above the line, left end
    /// above, right end below, left end below; vertical: beside the line from the bottom up, then
    /// from the top down), so labels never overlap one another.
    mutating func references(_ lines: [ReferenceLine], x: ChartScale, y: ChartScale, area: PlotArea) {
        var placed: [TextBox] = occupied
        func put(_ label: String, _ spots: [(x: Double, y: Double, anchor: String)]) {
            let boxes = spots.map { TextBox(label, x: $0.x, y: $0.y, anchor: $0.anchor, size: 11) }
            // Inside the plot (a little room above it for a line at the top), clear of the x-axis ticks.
            let k = boxes.firstIndex { b in b.bottom <= area.y1 && b.top >= area.y0 - 16 && !placed.contains(where: b.intersects) } ?? 0
            placed.append(boxes[k])
            text(label, spots[k].x, spots[k].y, anchor: spots[k].anchor, size: 11, color: Self.referenceColor, halo: true)
        }
        // Lines at the same place are one line with their labels joined ("SLO a: 2 s; SLO b: 2 s").
        var merged: [ReferenceLine] = []
        for r in lines {
            if let k = merged.firstIndex(where: { $0.orientation == r.orientation && $0.value == r.value }) {
                if !merged[k].label.contains(r.label) { merged[k].label += "; " + r.label }
            } else {
                merged.append(r)
            }
        }
        for r in merged {
            switch r.orientation {
            case .horizontal:
                guard let p = y.position(r.value) else { continue }
                let yy = area.y(p)
                line(area.x0, yy, area.x1, yy, stroke: Self.referenceColor, width: 1, dash: "1 2")
                put(r.label, [(area.x1 - 4, yy - 4, "end"), (area.x0 + 4, yy - 4, "start"),
                              (area.x1 - 4, yy + 13, "end"), (area.x0 + 4, yy + 13, "start")])
            case .vertical:
                guard let p = x.position(r.value) else { continue }
                let xx = area.x(p)
                line(xx, area.y0, xx, area.y1, stroke: Self.referenceColor, width: 1, dash: "1 2")
                let right = p < 0.6
                let (lx, anchor) = right ? (xx + 4, "start") : (xx - 4, "end")
                var spots: [(x: Double, y: Double, anchor: String)] = []
                for k in 0..<4 { spots.append((x: lx, y: area.y1 - 8 - 15 * Double(k), anchor: anchor)) }
                for k in 0..<4 { spots.append((x: lx, y: area.y0 + 14 + 15 * Double(k), anchor: anchor)) }
                put(r.label, spots)
            }
        }
    }

    enum Swatch {
        case line(SeriesStyle, marker: Bool)
        case bar(SeriesStyle)
        case marker(SeriesStyle.Marker, color: String, filled: Bool)
    }

    /// A legend below the plot from `top`, items flowing left to right and wrapping; returns
    /// the height it used.
    mutating func legend(_ items: [(Swatch, String)], left: Double, top: Double) -> Double {
        guard !items.isEmpty else { return 0 }
        let rowHeight = 20.0
        var x = left, y = top + 10
        for (swatch, label) in items {
            let itemWidth = 40 + Self.textWidth(label)
            if x > left && x + itemWidth > width - 10 {
                x = left
                y += rowHeight
            }
            switch swatch {
            case .line(let style, let marker):
                line(x, y, x + 30, y, stroke: style.color, width: 2, dash: style.dash)
                if marker { self.marker(style.marker, x + 15, y, color: style.color) }
            case .bar(let style):
                hatchedRect(x + 4, y - 7, 22, 14, style: style)
            case .marker(let shape, let color, let filled):
                self.marker(shape, x + 15, y, r: 4, color: color, filled: filled)
            }
            text(label, x + 36, y + 4)
            x += itemWidth + 14
        }
        return y - top + rowHeight
    }

    /// The complete `<svg>` element: white background, `title` as its accessible name.
    func render(title: String, height: Double) -> String {
        let w = Self.c(width), h = Self.c(height)
        return "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(w)\" height=\"\(h)\" viewBox=\"0 0 \(w) \(h)\" "
            + "role=\"img\" font-family=\"sans-serif\" font-size=\"\(Self.font)\" fill=\"\(Self.textColor)\">\n"
            + "<title>\(HTMLText.escape(title))</title>\n"
            + "<rect x=\"0\" y=\"0\" width=\"\(w)\" height=\"\(h)\" fill=\"#ffffff\"/>\n"
            + elements.joined(separator: "\n") + "\n</svg>"
    }
}
