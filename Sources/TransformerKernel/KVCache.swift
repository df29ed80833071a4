/// The key/value cache of one sequence: for every layer, a contiguous `[tokens x kvWidth]`
/// float32 array of keys (RoPE already applied) and one of values. Grows by doubling.
///
/// Appending a chunk is two-phase: `reserve(extra:)` makes room, each layer writes its rows at
/// `length ..< length + extra`, and `commit(extra:)` makes them visible once all layers are done.
final class KVCache {
    let layers: Int
    /// Floats per token per layer in each of K and V (`kvHeads * headDim`).
    let width: Int
    /// Tokens stored (and visible to attention).
    private(set) var length = 0
    /// Tokens that fit without growing.
    private(set) var capacity = 0
    private var keys: [UnsafeMutablePointer<Float>] = []
    private var values: [UnsafeMutablePointer<Float>] = []

    init(layers: Int, width: Int, initialCapacity: Int = 64) {
        self.layers = layers
        self.width = width
        grow(to: max(initialCapacity, 1))
    }

    deinit {
        keys.forEach { $0.deallocate() }
        values.forEach { $0.deallocate() }
    }

    /// Ensures room for `extra` more tokens after `length`.
    func reserve(extra: Int) {
        let needed = length + extra
        if needed > capacity { grow(to: max(needed, 2 * capacity)) }
    }

    /// Makes `extra` reserved tokens (already written in every layer) visible.
    func commit(extra: Int) {
        precondition(length + extra <= capacity)
        length += extra
    }

    /// Drops tokens after the first `newLength` (calibration rewinds a decode step with this).
    func truncate(to newLength: Int) {
        precondition(newLength >= 0 && newLength <= length)
        length = newLength
    }

    /// Base of layer `layer`'s keys (row `t` starts at `t * width`).
    func keys(_ layer: Int) -> UnsafeMutablePointer<Float> { keys[layer] }
    func values(_ layer: Int) -> UnsafeMutablePointer<Float> { values[layer] }

    /// Bytes held (capacity, not length).
    var allocatedBytes: Int { 2 * layers * capacity * width * 4 }

    private func grow(to newCapacity: Int) {
        let count = newCapacity * width
        func moved(_ old: UnsafeMutablePointer<Float>?) -> UnsafeMutablePointer<Float> {
            let p = UnsafeMutablePointer<Float>.allocate(capacity: count)
            p.initialize(repeating: 0, count: count)
            if let old {
                p.update(from: old, count: length * width)
                old.deallocate()
            }
            return p
        }
        if keys.isEmpty {
            keys = (0..<layers).map { _ in moved(nil) }
            values = (0..<layers).map { _ in moved(nil) }
        } else {
            keys = keys.map { moved($0) }
            values = values.map { moved($0) }
        }
        capacity = newCapacity
    }
}
