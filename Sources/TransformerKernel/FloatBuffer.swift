import ServingModel
/// A fixed-size, zero-initialised float32 array with a stable base address, for passing to BLAS
/// without closure nesting. Owned by one kernel; not thread-safe.
package final class FloatBuffer {
    package let pointer: UnsafeMutablePointer<Float>
    let count: Int

    package init(count: Int) {
        self.count = count
        pointer = .allocate(capacity: max(count, 1))
        pointer.initialize(repeating: 0, count: max(count, 1))
    }

    deinit { pointer.deallocate() }

    /// Fills with independent N(0, sigma^2) draws (float32) from the stream, in index order.
    func fillGaussian(_ rng: RandomStream, sigma: Double) {
        for i in 0..<count { pointer[i] = Float(rng.gaussian(sigma: sigma)) }
    }

    func fill(_ value: Float) { pointer.update(repeating: value, count: count) }

    package subscript(i: Int) -> Float {
        get { pointer[i] }
        set { pointer[i] = newValue }
    }
}
