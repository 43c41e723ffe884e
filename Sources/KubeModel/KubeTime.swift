import Foundation

/// `meta/v1` Time: RFC 3339 in UTC with second precision, e.g. `2026-11-24T10:26:36Z`.
public struct KubeTime: Codable, Sendable, Hashable, Comparable {
    /// Seconds since 1970, whole.
    public var secondsSince1970: Int64

    public init(secondsSince1970: Int64) { self.secondsSince1970 = secondsSince1970 }
    public init(_ date: Date) { self.secondsSince1970 = Int64(date.timeIntervalSince1970.rounded(.down)) }
    public static func now() -> KubeTime { KubeTime(Date()) }

    public var date: Date { Date(timeIntervalSince1970: TimeInterval(secondsSince1970)) }

    public init?(rfc3339 string: String) {
        guard let parsed = RFC3339.parse(string) else { return nil }
        self.secondsSince1970 = parsed.seconds
    }

    public var rfc3339: String { RFC3339.format(seconds: secondsSince1970, fractionDigits: 0, nanos: 0) }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        let s = try c.decode(String.self)
        guard let t = KubeTime(rfc3339: s) else {
            throw DecodingError.dataCorruptedError(in: c, debugDescription: "parsing time \"\(s)\" as RFC 3339")
        }
        self = t
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(rfc3339)
    }

    public static func < (a: KubeTime, b: KubeTime) -> Bool { a.secondsSince1970 < b.secondsSince1970 }
}

/// `meta/v1` MicroTime: RFC 3339 in UTC with exactly six fractional digits, e.g. `2026-11-24T10:30:05.123456Z`.
/// The API server refuses any other number of digits.
public struct MicroTime: Codable, Sendable, Hashable, Comparable {
    public var secondsSince1970: Int64
    public var microseconds: Int32

    public init(secondsSince1970: Int64, microseconds: Int32) {
        self.secondsSince1970 = secondsSince1970
        self.microseconds = microseconds
    }

    public init(_ date: Date) {
        let t = date.timeIntervalSince1970
        let whole = t.rounded(.down)
        self.secondsSince1970 = Int64(whole)
        self.microseconds = Int32(min(999_999, ((t - whole) * 1_000_000).rounded(.down)))
    }

    public static func now() -> MicroTime { MicroTime(Date()) }

    public var date: Date {
        Date(timeIntervalSince1970: TimeInterval(secondsSince1970) + TimeInterval(microseconds) / 1_000_000)
    }

    /// Parses only the strict six-digit form.
    public init?(rfc3339 string: String) {
        guard let parsed = RFC3339.parse(string), parsed.fractionDigits == 6 else { return nil }
        self.secondsSince1970 = parsed.seconds
        self.microseconds = Int32(parsed.nanos / 1000)
    }

    public var rfc3339: String { RFC3339.format(seconds: secondsSince1970, fractionDigits: 6, nanos: Int64(microseconds) * 1000) }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        let s = try c.decode(String.self)
        guard let t = MicroTime(rfc3339: s) else {
            throw DecodingError.dataCorruptedError(
                in: c, debugDescription: "parsing time \"\(s)\" as \"2006-01-02T15:04:05.000000Z07:00\"")
        }
        self = t
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(rfc3339)
    }

    public static func < (a: MicroTime, b: MicroTime) -> Bool {
        (a.secondsSince1970, a.microseconds) < (b.secondsSince1970, b.microseconds)
    }
}

/// RFC 3339 parsing and formatting without Foundation's formatters (which are slow and locale-bound).
public enum RFC3339 {
    public struct Parsed: Sendable, Hashable {
        public var seconds: Int64
        public var nanos: Int64
        public var fractionDigits: Int
        /// True when the string ended in `Z`.
        public var isUTC: Bool
    }

    /// Parses `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)`.
    public static func parse(_ string: String) -> Parsed? {
        let b = Array(string.utf8)
        func digits(_ at: Int, _ n: Int) -> Int? {
            guard at + n <= b.count else { return nil }
            var v = 0
            for i in at..<(at + n) {
                guard b[i] >= 48, b[i] <= 57 else { return nil }
                v = v * 10 + Int(b[i] - 48)
            }
            return v
        }
        guard b.count >= 20, let year = digits(0, 4), b[4] == 45, let month = digits(5, 2), b[7] == 45,
              let day = digits(8, 2), b[10] == 84 || b[10] == 116, let hour = digits(11, 2), b[13] == 58,
              let minute = digits(14, 2), b[16] == 58, let second = digits(17, 2)
        else { return nil }
        guard (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 61 else { return nil }
        var i = 19
        var nanos: Int64 = 0
        var fractionDigits = 0
        if i < b.count, b[i] == 46 {
            i += 1
            while i < b.count, b[i] >= 48, b[i] <= 57 {
                if fractionDigits < 9 { nanos = nanos * 10 + Int64(b[i] - 48) }
                fractionDigits += 1
                i += 1
            }
            if fractionDigits == 0 { return nil }
            for _ in min(fractionDigits, 9)..<9 { nanos *= 10 }
        }
        var offsetSeconds = 0
        var isUTC = false
        guard i < b.count else { return nil }
        if b[i] == 90 || b[i] == 122 {
            isUTC = true
            i += 1
        } else if b[i] == 43 || b[i] == 45 {
            guard let oh = digits(i + 1, 2), i + 3 < b.count, b[i + 3] == 58, let om = digits(i + 4, 2) else { return nil }
            offsetSeconds = (oh * 3600 + om * 60) * (b[i] == 43 ? 1 : -1)
            i += 6
        } else {
            return nil
        }
        guard i == b.count else { return nil }
        let days = daysFromCivil(year: year, month: month, day: day)
        let seconds = Int64(days) * 86400 + Int64(hour * 3600 + minute * 60 + second) - Int64(offsetSeconds)
        return Parsed(seconds: seconds, nanos: nanos, fractionDigits: fractionDigits, isUTC: isUTC)
    }

    public static func format(seconds: Int64, fractionDigits: Int, nanos: Int64) -> String {
        let days = Int(floorDiv(seconds, 86400))
        let secs = Int(seconds - Int64(days) * 86400)
        let (y, m, d) = civilFromDays(days)
        func pad(_ v: Int, _ n: Int) -> String {
            let s = String(v)
            return s.count >= n ? s : String(repeating: "0", count: n - s.count) + s
        }
        var out = "\(pad(y, 4))-\(pad(m, 2))-\(pad(d, 2))T\(pad(secs / 3600, 2)):\(pad(secs / 60 % 60, 2)):\(pad(secs % 60, 2))"
        if fractionDigits > 0 {
            var frac = nanos
            for _ in fractionDigits..<9 { frac /= 10 }
            out += "." + pad(Int(frac), fractionDigits)
        }
        return out + "Z"
    }

    private static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
        a >= 0 ? a / b : -((-a + b - 1) / b)
    }

    // Howard Hinnant's civil calendar algorithms.
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146097 + doe - 719468
    }

    static func civilFromDays(_ z0: Int) -> (Int, Int, Int) {
        let z = z0 + 719468
        let era = (z >= 0 ? z : z - 146096) / 146097
        let doe = z - era * 146097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
        let y = yoe + era * 400
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (m <= 2 ? y + 1 : y, m, d)
    }
}
