/// The `WordPiece` decoder: continuation pieces lose their prefix and join the previous piece, other
/// pieces get a leading space; with `cleanup`, Hugging Face's `clean_up_tokenization_spaces`
/// replacements are applied to each piece.
struct WordPieceDecoder: Sendable {
    let prefix: String
    let cleanup: Bool

    func decode(_ tokens: [String]) -> String {
        var result = ""
        for (index, token) in tokens.enumerated() {
            var piece = token
            if index != 0 {
                if !prefix.isEmpty, piece.utf8.starts(with: prefix.utf8) {
                    piece = String(decoding: piece.utf8.dropFirst(prefix.utf8.count), as: UTF8.self)
                } else {
                    piece = " " + piece
                }
            }
            if cleanup { piece = Self.cleanUp(piece) }
            result += piece
        }
        return result
    }

    /// Hugging Face's `cleanup` (in order, every occurrence).
    static func cleanUp(_ text: String) -> String {
        guard text.contains(" ") else { return text }
        var s = text
        for (from, to) in replacements where s.contains(from) {
            s = s.replacing(from, with: to)
        }
        return s
    }

    private static let replacements: [(String, String)] = [
        (" .", "."), (" ?", "?"), (" !", "!"), (" ,", ","), (" ' ", "'"), (" n't", "n't"), (" 'm", "'m"),
        (" do not", " don't"), (" 's", "'s"), (" 've", "'ve"), (" 're", "'re"),
    ]
}

extension Tokenizer {
    /// Turns ids back into text: unknown ids are skipped, special added tokens too when
    /// `skipSpecialTokens`, and the rest is joined by the decoder (`WordPiece`: "##" pieces join the
    /// previous one, cleanup like Hugging Face's `clean_up_tokenization_spaces`; no decoder: joined
    /// with spaces).
    public func decode(_ ids: [Int32], skipSpecialTokens: Bool = true) -> String {
        var tokens: [String] = []
        tokens.reserveCapacity(ids.count)
        for id in ids {
            guard let token = token(forId: id) else { continue }
            if skipSpecialTokens && specialTokenContents.contains(token) { continue }
            tokens.append(token)
        }
        guard let decoder else { return tokens.joined(separator: " ") }
        return decoder.decode(tokens)
    }
}
