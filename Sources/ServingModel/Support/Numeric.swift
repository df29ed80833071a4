/// A finite value, or 0 (no NaN or infinity ever reaches a report).
@inlinable package func finite(_ x: Double) -> Double { x.isFinite ? x : 0 }

/// `a / b`, or 0 when `b` is 0 or the result is not finite.
@inlinable package func ratio(_ a: Double, _ b: Double) -> Double { b == 0 ? 0 : finite(a / b) }
