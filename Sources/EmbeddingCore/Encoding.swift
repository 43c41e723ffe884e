/// The result of tokenizing one text: token ids with their spans in the original text.
///
/// Offsets are UTF-8 byte offsets `[start, end)` into the original string. Special tokens added by
/// the post-processor ([CLS], [SEP]) have the span `0..<0`, as Hugging Face tokenizers report them.
public struct Encoding: Sendable, Equatable {
    public var ids: [Int32]
    /// Segment ids (`token_type_ids`), one per token.
    public var typeIds: [Int32]
    /// UTF-8 byte spans in the original text, one per token.
    public var offsets: [TokenSpan]
    /// Whether each token was added by the post-processor or is an added special token.
    public var specialTokensMask: [Bool]
    /// The number of tokens before truncation (equal to `ids.count` when nothing was cut).
    public var untruncatedCount: Int

    public init(ids: [Int32], typeIds: [Int32], offsets: [TokenSpan], specialTokensMask: [Bool], untruncatedCount: Int? = nil) {
        self.ids = ids
        self.typeIds = typeIds
        self.offsets = offsets
        self.specialTokensMask = specialTokensMask
        self.untruncatedCount = untruncatedCount ?? ids.count
    }

    public var count: Int { ids.count }
    public var wasTruncated: Bool { untruncatedCount > ids.count }
}

/// A `[start, end)` span of UTF-8 bytes.
public struct TokenSpan: Sendable, Equatable, Hashable {
    public var start: Int
    public var end: Int
    public init(start: Int, end: Int) {
        self.start = start
        self.end = end
    }
    public static let empty = TokenSpan(start: 0, end: 0)
}

/// Which end of the text truncation removes tokens from (TEI's `truncation_direction`).
public enum TruncationDirection: String, Sendable, Codable {
    case right = "Right"
    case left = "Left"
}
