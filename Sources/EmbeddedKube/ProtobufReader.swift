/// A bounds-checked reader of the protobuf wire format: fields as (number, wire type, value), with
/// varints, fixed 32/64-bit values and length-delimited bytes. Every read checks what is left, so a
/// truncated or garbage message is a `ProtobufError`, never a crash.
struct ProtobufReader {
    enum WireType: UInt8 {
        case varint = 0, fixed64 = 1, lengthDelimited = 2, startGroup = 3, endGroup = 4, fixed32 = 5
    }

    /// One field as read: the value is the varint or fixed number, or the bytes of a length-delimited field.
    enum Value {
        case varint(UInt64)
        case fixed64(UInt64)
        case fixed32(UInt32)
        case bytes(ArraySlice<UInt8>)

        /// Whether this is the encoding of a zero value (0, false, "" or an empty message).
        var isZero: Bool {
            switch self {
            case .varint(let v), .fixed64(let v): v == 0
            case .fixed32(let v): v == 0
            case .bytes(let b): b.isEmpty
            }
        }
    }

    struct Field {
        var number: Int
        var value: Value
    }

    private let bytes: ArraySlice<UInt8>
    private var position: Int

    init(_ bytes: ArraySlice<UInt8>) {
        self.bytes = bytes
        self.position = bytes.startIndex
    }

    var isAtEnd: Bool { position >= bytes.endIndex }

    /// The next field, or nil at the end of the message.
    mutating func next() throws(ProtobufError) -> Field? {
        if isAtEnd { return nil }
        let key = try readVarint()
        let number = key >> 3
        guard number > 0, number <= 536_870_911 else { throw ProtobufError("invalid field number \(number)") }
        guard let wireType = WireType(rawValue: UInt8(key & 7)) else {
            throw ProtobufError("invalid wire type \(key & 7) for field \(number)")
        }
        let value: Value
        switch wireType {
        case .varint: value = .varint(try readVarint())
        case .fixed64: value = .fixed64(try readFixed(8))
        case .fixed32: value = .fixed32(UInt32(try readFixed(4)))
        case .lengthDelimited:
            let length = try readVarint()
            guard length <= UInt64(bytes.endIndex - position) else {
                throw ProtobufError("field \(number) is truncated: \(length) bytes declared, \(bytes.endIndex - position) left")
            }
            let end = position + Int(length)
            value = .bytes(bytes[position..<end])
            position = end
        case .startGroup, .endGroup:
            throw ProtobufError("field \(number) uses the deprecated group encoding")
        }
        return Field(number: Int(number), value: value)
    }

    private mutating func readVarint() throws(ProtobufError) -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard position < bytes.endIndex else { throw ProtobufError("truncated varint") }
            let byte = bytes[position]
            position += 1
            if shift == 63 && byte > 1 { throw ProtobufError("varint overflows 64 bits") }
            result |= UInt64(byte & 0x7f) << shift
            if byte & 0x80 == 0 { return result }
            shift += 7
            if shift > 63 { throw ProtobufError("varint is longer than 10 bytes") }
        }
    }

    private mutating func readFixed(_ count: Int) throws(ProtobufError) -> UInt64 {
        guard bytes.endIndex - position >= count else { throw ProtobufError("truncated fixed\(count * 8) value") }
        var result: UInt64 = 0
        for i in 0..<count { result |= UInt64(bytes[position + i]) << (8 * UInt64(i)) }
        position += count
        return result
    }
}

/// Malformed protobuf: what was wrong, for the 400 answer.
struct ProtobufError: Error, Equatable {
    var message: String
    init(_ message: String) { self.message = message }
}
