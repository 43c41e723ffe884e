/// A malformed JSON document. The message follows Go's encoding/json wording, which is what
/// Kubernetes clients see from a real API server ("invalid character 'x' looking for beginning of value").
public struct JSONParseError: Error, Sendable, Hashable, CustomStringConvertible {
    public var message: String
    /// Byte offset of the problem in the input.
    public var offset: Int
    public var description: String { message }
}

extension JSONValue {
    /// The deepest nesting accepted; deeper input is an error instead of a stack overflow.
    public static let maximumNestingDepth = 512

    public init(parsing bytes: some Collection<UInt8>) throws(JSONParseError) {
        let array = Array(bytes)
        var result: JSONValue = .null
        var error: JSONParseError?
        array.withUnsafeBufferPointer { buffer in
            var parser = JSONParser(buffer: buffer)
            do {
                result = try parser.parseDocument()
            } catch let e as JSONParseError {
                error = e
            } catch {}
        }
        if let error { throw error }
        self = result
    }

    public init(parsing string: String) throws(JSONParseError) {
        try self.init(parsing: Array(string.utf8))
    }
}

private struct JSONParser {
    let buffer: UnsafeBufferPointer<UInt8>
    var index = 0
    var depth = 0

    init(buffer: UnsafeBufferPointer<UInt8>) { self.buffer = buffer }

    mutating func parseDocument() throws(JSONParseError) -> JSONValue {
        skipWhitespace()
        if index >= buffer.count {
            throw JSONParseError(message: "unexpected end of JSON input", offset: index)
        }
        let value = try parseValue(context: "looking for beginning of value")
        skipWhitespace()
        if index < buffer.count {
            throw invalidCharacter("after top-level value")
        }
        return value
    }

    /// The byte as Go's `quoteChar` shows it: `strconv.Quote(string(rune(c)))` inside single quotes.
    func describe(_ byte: UInt8) -> String {
        func hex(_ prefix: String, _ width: Int) -> String {
            let digits = String(byte, radix: 16, uppercase: false)
            return prefix + String(repeating: "0", count: width - digits.count) + digits
        }
        let inner: String
        switch byte {
        case UInt8(ascii: "'"): inner = "\\'"
        case UInt8(ascii: "\""): inner = "\""
        case UInt8(ascii: "\\"): inner = "\\\\"
        case 0x07: inner = "\\a"
        case 0x08: inner = "\\b"
        case 0x0C: inner = "\\f"
        case 0x0A: inner = "\\n"
        case 0x0D: inner = "\\r"
        case 0x09: inner = "\\t"
        case 0x0B: inner = "\\v"
        case 0x20...0x7E: inner = String(Character(Unicode.Scalar(byte)))
        case 0x00..<0x20, 0x7F: inner = hex("\\x", 2)
        // A byte above 0x7F is read as the rune U+0080…U+00FF; Go prints the printable ones as is.
        case 0x80...0xA0, 0xAD: inner = hex("\\u", 4)
        default: inner = String(Character(Unicode.Scalar(byte)))
        }
        return "'\(inner)'"
    }

    func invalidCharacter(_ context: String) -> JSONParseError {
        if index >= buffer.count {
            return JSONParseError(message: "unexpected end of JSON input", offset: index)
        }
        return JSONParseError(message: "invalid character \(describe(buffer[index])) \(context)", offset: index)
    }

    @inline(__always) mutating func skipWhitespace() {
        while index < buffer.count {
            switch buffer[index] {
            case 0x20, 0x0A, 0x0D, 0x09: index += 1
            default: return
            }
        }
    }

    mutating func parseValue(context: String) throws(JSONParseError) -> JSONValue {
        guard index < buffer.count else {
            throw JSONParseError(message: "unexpected end of JSON input", offset: index)
        }
        switch buffer[index] {
        case UInt8(ascii: "{"): return try parseObject()
        case UInt8(ascii: "["): return try parseArray()
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): try expectLiteral("true"); return .bool(true)
        case UInt8(ascii: "f"): try expectLiteral("false"); return .bool(false)
        case UInt8(ascii: "n"): try expectLiteral("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try parseNumber()
        default: throw invalidCharacter(context)
        }
    }

