import ServingModel
import Reporting
import Foundation

/// `servesim check`: compares a fresh report of a scenario with its committed baseline report and
/// decides, metric by metric, whether it regressed. Pure functions; the CLI only loads and runs.
///
/// Guarded metrics (`metrics(baseline:current:)`): TTFT and E2E at p95 and p99 (seconds); per SLO
/// whether it is met and the projected share of its error budget consumed
/// (`errorBudgetConsumedProjected`, a fraction); cost per completed request (USD).
///
/// The rule (`judge`), with a relative tolerance `tol` (a fraction, default 0.05):
/// - a lower-is-better metric regresses when `new > old x (1 + tol)` and `new - old > absoluteFloor`;
/// - a higher-is-better metric regresses when `new < old x (1 - tol)` and `old - new > absoluteFloor`;
/// - an SLO that was met and is no longer met regresses whatever the tolerance;
/// - the mirror images (better by more than the tolerance, an SLO newly met) are improvements,
///   reported but passing; anything else is within tolerance.
/// An SLO in the baseline but not in the current report regresses (the guard was removed: re-record
/// the baseline on purpose); one only in the current report is new and passes.
public enum RegressionCheck {
    /// The default relative tolerance: 5%.
    public static let defaultTolerance = 0.05
    /// Differences at or below this (in the metric's unit) never count, so 0 -> 0 and rounding
    /// noise pass.
    public static let absoluteFloor = 1e-9

    /// What happened to one metric.
    public enum Status: String, Sendable, Equatable {
        /// Within tolerance of the baseline.
        case ok
        /// Better than the baseline by more than the tolerance (or an SLO newly met). Passes.
        case improved
        /// Worse than the baseline beyond the tolerance, or an SLO no longer met. Fails.
        case regressed
        /// Only in the current report (a new SLO): nothing to compare with. Passes.
        case added
        /// Only in the baseline (an SLO that is gone). Fails.
        case removed
        /// An SLO not met now that the baseline did not meet either: not a regression, but
        /// reported (the absolute gate). Passes unless SLOs are required.
        case unmet
        /// An SLO not met now, with `--require-slos`. Fails.
        case required
        /// Worse beyond the tolerance on average over replications, but not significantly (the
        /// 95% Welch interval of the difference holds 0). Passes.
        case notSignificant

        /// Whether this status fails the check.
        public var fails: Bool { self == .regressed || self == .removed || self == .required }
    }

    /// How a metric is judged: by relative tolerance, or (SLO met, as 1 or 0) must stay met.
    public enum Rule: Sendable, Equatable {
        case relative
        case mustStayMet
    }

    /// One metric of one scenario, compared.
    public struct MetricResult: Sendable, Equatable {
        /// Stable key, e.g. `ttft.p95`, `slo.ttft-p95.met`, `cost.perRequest` (`ReportMetric.key`).
        public var key: String
        /// Human label, e.g. "TTFT p95".
        public var label: String
        public var unit: ReportMetric.Unit
        public var lowerIsBetter: Bool
        public var rule: Rule
        /// Baseline value in `unit` (SLO met: 1 or 0); nil when the baseline lacks the metric.
        public var baseline: Double?
        /// Current value in `unit`; nil when the current report lacks the metric.
        public var current: Double?
        /// The worst passing value: `old x (1 +- tol)` for `.relative`; 1 (met) for `.mustStayMet`
        /// when the baseline was met; nil when there is nothing to hold to.
        public var limit: Double?
        public var status: Status
        /// With replications: the 95% half-widths of the baseline's and the current mean (0 with one run).
        public var baselineHalfWidth: Double = 0
        public var currentHalfWidth: Double = 0

        public init(key: String, label: String, unit: ReportMetric.Unit, lowerIsBetter: Bool, rule: Rule,
                    baseline: Double?, current: Double?, limit: Double?, status: Status) {
            self.key = key
            self.label = label
            self.unit = unit
            self.lowerIsBetter = lowerIsBetter
            self.rule = rule
            self.baseline = baseline
            self.current = current
            self.limit = limit
            self.status = status
        }

