import Foundation

/// JUnit XML of a `servesim check`, for CI test-report viewers: one `<testsuite>` per scenario,
/// one `<testcase>` per scenario and guarded metric (named by the metric's key, e.g. `ttft.p95`),
/// with a `<failure>` on each regression whose `message` names the metric, old and new values
/// and the limit. No times (the output is deterministic: same results, same bytes).
public enum JUnitXML {
    /// Renders the results as a UTF-8 JUnit XML document with a trailing newline.
    public static func render(_ results: [RegressionCheck.ScenarioResult], name: String = "servesim check") -> String {
        let tests = results.reduce(0) { $0 + $1.metrics.count }
        let failures = results.reduce(0) { $0 + $1.regressions.count }
        var out = ["<?xml version=\"1.0\" encoding=\"UTF-8\"?>",
                   "<testsuites name=\"\(escape(name))\" tests=\"\(tests)\" failures=\"\(failures)\" errors=\"0\">"]
        for result in results {
            let suite = escape(result.scenario)
            out.append("  <testsuite name=\"\(suite)\" tests=\"\(result.metrics.count)\" "
                + "failures=\"\(result.regressions.count)\" errors=\"0\" skipped=\"0\">")
            for metric in result.metrics {
                let open = "    <testcase classname=\"\(suite)\" name=\"\(escape(metric.key))\""
                if metric.status.fails {
                    let message = escape(metric.message)
                    out += [open + ">",
                            "      <failure message=\"\(message)\" type=\"regression\">\(message)</failure>",
                            "    </testcase>"]
                } else if metric.status == .unmet || metric.status == .notSignificant {
                    // Passing, but worth reading: an SLO still missed, a change within the noise.
                    out += [open + ">", "      <system-out>\(escape(metric.message))</system-out>", "    </testcase>"]
                } else {
                    out.append(open + "/>")
                }
            }
            out.append("  </testsuite>")
        }
        out.append("</testsuites>")
        return out.joined(separator: "\n") + "\n"
    }

    /// Escapes text for an XML attribute or element: `& < > " '` as entities, tab, newline and
    /// carriage return as character references, and characters XML 1.0 does not allow (other
    /// controls, U+FFFE, U+FFFF, lone surrogates cannot occur in a Swift String) dropped.
    public static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            case "\t": out += "&#9;"
            case "\n": out += "&#10;"
            case "\r": out += "&#13;"
            default:
                let v = scalar.value
                if v < 0x20 || v == 0xFFFE || v == 0xFFFF { continue }
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
