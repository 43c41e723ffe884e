/// The unit of text offsets.
public enum OffsetUnit: Sendable {
    /// UTF-8 bytes (what `Encoding.offsets` holds).
    case utf8
    /// UTF-16 code units (`NSString`/JavaScript indices).
    case utf16
    /// Unicode scalars (code points; what Hugging Face's Python binding reports).
    case unicodeScalars
}

extension Encoding {
    /// The token spans converted from UTF-8 bytes into `unit`, for the `text` this encoding came from.
    public func offsets(in text: String, unit: OffsetUnit) -> [TokenSpan] {
        if unit == .utf8 { return offsets }
        var text = text
        return text.withUTF8 { utf8 -> [TokenSpan] in
            // ASCII text: every unit is one byte.
            if !utf8.contains(where: { $0 >= 0x80 }) { return offsets }
            // position[i] = number of target units before byte i (valid at scalar boundaries).
            var position = [Int32](repeating: 0, count: utf8.count + 1)
            var units: Int32 = 0
            var i = 0
            while i < utf8.count {
                let length = UTF8Scan.length(lead: utf8[i])
                for k in 0 ..< length { position[i + k] = units }
                units += (unit == .utf16 && length == 4) ? 2 : 1
                i += length
            }
            position[utf8.count] = units
            return offsets.map { span in
                let start = min(max(span.start, 0), utf8.count)
                let end = min(max(span.end, 0), utf8.count)
                return TokenSpan(start: Int(position[start]), end: Int(position[end]))
            }
        }
    }
}
