import ServingModel
import Foundation

/// A turn waiting to be sent.
struct PendingTurn {
    /// Send time, seconds.
    var time: Double
    var session: Int
    var turn: Int
    /// Turns the session still sends after this one.
    var turnsLeft: Int
    /// Tokens of the conversation before this turn (earlier prompts' own parts and outputs).
    var context: Int
    /// The session's shared prefix (index into the sampler's prefixes), -1 for none.
    var prefix: Int

    /// The merge order: by time, then by session index (one pending turn per session, so total).
    @inline(__always) static func before(_ a: PendingTurn, _ b: PendingTurn) -> Bool {
        a.time < b.time || (a.time == b.time && a.session < b.session)
    }
}

/// A binary min-heap of pending turns (by `PendingTurn.before`); holds one entry per active session.
struct PendingTurnHeap {
    private(set) var items: [PendingTurn] = []

    var first: PendingTurn? { items.first }
    var count: Int { items.count }

    mutating func push(_ turn: PendingTurn) {
        items.append(turn)
        var i = items.count - 1
        while i > 0 {
            let parent = (i - 1) / 2
            guard PendingTurn.before(items[i], items[parent]) else { break }
            items.swapAt(i, parent)
            i = parent
        }
    }

    mutating func pop() -> PendingTurn? {
        guard !items.isEmpty else { return nil }
        let top = items[0]
        let last = items.removeLast()
        if !items.isEmpty {
            items[0] = last
            var i = 0
            while true {
                let l = 2 * i + 1, r = l + 1
                var m = i
                if l < items.count && PendingTurn.before(items[l], items[m]) { m = l }
                if r < items.count && PendingTurn.before(items[r], items[m]) { m = r }
                if m == i { break }
                items.swapAt(i, m)
                i = m
            }
        }
        return top
    }
}

/// Turns the sessions of one class into one time-ordered request stream, lazily: it keeps the next
/// session start and one pending turn per active session (memory follows active sessions).
///
/// Streams: session starts come from the class's `arrivals/<class>` (the caller's `startTime`),
/// each turn's new tokens and output from `prompt/<class>` and `output/<class>` (drawn when the
/// turn is sent), turn counts from `sessions/<class>/turns` (one draw per session, at its start)
/// and think times from `sessions/<class>/think` (one per sent turn that has a successor); with a
/// shared prefix, one draw of `prefix/<class>` per session, at its start. A class without sessions
/// opens none of the `sessions/` streams, so its draws are unchanged.
///
/// Order: nondecreasing time; a pending turn at the same time as a new session's start goes first,
/// and pending turns at the same time go by session index.
final class SessionGenerator {
    let spec: SessionSpec
    let duration: Double
    private let className: String
    private let classKey: UInt64
    private let prompt: LengthSampler
    private let output: LengthSampler
    private let turnStream: RandomStream
    private let thinkStream: RandomStream
    private let turnSampler: LengthSampler?
    /// The class's shared prefixes (drawn once per session), if it has them.
    private let sharedPrefix: SharedPrefixSampler?
    private let prefixIds: [[Int]]
    /// Tokens per hash block: the shared prefix's when there is one, else the sessions'.
    private let blockTokens: Int
    private var pending = PendingTurnHeap()
    private var nextStart: Double?
    private var startsDone = false

    /// Sessions started so far.
    private(set) var sessionsStarted = 0
    /// Turns sent so far (requests generated).
    private(set) var turnsSent = 0
    /// Sessions ended early because their next prompt would exceed `maxContextTokens`.
    private(set) var sessionsCapped = 0

    init(_ spec: SessionSpec, className: String, seed: UInt64, duration: Double,
         prompt: LengthSampler, output: LengthSampler, sharedPrefix: SharedPrefixSampler? = nil) {
        self.spec = spec
        self.duration = duration
        self.className = className
        classKey = fnv1a64(Array("sessions/\(className)".utf8))
        self.prompt = prompt
        self.output = output
        turnStream = RandomStream(seed: seed, name: "sessions/\(className)/turns")
        thinkStream = RandomStream(seed: seed, name: "sessions/\(className)/think")
        if case .distribution(let d) = spec.turns { turnSampler = LengthSampler(d, stream: turnStream) } else { turnSampler = nil }
        self.sharedPrefix = sharedPrefix
        blockTokens = sharedPrefix?.spec.blockTokens ?? spec.blockTokens
        prefixIds = sharedPrefix.map { p in (0..<p.spec.count).map { p.spec.blockIds(prefix: $0, className: className) } } ?? []
    }

    /// The next turn of any session, or nil when no session sends anything more. `startTime`
    /// gives the next session start (nil: no more before the duration); it is called only after
    /// the previous start was used.
    func next(startTime: () -> Double?) -> ArrivalDraw? {
        while true {
            if nextStart == nil && !startsDone {
                nextStart = startTime()
                if nextStart == nil { startsDone = true }
            }
            if let top = pending.first, nextStart.map({ top.time <= $0 }) ?? true {
                _ = pending.pop()
                if let draw = send(top) { return draw }
            } else if let start = nextStart {
                nextStart = nil
                let index = sessionsStarted
                sessionsStarted += 1
                let turns = drawTurns()
                let prefix = sharedPrefix?.draw().index ?? -1
                if let draw = send(PendingTurn(time: start, session: index, turn: 0, turnsLeft: turns - 1, context: 0,
                                               prefix: prefix)) {
                    return draw
                }
            } else {
                return nil
            }
        }
    }

    /// Draws a session's number of turns (>= 1).
    private func drawTurns() -> Int {
        if let turnSampler { return turnSampler.sample() }
        guard case .geometric(let mean) = spec.turns, mean > 1 else { return 1 }
        return SessionSpec.geometric(mean: mean, uniform: turnStream.uniformPositive())
    }

    /// Sends a turn (drawing its tokens) and schedules the session's next one; nil when the turn's
    /// prompt exceeds the context cap (the session ends unsent).
    private func send(_ turn: PendingTurn) -> ArrivalDraw? {
        let own = prompt.sample()
        let out = output.sample()
        let prefixTokens = turn.prefix >= 0 ? sharedPrefix!.spec.tokens : 0
        let promptTokens = prefixTokens + turn.context + own
        if turn.turn > 0 && promptTokens > spec.maxContextTokens {
            sessionsCapped += 1
            return nil
        }
        turnsSent += 1
        let key = PrefixChain.combine(classKey, UInt64(turn.session))
        if turn.turnsLeft > 0 {
            let time = turn.time + thinkStream.exponential(mean: spec.thinkTime)
            if time < duration {
                pending.push(PendingTurn(time: time, session: turn.session, turn: turn.turn + 1, turnsLeft: turn.turnsLeft - 1,
                                         context: turn.context + own + out, prefix: turn.prefix))
            }
        }
        let shared = turn.prefix >= 0 ? prefixIds[turn.prefix] : []
        let rest = promptTokens - shared.count * blockTokens
        let blocks = (rest + blockTokens - 1) / blockTokens
        var draw = ArrivalDraw(time: turn.time, promptTokens: promptTokens, outputTokens: out,
                               hashIds: shared + (0..<blocks).map { SessionSpec.blockId(key: key, block: $0) })
        draw.session = SessionRef(index: turn.session, turn: turn.turn, key: key)
        return draw
    }
}
