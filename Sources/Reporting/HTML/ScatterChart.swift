import ServingModel
import SimulationEngine
import Foundation

/// A labelled point of a scatter chart (e.g. one configuration: cost per request vs p95 TTFT).
public struct ScatterPoint: Sendable, Equatable {
    /// Printed beside the point when there is room (labels never overlap: one without room is dropped).
    public var label: String
    public var x: Double
    public var y: Double
    /// Which of the chart's `groups` it belongs to: the marker shape (and colour) says so.
    public var group: Int
    /// Drawn hollow (e.g. a size that misses an SLO); filled otherwise.
    public var hollow: Bool

    public init(_ label: String, x: Double, y: Double, group: Int = 0, hollow: Bool = false) {
        self.label = label
        self.x = x
        self.y = y
        self.group = group
        self.hollow = hollow
    }
}

/// Where a point's label goes: its baseline start and anchor, in SVG pixels.
public struct LabelPlacement: Sendable, Equatable {
    public var x: Double, y: Double
    public var anchor: String
}

/// A text's box in SVG pixels (y grows downwards).
public struct TextBox: Sendable, Equatable {
    public var left: Double, top: Double, right: Double, bottom: Double

    /// The box of `text` at `size` px drawn at (x, y) with `anchor`, from a deliberately wide
    /// estimate of the glyphs (0.62 em per character, the widest of common sans-serif fonts'
    /// averages, plus 2 px), so boxes that do not meet here do not meet in a browser either.
    public init(_ text: String, x: Double, y: Double, anchor: String, size: Double) {
        let w = Double(text.count) * size * 0.62 + 2
        switch anchor {
        case "end": left = x - w; right = x
        case "middle": left = x - w / 2; right = x + w / 2
        default: left = x; right = x + w
        }
        top = y - size
        bottom = y + size * 0.3
    }

    public init(left: Double, top: Double, right: Double, bottom: Double) {
        self.left = left; self.top = top; self.right = right; self.bottom = bottom
    }

    public func intersects(_ o: TextBox) -> Bool { left < o.right && o.left < right && top < o.bottom && o.top < bottom }
}

/// A scatter chart of labelled points with an optional frontier line connecting some of them
/// (e.g. the Pareto frontier of cost vs p95 TTFT), as a standalone SVG element. Frontier points
/// are filled markers joined by a dashed line, other points hollow markers; a text legend says
/// which is which, so the chart reads without colour. Deterministic; no points, one point or
/// all-equal values give a valid chart.
public struct ScatterChart: Sendable, Equatable {
    public var title: String
    public var x: ChartAxis
    public var y: ChartAxis
    public var points: [ScatterPoint]
    /// Indices into `points` joined by the frontier line (drawn in order of x); empty for none.
    public var frontier: [Int]
    /// Legend text of the frontier.
    public var frontierName: String
    /// Legend text of the other points.
    public var pointsName: String
    /// Legend names of the point groups (marker shapes); empty: one unnamed group.
    public var groups: [String]
    /// Legend text of hollow points (nil: no hollow points are told apart).
    public var hollowName: String?
    /// Points above this y are drawn in a band at the top of the plot, not on the scale, so a
    /// few far-off points do not squash the rest (nil: no clipping).
    public var yClip: Double?
    public var references: [ReferenceLine]
    /// SVG pixels (the legend adds height below).
    public var width: Int
    public var height: Int

    public init(title: String, x: ChartAxis, y: ChartAxis, points: [ScatterPoint], frontier: [Int] = [],
                frontierName: String = "Pareto frontier (lower is better on both axes)",
                pointsName: String = "other points", groups: [String] = [], hollowName: String? = nil, yClip: Double? = nil,
                references: [ReferenceLine] = [], width: Int = 760, height: Int = 360) {
        self.groups = groups
        self.hollowName = hollowName
        self.yClip = yClip
        self.title = title
        self.x = x
        self.y = y
        self.points = points
        self.frontier = frontier
        self.frontierName = frontierName
        self.pointsName = pointsName
        self.references = references
        self.width = width
        self.height = height
    }

