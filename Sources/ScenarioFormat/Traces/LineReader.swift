import ServingModel
import Foundation

/// Where a line-oriented input comes from: a file, read in chunks so that memory stays bounded
/// by one chunk and the longest line whatever the file's size, or bytes already in memory.
public enum ByteSource: Sendable {
    case file(String)
    case data(Data)
}

/// Reads lines one at a time (LF or CR LF ends; 1-based line numbers). A line longer than
/// `maxLineBytes` stops the reading with an error on that line: a 1 GB file with no line break
/// is refused, not loaded.
enum LineReader {
    /// Bytes read from a file at a time (1 MiB).
    static let chunkBytes = 1 << 20
    /// Longest line read, bytes (4 MiB: a Mooncake row of a 100M-token prompt, one hash id per
    /// 512-token block, is about 1.6 MB).
    static let maxLineBytes = 4 << 20

    /// Calls `body(number, line)` for each line until it returns false; `file` names the input in
    /// errors (a read failure, an over-long line, invalid UTF-8).
    static func forEach(_ source: ByteSource, file: String, _ body: (Int, String) -> Bool) throws(InputError) {
        var number = 0
        var pending: [UInt8] = []
        var stopped = false
        /// Emits every complete line of `pending`, keeping the partial last one.
        func drain(final: Bool) throws(InputError) {
            var start = 0
            while !stopped, let newline = pending[start...].firstIndex(of: 0x0A) {
                number += 1
                try emit(pending[start..<newline])
                start = newline + 1
            }
            pending.removeFirst(start)
            if !stopped && !final && pending.count > maxLineBytes { number += 1; try tooLong() }
            if !stopped && final && !pending.isEmpty { number += 1; try emit(pending[...]) }
        }
        func emit(_ bytes: ArraySlice<UInt8>) throws(InputError) {
            var line = bytes
            if line.last == 0x0D { line = line.dropLast() }
            if line.count > maxLineBytes { try tooLong() }
            if let bad = UTF8Check.firstInvalidByte(line) {
                throw InputError([Diagnostic(file: file, path: "", message: "invalid UTF-8", allowed: "UTF-8 text",
                                             position: SourcePosition(line: number, column: String(decoding: line[..<bad], as: UTF8.self).unicodeScalars.count + 1))])
            }
            if !body(number, String(decoding: line, as: UTF8.self)) { stopped = true }
        }
        func tooLong() throws(InputError) {
            throw InputError([Diagnostic(file: file, path: "", message: "the line is longer than \(maxLineBytes) bytes",
                                         allowed: "one request per line", position: SourcePosition(line: number, column: 1))])
        }
        switch source {
        case .data(let data):
            pending = [UInt8](data)
            try drain(final: true)
        case .file(let path):
            guard let handle = FileHandle(forReadingAtPath: path) else { throw InputError(file: path, "cannot be read", allowed: "a readable file") }
            defer { try? handle.close() }
            while !stopped {
                let chunk: Data?
                do { chunk = try handle.read(upToCount: chunkBytes) } catch {
                    throw InputError(file: file, "cannot be read: \(error.localizedDescription)", allowed: "a readable file")
                }
                guard let chunk, !chunk.isEmpty else { break }
                pending.append(contentsOf: chunk)
                try drain(final: false)
            }
            if !stopped { try drain(final: true) }
        }
    }
}
