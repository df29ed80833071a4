/// 64-bit FNV-1a of a byte sequence: stable across processes and platforms, unlike Swift's
/// `Hasher`, which is seeded per process. Offset basis and prime from the FNV specification
/// (Fowler, Noll, Vo; IETF draft-eastlake-fnv).
public func fnv1a64<Bytes: Sequence>(_ bytes: Bytes) -> UInt64 where Bytes.Element == UInt8 {
    var h: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in bytes {
        h ^= UInt64(byte)
        h &*= 0x0000_0100_0000_01b3
    }
    return h
}
