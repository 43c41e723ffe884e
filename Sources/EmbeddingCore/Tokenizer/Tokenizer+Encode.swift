extension Tokenizer {
    public func encode(_ text: String, addSpecialTokens: Bool = true) -> Encoding {
        encode(text, addSpecialTokens: addSpecialTokens, maxLength: nil)
    }

    /// Truncates to `maxLength` tokens *including* the special tokens: `[CLS]` stays first and
    /// `[SEP]` last. `untruncatedCount` of the result is the count before truncation. When
    /// `maxLength` is smaller than the number of special tokens, the special tokens themselves are
    /// cut (Hugging Face raises an error there).
    public func encode(_ text: String, addSpecialTokens: Bool = true, maxLength: Int?, direction: TruncationDirection = .right) -> Encoding {
        var sink = TokenSink(capacity: text.utf8.count / 4 + 8)
        encodeContent(text, into: &sink)

        var prefix = addSpecialTokens ? postProcessor.prefix : []
        var suffix = addSpecialTokens ? postProcessor.suffix : []
        let untruncated = prefix.count + sink.count + suffix.count
        // The window of content tokens to keep.
        var contentStart = 0
        var contentCount = sink.count
        if let maxLength, untruncated > maxLength {
            let limit = max(0, maxLength)
            contentCount = max(0, limit - prefix.count - suffix.count)
            if direction == .left { contentStart = sink.count - contentCount }
            if prefix.count + suffix.count > limit {
                // Not even the special tokens fit: cut them too, from the truncated side.
                var specials = prefix + suffix
                if direction == .right {
                    specials.removeLast(specials.count - limit)
                    prefix = Array(specials.prefix(min(prefix.count, limit)))
                    suffix = Array(specials.dropFirst(prefix.count))
                } else {
                    specials.removeFirst(specials.count - limit)
                    suffix = Array(specials.suffix(min(suffix.count, limit)))
                    prefix = Array(specials.dropLast(suffix.count))
                }
            }
        }

        let count = prefix.count + contentCount + suffix.count
        let ids = [Int32](unsafeUninitializedCapacity: count) { buffer, initialized in
            var k = 0
            for special in prefix { buffer[k] = special.id; k += 1 }
            (buffer.baseAddress! + k).initialize(from: sink.ids + contentStart, count: contentCount)
            k += contentCount
            for special in suffix { buffer[k] = special.id; k += 1 }
            initialized = count
        }
        let offsets = [TokenSpan](unsafeUninitializedCapacity: count) { buffer, initialized in
            var k = 0
            for _ in prefix { buffer[k] = .empty; k += 1 }
            (buffer.baseAddress! + k).initialize(from: sink.spans + contentStart, count: contentCount)
            k += contentCount
            for _ in suffix { buffer[k] = .empty; k += 1 }
            initialized = count
        }
        let mask = [Bool](unsafeUninitializedCapacity: count) { buffer, initialized in
            var k = 0
            for _ in prefix { buffer[k] = true; k += 1 }
            (buffer.baseAddress! + k).initialize(from: sink.special + contentStart, count: contentCount)
            k += contentCount
            for _ in suffix { buffer[k] = true; k += 1 }
            initialized = count
        }
        let typeIds: [Int32]
        if postProcessor.allTypeIdsZero {
            typeIds = [Int32](repeating: 0, count: count)
        } else {
            typeIds = prefix.map(\.typeId) + repeatElement(postProcessor.sequenceTypeId, count: contentCount) + suffix.map(\.typeId)
        }
        return Encoding(ids: ids, typeIds: typeIds, offsets: offsets, specialTokensMask: mask, untruncatedCount: untruncated)
    }

    /// Tokenizes `text` (without post-processor tokens) into `sink`.
    func encodeContent(_ text: String, into sink: inout TokenSink) {
        var text = text
        text.withUTF8 { utf8 in
            guard let source = utf8.baseAddress, utf8.count > 0 else { return }
            let length = utf8.count
            var normalized = NormalizedText(capacity: length + 16)
            let context = EncodeContext(self)
            if let rawMatcher {
                var matches: [AddedTokenMatch] = []
                rawMatcher.findMatches(source, count: length, into: &matches)
                var pieceStart = 0
                for match in matches {
                    if match.start > pieceStart {
                        encodePiece(source, from: pieceStart, to: match.start, context, &normalized, into: &sink)
                    }
                    let token = rawMatcher.tokens[Int(match.token)]
                    sink.append(token.id, Int32(match.start), Int32(match.end), special: token.special)
                    pieceStart = match.end
                }
                if pieceStart < length {
                    encodePiece(source, from: pieceStart, to: length, context, &normalized, into: &sink)
                }
            } else {
                encodePiece(source, from: 0, to: length, context, &normalized, into: &sink)
            }
            withExtendedLifetime(self) {}
        }
    }

    /// Normalizes, pre-tokenizes and tokenizes `source[start..<end]`, a piece without raw added tokens.
    private func encodePiece(_ source: UnsafePointer<UInt8>, from start: Int, to end: Int, _ context: EncodeContext,
                             _ normalized: inout NormalizedText, into sink: inout TokenSink) {
        context.normalize(source, from: start, to: end, into: &normalized)
        if let normalizedMatcher {
            splitOnNormalizedAddedTokens(normalizedMatcher, context, &normalized, into: &sink)
        } else {
            context.tokenizeWords(normalized, from: 0, to: normalized.wordCount, into: &sink)
        }
    }

    /// Finds added tokens with `normalized: true` in the normalized piece, emitting them and the
    /// (clipped) words around them in order.
    private func splitOnNormalizedAddedTokens(_ matcher: AddedTokenMatcher, _ context: EncodeContext,
                                              _ normalized: inout NormalizedText, into sink: inout TokenSink) {
        var matches: [AddedTokenMatch] = []
        matcher.findMatches(normalized.bytes, count: normalized.count, into: &matches)
        if matches.isEmpty {
            context.tokenizeWords(normalized, from: 0, to: normalized.wordCount, into: &sink)
            return
        }
        // Clip the words against the matches, then emit words and matches in order.
        var pieces: [(start: Int32, end: Int32, token: Int32)] = []
        var w = 0
        let words = normalized.words
        let wordCount = normalized.wordCount
        var wordStart = wordCount > 0 ? words[0] : 0
        for match in matches {
            let matchStart = Int32(match.start)
            let matchEnd = Int32(match.end)
            while w < wordCount {
                let wordEnd = words[2 * w + 1]
                if wordEnd <= matchStart {
                    if wordStart < wordEnd { pieces.append((wordStart, wordEnd, -1)) }
                    w += 1
                    if w < wordCount { wordStart = words[2 * w] }
                    continue
                }
                if wordStart < matchStart { pieces.append((wordStart, matchStart, -1)) }
                break
            }
            pieces.append((matchStart, matchEnd, match.token))
            while w < wordCount && words[2 * w + 1] <= matchEnd {
                w += 1
                if w < wordCount { wordStart = words[2 * w] }
            }
            if w < wordCount && wordStart < matchEnd { wordStart = matchEnd }
        }
        while w < wordCount {
            let wordEnd = words[2 * w + 1]
            if wordStart < wordEnd { pieces.append((wordStart, wordEnd, -1)) }
            w += 1
            if w < wordCount { wordStart = words[2 * w] }
        }
        for piece in pieces {
            let start = Int(piece.start), end = Int(piece.end)
            if piece.token >= 0 {
                let added = matcher.tokens[Int(piece.token)]
                if end > start {
                    sink.append(added.id, normalized.alignStart[start], normalized.alignEnd[end - 1], special: added.special)
                } else {
                    sink.append(added.id, 0, 0, special: added.special)
                }
            } else {
                context.tokenizeWord(normalized, start: start, end: end, into: &sink)
            }
        }
    }

    /// The normalized UTF-8 of `text` (to match added tokens with `normalized: true`).
    static func normalizedBytes(of text: String, normalizer: BertNormalizer?) -> [UInt8] {
        guard let normalizer else { return Array(text.utf8) }
        var out: [UInt8] = []
        var scalars: [Unicode.Scalar] = []
        var scratch: [Unicode.Scalar] = []
        for scalar in text.unicodeScalars {
            if normalizer.normalize(scalar, flags: UnicodeInfo.flags(scalar.value), into: &scalars, scratch: &scratch) {
                for s in scalars { out.append(contentsOf: String(s).utf8) }
            } else {
                out.append(contentsOf: String(scalar).utf8)
            }
        }
        return out
    }
}

