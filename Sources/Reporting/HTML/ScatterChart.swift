import ServingModel
import SimulationEngine
import Foundation

/// A labelled point of a scatter chart (e.g. one configuration: cost per request vs p95 TTFT).
public struct ScatterPoint: Sendable, Equatable {
    /// Printed beside the point.
    public var label: String
    public var x: Double
    public var y: Double

    public init(_ label: String, x: Double, y: Double) {
        self.label = label
        self.x = x
        self.y = y
    }
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
    public var references: [ReferenceLine]
    /// SVG pixels (the legend adds height below).
    public var width: Int
    public var height: Int

    public init(title: String, x: ChartAxis, y: ChartAxis, points: [ScatterPoint], frontier: [Int] = [],
                frontierName: String = "Pareto frontier (lower is better on both axes)",
                pointsName: String = "other points", references: [ReferenceLine] = [],
                width: Int = 760, height: Int = 360) {
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

    /// The chart as an `<svg>` element.
    public func svg() -> String {
        let w = Double(max(width, 200)), h = Double(max(height, 120))
        let xScale = ChartScale(values: points.map(\.x) + references.filter { $0.orientation == .vertical }.map(\.value),
                                axis: x)
        let yScale = ChartScale(values: points.map(\.y) + references.filter { $0.orientation == .horizontal }.map(\.value),
                                axis: y)
        let area = PlotArea(x0: 70, x1: w - 30, y0: 32, y1: h - 46)
        var canvas = SVGCanvas(width: w)
        canvas.title(title)
        canvas.yAxis(yScale, label: y.label, area: area)
        canvas.xAxis(xScale, label: x.label, area: area)
        canvas.references(references, x: xScale, y: yScale, area: area)
        func pixel(_ p: ScatterPoint) -> (Double, Double)? {
            guard let px = xScale.position(p.x), let py = yScale.position(p.y) else { return nil }
            return (area.x(px), area.y(py))
        }
        let frontierStyle = SeriesStyle(1)
        let pointColor = SeriesStyle(0).color
        let onFrontier = Set(frontier.filter { points.indices.contains($0) })
        let line = onFrontier.sorted { a, b in
            points[a].x != points[b].x ? points[a].x < points[b].x : a < b
        }.compactMap { pixel(points[$0]) }
        canvas.polyline(line, stroke: frontierStyle.color, width: 2, dash: frontierStyle.dash)
        var drawn = 0
        for (i, p) in points.enumerated() {
            guard let (px, py) = pixel(p) else { continue }
            drawn += 1
            let filled = onFrontier.contains(i)
            canvas.marker(filled ? .diamond : .circle, px, py, r: 4, color: filled ? frontierStyle.color : pointColor,
                          filled: filled)
            let rightSide = px < area.x1 - SVGCanvas.textWidth(p.label, size: 11) - 8
            canvas.text(p.label, rightSide ? px + 7 : px - 7, py - 6, anchor: rightSide ? "start" : "end", size: 11)
        }
        if drawn == 0 {
            canvas.text("no data", (area.x0 + area.x1) / 2, (area.y0 + area.y1) / 2, anchor: "middle")
        }
        var legend: [(SVGCanvas.Swatch, String)] = []
        if !onFrontier.isEmpty {
            legend.append((.line(frontierStyle, marker: false), frontierName))
            legend.append((.marker(.diamond, color: frontierStyle.color, filled: true), "on the frontier"))
        }
        if onFrontier.count < points.count {
            legend.append((.marker(.circle, color: pointColor, filled: false), pointsName))
        }
        let legendHeight = canvas.legend(legend, left: area.x0, top: h - 4)
        return canvas.render(title: title, height: h + legendHeight)
    }
}
