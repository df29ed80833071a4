import ServingModel
import SimulationEngine
import Foundation

/// A point of a chart, in the units of its axes.
public struct ChartPoint: Sendable, Equatable {
    public var x: Double
    public var y: Double

    public init(x: Double, y: Double) {
        self.x = x
        self.y = y
    }
}

/// One axis of a chart: its label (say the unit in it, e.g. "TTFT (s, log scale)"), its scale
/// and optional fixed bounds. Without bounds the range covers the data (and reference lines),
/// widened to round tick values; a single value or all-equal values get a range around them;
/// no data gives 0...1 (1...10 on a log axis).
public struct ChartAxis: Sendable, Equatable {
    public enum Scale: Sendable, Equatable {
        case linear
        /// Base-10 logarithmic: values <= 0 are not drawn.
        case log
    }

    /// Axis title, with the unit.
    public var label: String
    public var scale: Scale
    /// Fixed lower and upper bounds in data units (ignored when not positive on a log axis).
    public var min: Double?
    public var max: Double?
    /// Linear axes: stretch the range to include 0 (bar charts always do).
    public var includesZero: Bool

    public init(_ label: String, scale: Scale = .linear, min: Double? = nil, max: Double? = nil,
                includesZero: Bool = false) {
        self.label = label
        self.scale = scale
        self.min = min
        self.max = max
        self.includesZero = includesZero
    }
}

/// A labelled straight line across the plot at a fixed value: `horizontal` at a y value (e.g.
/// burn rate 1), `vertical` at an x value (e.g. an SLO threshold). Drawn thin and grey, with
/// its label as text beside it.
public struct ReferenceLine: Sendable, Equatable {
    public enum Orientation: Sendable, Equatable { case horizontal, vertical }

    public var orientation: Orientation
    /// Position in the units of the axis it crosses.
    public var value: Double
    public var label: String

    public init(_ orientation: Orientation, at value: Double, label: String) {
        self.orientation = orientation
        self.value = value
        self.label = label
    }
}

/// An axis range with its ticks, mapping data values to 0...1 along the axis.
struct ChartScale {
    let lo: Double
    let hi: Double
    let log: Bool
    let ticks: [Double]
    let labels: [String]

    /// The range of `values` (non-finite ones, huge ones and, on a log axis, non-positive ones
    /// ignored) under `axis`'s settings.
    init(values: [Double], axis: ChartAxis, forceZero: Bool = false) {
        if axis.scale == .log {
            self.init(logValues: values, axis: axis)
        } else {
            self.init(linearValues: values, axis: axis, includesZero: axis.includesZero || forceZero)
        }
    }

    private init(linearValues values: [Double], axis: ChartAxis, includesZero: Bool) {
        let finite = values.filter { $0.isFinite && abs($0) < 1e300 }
        var lo = finite.min() ?? 0
        var hi = finite.max() ?? (finite.isEmpty ? 1 : 0)
        if includesZero { lo = Swift.min(lo, 0); hi = Swift.max(hi, 0) }
        let fixedLo = axis.min.flatMap { $0.isFinite ? $0 : nil }
        let fixedHi = axis.max.flatMap { $0.isFinite ? $0 : nil }
        if let f = fixedLo { lo = f }
        if let f = fixedHi { hi = f }
        if !(hi > lo) {
            let pad = lo == 0 ? 1 : abs(lo) * 0.5
            if fixedLo != nil && fixedHi == nil {
                hi = lo + pad
            } else if fixedHi != nil && fixedLo == nil {
                lo = hi - pad
            } else {
                let nonNegative = lo >= 0
                lo -= pad
                hi += pad
                if includesZero && nonNegative { lo = Swift.max(lo, 0) }
            }
        }
        let step = Self.niceStep((hi - lo) / 5)
        let niceLo = fixedLo ?? (lo / step).rounded(.down) * step
        let niceHi = fixedHi ?? (hi / step).rounded(.up) * step
        self.lo = niceLo
        self.hi = niceHi > niceLo ? niceHi : niceLo + step
        self.log = false
        var ticks: [Double] = []
        var k = (self.lo / step - 1e-9).rounded(.up)
        while ticks.count < 25 {
            var t = k * step
            if t > self.hi + step * 1e-9 { break }
            if abs(t) < step * 1e-9 { t = 0 }
            ticks.append(t)
            k += 1
        }
        self.ticks = ticks
        let decimals = Self.decimals(of: step)
        labels = ticks.map { HTMLText.trimmed(String(format: "%.\(decimals)f", $0)) }
    }

    private init(logValues values: [Double], axis: ChartAxis) {
        let positive = values.filter { $0.isFinite && $0 > 0 && $0 < 1e300 && $0 > 1e-300 }
        var loExp: Double, hiExp: Double
        if let mn = positive.min(), let mx = positive.max() {
            loExp = Foundation.log10(mn).rounded(.down)
            hiExp = Foundation.log10(mx).rounded(.up)
            if mn == mx {
                loExp = (Foundation.log10(mn) - 0.5).rounded(.down)
                hiExp = (Foundation.log10(mn) + 0.5).rounded(.up)
            }
        } else {
            loExp = 0
            hiExp = 1
        }
        if let f = axis.min, f.isFinite, f > 0 { loExp = Foundation.log10(f) }
        if let f = axis.max, f.isFinite, f > 0 { hiExp = Foundation.log10(f) }
        if !(hiExp > loExp) { hiExp = loExp + 1 }
        lo = Foundation.pow(10, loExp)
        hi = Foundation.pow(10, hiExp)
        log = true
        var ticks: [Double] = []
        let decades = hiExp - loExp
        let every = Swift.max(1, Int((decades / 8).rounded(.up)))
        let multiples: [Double] = decades <= 2 ? [1, 2, 5] : [1]
        var e = Int(loExp.rounded(.down))
        while Double(e) <= hiExp + 1e-9 {
            if e % every == 0 {
                for m in multiples {
                    let t = m * Foundation.pow(10, Double(e))
                    if t >= lo * (1 - 1e-9) && t <= hi * (1 + 1e-9) { ticks.append(t) }
                }
            }
            e += 1
        }
        self.ticks = ticks
        labels = ticks.map(HTMLText.compact)
    }

    /// Position of `v` along the axis, 0 at `lo` and 1 at `hi`, clamped to -0.02...1.02; nil
    /// for a value that cannot be drawn (non-finite, or not positive on a log axis).
    func position(_ v: Double) -> Double? {
        guard v.isFinite else { return nil }
        let p: Double
        if log {
            guard v > 0 else { return nil }
            p = (Foundation.log10(v) - Foundation.log10(lo)) / (Foundation.log10(hi) - Foundation.log10(lo))
        } else {
            p = (v - lo) / (hi - lo)
        }
        guard p.isFinite else { return nil }
        return Swift.min(1.02, Swift.max(-0.02, p))
    }

    /// 1, 2, 2.5 or 5 times a power of 10, at least `raw` (positive, finite); 1 otherwise.
    static func niceStep(_ raw: Double) -> Double {
        guard raw.isFinite, raw > 0 else { return 1 }
        let power = Foundation.pow(10, Foundation.log10(raw).rounded(.down))
        for m in [1.0, 2, 2.5, 5, 10] where m * power >= raw * (1 - 1e-9) { return m * power }
        return 10 * power
    }

    /// Decimals needed to print multiples of `step` exactly.
    static func decimals(of step: Double) -> Int {
        for d in 0...9 {
            let scaled = step * Foundation.pow(10, Double(d))
            if abs(scaled - scaled.rounded()) < 1e-6 * Swift.max(1, scaled) { return d }
        }
        return 9
    }
}
