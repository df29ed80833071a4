import Foundation

/// Writes a file atomically: into a temporary `.servesim-tmp.<pid>.<name>` in the same folder
/// (created if needed), then renamed into place, so a reader never sees half a file. A temporary
/// left by a process killed mid-write (Foundation's `.atomic` leaves an unrecognisable
/// `.dat.nosync...` file) is removed by the next write into that folder.
public enum AtomicFile {
    /// Prefix of the temporary files `write` renames into place.
    public static let temporaryPrefix = ".servesim-tmp."

    /// Errors are `InputError`s naming `path` (no Foundation error dumps).
    public static func write(_ data: Data, to path: String) throws {
        let url = URL(fileURLWithPath: path)
        let directory = url.deletingLastPathComponent()
        let temporary = directory.appendingPathComponent("\(temporaryPrefix)\(getpid()).\(url.lastPathComponent)")
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            removeStaleTemporaries(in: directory)
            try data.write(to: temporary)
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw InputError(file: path, "cannot write: \((error as NSError).localizedDescription)")
        }
        guard rename(temporary.path, url.path) == 0 else {
            let code = errno
            try? FileManager.default.removeItem(at: temporary)
            throw InputError(file: path, "cannot write: \(String(cString: strerror(code)))")
        }
    }

    /// Removes temporaries of `write` left in `directory` by processes that no longer run.
    static func removeStaleTemporaries(in directory: URL) {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory.path) else { return }
        for name in names where name.hasPrefix(temporaryPrefix) {
            let pidText = name.dropFirst(temporaryPrefix.count).prefix { $0 != "." }
            guard let pid = Int32(pidText), pid != getpid(), kill(pid, 0) != 0, errno == ESRCH else { continue }
            try? FileManager.default.removeItem(at: directory.appendingPathComponent(name))
        }
    }
}

extension Duration {
    /// The duration in seconds (a `ContinuousClock` reading's difference, for timings).
    public var inSeconds: Double { Double(components.seconds) + Double(components.attoseconds) * 1e-18 }
}
