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

    /// The vector as a JSON array, formatted into a local byte array and written to the buffer
    /// once: a `ByteBuffer` write per float costs more than the digits themselves.
    mutating func floatArray(_ values: [Float]) {
        var text = FloatText(bytes: [])
        text.bytes.reserveCapacity(values.count * 14 + 2)
        text.bytes.append(UInt8(ascii: "["))
        for (i, value) in values.enumerated() {
            if i > 0 { text.bytes.append(UInt8(ascii: ",")) }
            if value.isFinite {
                value.write(to: &text)
            } else {
                text.bytes.append(contentsOf: "null".utf8)
            }
        }
        text.bytes.append(UInt8(ascii: "]"))
        buffer.writeBytes(text.bytes)
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

/// Collects floats' text as bytes. `Float.write(to:)` writes the same shortest round-trip digits
/// as `description`; it hands them over as ASCII (`_writeASCII`) when the stream takes them, so no
/// `String` is made per float.
private struct FloatText: TextOutputStream {
    var bytes: [UInt8]

    mutating func write(_ string: String) {
        bytes.append(contentsOf: string.utf8)
    }

    mutating func _writeASCII(_ buffer: UnsafeBufferPointer<UInt8>) {
        bytes.append(contentsOf: buffer)
    }
}
