/// Where text stops being well-formed UTF-8, for the JSON5 reader and the trace line reader
/// (both report the place instead of handing bad bytes on).
enum UTF8Check {
    /// Index of the first byte of `data` that does not start or continue a well-formed UTF-8
    /// sequence (overlong forms, surrogates and code points above U+10FFFF included); nil when
    /// all of it is valid.
    static func firstInvalidByte<Bytes: RandomAccessCollection>(_ data: Bytes) -> Int? where Bytes.Element == UInt8, Bytes.Index == Int {
        var i = data.startIndex
        let end = data.endIndex
        while i < end {
            let b = data[i]
            if b < 0x80 { i += 1; continue }
            let length: Int, low: UInt8, high: UInt8   // bounds of the second byte
            switch b {
            case 0xC2...0xDF: (length, low, high) = (2, 0x80, 0xBF)
            case 0xE0: (length, low, high) = (3, 0xA0, 0xBF)
            case 0xE1...0xEC, 0xEE, 0xEF: (length, low, high) = (3, 0x80, 0xBF)
            case 0xED: (length, low, high) = (3, 0x80, 0x9F)
            case 0xF0: (length, low, high) = (4, 0x90, 0xBF)
            case 0xF1...0xF3: (length, low, high) = (4, 0x80, 0xBF)
            case 0xF4: (length, low, high) = (4, 0x80, 0x8F)
            default: return i
            }
            guard end - i >= length, (low...high).contains(data[i + 1]) else { return i }
            for k in 2..<length where !(0x80...0xBF).contains(data[i + k]) { return i }
            i += length
        }
        return nil
    }
}