/// Everything the hot loops need, as plain values and raw pointers (valid while the tokenizer is
/// alive), so they run without reference counting.
struct EncodeContext {
    let ascii: UnsafePointer<UInt16>
    let flags: UnsafePointer<ScalarFlags>
    let units: UnsafePointer<DoubleArrayTrie.Unit>
    let continuationRoot: Int32
    let unkId: Int32
    let maxInputCharsPerWord: Int
    let preTokenizer: PreTokenizerKind
    let normalizer: BertNormalizer?
    let interesting: ScalarFlags

    init(_ tokenizer: Tokenizer) {
        ascii = UnsafePointer(tokenizer.asciiTable.entries)
        flags = tokenizer.flagTable
        units = UnsafePointer(tokenizer.model.trie.units)
        continuationRoot = tokenizer.model.continuationRoot
        unkId = tokenizer.model.unkId
        maxInputCharsPerWord = tokenizer.model.maxInputCharsPerWord
        preTokenizer = tokenizer.preTokenizer
        normalizer = tokenizer.normalizer
        interesting = tokenizer.normalizer?.interestingFlags ?? []
    }

    /// Runs WordPiece on words `first..<last` of `normalized`.
    @inline(__always)
    func tokenizeWords(_ normalized: borrowing NormalizedText, from first: Int, to last: Int, into sink: inout TokenSink) {
        let words = normalized.words
        for w in first ..< last {
            tokenizeWord(normalized, start: Int(words[2 * w]), end: Int(words[2 * w + 1]), into: &sink)
        }
    }