    /// Indices of the points no other point beats on both coordinates when lower is better on
    /// both (see the free function `paretoFrontier(x:y:)`).
    public static func paretoFrontier(_ points: [ScatterPoint]) -> [Int] {
        ServingModel.paretoFrontier(x: points.map(\.x), y: points.map(\.y))
    }

    /// Places labels in `order` (the first are most important): each takes the first of six
    /// spots around its point (right above, right below, left above, left below, above, below)
    /// whose box stays inside `bounds` and meets no box placed before it or in `obstacles`; a
    /// label with no such spot is dropped (nil). Pure; the boxes of placed labels never intersect.
    public static func placeLabels(_ labels: [(text: String, x: Double, y: Double)], order: [Int], bounds: TextBox,
                                   obstacles: [TextBox], size: Double) -> [LabelPlacement?] {
        var placed = obstacles
        var result = [LabelPlacement?](repeating: nil, count: labels.count)
        let spots: [(dx: Double, dy: Double, anchor: String)] = [(7, -6, "start"), (7, 14, "start"), (-7, -6, "end"),
                                                                  (-7, 14, "end"), (0, -10, "middle"), (0, 20, "middle")]
        for i in order where labels.indices.contains(i) && !labels[i].text.isEmpty {
            let l = labels[i]
            for spot in spots {
                let box = TextBox(l.text, x: l.x + spot.dx, y: l.y + spot.dy, anchor: spot.anchor, size: size)
                guard box.left >= bounds.left, box.right <= bounds.right, box.top >= bounds.top, box.bottom <= bounds.bottom,
                      !placed.contains(where: box.intersects) else { continue }
                placed.append(box)
                result[i] = LabelPlacement(x: l.x + spot.dx, y: l.y + spot.dy, anchor: spot.anchor)
                break
            }
        }
        return result
    }