        /// (current - baseline) / baseline as a fraction; nil when either is missing, the baseline
        /// is 0, or the metric is an SLO's met flag.
        public var change: Double? {
            guard rule == .relative, let b = baseline, let c = current, b != 0 else { return nil }
            return (c - b) / b
        }

        /// One line naming the metric with old, new and limit, e.g.
        /// `TTFT p95 regressed: 812.3 ms -> 1.020 s (limit 852.9 ms, +25.6%)`.
        public var message: String {
            let old = baseline.map { RegressionCheck.format($0, unit, rule) } ?? "none"
            let new = current.map { RegressionCheck.format($0, unit, rule) } ?? "none"
            var detail: [String] = []
            if let limit { detail.append("limit \(RegressionCheck.limitText(limit, self))") }
            if let change { detail.append(RegressionCheck.changeText(change)) }
            let verb: String
            switch status {
            case .ok: verb = "within tolerance"
            case .improved: verb = "improved"
            case .regressed: verb = "regressed"
            case .added: verb = "is new (no baseline value)"
            case .removed: verb = "is in the baseline but not in the scenario"
            case .unmet: verb = "is not met, and was not in the baseline either"
            case .required: verb = "is not met (--require-slos)"
            case .notSignificant: verb = "is worse but not significantly"
            }
            return "\(label) \(verb): \(old) -> \(new)" + (detail.isEmpty ? "" : " (\(detail.joined(separator: ", ")))")
        }
    }

    /// Every guarded metric of one scenario.
    public struct ScenarioResult: Sendable, Equatable {
        public var scenario: String
        public var baselineSeed: UInt64
        public var currentSeed: UInt64
        public var metrics: [MetricResult]

        public init(scenario: String, baselineSeed: UInt64, currentSeed: UInt64, metrics: [MetricResult]) {
            self.scenario = scenario
            self.baselineSeed = baselineSeed
            self.currentSeed = currentSeed
            self.metrics = metrics
        }

        /// The metrics that fail the check, in metric order.
        public var regressions: [MetricResult] { metrics.filter { $0.status.fails } }
        public var improvements: [MetricResult] { metrics.filter { $0.status == .improved } }
        public var passed: Bool { regressions.isEmpty }
    }

    /// Reads a tolerance: a percentage ("5%", "2.5%") or a fraction ("0.05"), from 0 to 100%.
    /// Nil for anything else.
    public static func parseTolerance(_ text: String) -> Double? {
        let t = text.trimmingCharacters(in: .whitespaces)
        let value = t.hasSuffix("%") ? Double(t.dropLast().trimmingCharacters(in: .whitespaces)).map { $0 / 100 } : Double(t)
        guard let value, value.isFinite, value >= 0, value <= 1 else { return nil }
        return value
    }

    /// Judges one value against its baseline under `rule` (see the type's documentation).
    /// Returns the status and the limit (nil for `.mustStayMet` when the baseline was not met).
    public static func judge(baseline old: Double, current new: Double, lowerIsBetter: Bool, tolerance: Double,
                             rule: Rule = .relative) -> (status: Status, limit: Double?) {
        switch rule {
        case .mustStayMet:
            let wasMet = old >= 0.5, isMet = new >= 0.5
            if wasMet && !isMet { return (.regressed, 1) }
            if !wasMet && isMet { return (.improved, nil) }
            return (.ok, wasMet ? 1 : nil)
        case .relative:
            if lowerIsBetter {
                let limit = old * (1 + tolerance)
                if new > limit && new - old > absoluteFloor { return (.regressed, limit) }
                if new < old * (1 - tolerance) && old - new > absoluteFloor { return (.improved, limit) }
                return (.ok, limit)
            } else {
                let limit = old * (1 - tolerance)
                if new < limit && old - new > absoluteFloor { return (.regressed, limit) }
                if new > old * (1 + tolerance) && new - old > absoluteFloor { return (.improved, limit) }
                return (.ok, limit)
            }
        }
    }

    /// One guarded metric: the report metric, its rule, and the SLO it belongs to (nil for latency
    /// and cost).
    public struct Guarded: Sendable {
        public var metric: ReportMetric
        public var rule: Rule
        public var slo: String?

