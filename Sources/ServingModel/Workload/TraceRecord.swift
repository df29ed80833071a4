/// One recorded request of a trace file.
public struct TraceRecord: Sendable, Equatable {
    /// Arrival time in seconds, relative to the trace's own origin (Azure date timestamps: seconds
    /// after the first row; other formats: as written, converted to seconds).
    public var time: Double
    /// Prompt (input) tokens, >= 1.
    public var promptTokens: Int
    /// Output tokens, >= 1.
    public var outputTokens: Int
    /// Mooncake block hashes (one per 512-token prompt block); empty when the format has none.
    public var hashIds: [Int]

    public init(time: Double, promptTokens: Int, outputTokens: Int, hashIds: [Int] = []) {
        self.time = time
        self.promptTokens = promptTokens
        self.outputTokens = outputTokens
        self.hashIds = hashIds
    }
}
