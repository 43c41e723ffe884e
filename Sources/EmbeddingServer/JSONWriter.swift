import NIOCore

/// Writes JSON straight into a `ByteBuffer`. Floats use Swift's shortest round-trip form (the same
/// digits `Float.description` gives, which parse back to the identical `Float`), so vectors need no
/// generic encoder and no intermediate `[Float]` → `Data` → `String` copies.
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
        // `description` of a Float fits the small-string form (≤ 15 UTF-8 bytes), so this does
        // not allocate.
        var text = value.description
        text.withUTF8 { bytes in _ = buffer.writeBytes(bytes) }
    }

    /// The vector as a JSON array, formatted straight into the buffer's free space, reserved
    /// once: a `ByteBuffer` write per float costs more than the digits themselves, and going
    /// through a byte array first cost a copy and its bookkeeping per float.
    mutating func floatArray(_ values: [Float]) {
        let capacity = values.count * (FloatText.longestFloat + 1) + 2
        buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: capacity) { free in
            var text = FloatText(base: free.baseAddress!, capacity: capacity)
            text.byte(UInt8(ascii: "["))
            for (i, value) in values.enumerated() {
                if i > 0 { text.byte(UInt8(ascii: ",")) }
                if value.isFinite {
                    value.write(to: &text)
                } else {
                    text._writeASCII(UnsafeBufferPointer(start: Self.null.utf8Start, count: Self.null.utf8CodeUnitCount))
                }
            }
            text.byte(UInt8(ascii: "]"))
            return text.count
        }
    }

    private static let null: StaticString = "null"

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

/// Writes floats' text into memory reserved for it. `Float.write(to:)` writes the same shortest
/// round-trip digits as `description`; it hands them over as ASCII (`_writeASCII`) when the stream
/// takes them, so no `String` is made per float.
private struct FloatText: TextOutputStream {
    /// The longest text of a finite `Float`, such as `-1.17549435e-38`, with a margin.
    static let longestFloat = 24

    let base: UnsafeMutableRawPointer
    let capacity: Int
    private(set) var count = 0

    init(base: UnsafeMutableRawPointer, capacity: Int) {
        self.base = base
        self.capacity = capacity
    }

    mutating func byte(_ byte: UInt8) {
        precondition(count < capacity, "FloatText: reserved space exceeded")
        base.storeBytes(of: byte, toByteOffset: count, as: UInt8.self)
        count += 1
    }

    mutating func write(_ string: String) {
        var string = string
        string.withUTF8 { _writeASCII($0) }
    }

    mutating func _writeASCII(_ bytes: UnsafeBufferPointer<UInt8>) {
        precondition(count + bytes.count <= capacity, "FloatText: reserved space exceeded")
        if let start = bytes.baseAddress {
            (base + count).copyMemory(from: start, byteCount: bytes.count)
        }
        count += bytes.count
    }
}
