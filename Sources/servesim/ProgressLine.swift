import Foundation

/// A progress line on stderr while a scenario simulates: `chat-h100: 43% of simulated time, 1.2 s`,
/// redrawn in place (`\r`) at most ten times a second, shown only once the run has taken a second
/// of wall time, and erased by `finish()`. Only for a terminal: `ProgressLine.make` gives nil
/// when stderr is not one (pipes and files get no control characters) or when `quiet`.
///
/// It reads the wall clock only to decide when to draw; the simulation calls it through
/// `Simulation.progress`, which does not change results.
final class ProgressLine {
    let name: String
    let started = ContinuousClock.now
    var lastDrawn: Double?

    init(name: String) { self.name = name }

    static func make(name: String, quiet: Bool) -> ProgressLine? {
        quiet || isatty(2) == 0 ? nil : ProgressLine(name: name)
    }

    /// Wall seconds since the line was made.
    var elapsed: Double {
        (ContinuousClock.now - started).inSeconds
    }

    /// `fraction`: of the scenario's duration simulated so far, 0...1.
    func update(_ fraction: Double) {
        let wall = elapsed
        guard wall >= 1, wall - (lastDrawn ?? -1) >= 0.1 else { return }
        lastDrawn = wall
        let percent = Int((min(1, max(0, fraction)) * 100).rounded(.down))
        let text = "\r\(name): \(percent)% of simulated time, \(String(format: "%.1f", wall)) s\u{1B}[K"
        FileHandle.standardError.write(Data(text.utf8))
    }

    /// A free-text status (`compare`, `plan`): `NAME: TEXT, 3.1 s`, with the same pacing.
    func update(status: String) {
        let wall = elapsed
        guard wall >= 1, wall - (lastDrawn ?? -1) >= 0.1 else { return }
        lastDrawn = wall
        let text = "\r\(name): \(status), \(String(format: "%.1f", wall)) s\u{1B}[K"
        FileHandle.standardError.write(Data(text.utf8))
    }

    /// Erases the line if it was drawn.
    func finish() {
        if lastDrawn != nil { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
    }
}
