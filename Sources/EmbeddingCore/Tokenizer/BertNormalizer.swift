/// The normalizer: `BertNormalizer` (clean_text, handle_chinese_chars, strip_accents, lowercase),
/// or a `Sequence` of `BertNormalizer`, `NFD`, `Lowercase` and `StripAccents` (which removes all
/// combining marks, unlike BertNormalizer's accent stripping that removes Mn only), flattened into
/// per-scalar steps.
///
/// Every supported step maps one scalar to zero or more scalars, so normalizing a text is
/// normalizing each original scalar independently, and every output scalar aligns to the original
/// scalar it came from (what Hugging Face's `NormalizedString` alignments give for these steps).
/// Not reproduced: NFD's canonical reordering of combining marks across scalars (only visible for
/// out-of-order combining marks that are not stripped).
final class BertNormalizer: Sendable {
    enum Step: Sendable, Equatable {
        /// Drop NUL, U+FFFD and Cc/Cf/Co (except \t \n \r); map whitespace to " ".
        case cleanText
        /// Surround CJK ideographs with spaces.
        case chineseChars
        /// Canonical decomposition.
        case nfd
        /// Drop nonspacing marks (Mn): BertNormalizer's accent stripping after NFD.
        case stripNonspacingMarks
        /// Drop all combining marks (M*): the `StripAccents` normalizer.
        case stripCombiningMarks
        /// Full lowercase mapping.
        case lowercase
    }

    let steps: [Step]

    /// Flags that make a scalar need the slow path for these steps.
    let interestingFlags: ScalarFlags

    init(steps: [Step]) {
        self.steps = steps
        var flags: ScalarFlags = []
        for step in steps {
            switch step {
            case .cleanText: flags.formUnion([.other, .whitespace])
            case .chineseChars: flags.insert(.chinese)
            case .nfd: flags.insert(.decomposes)
            case .stripNonspacingMarks: flags.insert(.nonspacingMark)
            case .stripCombiningMarks: flags.insert(.combiningMark)
            case .lowercase: flags.insert(.lowercases)
            }
        }
        interestingFlags = flags
    }

    /// The steps of HF's `BertNormalizer`; `stripAccents == nil` follows `lowercase`.
    static func bertSteps(cleanText: Bool, handleChineseChars: Bool, stripAccents: Bool?, lowercase: Bool) -> [Step] {
        var steps: [Step] = []
        if cleanText { steps.append(.cleanText) }
        if handleChineseChars { steps.append(.chineseChars) }
        if stripAccents ?? lowercase { steps.append(contentsOf: [.nfd, .stripNonspacingMarks]) }
        if lowercase { steps.append(.lowercase) }
        return steps
    }

    /// Normalizes one scalar. Returns false when it maps to itself (nothing written to `out`);
    /// otherwise `out` holds the replacement (possibly empty).
    func normalize(_ scalar: Unicode.Scalar, flags: ScalarFlags, into out: inout [Unicode.Scalar], scratch: inout [Unicode.Scalar]) -> Bool {
        if flags.isDisjoint(with: interestingFlags) && scalar.value != 0 && scalar.value != 0xFFFD { return false }
        out.removeAll(keepingCapacity: true)
        out.append(scalar)
        for step in steps {
            scratch.removeAll(keepingCapacity: true)
            for s in out {
                let f = Self.flags(of: s)
                switch step {
                case .cleanText:
                    let v = s.value
                    if v == 0 || v == 0xFFFD || (f.contains(.other) && v != 0x09 && v != 0x0A && v != 0x0D) { continue }
                    scratch.append(f.contains(.whitespace) ? " " : s)
                case .chineseChars:
                    if f.contains(.chinese) {
                        scratch.append(" ")
                        scratch.append(s)
                        scratch.append(" ")
                    } else {
                        scratch.append(s)
                    }
                case .nfd:
                    if f.contains(.decomposes) {
                        UnicodeInfo.appendDecomposition(of: s, to: &scratch)
                    } else {
                        scratch.append(s)
                    }
                case .stripNonspacingMarks:
                    if !f.contains(.nonspacingMark) { scratch.append(s) }
                case .stripCombiningMarks:
                    if !f.contains(.combiningMark) { scratch.append(s) }
                case .lowercase:
                    if f.contains(.lowercases) {
                        UnicodeInfo.appendLowercase(of: s, to: &scratch)
                    } else {
                        scratch.append(s)
                    }
                }
            }
            swap(&out, &scratch)
        }
        return true
    }

    @inline(__always)
    static func flags(of scalar: Unicode.Scalar) -> ScalarFlags {
        UnicodeInfo.flags(scalar.value)
    }
}
