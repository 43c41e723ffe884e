/// The WordPiece model: greedy longest-match-first sub-word splitting, as in Hugging Face
/// `tokenizers`. A word longer than `maxInputCharsPerWord` scalars, or one with a piece that is not
/// in the vocabulary, becomes a single `unkToken`.
struct WordPiece: Sendable {
    let vocabulary: [String: Int32]
    /// `id -> token`; nil where the vocabulary has a gap.
    let tokens: [String?]
    let trie: DoubleArrayTrie
    /// The trie node reached by `continuingSubwordPrefix`; -1 when no vocabulary entry starts with it.
    let continuationRoot: Int32
    let unkToken: String
    let unkId: Int32
    let continuingSubwordPrefix: String
    let maxInputCharsPerWord: Int

    init(vocabulary: [String: Int32], unkToken: String, continuingSubwordPrefix: String, maxInputCharsPerWord: Int) throws {
        guard let unkId = vocabulary[unkToken] else {
            throw TokenizerError.malformed("WordPiece unk_token \"\(unkToken)\" is not in the vocabulary")
        }
        self.vocabulary = vocabulary
        self.unkToken = unkToken
        self.unkId = unkId
        self.continuingSubwordPrefix = continuingSubwordPrefix
        self.maxInputCharsPerWord = maxInputCharsPerWord
        let maxId = vocabulary.values.max() ?? -1
        var tokens = [String?](repeating: nil, count: Int(maxId) + 1)
        for (token, id) in vocabulary where id >= 0 { tokens[Int(id)] = token }
        self.tokens = tokens
        trie = DoubleArrayTrie(vocabulary.lazy.map { (Array($0.key.utf8), $0.value) })
        if continuingSubwordPrefix.isEmpty {
            continuationRoot = DoubleArrayTrie.root
        } else {
            continuationRoot = trie.walk(continuingSubwordPrefix.utf8) ?? -1
        }
    }

    /// Tokenizes the normalized word `bytes[start..<end]` into `sink`, mapping piece boundaries to
    /// original offsets through `alignStart`/`alignEnd` (one entry per normalized byte). Works on
    /// the raw trie storage, so the loop does no reference counting.
    @inline(__always)
    static func tokenize(_ bytes: UnsafePointer<UInt8>, start: Int, end: Int,
                         alignStart: UnsafePointer<Int32>, alignEnd: UnsafePointer<Int32>,
                         units: UnsafePointer<DoubleArrayTrie.Unit>, continuationRoot: Int32, unkId: Int32,
                         maxInputCharsPerWord: Int, into sink: inout TokenSink) {
        let wordStart = alignStart[start]
        let wordEnd = alignEnd[end - 1]
        if end - start > maxInputCharsPerWord {
            // Count scalars (non-continuation bytes) only when the byte count could exceed the limit.
            var chars = 0
            for i in start ..< end where bytes[i] & 0xC0 != 0x80 { chars += 1 }
            if chars > maxInputCharsPerWord {
                sink.append(unkId, wordStart, wordEnd, special: false)
                return
            }
        }
        let first = DoubleArrayTrie.longestPrefix(units, bytes, from: start, to: end, node: DoubleArrayTrie.root)
        if first.end == end {
            // The whole word is one vocabulary entry (the common case).
            sink.append(first.value, wordStart, wordEnd, special: false)
            return
        }
        if first.end < 0 || continuationRoot < 0 {
            sink.append(unkId, wordStart, wordEnd, special: false)
            return
        }
        let mark = sink.count
        sink.append(first.value, wordStart, alignEnd[first.end - 1], special: false)
        var position = first.end
        while position < end {
            let match = DoubleArrayTrie.longestPrefix(units, bytes, from: position, to: end, node: continuationRoot)
            if match.end < 0 {
                sink.truncate(to: mark)
                sink.append(unkId, wordStart, wordEnd, special: false)
                return
            }
            sink.append(match.value, alignStart[position], alignEnd[match.end - 1], special: false)
            position = match.end
        }
    }
}
