import Foundation

/// A Hugging Face `tokenizers` port for BERT-style (WordPiece) models, loaded from `tokenizer.json`.
///
/// Pipeline (as in Hugging Face): added tokens with `normalized: false` are found in the raw input
/// and split it; each remaining piece is normalized (`BertNormalizer` …), added tokens with
/// `normalized: true` are found in the normalized text, the rest is pre-tokenized
/// (`BertPreTokenizer` …) and each word is split by the `WordPiece` model; finally the
/// post-processor adds `[CLS]`/`[SEP]`. Offsets are UTF-8 byte spans in the original text.
///
/// Immutable after `init`, so one instance can encode from many threads at once.
public final class Tokenizer: Sendable {
    let model: WordPiece
    let normalizer: BertNormalizer?
    /// Precomputed normalizer output for non-ASCII scalars.
    let normalizationCache: NormalizationCache?
    let preTokenizer: PreTokenizerKind
    let postProcessor: PostProcessor
    let decoder: WordPieceDecoder?
    let addedTokenById: [Int32: AddedToken]
    let addedTokenIdByContent: [String: Int32]
    /// Contents of the added tokens marked special (skipped by `decode(skipSpecialTokens: true)`).
    let specialTokenContents: Set<String>
    /// Added tokens matched in the raw input (`normalized: false`).
    let rawMatcher: AddedTokenMatcher?
    /// Added tokens matched in the normalized text (`normalized: true`).
    let normalizedMatcher: AddedTokenMatcher?
    /// Normalization and pre-tokenizer class of each ASCII byte (see `ASCIIEntry`).
    let asciiTable: ASCIITable
    /// `UnicodeInfo.flagTable`, held so the hot loop does not go through the lazy global.
    nonisolated(unsafe) let flagTable: UnsafePointer<ScalarFlags>

    /// Number of ids: one more than the largest id in the vocabulary or the added tokens.
    public let vocabularySize: Int
    /// `pad_id` from the padding section, else the id of `[PAD]`, else 0.
    public let padTokenId: Int32
    /// Ids of the added tokens marked special and of the post-processor's tokens.
    public let specialTokenIds: Set<Int32>

    /// Number of special tokens the post-processor adds around a single sequence (2 for BERT).
    public var numberOfSpecialTokens: Int { postProcessor.addedCount }

    public convenience init(contentsOf url: URL) throws {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw TokenizerError.unreadable("cannot read \(url.path): \(error.localizedDescription)")
        }
        try self.init(data: data)
    }

    public init(data: Data) throws {
        let config = try TokenizerConfiguration(data: data)
        model = config.model
        normalizer = config.normalizer
        normalizationCache = config.normalizer.map { NormalizationCache(normalizer: $0) }
        preTokenizer = config.preTokenizer
        postProcessor = config.postProcessor
        decoder = config.decoder
        flagTable = UnicodeInfo.flagTable
        asciiTable = ASCIITable(normalizer: config.normalizer, preTokenizer: config.preTokenizer)

        var byId: [Int32: AddedToken] = [:]
        var byContent: [String: Int32] = [:]
        var specialContents = Set<String>()
        var specialIds = Set<Int32>()
        for token in config.addedTokens {
            byId[token.id] = token
            byContent[token.content] = token.id
            if token.special {
                specialContents.insert(token.content)
                specialIds.insert(token.id)
            }
        }
        for special in postProcessor.prefix + postProcessor.suffix { specialIds.insert(special.id) }
        addedTokenById = byId
        addedTokenIdByContent = byContent
        specialTokenContents = specialContents
        specialTokenIds = specialIds

        var maxId = Int32(model.tokens.count - 1)
        for token in config.addedTokens { maxId = max(maxId, token.id) }
        vocabularySize = Int(maxId) + 1
        padTokenId = config.padId ?? byContent["[PAD]"] ?? model.vocabulary["[PAD]"] ?? 0

        let raw = config.addedTokens.filter { !$0.normalized }
        rawMatcher = AddedTokenMatcher(tokens: raw, patterns: raw.map { Array($0.content.utf8) })
        let normalized = config.addedTokens.filter { $0.normalized }
        let normalizer = config.normalizer
        normalizedMatcher = AddedTokenMatcher(tokens: normalized, patterns: normalized.map { token in
            Self.normalizedBytes(of: token.content, normalizer: normalizer)
        })
    }

    // MARK: Vocabulary

    public func id(forToken token: String) -> Int32? {
        addedTokenIdByContent[token] ?? model.vocabulary[token]
    }

    public func token(forId id: Int32) -> String? {
        if let added = addedTokenById[id] { return added.content }
        guard id >= 0, Int(id) < model.tokens.count else { return nil }
        return model.tokens[Int(id)]
    }
}
