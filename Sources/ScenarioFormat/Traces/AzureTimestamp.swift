import ServingModel
/// A wall-clock timestamp of the Azure 2023 traces, `2023-11-16 18:15:46.6805900` (a `T` between
/// date and time is accepted too), read without DateFormatter: deterministic, locale- and
/// time-zone-free (all rows share one zone, only differences matter) and fast.
struct AzureTimestamp: Equatable {
    /// Whole seconds since 1970-01-01 00:00:00 in the trace's own zone.
    let wholeSeconds: Int
    /// Fraction of a second in [0, 1).
    let fraction: Double

    init?(_ text: Substring) {
        let bytes = Array(text.utf8)
        // yyyy-MM-dd HH:mm:ss[.fffffff]
        guard bytes.count >= 19, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"),
              bytes[10] == UInt8(ascii: " ") || bytes[10] == UInt8(ascii: "T"),
              bytes[13] == UInt8(ascii: ":"), bytes[16] == UInt8(ascii: ":"),
              let year = Self.digits(bytes, 0, 4), let month = Self.digits(bytes, 5, 2),
              let day = Self.digits(bytes, 8, 2), let hour = Self.digits(bytes, 11, 2),
              let minute = Self.digits(bytes, 14, 2), let second = Self.digits(bytes, 17, 2),
              (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 61
        else { return nil }
        var fraction = 0.0
        if bytes.count > 19 {
            guard bytes[19] == UInt8(ascii: "."), bytes.count > 20, bytes.count <= 32,
                  let numerator = Self.digits(bytes, 20, bytes.count - 20) else { return nil }
            var denominator = 1.0
            for _ in 20..<bytes.count { denominator *= 10 }
            fraction = Double(numerator) / denominator
        }
        let days = Self.daysFromCivil(year: year, month: month, day: day)
        wholeSeconds = ((days * 24 + hour) * 60 + minute) * 60 + second
        self.fraction = fraction
    }

    /// Seconds from `origin` to this timestamp.
    func seconds(since origin: AzureTimestamp) -> Double {
        Double(wholeSeconds - origin.wholeSeconds) + (fraction - origin.fraction)
    }

    private static func digits(_ bytes: [UInt8], _ start: Int, _ count: Int) -> Int? {
        var value = 0
        for b in bytes[start..<start + count] {
            guard b >= UInt8(ascii: "0"), b <= UInt8(ascii: "9") else { return nil }
            value = value * 10 + Int(b - UInt8(ascii: "0"))
        }
        return value
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil).
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }
}
