/// The rules every substituted value (parameter or artifact URL) must pass, wherever it goes:
/// one line, at most 4096 bytes, no placeholder delimiters, no double quote, and readable as a
/// single YAML plain scalar (nothing YAML would take for a collection, alias, anchor, tag, block
/// scalar, comment or mapping). Values are never parsed as YAML; these rules only make sure that
/// a value means the same text whatever tool reads the rendered document.
enum ValueSafety {
    static let maximumBytes = 4096

    /// Throws `.invalidValue` naming `noun` (`parameter "x"`); never echoes the value.
    static func check(_ value: String, noun: String, field: String) throws(RenderError) {
        func refuse(_ why: String) -> RenderError {
            .invalidValue("\(noun): the value \(why)", field: field)
        }
        let size = value.utf8.count
        if size > maximumBytes {
            throw refuse("is \(size) bytes; at most \(maximumBytes) are allowed")
        }
        for scalar in value.unicodeScalars where isForbidden(scalar) {
            throw refuse("contains the control character U+\(hex(scalar.value)); values must be a single line of text")
        }
        if value.contains("{{") || value.contains("}}") {
            throw refuse("contains \"{{\" or \"}}\"; values are never expanded again")
        }
        if value.contains("\"") {
            throw refuse("contains a double quote (\")")
        }
        guard let first = value.unicodeScalars.first, let last = value.unicodeScalars.last else { return }
        if first == " " || last == " " {
            throw refuse("starts or ends with a space")
        }
        switch first {
        case "*": throw refuse("starts with \"*\", a YAML alias")
        case "&": throw refuse("starts with \"&\", a YAML anchor")
        case "!": throw refuse("starts with \"!\", a YAML tag")
        case "|", ">": throw refuse("starts with \"\(first)\", a YAML block scalar")
        case "#": throw refuse("starts with \"#\", a YAML comment")
        case "[", "{", "]", "}", ",": throw refuse("starts with \"\(first)\", a YAML flow collection indicator")
        case "'": throw refuse("starts with a quote")
        case "%", "@", "`": throw refuse("starts with \"\(first)\", a reserved YAML indicator")
        case "-", "?", ":":
            let second = value.unicodeScalars.dropFirst().first
            if second == nil || second == " " {
                throw refuse("starts with \"\(first)\" followed by a space or nothing, a YAML \(first == "-" ? "list item" : "mapping") indicator")
            }
        default: break
        }
        if value.contains(": ") || last == ":" {
            throw refuse("contains \": \" or ends with \":\", a YAML mapping")
        }
        if value.contains(" #") {
            throw refuse("contains \" #\", a YAML comment")
        }
        if value.hasPrefix("---") || value.hasPrefix("...") {
            throw refuse("starts with a YAML document marker")
        }
    }

    /// Control characters (C0, DEL, C1) and the characters YAML or JavaScript treat as line breaks.
    private static func isForbidden(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00...0x1F, 0x7F...0x9F, 0x2028, 0x2029, 0xFEFF: return true
        default: return false
        }
    }

    private static func hex(_ value: UInt32) -> String {
        let digits = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }
}
