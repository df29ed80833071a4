import Foundation

/// One problem with an input file: `FILE: path.to.field: what is wrong (what is allowed)`.
public struct Diagnostic: Error, Sendable, Equatable, CustomStringConvertible {
    public var file: String
    /// Dotted path of the field, with array indices as components (`pools.0.replicas`); empty for
    /// the whole file.
    public var path: String
    public var message: String
    /// What would have been accepted; empty when there is nothing useful to say.
    public var allowed: String

    public init(file: String, path: String, message: String, allowed: String = "") {
        self.file = file
        self.path = path
        self.message = message
        self.allowed = allowed
    }

    public var description: String {
        let location = path.isEmpty ? Self.printable(file) : "\(Self.printable(file)): \(Self.printable(path))"
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
    public private(set) var diagnostics: [Diagnostic] = []

    public init(file: String) { self.file = file }

    public func report(_ path: String, _ message: String, allowed: String = "") {
        diagnostics.append(Diagnostic(file: file, path: path, message: message, allowed: allowed))
    }

    public var hasErrors: Bool { !diagnostics.isEmpty }

    /// Throws an `InputError` with everything reported so far, if anything was.
    public func throwIfAny() throws {
        if hasErrors { throw InputError(diagnostics) }
    }
}

extension InputError: LocalizedError {
    /// Its diagnostics, one per line (what `localizedDescription` shows, e.g. for a failed write).
    public var errorDescription: String? { description }
}
