import ServingModel
/// A consistent-hash ring over a pool's replica slots: each slot owns `virtualNodes` points
/// (FNV-1a of "name/slot/v"); a key belongs to the first point at or after it, clockwise. Points
/// and keys pass through `mix` first: FNV-1a of short, similar inputs leaves the high bits
/// poorly spread, which would make the arcs very unequal.
///
/// Every slot is on the ring whether or not its replica is ready; lookups skip the ones that are
/// not. So when the autoscaler adds or removes a replica, only the keys of the arcs it owns move
/// (about 1/n of them), and they move back when it returns.
///
/// Complexity: building O(slots x virtualNodes x log); a lookup O(log points) for the binary
/// search, plus the points walked past ineligible or full replicas.
public struct ConsistentHashRing: Sendable {
    /// Ring points sorted by hash (ties by slot, then virtual node: a total order).
    public let points: [UInt64]
    /// The slot owning each point.
    public let owners: [Int32]
    public let slots: Int

    public init(slots: Int, virtualNodes: Int, name: String) {
        var entries: [(hash: UInt64, slot: Int32, v: Int32)] = []
        entries.reserveCapacity(slots * virtualNodes)
        for s in 0..<slots {
            for v in 0..<virtualNodes {
                entries.append((Self.mix(fnv1a64(Array("\(name)/\(s)/\(v)".utf8))), Int32(s), Int32(v)))
            }
        }
        entries.sort { ($0.hash, $0.slot, $0.v) < ($1.hash, $1.slot, $1.v) }
        points = entries.map(\.hash)
        owners = entries.map(\.slot)
        self.slots = slots
    }

    /// The 64-bit finalizer of MurmurHash3 (fmix64): every input bit affects every output bit.
    public static func mix(_ x: UInt64) -> UInt64 {
        var h = x
        h ^= h >> 33
        h &*= 0xff51_afd7_ed55_8ccd
        h ^= h >> 33
        h &*= 0xc4ce_b9fe_1a85_ec53
        h ^= h >> 33
        return h
    }

    /// Index of the first point at or after `mix(key)` (wrapping to 0).
    func firstPoint(_ rawKey: UInt64) -> Int {
        let key = Self.mix(rawKey)
        var lo = 0, hi = points.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if points[mid] < key { lo = mid + 1 } else { hi = mid }
        }
        return lo == points.count ? 0 : lo
    }

    /// The slot owning `key` among those `eligible` accepts (clockwise from the key), or nil when
    /// none does. Each slot is asked at most once.
    public func owner(of key: UInt64, eligible: (Int) -> Bool) -> Int? {
        guard !points.isEmpty else { return nil }
        var asked = [Bool](repeating: false, count: slots)
        var remaining = slots
        var i = firstPoint(key)
        for _ in 0..<points.count {
            let s = Int(owners[i])
            if !asked[s] {
                asked[s] = true
                if eligible(s) { return s }
                remaining -= 1
                if remaining == 0 { return nil }
            }
            i = i + 1 == points.count ? 0 : i + 1
        }
        return nil
    }

    /// Consistent hashing with bounded loads: the owner of `key` among the `ready` slots whose
    /// load would stay within the bound after taking the request, `load + 1 <= capacity` with
    /// `capacity = ceil((1 + epsilon) x (sum of ready loads + 1) / ready count)`. Some ready slot
    /// always fits (one has at most the mean load), so the result is nil only when none is ready.
    public func boundedOwner(of key: UInt64, loads: [Int], ready: [Bool], epsilon: Double) -> Int? {
        let capacity = Self.capacity(loads: loads, ready: ready, epsilon: epsilon)
        return owner(of: key) { ready[$0] && loads[$0] + 1 <= capacity }
    }

    /// The bounded-load capacity per ready slot (0 when none is ready).
    public static func capacity(loads: [Int], ready: [Bool], epsilon: Double) -> Int {
        var total = 0, count = 0
        for s in loads.indices where ready[s] { total += loads[s]; count += 1 }
        guard count > 0 else { return 0 }
        return Int(((1 + epsilon) * Double(total + 1) / Double(count)).rounded(.up))
    }
}
