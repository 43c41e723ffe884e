import NIOCore

/// Writes JSON straight into a `ByteBuffer`. Floats use the shortest round-trip form
/// (``ShortestFloat``: the text `Float.description` gives, which parses back to the identical
/// `Float`), so vectors need no generic encoder and no intermediate `[Float]` → `Data` → `String`
/// copies.
struct JSONWriter {
    var buffer: ByteBuffer

    init(capacity: Int) {
        buffer = ByteBufferAllocator().buffer(capacity: capacity)
    }

    mutating func raw(_ text: StaticString) {
        buffer.writeStaticString(text)
    }

    mutating func rawString(_ text: String) {
        buffer.writeString(text)
    }

    mutating func int(_ value: Int) {
        buffer.writeString(String(value))
    }

    mutating func bool(_ value: Bool) {
        if value { raw("true") } else { raw("false") }
    }

    /// A float in its shortest round-trip decimal form; NaN and infinities, which JSON cannot
    /// carry, are written as `null`.
    mutating func float(_ value: Float) {
        guard value.isFinite else {
            raw("null")
            return
        }
        buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: ShortestFloat.maxLength) { free in
            ShortestFloat.write(value, to: free.baseAddress!.assumingMemoryBound(to: UInt8.self))
        }
    }

    /// The vector as a JSON array, formatted straight into the buffer's free space, reserved
    /// once: a `ByteBuffer` write per float costs more than the digits themselves.
    mutating func floatArray(_ values: [Float]) {
        let capacity = Self.floatArrayCapacity(values.count)
        buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: capacity) { free in
            let out = free.baseAddress!.assumingMemoryBound(to: UInt8.self)
            let floats = ShortestFloat.Writer()
            var n = 0
            out[n] = UInt8(ascii: "[")
            n += 1
            for (i, value) in values.enumerated() {
                if i > 0 {
                    out[n] = UInt8(ascii: ",")
                    n += 1
                }
                if value.isFinite {
                    n += floats.write(value, to: out + n)
                } else {
                    (out + n).update(from: Self.null.utf8Start, count: 4)
                    n += 4
                }
            }
            out[n] = UInt8(ascii: "]")
            return n + 1
        }
    }

    private static let null: StaticString = "null"

    /// The free space ``floatArray(_:)`` reserves for `count` floats (each float and its comma,
    /// "null" included; the brackets). Size a writer with it, so the array does not grow the buffer.
    static func floatArrayCapacity(_ count: Int) -> Int {
        count * (ShortestFloat.maxLength + 1) + 2
    }

    /// A JSON string with the escapes RFC 8259 requires.
    mutating func string(_ text: String) {
        buffer.writeInteger(UInt8(ascii: "\""))
        var text = text
        text.withUTF8 { bytes in
            var runStart = 0
            for (i, byte) in bytes.enumerated() {
                let escape: StaticString?
                switch byte {
                case UInt8(ascii: "\""): escape = "\\\""
                case UInt8(ascii: "\\"): escape = "\\\\"
                case 0x0A: escape = "\\n"
                case 0x0D: escape = "\\r"
                case 0x09: escape = "\\t"
                case 0x08: escape = "\\b"
                case 0x0C: escape = "\\f"
                case 0..<0x20: escape = nil
                default: continue
                }
                if runStart < i { buffer.writeBytes(UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(bytes)[runStart..<i])) }
                if let escape {
                    buffer.writeStaticString(escape)
                } else {
                    let hex: [UInt8] = Array("0123456789abcdef".utf8)
                    buffer.writeStaticString("\\u00")
                    buffer.writeInteger(hex[Int(byte >> 4)])
                    buffer.writeInteger(hex[Int(byte & 0xF)])
                }
                runStart = i + 1
            }
            if runStart < bytes.count { buffer.writeBytes(UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(bytes)[runStart...])) }
        }
        buffer.writeInteger(UInt8(ascii: "\""))
    }
}
