/// The normalized form of one piece of input (what Hugging Face's `NormalizedString` holds) plus
/// its pre-tokenization into words, produced in one pass over the original UTF-8.
///
/// `bytes[0..<count]` is the normalized UTF-8 (separators such as spaces included, so added tokens
/// can be matched in it); `alignStart[i]`/`alignEnd[i]` is the original byte range of the scalar
/// normalized byte `i` came from; `words` holds `[start, end)` pairs of normalized byte indices.
struct NormalizedText: ~Copyable {
    private(set) var bytes: UnsafeMutablePointer<UInt8>
    private(set) var alignStart: UnsafeMutablePointer<Int32>
    private(set) var alignEnd: UnsafeMutablePointer<Int32>
    private(set) var words: UnsafeMutablePointer<Int32>
    private(set) var capacity: Int
    private(set) var count = 0
    private(set) var wordCount = 0
    private var wordStart = -1
    private var wordClass: UInt16 = 0

    /// Scratch for scalars a normalizer step produces.
    var scalars: [Unicode.Scalar] = []
    var scalarScratch: [Unicode.Scalar] = []

    init(capacity: Int) {
        let capacity = max(capacity, 16)
        self.capacity = capacity
        (bytes, alignStart, alignEnd, words) = Self.allocate(capacity)
    }

    deinit {
        alignStart.deallocate()
    }

    /// One allocation holding alignStart, alignEnd, words (2 per byte) and bytes.
    private static func allocate(_ capacity: Int) -> (UnsafeMutablePointer<UInt8>, UnsafeMutablePointer<Int32>,
                                                      UnsafeMutablePointer<Int32>, UnsafeMutablePointer<Int32>) {
        let block = UnsafeMutablePointer<Int32>.allocate(capacity: 4 * capacity + (capacity + 3) / 4)
        let bytes = UnsafeMutableRawPointer(block + 4 * capacity).bindMemory(to: UInt8.self, capacity: capacity)
        return (bytes, block, block + capacity, block + 2 * capacity)
    }

    /// Empties the buffers, keeping at least `capacity`.
    mutating func reset(capacity needed: Int) {
        count = 0
        wordCount = 0
        wordStart = -1
        if needed > capacity { grow(to: needed) }
    }

    /// Makes room for `extra` more bytes (and words).
    @inline(__always)
    mutating func reserve(_ extra: Int) {
        if count + extra > capacity { grow(to: max(2 * capacity, count + extra)) }
    }

    private mutating func grow(to newCapacity: Int) {
        let (newBytes, newStart, newEnd, newWords) = Self.allocate(newCapacity)
        newBytes.update(from: bytes, count: count)
        newStart.update(from: alignStart, count: count)
        newEnd.update(from: alignEnd, count: count)
        newWords.update(from: words, count: 2 * wordCount)
        alignStart.deallocate()
        (bytes, alignStart, alignEnd, words) = (newBytes, newStart, newEnd, newWords)
        capacity = newCapacity
    }

    @inline(__always)
    mutating func closeWord() {
        if wordStart >= 0 {
            words[2 * wordCount] = Int32(truncatingIfNeeded: wordStart)
            words[2 * wordCount + 1] = Int32(truncatingIfNeeded: count)
            wordCount += 1
            wordStart = -1
        }
    }

    /// Appends one normalized byte (a whole ASCII scalar) of pre-tokenizer class `cls`.
    /// Capacity must have been reserved.
    @inline(__always)
    mutating func appendASCII(_ byte: UInt8, class cls: UInt16, originalStart: Int32, originalEnd: Int32) {
        beginScalar(class: cls)
        bytes[count] = byte
        alignStart[count] = originalStart
        alignEnd[count] = originalEnd
        count += 1
        endScalar(class: cls)
    }

    /// Appends one normalized scalar. Capacity must have been reserved.
    @inline(__always)
    mutating func appendScalar(_ value: UInt32, class cls: UInt16, originalStart: Int32, originalEnd: Int32) {
        beginScalar(class: cls)
        let length = UTF8Scan.encode(value, into: bytes + count)
        for i in count ..< count + length {
            alignStart[i] = originalStart
            alignEnd[i] = originalEnd
        }
        count += length
        endScalar(class: cls)
    }

    @inline(__always)
    private mutating func beginScalar(class cls: UInt16) {
        switch cls {
        case ASCIIEntry.runA, ASCIIEntry.runB:
            if wordStart >= 0 && wordClass != cls { closeWord() }
            if wordStart < 0 {
                wordStart = count
                wordClass = cls
            }
        default:  // separator, isolated
            closeWord()
            if cls == ASCIIEntry.isolated { wordStart = count }
        }
    }

    @inline(__always)
    private mutating func endScalar(class cls: UInt16) {
        if cls == ASCIIEntry.isolated { closeWord() }
    }

}

/// Constants of the per-tokenizer ASCII table: the normalized byte in the low 8 bits and the
/// pre-tokenizer class (or "dropped", or "needs the general path") above.
enum ASCIIEntry {
    static let separator: UInt16 = 0
    static let isolated: UInt16 = 1
    static let runA: UInt16 = 2
    static let runB: UInt16 = 3
    static let dropped: UInt16 = 4
    static let general: UInt16 = 5
}

/// For each ASCII byte: what the normalizer turns it into and its pre-tokenizer class.
final class ASCIITable: @unchecked Sendable {
    // @unchecked Sendable: written only in `init`.
    let entries: UnsafeMutablePointer<UInt16>

    init(normalizer: BertNormalizer?, preTokenizer: PreTokenizerKind) {
        entries = .allocate(capacity: 128)
        var out: [Unicode.Scalar] = []
        var scratch: [Unicode.Scalar] = []
        for b in 0 ..< 128 {
            let scalar = Unicode.Scalar(UInt8(b))
            let flags = UnicodeInfo.computeFlags(UInt32(b))
            var result: [Unicode.Scalar] = [scalar]
            if let normalizer, normalizer.normalize(scalar, flags: flags, into: &out, scratch: &scratch) {
                result = out
            }
            let entry: UInt16
            if result.isEmpty {
                entry = ASCIIEntry.dropped << 8
            } else if result.count == 1, result[0].isASCII {
                let value = result[0].value
                let cls = UInt16(preTokenizer.classify(UnicodeInfo.computeFlags(value)).rawValue)
                entry = cls << 8 | UInt16(value)
            } else {
                entry = ASCIIEntry.general << 8
            }
            (entries + b).initialize(to: entry)
        }
    }

    deinit {
        entries.deallocate()
    }
}
