// `String._nfd` (the standard library's canonical decomposition) is SPI; Foundation's public
// `decomposedStringWithCanonicalMapping` is ~15x slower and allocates.
@_spi(_Unicode) import Swift

/// Per-scalar character facts the BERT normalizer and pre-tokenizers need, with the definitions
/// Hugging Face `tokenizers` uses (Rust `char::is_whitespace`, the `unicode_categories` crate, …).
struct ScalarFlags: OptionSet, Sendable {
    let rawValue: UInt16

    /// General category Cc, Cf or Co (`unicode_categories::is_other`; BERT's "control").
    static let other = ScalarFlags(rawValue: 1 << 0)
    /// Unicode `White_Space` (Rust `char::is_whitespace`, regex `\s`).
    static let whitespace = ScalarFlags(rawValue: 1 << 1)
    /// BERT punctuation: ASCII punctuation or general category P*.
    static let punctuation = ScalarFlags(rawValue: 1 << 2)
    /// General category Mn (removed by accent stripping).
    static let nonspacingMark = ScalarFlags(rawValue: 1 << 3)
    /// In one of BERT's CJK ideograph blocks.
    static let chinese = ScalarFlags(rawValue: 1 << 4)
    /// Has a canonical decomposition (NFD differs from the scalar).
    static let decomposes = ScalarFlags(rawValue: 1 << 5)
    /// Lowercasing changes it.
    static let lowercases = ScalarFlags(rawValue: 1 << 6)
    /// Regex `\w` (Alphabetic, marks, decimal digits, connector punctuation, join controls), as
    /// the `Whitespace` pre-tokenizer's Oniguruma regex sees it.
    static let word = ScalarFlags(rawValue: 1 << 7)
    /// General category M* (removed by the `StripAccents` normalizer).
    static let combiningMark = ScalarFlags(rawValue: 1 << 8)
}

enum UnicodeInfo {
    /// Scalars below this have precomputed flags (`flagTable`); others are computed when met.
    static let tableLimit: UInt32 = 0x20000

    /// Flags for every scalar of planes 0 and 1 (surrogate code points get `[]`), built once per
    /// process (~30 ms) and never freed.
    nonisolated(unsafe) static let flagTable: UnsafePointer<ScalarFlags> = {
        let table = UnsafeMutablePointer<ScalarFlags>.allocate(capacity: Int(tableLimit))
        for v in 0..<tableLimit {
            (table + Int(v)).initialize(to: computeFlags(v))
        }
        return UnsafePointer(table)
    }()

    static func isChinese(_ v: UInt32) -> Bool {
        switch v {
        case 0x4E00...0x9FFF, 0x3400...0x4DBF, 0x20000...0x2A6DF, 0x2A700...0x2B73F,
             0x2B740...0x2B81F, 0x2B920...0x2CEAF, 0xF900...0xFAFF, 0x2F800...0x2FA1F:
            return true
        default:
            return false
        }
    }

    static func isASCIIPunctuation(_ v: UInt32) -> Bool {
        (33...47).contains(v) || (58...64).contains(v) || (91...96).contains(v) || (123...126).contains(v)
    }

    /// Flags for one scalar, from the table when possible.
    @inline(__always)
    static func flags(_ v: UInt32) -> ScalarFlags {
        flags(v, table: flagTable)
    }

    @inline(__always)
    static func flags(_ v: UInt32, table: UnsafePointer<ScalarFlags>) -> ScalarFlags {
        v < tableLimit ? table[Int(v)] : computeFlags(v)
    }

    static func computeFlags(_ v: UInt32) -> ScalarFlags {
        guard let scalar = Unicode.Scalar(v) else { return [] }
        let properties = scalar.properties
        var flags: ScalarFlags = []
        let category = properties.generalCategory
        if category == .unassigned {
            // No property applies, except BERT's CJK blocks, which are plain ranges.
            if isChinese(v) { flags.insert(.chinese) }
            HFCompatibility.adjust(v, &flags)
            return flags
        }
        switch category {
        case .control, .format, .privateUse:
            flags.insert(.other)
        case .connectorPunctuation:
            flags.formUnion([.punctuation, .word])
        case .dashPunctuation, .openPunctuation, .closePunctuation, .initialPunctuation,
             .finalPunctuation, .otherPunctuation:
            flags.insert(.punctuation)
        case .nonspacingMark:
            flags.formUnion([.nonspacingMark, .combiningMark, .word])
        case .spacingMark, .enclosingMark:
            flags.formUnion([.combiningMark, .word])
        case .decimalNumber:
            flags.insert(.word)
        default:
            break
        }
        if isASCIIPunctuation(v) { flags.insert(.punctuation) }
        if properties.isWhitespace { flags.insert(.whitespace) }
        if properties.isAlphabetic || properties.isJoinControl { flags.insert(.word) }
        if isChinese(v) { flags.insert(.chinese) }
        if v >= 0xC0 {
            var iterator = String(scalar)._nfd.makeIterator()
            if iterator.next() != scalar || iterator.next() != nil { flags.insert(.decomposes) }
        }
        if properties.changesWhenLowercased {
            let lower = properties.lowercaseMapping.unicodeScalars
            if lower.count != 1 || lower.first != scalar { flags.insert(.lowercases) }
        }
        HFCompatibility.adjust(v, &flags)
        return flags
    }

    /// Appends the canonical decomposition of `scalar` (NFD of the single scalar).
    static func appendDecomposition(of scalar: Unicode.Scalar, to out: inout [Unicode.Scalar]) {
        for s in String(scalar)._nfd { out.append(s) }
    }

    /// Appends the full lowercase mapping of `scalar` (Rust `char::to_lowercase`).
    static func appendLowercase(of scalar: Unicode.Scalar, to out: inout [Unicode.Scalar]) {
        for s in scalar.properties.lowercaseMapping.unicodeScalars { out.append(s) }
    }
}
