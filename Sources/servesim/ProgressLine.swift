import Foundation
import ServeSim

/// A progress line on stderr while work runs: `chat-h100: 43% of simulated time, 1.2 s, about
/// 1.6 s left`, or `compare: bursty, 5 of 9 runs, 4.1 s, about 3.3 s left`. Redrawn in
/// place (`\r`) at most ten times a second, shown once the work has taken a second of wall time,
/// redrawn every half second between updates so it never goes blank or stale, and erased by
/// `finish()`. Only for a terminal: `ProgressLine.make` gives nil when stderr is not one (pipes
/// and files get no control characters) or when `quiet`.
///
/// It reads the wall clock only to decide when to draw; the work calls it through callbacks that
/// do not change results. Safe to call from several threads (parallel replications and points).
final class ProgressLine: @unchecked Sendable {
    let name: String
    let started = ContinuousClock.now
    private let lock = NSLock()
    private var status = ""
    private var lastDrawn: Double?
    private var timer: DispatchSourceTimer?

    init(name: String) {
        self.name = name
        let timer = DispatchSource.makeTimerSource(queue: .global(qos: .utility))
        timer.schedule(deadline: .now() + min(1, Self.delay), repeating: 0.5)
        timer.setEventHandler { [weak self] in self?.draw(force: true) }
        timer.resume()
        self.timer = timer
    }

    /// Wall seconds before the line first shows: 1, or `SERVESIM_PROGRESS_DELAY` (seconds, for
    /// tests that watch the line on a pseudo-terminal).
    static let delay: Double = ProcessInfo.processInfo.environment["SERVESIM_PROGRESS_DELAY"].flatMap(Double.init) ?? 1

    static func make(name: String, quiet: Bool) -> ProgressLine? {
        quiet || isatty(2) == 0 ? nil : ProgressLine(name: name)
    }

    /// Wall seconds since the line was made.
    var elapsed: Double { (ContinuousClock.now - started).inSeconds }

    /// `fraction`: of the scenario's duration simulated so far, 0...1.
    func update(_ fraction: Double) {
        let f = min(1, max(0, fraction))
        lock.lock()
        status = "\(Int((f * 100).rounded(.down)))% of simulated time"
        fractionDone = f
        lock.unlock()
        draw(force: false)
    }

    /// A free-text status (the plan's current option and size), shown before the count.
    func update(status text: String) {
        lock.lock()
        context = text
        lock.unlock()
        draw(force: false)
    }

    /// Counts `total` units of work (runs, points); `tick()` marks one done.
    func expect(_ total: Int, _ units: String) {
        lock.lock()
        self.total = total
        self.units = units
        lock.unlock()
        draw(force: false)
    }

    /// One more unit done (from any thread): `CONTEXT: 5 of 9 runs`, with the time left at the
    /// pace so far.
    func tick() {
        lock.lock()
        done += 1
        lock.unlock()
        draw(force: false)
    }

    private var context = ""
    private var done = 0, total = 0
    private var units = ""
    private var fractionDone: Double?

    private func draw(force: Bool) {
        lock.lock()
        defer { lock.unlock() }
        let wall = elapsed
        guard wall >= Self.delay, timer != nil, force || wall - (lastDrawn ?? -1) >= 0.1 else { return }
        lastDrawn = wall
        let text = ProgressText.line(context: context, status: status, done: done, total: total, units: units,
                             fraction: fractionDone, elapsed: wall)
        FileHandle.standardError.write(Data(("\r\(name): " + Diagnostic.printable(text) + "\u{1B}[K").utf8))
    }

    /// Stops redrawing and erases the line if it was drawn.
    func finish() {
        lock.lock()
        defer { lock.unlock() }
        timer?.cancel()
        timer = nil
        if lastDrawn != nil { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
    }
}