    mutating func expectLiteral(_ literal: StaticString) throws(JSONParseError) {
        let bytes = UnsafeBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount)
        for (i, b) in bytes.enumerated() {
            guard index < buffer.count else {
                throw JSONParseError(message: "unexpected end of JSON input", offset: index)
            }
            if buffer[index] != b {
                throw invalidCharacter("in literal \(literal) (expecting \(describe(b)))")
            }
            _ = i
            index += 1
        }
    }

    mutating func enter() throws(JSONParseError) {
        depth += 1
        if depth > JSONValue.maximumNestingDepth {
            throw JSONParseError(message: "exceeded max depth of \(JSONValue.maximumNestingDepth)", offset: index)
        }
    }

    mutating func parseObject() throws(JSONParseError) -> JSONValue {
        try enter()
        index += 1  // {
        var object: [String: JSONValue] = [:]
        skipWhitespace()
        if index < buffer.count, buffer[index] == UInt8(ascii: "}") {
            index += 1
            depth -= 1
            return .object(object)
        }
        while true {
            skipWhitespace()
            guard index < buffer.count, buffer[index] == UInt8(ascii: "\"") else {
                throw invalidCharacter("looking for beginning of object key string")
            }
            let key = try parseString()
            skipWhitespace()
            guard index < buffer.count, buffer[index] == UInt8(ascii: ":") else {
                throw invalidCharacter("after object key")
            }
            index += 1
            skipWhitespace()
            object[key] = try parseValue(context: "looking for beginning of value")
            skipWhitespace()
            guard index < buffer.count else {
                throw JSONParseError(message: "unexpected end of JSON input", offset: index)
            }
            if buffer[index] == UInt8(ascii: ",") {
                index += 1
                continue
            }
            if buffer[index] == UInt8(ascii: "}") {
                index += 1
                depth -= 1
                return .object(object)
            }
            throw invalidCharacter("after object key:value pair")
        }
    }

    mutating func parseArray() throws(JSONParseError) -> JSONValue {
        try enter()
        index += 1  // [
        var array: [JSONValue] = []
        skipWhitespace()
        if index < buffer.count, buffer[index] == UInt8(ascii: "]") {
            index += 1
            depth -= 1
            return .array(array)
        }
        while true {
            skipWhitespace()
            array.append(try parseValue(context: "looking for beginning of value"))
            skipWhitespace()
            guard index < buffer.count else {
                throw JSONParseError(message: "unexpected end of JSON input", offset: index)
            }
            if buffer[index] == UInt8(ascii: ",") {
                index += 1
                continue
            }
            if buffer[index] == UInt8(ascii: "]") {
                index += 1
                depth -= 1
                return .array(array)
            }
            throw invalidCharacter("after array element")
        }
    }

    mutating func parseString() throws(JSONParseError) -> String {
        index += 1  // opening quote
        let start = index
        // Fast path: no escapes.
        while index < buffer.count {
            let b = buffer[index]
            if b == UInt8(ascii: "\"") {
                let slice = UnsafeBufferPointer(rebasing: buffer[start..<index])
                index += 1
                return String(decoding: slice, as: UTF8.self)
            }
            if b == UInt8(ascii: "\\") { break }
            if b < 0x20 { throw invalidCharacter("in string literal") }
            index += 1
        }
        var bytes = Array(UnsafeBufferPointer(rebasing: buffer[start..<index]))
        while index < buffer.count {
            let b = buffer[index]
            if b == UInt8(ascii: "\"") {
                index += 1
                return String(decoding: bytes, as: UTF8.self)
            }
            if b < 0x20 { throw invalidCharacter("in string literal") }
            if b != UInt8(ascii: "\\") {
                bytes.append(b)
                index += 1
                continue
            }
            index += 1
            guard index < buffer.count else { break }
            let e = buffer[index]
            index += 1
            switch e {
            case UInt8(ascii: "\""): bytes.append(0x22)
            case UInt8(ascii: "\\"): bytes.append(0x5C)
            case UInt8(ascii: "/"): bytes.append(0x2F)
            case UInt8(ascii: "b"): bytes.append(0x08)
            case UInt8(ascii: "f"): bytes.append(0x0C)
            case UInt8(ascii: "n"): bytes.append(0x0A)
            case UInt8(ascii: "r"): bytes.append(0x0D)
            case UInt8(ascii: "t"): bytes.append(0x09)
            case UInt8(ascii: "u"):
                var scalar = try parseHex4()
                if (0xD800..<0xDC00).contains(scalar) {
                    // A high surrogate must be followed by \u low surrogate; otherwise U+FFFD, as Go does.
                    if index + 1 < buffer.count, buffer[index] == UInt8(ascii: "\\"), buffer[index + 1] == UInt8(ascii: "u") {
                        let save = index
                        index += 2
                        let low = try parseHex4()
                        if (0xDC00..<0xE000).contains(low) {
                            scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                        } else {
                            scalar = 0xFFFD
                            index = save
                        }
                    } else {
                        scalar = 0xFFFD
                    }
                } else if (0xDC00..<0xE000).contains(scalar) {
                    scalar = 0xFFFD
                }
                let s = Unicode.Scalar(scalar) ?? "\u{FFFD}"
                bytes.append(contentsOf: Array(String(Character(s)).utf8))
            default:
                index -= 1
                throw invalidCharacter("in string escape code")
            }
        }
        throw JSONParseError(message: "unexpected end of JSON input", offset: index)
    }

    mutating func parseHex4() throws(JSONParseError) -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard index < buffer.count else {
                throw JSONParseError(message: "unexpected end of JSON input", offset: index)
            }
            let b = buffer[index]
            let digit: UInt32
            switch b {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(b - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(b - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(b - UInt8(ascii: "A") + 10)
            default: throw invalidCharacter("in \\u hexadecimal character escape")
            }
            value = value << 4 | digit
            index += 1
        }
        return value
    }

    mutating func parseNumber() throws(JSONParseError) -> JSONValue {
        let start = index
        var isFloat = false
        if buffer[index] == UInt8(ascii: "-") {
            index += 1
            guard index < buffer.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(buffer[index]) else {
                throw invalidCharacter("in numeric literal")
            }
        }
        if buffer[index] == UInt8(ascii: "0") {
            index += 1
        } else {
            while index < buffer.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(buffer[index]) { index += 1 }
        }
        if index < buffer.count, buffer[index] == UInt8(ascii: ".") {
            isFloat = true
            index += 1
            guard index < buffer.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(buffer[index]) else {
                throw invalidCharacter("after decimal point in numeric literal")
            }
            while index < buffer.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(buffer[index]) { index += 1 }
        }
        if index < buffer.count, buffer[index] == UInt8(ascii: "e") || buffer[index] == UInt8(ascii: "E") {
            isFloat = true
            index += 1
            if index < buffer.count, buffer[index] == UInt8(ascii: "+") || buffer[index] == UInt8(ascii: "-") { index += 1 }
            guard index < buffer.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(buffer[index]) else {
                throw invalidCharacter("in exponent of numeric literal")
            }
            while index < buffer.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(buffer[index]) { index += 1 }
        }
        let text = String(decoding: UnsafeBufferPointer(rebasing: buffer[start..<index]), as: UTF8.self)
        if !isFloat, let i = Int64(text) { return .int(i) }
        guard let d = Double(text) else {
            throw JSONParseError(message: "invalid number \(text)", offset: start)
        }
        return .double(d)
    }
}
