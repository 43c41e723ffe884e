import Foundation

/// A JSON object whose values are all plain: strings without escape sequences, integers, booleans
/// or null. Most embedding requests are such an object (`{"input": "…", "model": "…"}`), and
/// reading one this way costs a fraction of `JSONDecoder`'s generic machinery, which was about 6%
/// of the event loops' CPU per short request.
///
/// Anything else gives `nil`: a nested array or object, a string with an escape, a number with a
/// fraction or an exponent, a repeated key, invalid JSON or UTF-8, trailing bytes. Callers then
/// decode with `JSONDecoder`, so its results and its error messages stay the only ones.
struct FlatJSONObject {
    enum Value: Equatable {
        case string(String)
        case integer(Int)
        case bool(Bool)
        case null
    }

    private var fields: [(key: String, value: Value)] = []

    /// The value of `key`; `nil` when the key is absent.
    subscript(key: String) -> Value? {
        fields.first { $0.key == key }?.value
    }

    /// Every key, in body order.
    var keys: [String] { fields.map(\.key) }

    init?(_ data: Data) {
        guard let fields = data.withUnsafeBytes({ Self.parse($0) }) else { return nil }
        self.fields = fields
    }

    // MARK: - parsing

    private static func parse(_ bytes: UnsafeRawBufferPointer) -> [(key: String, value: Value)]? {
        var reader = Reader(bytes: bytes)
        reader.skipWhitespace()
        guard reader.take(UInt8(ascii: "{")) else { return nil }
        var fields: [(key: String, value: Value)] = []
        reader.skipWhitespace()
        if !reader.take(UInt8(ascii: "}")) {
            while true {
                reader.skipWhitespace()
                guard let key = reader.string() else { return nil }
                reader.skipWhitespace()
                guard reader.take(UInt8(ascii: ":")) else { return nil }
                reader.skipWhitespace()
                guard let value = reader.value() else { return nil }
                // JSONDecoder's choice among repeated keys is its own business.
                if fields.contains(where: { $0.key == key }) { return nil }
                fields.append((key, value))
                reader.skipWhitespace()
                if reader.take(UInt8(ascii: ",")) { continue }
                guard reader.take(UInt8(ascii: "}")) else { return nil }
                break
            }
        }
        reader.skipWhitespace()
        return reader.atEnd ? fields : nil
    }

    private struct Reader {
        let bytes: UnsafeRawBufferPointer
        var index = 0

        var atEnd: Bool { index == bytes.count }

        mutating func skipWhitespace() {
            while index < bytes.count {
                switch bytes[index] {
                case 0x20, 0x09, 0x0A, 0x0D: index += 1
                default: return
                }
            }
        }

        mutating func take(_ byte: UInt8) -> Bool {
            guard index < bytes.count, bytes[index] == byte else { return false }
            index += 1
            return true
        }

        mutating func take(_ word: StaticString) -> Bool {
            let count = word.utf8CodeUnitCount
            guard bytes.count - index >= count,
                  memcmp(bytes.baseAddress! + index, word.utf8Start, count) == 0 else { return false }
            index += count
            return true
        }

        /// A string without escapes or control characters, as valid UTF-8.
        mutating func string() -> String? {
            guard take(UInt8(ascii: "\"")) else { return nil }
            let start = index
            while index < bytes.count {
                let byte = bytes[index]
                if byte == UInt8(ascii: "\"") {
                    let text = String(validating: UnsafeRawBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
                    index += 1
                    return text
                }
                if byte == UInt8(ascii: "\\") || byte < 0x20 { return nil }
                index += 1
            }
            return nil
        }

        mutating func value() -> Value? {
            guard index < bytes.count else { return nil }
            switch bytes[index] {
            case UInt8(ascii: "\""): return string().map(Value.string)
            case UInt8(ascii: "t"): return take("true") ? .bool(true) : nil
            case UInt8(ascii: "f"): return take("false") ? .bool(false) : nil
            case UInt8(ascii: "n"): return take("null") ? .null : nil
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return integer().map(Value.integer)
            default: return nil
            }
        }

        /// An integer in JSON's grammar (no leading zeros) that fits `Int`; nil for a fraction or
        /// an exponent.
        mutating func integer() -> Int? {
            let negative = take(UInt8(ascii: "-"))
            let start = index
            var magnitude: UInt = 0
            while index < bytes.count, case let byte = bytes[index], byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") {
                let (times10, o1) = magnitude.multipliedReportingOverflow(by: 10)
                let (sum, o2) = times10.addingReportingOverflow(UInt(byte - UInt8(ascii: "0")))
                if o1 || o2 { return nil }
                magnitude = sum
                index += 1
            }
            let digits = index - start
            if digits == 0 || (digits > 1 && bytes[start] == UInt8(ascii: "0")) { return nil }
            if index < bytes.count, [UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E")].contains(bytes[index]) { return nil }
            if negative {
                guard magnitude <= UInt(Int.max) + 1 else { return nil }
                return magnitude == UInt(Int.max) + 1 ? Int.min : -Int(magnitude)
            }
            guard magnitude <= UInt(Int.max) else { return nil }
            return Int(magnitude)
        }
    }
}
