import ServingModel
import SimulationEngine
/// CSV of a run's time series: a header, then one line per interval, `\n` line ends, RFC 4180
/// quoting of names. Times and TTFT in seconds, burn rates and utilization as ratios, all with
/// 6 decimals (`NumberFormat.fixed`); counts as integers.
///
/// Columns (named as `ReportRenderer.csvColumns` says): `start,end,arrivals,completed,rejected,
/// timedOut,failed,retries,ttft.p95`, then `slo.<slo>.burnRate` per SLO, then per pool
/// `pool.<pool>.ready`, `.starting`, `.warm`, `.draining`, `.failed`, `.queued`, `.running`,
/// `.utilization`. SLO and pool names come from the first row; a later row lacking one has zeros there.
/// `ttft.p95` of an interval in which nothing completed is an empty cell (pandas reads NaN).
public enum TimeSeriesCSV {
    static let poolColumns = ["ready", "starting", "warm", "draining", "failed", "queued", "running", "utilization"]

    public static func render(_ rows: [TimeSeriesRow]) -> String {
        let sloNames = rows.first?.slos.map(\.name) ?? []
        let poolNames = rows.first?.pools.map(\.pool) ?? []
        let s = { (x: Double) in NumberFormat.fixed(x, 6) }
        var header = ["start", "end", "arrivals", "completed", "rejected", "timedOut", "failed", "retries", "ttft.p95"]
        header += sloNames.map { ReportRenderer.csvField("slo.\($0).burnRate") }
        for p in poolNames { header += poolColumns.map { ReportRenderer.csvField("pool.\(p).\($0)") } }
        var lines = [header.joined(separator: ",")]
        for r in rows {
            var fields = [s(r.start), s(r.end), String(r.arrivals), String(r.completed), String(r.rejected),
                          String(r.timedOut), String(r.failed), String(r.retries),
                          r.completed > 0 ? s(r.ttftP95) : ""]   // no completions: no percentile, an empty cell
            fields += sloNames.indices.map { $0 < r.slos.count ? s(r.slos[$0].burnRate) : s(0) }
            for i in poolNames.indices {
                let p = i < r.pools.count ? r.pools[i] : PoolSample(pool: poolNames[i])
                fields += [String(p.ready), String(p.starting), String(p.warm), String(p.draining), String(p.failed),
                           String(p.queued), String(p.running), s(p.utilization)]
            }
            lines.append(fields.joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