    /// The chart as an `<svg>` element.
    public func svg() -> String {
        let w = Double(max(width, 200)), h = Double(max(height, 120))
        let clipped = { (p: ScatterPoint) in yClip.map { p.y > $0 } ?? false }
        let xScale = ChartScale(values: points.map(\.x) + references.filter { $0.orientation == .vertical }.map(\.value),
                                axis: x)
        let yScale = ChartScale(values: points.filter { !clipped($0) }.map(\.y)
                                    + references.filter { $0.orientation == .horizontal }.map(\.value),
                                axis: y)
        let anyClipped = points.contains(where: clipped)
        // The band for clipped points sits above the scale.
        let band = anyClipped ? 22.0 : 0
        let area = PlotArea(x0: 70, x1: w - 30, y0: 32 + band, y1: h - 46)
        var canvas = SVGCanvas(width: w)
        canvas.title(title)
        canvas.yAxis(yScale, label: y.label, area: area)
        canvas.xAxis(xScale, label: x.label, area: area)
        var obstacles: [TextBox] = []
        if anyClipped, let yClip {
            let note = "above \(NumberFormat.number(yClip)) (off the scale)"
            canvas.rect(area.x0, 30, area.x1 - area.x0, band - 2, fill: "#f2f2f2")
            canvas.text(note, area.x1 - 4, 30 + band - 8, anchor: "end", size: 11, color: SVGCanvas.referenceColor)
            obstacles.append(TextBox(note, x: area.x1 - 4, y: 30 + band - 8, anchor: "end", size: 11))
        }
        canvas.references(references, x: xScale, y: yScale, area: area)
        func pixel(_ p: ScatterPoint) -> (Double, Double)? {
            guard let px = xScale.position(p.x) else { return nil }
            if clipped(p) { return (area.x(px), 30 + band / 2 - 1) }
            guard let py = yScale.position(p.y) else { return nil }
            return (area.x(px), area.y(py))
        }
        let frontierStyle = SeriesStyle(1)
        let onFrontier = Set(frontier.filter { points.indices.contains($0) })
        let line = onFrontier.sorted { a, b in
            points[a].x != points[b].x ? points[a].x < points[b].x : a < b
        }.compactMap { pixel(points[$0]) }
        canvas.polyline(line, stroke: frontierStyle.color, width: 2.5, dash: frontierStyle.dash)
        let grouped = !groups.isEmpty
        func style(_ p: ScatterPoint) -> SeriesStyle { SeriesStyle(grouped ? p.group : 0) }
        var pixels: [(Double, Double)?] = []
        for (i, p) in points.enumerated() {
            let at = pixel(p)
            pixels.append(at)
            guard let (px, py) = at else { continue }
            let filled = grouped ? !p.hollow : onFrontier.contains(i)
            let shape = grouped ? style(p).marker : (onFrontier.contains(i) ? .diamond : .circle)
            let color = grouped ? style(p).color : (onFrontier.contains(i) ? frontierStyle.color : SeriesStyle(0).color)
            // The frontier is emphasised: a larger marker with a ring.
            if grouped && onFrontier.contains(i) { canvas.marker(.circle, px, py, r: 8, color: frontierStyle.color, filled: false) }
            canvas.marker(shape, px, py, r: onFrontier.contains(i) ? 5 : 4, color: color, filled: filled)
        }
        if pixels.allSatisfy({ $0 == nil }) {
            canvas.text("no data", (area.x0 + area.x1) / 2, (area.y0 + area.y1) / 2, anchor: "middle")
        }
        // Labels: frontier first, then filled points, then the rest; never overlapping each other
        // or the reference lines' labels.
        let labels = points.indices.map { i in (text: pixels[i] == nil ? "" : points[i].label, x: pixels[i]?.0 ?? 0, y: pixels[i]?.1 ?? 0) }
        let order = points.indices.sorted { a, b in
            let ka = (onFrontier.contains(a) ? 0 : points[a].hollow ? 2 : 1), kb = (onFrontier.contains(b) ? 0 : points[b].hollow ? 2 : 1)
            return ka != kb ? ka < kb : a < b
        }
        obstacles += references.compactMap { r -> TextBox? in
            guard r.orientation == .horizontal, let p = yScale.position(r.value) else { return nil }
            return TextBox(r.label, x: area.x1 - 4, y: area.y(p) - 4, anchor: "end", size: 11)
        }
        let placements = Self.placeLabels(labels, order: order, bounds: TextBox(left: area.x0, top: 30, right: area.x1, bottom: area.y1),
                                          obstacles: obstacles, size: 11)
        for (i, placement) in placements.enumerated() {
            guard let placement else { continue }
            canvas.text(points[i].label, placement.x, placement.y, anchor: placement.anchor, size: 11, halo: true)
        }
        var legend: [(SVGCanvas.Swatch, String)] = []
        for (g, name) in groups.enumerated() {
            legend.append((.marker(SeriesStyle(g).marker, color: SeriesStyle(g).color, filled: true), name))
        }
        if let hollowName, points.contains(where: \.hollow) {
            legend.append((.marker(.circle, color: SVGCanvas.axisColor, filled: false), hollowName))
        }
        if !onFrontier.isEmpty {
            legend.append((.line(frontierStyle, marker: false), frontierName))
            if !grouped { legend.append((.marker(.diamond, color: frontierStyle.color, filled: true), "on the frontier")) }
        }
        if !grouped && onFrontier.count < points.count {
            legend.append((.marker(.circle, color: SeriesStyle(0).color, filled: false), pointsName))
        }
        let legendHeight = canvas.legend(legend, left: area.x0, top: h - 4)
        return canvas.render(title: title, height: h + legendHeight)
    }
}
