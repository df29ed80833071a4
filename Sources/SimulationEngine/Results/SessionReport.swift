import ServingModel
/// What one class's multi-turn sessions (`sessions`) generated over the whole run, warm-up
/// included: a check that the session model sent what the scenario meant.
public struct SessionReport: Codable, Sendable, Equatable {
    /// Sessions started (first turns sent).
    public var started: Int
    /// Turns sent, all sessions (the class's requests).
    public var turns: Int
    /// turns / started (0 when none started).
    public var meanTurns: Double
    /// Sessions ended early because their next prompt would exceed `maxContextTokens`.
    public var cappedByContext: Int

    public init(started: Int, turns: Int, cappedByContext: Int) {
        self.started = started
        self.turns = turns
        meanTurns = started > 0 ? Double(turns) / Double(started) : 0
        self.cappedByContext = cappedByContext
    }
}
