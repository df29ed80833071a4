import ServingModel
import SimulationEngine
/// Text made safe for a Markdown table cell: a `|` would end the cell, so it is escaped.
package func markdownCell(_ text: String) -> String { text.replacingOccurrences(of: "|", with: "\\|") }
