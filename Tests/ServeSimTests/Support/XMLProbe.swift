import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// Parses markup as XML (after `<!DOCTYPE html>`, which XMLParser accepts) and collects what
/// the tests look at: element names, heading texts, attribute values, the first error.
final class XMLProbe: NSObject, XMLParserDelegate {
    var elements: [String] = []
    var headings: [String] = []
    var attributeValues: [String] = []
    var error: Error?
    var circles: [(Double, Double)] = []
    private var heading: String?

    static func parse(_ text: String) -> XMLProbe {
        let probe = XMLProbe()
        let parser = XMLParser(data: Data(text.utf8))
        parser.delegate = probe
        if !parser.parse(), probe.error == nil {
            probe.error = parser.parserError ?? NSError(domain: "XMLProbe", code: 1)
        }
        return probe
    }

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                attributes: [String: String]) {
        elements.append(name)
        attributeValues += attributes.keys.sorted().compactMap { attributes[$0] }
        if ["h1", "h2", "h3"].contains(name) { heading = "" }
        if name == "circle", let cx = attributes["cx"].flatMap(Double.init), let cy = attributes["cy"].flatMap(Double.init) {
            circles.append((cx, cy))
        }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        heading? += string
    }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        if ["h1", "h2", "h3"].contains(name), let h = heading {
            headings.append(h)
            heading = nil
        }
    }

    func parser(_ parser: XMLParser, parseErrorOccurred parseError: Error) {
        if error == nil { error = parseError }
    }

    /// No attribute holds a NaN or an infinity.
    var numbersFinite: Bool {
        !attributeValues.contains { v in
            let l = v.lowercased()
            return l.contains("nan") || l.contains("inf")
        }
    }
}

/// A chromium-family browser on PATH, for the rendering smoke test.
let headlessBrowser: String? = {
    let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
    for name in ["chromium", "chromium-browser", "google-chrome"] {
        for dir in path.split(separator: ":") {
            let candidate = "\(dir)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
    }
    return nil
}()
