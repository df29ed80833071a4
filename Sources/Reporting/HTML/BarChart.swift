import ServingModel
import SimulationEngine
import Foundation

/// One series of a bar chart: a value per category (in the chart's y unit).
public struct BarSeries: Sendable, Equatable {
    /// Shown in the legend.
    public var name: String
    /// Indexed like the chart's categories; a missing or non-finite value draws no bar.
    public var values: [Double]
    /// Half-widths of each value's interval (e.g. 95% over replications), drawn as error bars;
    /// empty or 0 for none.
    public var errors: [Double]

    public init(_ name: String, values: [Double], errors: [Double] = []) {
        self.name = name
        self.values = values
        self.errors = errors
    }

    /// The half-width at category `c` (0 when none).
    func error(_ c: Int) -> Double { c < errors.count && errors[c].isFinite ? max(0, errors[c]) : 0 }
}

/// A grouped bar chart (categories along x, one bar per series in each group; for side-by-side
/// comparisons such as p95 TTFT per scenario) as a standalone SVG element. Series are told apart
/// by hatching (solid, diagonal, outline, horizontal, grid, vertical) with a text legend, and
/// each bar can carry its value as text, so the chart reads without colour. The y axis always
/// includes 0; negative values draw downwards from it. Deterministic; no data gives a valid,
/// empty chart.
public struct BarChart: Sendable, Equatable {
    public var title: String
    /// Group labels along the x axis, in order.
    public var categories: [String]
    public var series: [BarSeries]
    /// Value axis (linear; `scale` is ignored).
    public var y: ChartAxis
    /// Title under the category labels (e.g. "scenario"); empty for none.
    public var xLabel: String
    /// Print each bar's value above it (`HTMLText.compact`), when there are at most 48 bars.
    public var showValues: Bool
    public var references: [ReferenceLine]
    /// SVG pixels (the legend adds height below).
    public var width: Int
    public var height: Int

    public init(title: String, categories: [String], series: [BarSeries], y: ChartAxis, xLabel: String = "",
                showValues: Bool = true, references: [ReferenceLine] = [], width: Int = 760, height: Int = 300) {
        self.title = title
        self.categories = categories
        self.series = series
        self.y = y
        self.xLabel = xLabel
        self.showValues = showValues
        self.references = references
        self.width = width
        self.height = height
    }

    /// The chart as an `<svg>` element.
    public func svg() -> String {
        let w = Double(max(width, 200)), h = Double(max(height, 120))
        var axis = y
        axis.scale = .linear
        let values = series.flatMap { s in s.values.prefix(categories.count) }
        let ends = series.flatMap { s in s.values.prefix(categories.count).enumerated().map { $0.element + s.error($0.offset) } }
        let yScale = ChartScale(values: values + ends + references.filter { $0.orientation == .horizontal }.map(\.value),
                                axis: axis, forceZero: true)
        let area = PlotArea(x0: 70, x1: w - 20, y0: 32, y1: h - 46)
        var canvas = SVGCanvas(width: w)
        canvas.title(title)
        canvas.yAxis(yScale, label: y.label, area: area)
        canvas.line(area.x0, area.y1, area.x1, area.y1, stroke: SVGCanvas.axisColor)
        let groups = Double(max(categories.count, 1))
        let band = (area.x1 - area.x0) / groups
        let barWidth = band * 0.8 / Double(max(series.count, 1))
        let zero = area.y(yScale.position(0) ?? 0)
        let labelValues = showValues && categories.count * series.count <= 48
        for (c, category) in categories.enumerated() {
            let left = area.x0 + Double(c) * band
            canvas.text(category, left + band / 2, area.y1 + 17, anchor: "middle", size: 11)
            for (i, s) in series.enumerated() where c < s.values.count && s.values[c].isFinite {
                let v = s.values[c]
                guard let p = yScale.position(v) else { continue }
                let top = area.y(p)
                let x = left + band * 0.1 + Double(i) * barWidth
                canvas.hatchedRect(x + 1, min(top, zero), barWidth - 2, abs(zero - top), style: SeriesStyle(i))
                var labelTop = top
                let e = s.error(c)
                if e > 0, let hi = yScale.position(v + e), let lo = yScale.position(v - e) ?? yScale.position(0) {
                    // The interval as a whisker with caps.
                    let mid = x + barWidth / 2, cap = min(6, barWidth / 4)
                    let yHi = area.y(hi), yLo = area.y(lo)
                    canvas.line(mid, yHi, mid, yLo, stroke: SVGCanvas.axisColor, width: 1.5)
                    canvas.line(mid - cap, yHi, mid + cap, yHi, stroke: SVGCanvas.axisColor, width: 1.5)
                    canvas.line(mid - cap, yLo, mid + cap, yLo, stroke: SVGCanvas.axisColor, width: 1.5)
                    if v >= 0 { labelTop = min(top, yHi) }
                }
                if labelValues {
                    let ty = v >= 0 ? labelTop - 4 : top + 13
                    let text = HTMLText.compact(v)
                    canvas.text(text, x + barWidth / 2, ty, anchor: "middle", size: 10)
                    canvas.occupied.append(TextBox(text, x: x + barWidth / 2, y: ty, anchor: "middle", size: 10))
                }
            }
        }
        if categories.isEmpty || values.allSatisfy({ !$0.isFinite }) {
            canvas.text("no data", (area.x0 + area.x1) / 2, (area.y0 + area.y1) / 2, anchor: "middle")
        }
        if !xLabel.isEmpty { canvas.text(xLabel, (area.x0 + area.x1) / 2, area.y1 + 36, anchor: "middle") }
        let xScale = ChartScale(values: [], axis: ChartAxis(""))
        canvas.references(references.filter { $0.orientation == .horizontal }, x: xScale, y: yScale, area: area)
        let legend = series.enumerated().map { (i, s) in (SVGCanvas.Swatch.bar(SeriesStyle(i)), s.name) }
        let legendHeight = canvas.legend(legend, left: area.x0, top: h - 4)
        return canvas.render(title: title, height: h + legendHeight)
    }
}
