import ServingModel

/// Prompt hash chains of the requests in the system (`RequestState.prefixChain` indexes them), for
/// prefix caching and affinity routing; present when some pool uses either.
///
/// Requests carry prompt block hashes (`ArrivalDraw.hashIds`, from a Mooncake trace, a class's
/// shared prefix or its sessions); a chain keeps them as chain hashes (`PrefixChain`) for as long
/// as the request is in the system, retries included, and is reused once it ends for good.
final class PrefixChains: RecordSink {
    /// Per chain: chain hashes, how many of its leading blocks are full (cacheable), tokens per
    /// block, and the request's session key (nil without a session). Reused through `freeChains`.
    private var chainKeys: [[UInt64]] = []
    private var cacheableBlocks: [Int32] = []
    private var tokensPerBlock: [Int32] = []
    private var sessionKeys: [UInt64?] = []
    private var freeChains: [Int32] = []
    /// Per class: tokens per hash block (0: its requests carry none).
    private let classBlockTokens: [Int]

    init(classBlockTokens: [Int]) { self.classBlockTokens = classBlockTokens }

    /// The chain index for a new request of `classIndex` (-1: it carries no hashes).
    func add(classIndex: Int, draw: ArrivalDraw) -> Int32 {
        let size = classBlockTokens[classIndex]
        guard !draw.hashIds.isEmpty, size > 0 else { return -1 }
        let chain = PrefixChain.hashes(draw.hashIds)
        let full = Int32(PrefixChain.cacheableBlocks(promptTokens: draw.promptTokens, blocks: chain.count, blockTokens: size))
        let session = draw.session?.key
        if let c = freeChains.popLast() {
            chainKeys[Int(c)] = chain
            cacheableBlocks[Int(c)] = full
            tokensPerBlock[Int(c)] = Int32(size)
            sessionKeys[Int(c)] = session
            return c
        }
        chainKeys.append(chain)
        cacheableBlocks.append(full)
        tokensPerBlock.append(Int32(size))
        sessionKeys.append(session)
        return Int32(chainKeys.count - 1)
    }

    @inline(__always) func keys(_ c: Int) -> [UInt64] { chainKeys[c] }
    @inline(__always) func cacheable(_ c: Int) -> Int { Int(cacheableBlocks[c]) }
    @inline(__always) func blockTokens(_ c: Int) -> Int { Int(tokensPerBlock[c]) }
    @inline(__always) func sessionKey(_ c: Int) -> UInt64? { sessionKeys[c] }

    /// The request ended for good: its chain's storage is reused.
    func record(_ record: RequestRecord, of request: RequestState, _ sim: Simulation) {
        guard request.prefixChain >= 0 else { return }
        chainKeys[Int(request.prefixChain)] = []
        freeChains.append(request.prefixChain)
    }
}
