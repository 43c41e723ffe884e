extension Tokenizer {
    public func encode(_ text: String, addSpecialTokens: Bool = true) -> Encoding {
        encode(text, addSpecialTokens: addSpecialTokens, maxLength: nil)
    }

    /// Truncates to `maxLength` tokens *including* the special tokens: `[CLS]` stays first and
    /// `[SEP]` last. `untruncatedCount` of the result is the count before truncation. When
    /// `maxLength` is smaller than the number of special tokens, the special tokens themselves are
    /// cut (Hugging Face raises an error there).
    public func encode(_ text: String, addSpecialTokens: Bool = true, maxLength: Int?, direction: TruncationDirection = .right) -> Encoding {
        let prefix = addSpecialTokens ? postProcessor.prefix : []
        let suffix = addSpecialTokens ? postProcessor.suffix : []
        var sink = TokenSink(capacity: text.utf8.count / 4 + 8)
        for special in prefix { sink.append(special.id, 0, 0, special: true) }
        let contentStart = sink.count
        encodeContent(text, into: &sink)
        var contentEnd = sink.count
        for special in suffix { sink.append(special.id, 0, 0, special: true) }
        let untruncated = sink.count

        if let maxLength, untruncated > maxLength {
            let limit = max(0, maxLength)
            let keep = max(0, limit - prefix.count - suffix.count)
            if direction == .right {
                sink.remove(contentStart + keep ..< contentEnd)
            } else {
                sink.remove(contentStart ..< contentEnd - keep)
            }
            contentEnd = contentStart + keep
            if sink.count > limit {
                // Not even the special tokens fit: cut them too, from the truncated side.
                if direction == .right {
                    sink.remove(limit ..< sink.count)
                } else {
                    sink.remove(0 ..< sink.count - limit)
                }
                sink.setTypeIds(0, in: 0 ..< sink.count)
                return sink.makeEncoding(untruncatedCount: untruncated)
            }
        }
        if postProcessor.allTypeIdsZero {
            sink.setTypeIds(0, in: 0 ..< sink.count)
        } else {
            for (k, special) in prefix.enumerated() { sink.setTypeIds(special.typeId, in: k ..< k + 1) }
            sink.setTypeIds(postProcessor.sequenceTypeId, in: contentStart ..< contentEnd)
            for (k, special) in suffix.enumerated() { sink.setTypeIds(special.typeId, in: contentEnd + k ..< contentEnd + k + 1) }
        }
        return sink.makeEncoding(untruncatedCount: untruncated)
    }

    /// Tokenizes `text` (without post-processor tokens) into `sink`.
    func encodeContent(_ text: String, into sink: inout TokenSink) {
        var text = text
        let context = EncodeContext(self)
        text.withUTF8 { utf8 in
            guard let source = utf8.baseAddress, utf8.count > 0 else { return }
            let length = utf8.count
            var normalized = NormalizedText(capacity: length + 16)
            if let rawMatcher = context.rawMatcher {
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
        }
        withExtendedLifetime(self) {}
    }

    /// Normalizes, pre-tokenizes and tokenizes `source[start..<end]`, a piece without raw added tokens.
    private func encodePiece(_ source: UnsafePointer<UInt8>, from start: Int, to end: Int, _ context: EncodeContext,
                             _ normalized: inout NormalizedText, into sink: inout TokenSink) {
        context.normalize(source, from: start, to: end, into: &normalized)
        if let normalizedMatcher = context.normalizedMatcher {
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

/// Everything the hot loops need, as plain values, raw pointers and unowned references (all valid
/// while the tokenizer is alive, which `encodeContent` guarantees), so they run without reference
/// counting.
struct EncodeContext {
    let ascii: UnsafePointer<UInt16>
    let flags: UnsafePointer<ScalarFlags>
    let units: UnsafePointer<DoubleArrayTrie.Unit>
    let continuationRoot: Int32
    let unkId: Int32
    let maxInputCharsPerWord: Int
    let preTokenizer: PreTokenizerKind
    unowned(unsafe) let normalizer: BertNormalizer?
    unowned(unsafe) let cache: NormalizationCache?
    unowned(unsafe) let rawMatcher: AddedTokenMatcher?
    unowned(unsafe) let normalizedMatcher: AddedTokenMatcher?
    /// Flags that send a scalar through the normalizer.
    let interesting: ScalarFlags
    /// `interesting` without `.chinese` (CJK ideographs that only get spaces are handled inline).
    let interestingBeyondChinese: ScalarFlags

    init(_ tokenizer: Tokenizer) {
        ascii = UnsafePointer(tokenizer.asciiTable.entries)
        flags = tokenizer.flagTable
        units = UnsafePointer(tokenizer.model.trie.units)
        continuationRoot = tokenizer.model.continuationRoot
        unkId = tokenizer.model.unkId
        maxInputCharsPerWord = tokenizer.model.maxInputCharsPerWord
        preTokenizer = tokenizer.preTokenizer
        normalizer = tokenizer.normalizer
        cache = tokenizer.normalizationCache
        rawMatcher = tokenizer.rawMatcher
        normalizedMatcher = tokenizer.normalizedMatcher
        interesting = tokenizer.normalizer?.interestingFlags ?? []
        interestingBeyondChinese = interesting.subtracting(.chinese)
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
            if let normalizer, !scalarFlags.isDisjoint(with: interesting) || v == 0xFFFD || v == 0 {
                if scalarFlags.isDisjoint(with: interestingBeyondChinese) && v != 0xFFFD && v != 0 {
                    // A CJK ideograph the normalizer only surrounds with spaces.
                    let space = UInt16(preTokenizer.classify(UnicodeInfo.flags(0x20, table: flags)).rawValue)
                    normalized.reserve(8 + (end - i))
                    normalized.appendScalar(0x20, class: space, originalStart: originalStart, originalEnd: originalEnd)
                    normalized.appendScalar(v, class: UInt16(preTokenizer.classify(scalarFlags).rawValue),
                                            originalStart: originalStart, originalEnd: originalEnd)
                    normalized.appendScalar(0x20, class: space, originalStart: originalStart, originalEnd: originalEnd)
                } else if let cache, v < UnicodeInfo.tableLimit {
                    if let (offset, count) = cache.lookup(v) {
                        normalized.reserve(4 * count + (end - i))
                        for k in offset ..< offset + count {
                            let s = cache.outputs[k]
                            normalized.appendScalar(s, class: UInt16(preTokenizer.classify(UnicodeInfo.flags(s, table: flags)).rawValue),
                                                    originalStart: originalStart, originalEnd: originalEnd)
                        }
                    } else {
                        // Normalizes to itself.
                        normalized.appendScalar(v, class: UInt16(preTokenizer.classify(scalarFlags).rawValue),
                                                originalStart: originalStart, originalEnd: originalEnd)
                    }
                } else if normalizer.normalize(Unicode.Scalar(v)!, flags: scalarFlags,
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
            } else {
                normalized.appendScalar(v, class: UInt16(preTokenizer.classify(scalarFlags).rawValue),
                                        originalStart: originalStart, originalEnd: originalEnd)
            }
            i += decoded.length
        }
        normalized.closeWord()
    }
}

/// The tokens of one encoding being collected, in one growable raw allocation.
struct TokenSink: ~Copyable {
    private(set) var spans: UnsafeMutablePointer<TokenSpan>
    private(set) var ids: UnsafeMutablePointer<Int32>
    private(set) var typeIds: UnsafeMutablePointer<Int32>
    private(set) var special: UnsafeMutablePointer<Bool>
    private(set) var count = 0
    private var capacity: Int

    init(capacity: Int) {
        let capacity = max(capacity, 8)
        self.capacity = capacity
        (spans, ids, typeIds, special) = Self.allocate(capacity)
    }

    deinit {
        spans.deallocate()
    }

    /// spans (16 bytes each), then ids, typeIds (4 bytes each) and special (1 byte each).
    private static func allocate(_ capacity: Int) -> (UnsafeMutablePointer<TokenSpan>, UnsafeMutablePointer<Int32>,
                                                      UnsafeMutablePointer<Int32>, UnsafeMutablePointer<Bool>) {
        let raw = UnsafeMutableRawPointer.allocate(byteCount: capacity * (MemoryLayout<TokenSpan>.stride + 9),
                                                   alignment: MemoryLayout<TokenSpan>.alignment)
        let spans = raw.bindMemory(to: TokenSpan.self, capacity: capacity)
        let ids = (raw + capacity * MemoryLayout<TokenSpan>.stride).bindMemory(to: Int32.self, capacity: 2 * capacity)
        let special = (raw + capacity * (MemoryLayout<TokenSpan>.stride + 8)).bindMemory(to: Bool.self, capacity: capacity)
        return (spans, ids, ids + capacity, special)
    }

    @inline(__always)
    mutating func append(_ id: Int32, _ start: Int32, _ end: Int32, special isSpecial: Bool) {
        if count == capacity { grow() }
        ids[count] = id
        spans[count] = TokenSpan(start: Int(start), end: Int(end))
        special[count] = isSpecial
        count += 1
    }

    mutating func truncate(to newCount: Int) {
        count = min(count, newCount)
    }

    /// Removes the tokens in `range`, moving the later ones down.
    mutating func remove(_ range: Range<Int>) {
        guard !range.isEmpty else { return }
        let tail = count - range.upperBound
        (ids + range.lowerBound).update(from: ids + range.upperBound, count: tail)
        (spans + range.lowerBound).update(from: spans + range.upperBound, count: tail)
        (special + range.lowerBound).update(from: special + range.upperBound, count: tail)
        count -= range.count
    }

    /// Sets the type id of the tokens in `range`.
    mutating func setTypeIds(_ typeId: Int32, in range: Range<Int>) {
        (typeIds + range.lowerBound).update(repeating: typeId, count: range.count)
    }

    private mutating func grow() {
        let newCapacity = 2 * capacity
        let (newSpans, newIds, newTypeIds, newSpecial) = Self.allocate(newCapacity)
        newSpans.update(from: spans, count: count)
        newIds.update(from: ids, count: count)
        newSpecial.update(from: special, count: count)
        spans.deallocate()
        (spans, ids, typeIds, special) = (newSpans, newIds, newTypeIds, newSpecial)
        capacity = newCapacity
    }

    func makeEncoding(untruncatedCount: Int) -> Encoding {
        Encoding(ids: Array(UnsafeBufferPointer(start: ids, count: count)),
                 typeIds: Array(UnsafeBufferPointer(start: typeIds, count: count)),
                 offsets: Array(UnsafeBufferPointer(start: spans, count: count)),
                 specialTokensMask: Array(UnsafeBufferPointer(start: special, count: count)),
                 untruncatedCount: untruncatedCount)
    }
}