        public init(metric: ReportMetric, rule: Rule, slo: String? = nil) {
            self.metric = metric
            self.rule = rule
            self.slo = slo
        }
    }

    /// The guarded metrics of a baseline and a current report, with their rules: TTFT and E2E p95
    /// and p99; per SLO (baseline's first, then new ones) met and projected budget consumed; cost
    /// per request.
    public static func metrics(baseline: Report, current: Report) -> [Guarded] {
        metrics(sloNames: baseline.slos.map(\.name) + current.slos.map(\.name))
    }

    /// The guarded metrics for these SLO names (duplicates dropped, first seen first).
    public static func metrics(sloNames: [String]) -> [Guarded] {
        let latencyKeys = ["ttft.p95", "ttft.p99", "e2e.p95", "e2e.p99"]
        var result: [Guarded] = latencyKeys.compactMap { key in
            ReportMetric.latency.first { $0.key == key }.map { Guarded(metric: $0, rule: .relative) }
        }
        var names: [String] = []
        for name in sloNames where !names.contains(name) { names.append(name) }
        for name in names {
            for metric in ReportMetric.slo(name) {
                if metric.key.hasSuffix(".met") { result.append(Guarded(metric: metric, rule: .mustStayMet, slo: name)) }
                if metric.key.hasSuffix(".budgetConsumed") { result.append(Guarded(metric: metric, rule: .relative, slo: name)) }
            }
        }
        if let cost = ReportMetric.cost.first(where: { $0.key == "cost.perRequest" }) {
            result.append(Guarded(metric: cost, rule: .relative))
        }
        return result
    }

    /// Compares a fresh report with its baseline under a relative `tolerance` (a fraction).
    public static func compare(baseline: Report, current: Report, tolerance: Double, requireSLOs: Bool = false) -> ScenarioResult {
        compare(scenario: current.scenario, baselineSeed: baseline.seed, currentSeed: current.seed,
                guarded: metrics(baseline: baseline, current: current),
                baseline: { values([baseline], $0) }, current: { values([current], $0) },
                tolerance: tolerance, requireSLOs: requireSLOs)
    }

    /// `g`'s value in each report, or nil when the reports lack its SLO (they are replications of
    /// one scenario, so the first speaks for all).
    public static func values(_ reports: [Report], _ g: Guarded) -> [Double]? {
        if let slo = g.slo, reports.first?.slos.contains(where: { $0.name == slo }) != true { return nil }
        return reports.map(g.metric.value)
    }

    /// Compares replications: each side gives, per guarded metric, one value per replication (nil
    /// when it lacks the metric). Means are judged as single values are; with two or more values
    /// on both sides, a relative metric worse beyond the tolerance regresses only when the
    /// difference is significant (`Estimate.welchDifference` excludes 0), else it is
    /// `.notSignificant`. An SLO counts as met when it was met in at least half the replications.
    public static func compare(scenario: String, baselineSeed: UInt64, currentSeed: UInt64, guarded: [Guarded],
                               baseline: (Guarded) -> [Double]?, current: (Guarded) -> [Double]?,
                               tolerance: Double, requireSLOs: Bool = false) -> ScenarioResult {
        var results: [MetricResult] = []
        for g in guarded {
            let metric = g.metric, rule = g.rule
            let oldValues = baseline(g).flatMap { $0.isEmpty ? nil : $0 }, newValues = current(g).flatMap { $0.isEmpty ? nil : $0 }
            let oldEstimate = oldValues.map { Estimate.of($0) }, newEstimate = newValues.map { Estimate.of($0) }
            let old = oldEstimate?.mean, new = newEstimate?.mean
            var status: Status, limit: Double?
            if let old, let new, let oldEstimate, let newEstimate {
                (status, limit) = judge(baseline: old, current: new, lowerIsBetter: metric.lowerIsBetter,
                                        tolerance: tolerance, rule: rule)
                if status == .regressed, rule == .relative, oldEstimate.n >= 2, newEstimate.n >= 2,
                   !newEstimate.welchDifference(from: oldEstimate).excludes(0) {
                    status = .notSignificant
                }
                if rule == .mustStayMet, new < 0.5, status == .ok { status = .unmet }
                if rule == .mustStayMet, new < 0.5, requireSLOs { status = .required }
            } else {
                status = old == nil ? .added : .removed
                limit = nil
                if rule == .mustStayMet, let new, new < 0.5, requireSLOs { status = .required }
            }
            var result = MetricResult(key: metric.key, label: metric.label, unit: metric.unit,
                                      lowerIsBetter: metric.lowerIsBetter, rule: rule, baseline: old, current: new,
                                      limit: limit, status: status)
            result.baselineHalfWidth = oldEstimate?.halfWidth ?? 0
            result.currentHalfWidth = newEstimate?.halfWidth ?? 0
            results.append(result)
        }
        return ScenarioResult(scenario: scenario, baselineSeed: baselineSeed, currentSeed: currentSeed, metrics: results)
    }

