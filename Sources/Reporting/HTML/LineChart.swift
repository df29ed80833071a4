import ServingModel
import SimulationEngine
import Foundation

/// A named sequence of points of a line chart (in the units of the chart's axes).
public struct ChartSeries: Sendable, Equatable {
    /// Shown in the legend.
    public var name: String
    /// Drawn in order; points with a non-finite coordinate (or one <= 0 on a log axis) are
    /// skipped.
    public var points: [ChartPoint]

    public init(_ name: String, points: [ChartPoint]) {
        self.name = name
        self.points = points
    }
}

/// A line chart of several named series as a standalone SVG element (inline in HTML, or saved
/// as a `.svg` file). Series are told apart by dash pattern and, when they have few points,
/// marker shape, with a text legend below the plot, so the chart reads without colour.
///
/// Deterministic: the same chart gives the same bytes. Empty series, a single point and
/// all-equal values give a valid chart (never NaN or infinity in the SVG).
public struct LineChart: Sendable, Equatable {
    public enum Interpolation: Sendable, Equatable {
        /// Straight segments between points.
        case linear
        /// Each value holds until the next point's x (for per-interval values and levels).
        case stepAfter
    }

    /// Shown above the plot and as the SVG's accessible name.
    public var title: String
    public var x: ChartAxis
    public var y: ChartAxis
    public var series: [ChartSeries]
    public var references: [ReferenceLine]
    public var interpolation: Interpolation
    /// Series with at most this many points also get a marker at each point.
    public var markerLimit: Int
    /// Size of the plot and its labels, SVG pixels (the legend adds height below).
    public var width: Int
    public var height: Int

    public init(title: String, x: ChartAxis, y: ChartAxis, series: [ChartSeries], references: [ReferenceLine] = [],
                interpolation: Interpolation = .linear, markerLimit: Int = 40, width: Int = 760, height: Int = 300) {
        self.title = title
        self.x = x
        self.y = y
        self.series = series
        self.references = references
        self.interpolation = interpolation
        self.markerLimit = markerLimit
        self.width = width
        self.height = height
    }

    /// The chart as an `<svg>` element.
    public func svg() -> String {
        let w = Double(max(width, 200)), h = Double(max(height, 120))
        let xScale = ChartScale(values: series.flatMap { $0.points.map(\.x) }
            + references.filter { $0.orientation == .vertical }.map(\.value), axis: x)
        let yScale = ChartScale(values: series.flatMap { $0.points.map(\.y) }
            + references.filter { $0.orientation == .horizontal }.map(\.value), axis: y)
        let area = PlotArea(x0: 70, x1: w - 20, y0: 32, y1: h - 46)
        var canvas = SVGCanvas(width: w)
        canvas.title(title)
        canvas.yAxis(yScale, label: y.label, area: area)
        canvas.xAxis(xScale, label: x.label, area: area)
        var legend: [(SVGCanvas.Swatch, String)] = []
        for (i, s) in series.enumerated() {
            let style = SeriesStyle(i)
            let pixels: [(Double, Double)] = s.points.compactMap { p in
                guard let px = xScale.position(p.x), let py = yScale.position(p.y) else { return nil }
                return (area.x(px), area.y(py))
            }
            canvas.polyline(pixels, stroke: style.color, dash: style.dash, stepAfter: interpolation == .stepAfter)
            let markers = pixels.count <= markerLimit
            if markers {
                for (px, py) in pixels { canvas.marker(style.marker, px, py, color: style.color) }
            }
            legend.append((.line(style, marker: markers), pixels.isEmpty ? "\(s.name) (no data)" : s.name))
        }
        if series.allSatisfy({ $0.points.isEmpty }) {
            canvas.text("no data", (area.x0 + area.x1) / 2, (area.y0 + area.y1) / 2, anchor: "middle")
        }
        canvas.references(references, x: xScale, y: yScale, area: area)
        let legendHeight = canvas.legend(legend, left: area.x0, top: h - 4)
        return canvas.render(title: title, height: h + legendHeight)
    }
}
