import Foundation

/// One problem with an input file: `FILE:LINE:COL: path.to.field: what is wrong (what is allowed)`
/// (`FILE: path...` when the problem has no place in the text: a missing file, a `--set` value).
public struct Diagnostic: Error, Sendable, Equatable, CustomStringConvertible {
    public var file: String
    /// Dotted path of the field, with array indices as components (`pools.0.replicas`); empty for
    /// the whole file.
    public var path: String
    public var message: String
    /// What would have been accepted; empty when there is nothing useful to say.
    public var allowed: String
    /// Where in the file the value (or the object lacking it) starts; nil when unknown.
    public var position: SourcePosition?

    public init(file: String, path: String, message: String, allowed: String = "", position: SourcePosition? = nil) {
        self.file = file
        self.path = path
        self.message = message
        self.allowed = allowed
        self.position = position
    }

    public var description: String {
        let place = Self.printable(file) + (position.map { ":\($0)" } ?? "")
        let location = path.isEmpty ? place : "\(place): \(Self.printable(path))"
        let text = Self.printable(message, limit: Self.messageLimit)
        return allowed.isEmpty ? "\(location): \(text)" : "\(location): \(text) (\(Self.printable(allowed, limit: Self.messageLimit)))"
    }

    /// Characters of a message (or of its allowed values) printed at most; the rest is elided, so a
    /// 50 MB field in an input file does not become a 50 MB line.
    public static let messageLimit = 400

    /// `text` safe for one terminal line: control characters (newlines, ANSI escapes) written as
    /// `\u{..}` escapes, and at most `limit` characters with the rest elided.
    public static func printable(_ text: String, limit: Int = 2_000) -> String {
        var out = ""
        var count = 0
        for scalar in text.unicodeScalars {
            if count >= limit {
                out += "... (\(text.unicodeScalars.count - count) more characters)"
                break
            }
            if scalar.properties.generalCategory == .control || scalar == "\u{2028}" || scalar == "\u{2029}" {
                out += "\\u{" + String(scalar.value, radix: 16) + "}"
            } else {
                out.unicodeScalars.append(scalar)
            }
            count += 1
        }
        return out
    }
}

/// Every problem found in one or more input files; thrown once validation has looked at all of them.
public struct InputError: Error, Sendable, CustomStringConvertible {
    public var diagnostics: [Diagnostic]
    public init(_ diagnostics: [Diagnostic]) { self.diagnostics = diagnostics }
    public init(file: String, path: String = "", _ message: String, allowed: String = "") {
        diagnostics = [Diagnostic(file: file, path: path, message: message, allowed: allowed)]
    }
    public var description: String { diagnostics.map(\.description).joined(separator: "\n") }
}

/// Collects diagnostics for one file while it is read; readers keep going after a problem so the
/// user sees every problem at once.
public final class DiagnosticSink {
    public let file: String
    /// Where the file's values are, to give each diagnostic its line and column.
    public let positions: SourceMap?
    private var kept: [Diagnostic] = []
    private var dropped = 0

    /// Problems kept per file; the rest are counted in one closing line (a hostile file with a
    /// million bad entries gets 101 lines, not a million).
    public static let maxKept = 100

    public init(file: String, positions: SourceMap? = nil) {
        self.file = file
        self.positions = positions
    }

    /// Every problem reported, in order, and a last line counting those not kept.
    public var diagnostics: [Diagnostic] {
        dropped == 0 ? kept : kept + [Diagnostic(file: file, path: "", message: "\(dropped) more problems not shown",
                                                 allowed: "fix those above and run again")]
    }

    public func report(_ path: String, _ message: String, allowed: String = "") {
        guard kept.count < Self.maxKept else { dropped += 1; return }
        kept.append(Diagnostic(file: file, path: path, message: message, allowed: allowed, position: positions?.position(of: path)))
    }

    public var hasErrors: Bool { !kept.isEmpty }

    /// How many problems were reported, kept or not: it only grows, so a reader compares it
    /// before and after a section to learn whether the section reported anything (the count of
    /// `diagnostics` stops growing at the cap).
    public var reportedCount: Int { kept.count + dropped }

    /// Throws an `InputError` with everything reported so far, if anything was.
    public func throwIfAny() throws {
        if hasErrors { throw InputError(diagnostics) }
    }
}

extension InputError: LocalizedError {
    /// Its diagnostics, one per line (what `localizedDescription` shows, e.g. for a failed write).
    public var errorDescription: String? { description }
}
