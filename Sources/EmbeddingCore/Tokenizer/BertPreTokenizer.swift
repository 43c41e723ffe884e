/// The pre-tokenizer, expressed as a class per normalized scalar:
///
/// - `BertPreTokenizer`: split on whitespace (removed) and isolate every punctuation scalar
///   (ASCII punctuation or Unicode P*).
/// - `Whitespace`: the regex `\w+|[^\w\s]+` — runs of word scalars and runs of other non-space scalars.
/// - `WhitespaceSplit`: split on whitespace only.
/// - none (`null`): the whole normalized text is one word.
enum PreTokenizerKind: Sendable, Equatable {
    case bert
    case whitespace
    case whitespaceSplit
    case none

    /// How a normalized scalar takes part in word splitting.
    enum ScalarClass: UInt8 {
        /// Ends the current word and is dropped.
        case separator = 0
        /// A word of its own.
        case isolated = 1
        /// Joins adjacent scalars of the same run class.
        case runA = 2
        case runB = 3
    }

    @inline(__always)
    func classify(_ flags: ScalarFlags) -> ScalarClass {
        switch self {
        case .bert:
            if flags.contains(.whitespace) { return .separator }
            return flags.contains(.punctuation) ? .isolated : .runA
        case .whitespace:
            if flags.contains(.whitespace) { return .separator }
            return flags.contains(.word) ? .runA : .runB
        case .whitespaceSplit:
            return flags.contains(.whitespace) ? .separator : .runA
        case .none:
            return .runA
        }
    }
}