    @inline(__always)
    func tokenizeWord(_ normalized: borrowing NormalizedText, start: Int, end: Int, into sink: inout TokenSink) {
        guard start < end else { return }
        WordPiece.tokenize(normalized.bytes, start: start, end: end,
                           alignStart: normalized.alignStart, alignEnd: normalized.alignEnd,
                           units: units, continuationRoot: continuationRoot, unkId: unkId,
                           maxInputCharsPerWord: maxInputCharsPerWord, into: &sink)
    }

    /// Normalizes `source[start..<end]` and splits it into words (the pre-tokenizer) in one pass.
    func normalize(_ source: UnsafePointer<UInt8>, from start: Int, to end: Int, into normalized: inout NormalizedText) {
        normalized.reset(capacity: end - start + 16)
        var i = start
        while i < end {
            let byte = source[i]
            if byte < 0x80 {
                let entry = ascii[Int(byte)]
                let cls = entry >> 8
                if cls < ASCIIEntry.dropped {
                    normalized.appendASCII(UInt8(truncatingIfNeeded: entry), class: cls,
                                           originalStart: Int32(truncatingIfNeeded: i),
                                           originalEnd: Int32(truncatingIfNeeded: i + 1))
                    i += 1
                    continue
                }
                if cls == ASCIIEntry.dropped {
                    i += 1
                    continue
                }
            }
            // General path: one scalar through the normalizer steps.
            let decoded = UTF8Scan.scalar(at: i, in: source)
            let v = decoded.value
            let scalarFlags = UnicodeInfo.flags(v, table: flags)
            let originalStart = Int32(truncatingIfNeeded: i)
            let originalEnd = Int32(truncatingIfNeeded: i + decoded.length)
            if let normalizer, !scalarFlags.isDisjoint(with: interesting) || v == 0xFFFD || v == 0,
               normalizer.normalize(Unicode.Scalar(v)!, flags: scalarFlags,
                                    into: &normalized.scalars, scratch: &normalized.scalarScratch) {
                let output = normalized.scalars
                normalized.reserve(4 * output.count + (end - i))
                for s in output {
                    let f = UnicodeInfo.flags(s.value, table: flags)
                    normalized.appendScalar(s.value, class: UInt16(preTokenizer.classify(f).rawValue),
                                            originalStart: originalStart, originalEnd: originalEnd)
                }
            } else {
                normalized.appendScalar(v, class: UInt16(preTokenizer.classify(scalarFlags).rawValue),
                                        originalStart: originalStart, originalEnd: originalEnd)
            }
            i += decoded.length
        }
        normalized.closeWord()
    }
}

/// Content tokens being collected for one encoding, in growable raw buffers.
struct TokenSink: ~Copyable {
    private(set) var ids: UnsafeMutablePointer<Int32>
    private(set) var spans: UnsafeMutablePointer<TokenSpan>
    private(set) var special: UnsafeMutablePointer<Bool>
    private(set) var count = 0
    private var capacity: Int

    init(capacity: Int) {
        let capacity = max(capacity, 8)
        self.capacity = capacity
        ids = .allocate(capacity: capacity)
        spans = .allocate(capacity: capacity)
        special = .allocate(capacity: capacity)
    }

    deinit {
        ids.deallocate()
        spans.deallocate()
        special.deallocate()
    }

    @inline(__always)
    mutating func append(_ id: Int32, _ start: Int32, _ end: Int32, special isSpecial: Bool) {
        if count == capacity { grow() }
        (ids + count).initialize(to: id)
        (spans + count).initialize(to: TokenSpan(start: Int(start), end: Int(end)))
        (special + count).initialize(to: isSpecial)
        count += 1
    }

    mutating func truncate(to newCount: Int) {
        count = min(count, newCount)
    }

    private mutating func grow() {
        let newCapacity = 2 * capacity
        let newIds = UnsafeMutablePointer<Int32>.allocate(capacity: newCapacity)
        newIds.moveInitialize(from: ids, count: count)
        ids.deallocate()
        ids = newIds
        let newSpans = UnsafeMutablePointer<TokenSpan>.allocate(capacity: newCapacity)
        newSpans.moveInitialize(from: spans, count: count)
        spans.deallocate()
        spans = newSpans
        let newSpecial = UnsafeMutablePointer<Bool>.allocate(capacity: newCapacity)
        newSpecial.moveInitialize(from: special, count: count)
        special.deallocate()
        special = newSpecial
        capacity = newCapacity
    }
}