    /// Decodes a baseline report (the JSON `servesim run --format json` writes). Throws an
    /// `InputError` naming the file and, when it can, the field.
    public static func loadBaseline(path: String) throws -> Report {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw InputError(file: path, "cannot read the baseline report", allowed: "a readable JSON report")
        }
        do {
            return try JSONDecoder().decode(Report.self, from: data)
        } catch let error as DecodingError {
            let allowed = "a JSON report written by servesim; run with --update to re-record it"
            func dotted(_ path: [any CodingKey]) -> String {
                path.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: ".")
            }
            switch error {
            case .keyNotFound(let key, let context):
                throw InputError(file: path, path: dotted(context.codingPath + [key]), "missing", allowed: allowed)
            case .typeMismatch(_, let context), .valueNotFound(_, let context):
                throw InputError(file: path, path: dotted(context.codingPath), "has the wrong type", allowed: allowed)
            case .dataCorrupted(let context) where !context.codingPath.isEmpty:
                throw InputError(file: path, path: dotted(context.codingPath), "is not a valid value", allowed: allowed)
            default:
                throw InputError(file: path, "is not valid JSON", allowed: allowed)
            }
        }
    }

    // MARK: Rendering

    /// The first line of the summary, in Markdown: the verdict, counts and tolerance.
    public static func verdict(_ results: [ScenarioResult], tolerance: Double) -> String {
        MarkdownSections.text([ReportSection(id: "verdict", title: "", level: 0,
                                             blocks: [.paragraph(verdictText(results, tolerance: tolerance))])])
            .trimmingCharacters(in: .newlines)
    }

    /// The verdict ("servesim check: passed", in bold), counts and tolerance.
    static func verdictText(_ results: [ScenarioResult], tolerance: Double) -> ReportText {
        let metrics = results.reduce(0) { $0 + $1.metrics.count }
        let regressions = results.reduce(0) { $0 + $1.regressions.count }
        let improved = results.reduce(0) { $0 + $1.improvements.count }
        let scenarios = results.count == 1 ? "1 scenario" : "\(results.count) scenarios"
        let tol = NumberFormat.number(tolerance * 100) + "%"
        let unmet = results.reduce(0) { $0 + $1.metrics.filter { $0.status == .unmet }.count }
        let unmetText = unmet == 0 ? "" : "; \(unmet) SLO\(unmet == 1 ? " is" : "s are") not met, as in the baseline (--require-slos fails on them)"
        if regressions == 0 {
            return ReportText("", strong: "servesim check: passed", ": no regression in \(scenarios) (\(metrics) metrics, "
                + "tolerance \(tol)" + (improved > 0 ? ", \(improved) improved)" : ")") + unmetText)
        }
        let failing = results.filter { !$0.passed }.count
        return ReportText("", strong: "servesim check: failed", ": \(regressions) regression\(regressions == 1 ? "" : "s") in "
            + "\(failing) of \(scenarios) (\(metrics) metrics, tolerance \(tol))" + unmetText)
    }

    /// A Markdown summary for a pull-request comment: the verdict line, then per scenario a table
    /// of metric, baseline, current, change, limit and status. Deterministic.
    public static func markdown(_ results: [ScenarioResult], tolerance: Double) -> String {
        MarkdownSections.text(sections(results, tolerance: tolerance))
    }

    /// The summary as report sections.
    public static func sections(_ results: [ScenarioResult], tolerance: Double) -> [ReportSection] {
        var sections = [ReportSection(id: "verdict", title: "", level: 0,
                                      blocks: [.paragraph(verdictText(results, tolerance: tolerance))])]
        for result in results {
            var blocks: [ReportBlock] = []
            if result.baselineSeed != result.currentSeed {
                blocks.append(.paragraph(ReportText("Baseline seed \(result.baselineSeed), current seed \(result.currentSeed).")))
            }
            blocks.append(.table(ReportTable(columns: [.init("metric", .left), .init("baseline"), .init("current"),
                                                       .init("change"), .init("limit"), .init("status", .left)],
                                             rows: result.metrics.map { m in
                [ReportCell(m.label), ReportCell(m.baseline.map { interval($0, m.baselineHalfWidth, m) } ?? "-"),
                 ReportCell(m.current.map { interval($0, m.currentHalfWidth, m) } ?? "-"), ReportCell(m.change.map(changeText) ?? "-"),
                 ReportCell(m.limit.map { limitText($0, m) } ?? "-"),
                 ReportCell(statusText(m.status), mark: m.status.fails || m.status == .unmet ? .warning : .none)]
            })))
            sections.append(ReportSection(id: "scenario.\(result.scenario)",
                                          title: result.scenario + (result.passed ? "" : " (regressed)"), level: 3, blocks: blocks))
        }
        sections.append(ReportSection(id: "rule", title: "", level: 0, blocks: [
            .paragraph("A lower-is-better metric regresses above baseline x (1 + tolerance), a higher-is-better one "
                + "below baseline x (1 - tolerance); an SLO that was met must stay met. Improvements pass."),
        ]))
        return sections
    }

    static func format(_ value: Double, _ unit: ReportMetric.Unit, _ rule: Rule) -> String {
        if rule == .mustStayMet { return value >= 0.5 ? "met" : "not met" }
        switch unit {
        case .seconds: return NumberFormat.seconds(value)
        case .usd: return NumberFormat.usd(value)
        case .fraction:
            // A tiny nonzero share must not read as 0.00% next to a limit of 0.00%.
            if value != 0 && abs(value) < 5e-5 { return String(format: "%.2g%%", value * 100) }
            return NumberFormat.percent(value)
        case .hours: return NumberFormat.fixed(value, 3) + " h"
        case .count, .perSecond: return NumberFormat.number(value)
        }
    }

    /// A mean with its half-width when there is one; an SLO's met share over replications as a
    /// share when it is neither all nor none.
    static func interval(_ value: Double, _ halfWidth: Double, _ m: MetricResult) -> String {
        if m.rule == .mustStayMet && value > 0 && value < 1 { return "met in " + NumberFormat.percent(value, 0) }
        let text = format(value, m.unit, m.rule)
        return halfWidth > 0 && m.rule == .relative ? text + " ± " + format(halfWidth, m.unit, m.rule) : text
    }

    static func statusText(_ status: Status) -> String {
        switch status {
        case .unmet: "not met (as in the baseline)"
        case .required: "not met (required)"
        case .notSignificant: "worse (n.s.)"
        default: status.rawValue
        }
    }

    static func limitText(_ limit: Double, _ m: MetricResult) -> String {
        if m.rule == .mustStayMet { return "met" }
        return (m.lowerIsBetter ? "<= " : ">= ") + format(limit, m.unit, m.rule)
    }

    /// A relative change as a signed percentage with one decimal ("+25.6%", "-3.0%", "0.0%").
    static func changeText(_ change: Double) -> String {
        let tenths = (change * 1000).rounded()
        if tenths == 0 { return "0.0%" }
        return (tenths > 0 ? "+" : "") + NumberFormat.fixed(tenths / 10, 1) + "%"
    }
}
