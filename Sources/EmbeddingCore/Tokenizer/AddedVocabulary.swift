#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A token from `added_tokens` in tokenizer.json.
struct AddedToken: Sendable, Equatable {
    var id: Int32
    var content: String
    var special: Bool
    /// Matched in the normalized text (true) or in the raw input before normalization (false).
    var normalized: Bool
    /// Absorb whitespace on the left / right into the match.
    var lstrip: Bool
    var rstrip: Bool
    /// Only match when not inside a word.
    var singleWord: Bool
}

/// One occurrence of an added token: `[start, end)` in the searched bytes.
struct AddedTokenMatch {
    var token: Int32  // index into `AddedTokenMatcher.tokens`
    var start: Int
    var end: Int
}

/// Finds added tokens in a text the way Hugging Face's `AddedVocabulary::find_matches` does:
/// leftmost-longest non-overlapping matches (Aho-Corasick `LeftmostLongest`), then the
/// `single_word`, `lstrip` and `rstrip` rules.
final class AddedTokenMatcher: Sendable {
    let tokens: [AddedToken]
    let trie: DoubleArrayTrie
    /// Bit per possible first byte of a pattern, to skip quickly over text that cannot match.
    let firstBytes: [UInt64]
    /// The first byte of every pattern when they all share it (`[` for BERT's special tokens).
    let commonFirstByte: UInt8?

    /// `patterns[i]` is what to search for `tokens[i]` (its content, normalized or not). Returns nil
    /// when there is nothing to search for.
    init?(tokens: [AddedToken], patterns: [[UInt8]]) {
        var entries: [([UInt8], Int32)] = []
        var kept: [AddedToken] = []
        var first = [UInt64](repeating: 0, count: 4)
        for (token, pattern) in zip(tokens, patterns) where !pattern.isEmpty {
            entries.append((pattern, Int32(kept.count)))
            kept.append(token)
            first[Int(pattern[0] >> 6)] |= 1 << UInt64(pattern[0] & 63)
        }
        if kept.isEmpty { return nil }
        // Earlier patterns win over later identical ones (the first Aho-Corasick pattern is reported).
        var seen = Set<[UInt8]>()
        entries = entries.filter { seen.insert($0.0).inserted }
        self.tokens = kept
        trie = DoubleArrayTrie(entries)
        firstBytes = first
        let firsts = Set(entries.map { $0.0[0] })
        commonFirstByte = firsts.count == 1 ? firsts.first : nil
    }

    /// Appends the matches in `bytes[0..<count]` to `matches`, in order.
    func findMatches(_ bytes: UnsafePointer<UInt8>, count: Int, into matches: inout [AddedTokenMatch]) {
        var position = 0
        var previousEnd = 0
        while position < count {
            if let commonFirstByte {
                guard let found = memchr(bytes + position, Int32(commonFirstByte), count - position) else { break }
                position = UnsafePointer<UInt8>(found.assumingMemoryBound(to: UInt8.self)) - bytes
            } else {
                let byte = bytes[position]
                if firstBytes[Int(byte >> 6)] & (1 << UInt64(byte & 63)) == 0 {
                    position += 1
                    continue
                }
            }
            let found = trie.longestPrefix(bytes, from: position, to: count, node: DoubleArrayTrie.root)
            if found.end < 0 {
                position += 1
                continue
            }
            var start = position
            var stop = found.end
            position = found.end
            let token = tokens[Int(found.value)]
            if token.singleWord {
                let startSpace = start == 0 || !UTF8Scan.scalar(before: start, in: bytes).isWordScalar
                let stopSpace = stop == count || !UTF8Scan.scalar(at: stop, in: bytes).isWordScalar
                if !startSpace || !stopSpace { continue }
            }
            if token.lstrip {
                var newStart = start
                while newStart > 0 {
                    let previous = UTF8Scan.scalar(before: newStart, in: bytes)
                    guard previous.isWhitespaceScalar else { break }
                    newStart -= previous.length
                }
                start = max(newStart, previousEnd)
            }
            if token.rstrip {
                while stop < count {
                    let next = UTF8Scan.scalar(at: stop, in: bytes)
                    guard next.isWhitespaceScalar else { break }
                    stop += next.length
                }
            }
            start = max(start, previousEnd)
            matches.append(AddedTokenMatch(token: found.value, start: start, end: stop))
            previousEnd = stop
        }
    }
}

/// Decoding single scalars from valid UTF-8.
enum UTF8Scan {
    struct Decoded {
        var value: UInt32
        var length: Int

        var flags: ScalarFlags { UnicodeInfo.flags(value) }
        var isWordScalar: Bool { flags.contains(.word) }
        var isWhitespaceScalar: Bool { flags.contains(.whitespace) }
    }

    /// The length of a scalar from its lead byte.
    @inline(__always)
    static func length(lead: UInt8) -> Int {
        lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4
    }

    /// The scalar starting at `index`.
    @inline(__always)
    static func scalar(at index: Int, in bytes: UnsafePointer<UInt8>) -> Decoded {
        let b0 = UInt32(bytes[index])
        if b0 < 0x80 { return Decoded(value: b0, length: 1) }
        if b0 < 0xE0 {
            return Decoded(value: (b0 & 0x1F) << 6 | UInt32(bytes[index + 1] & 0x3F), length: 2)
        }
        if b0 < 0xF0 {
            return Decoded(value: (b0 & 0x0F) << 12 | UInt32(bytes[index + 1] & 0x3F) << 6 | UInt32(bytes[index + 2] & 0x3F),
                           length: 3)
        }
        return Decoded(value: (b0 & 0x07) << 18 | UInt32(bytes[index + 1] & 0x3F) << 12
                           | UInt32(bytes[index + 2] & 0x3F) << 6 | UInt32(bytes[index + 3] & 0x3F),
                       length: 4)
    }

    /// The scalar ending at `index` (exclusive).
    static func scalar(before index: Int, in bytes: UnsafePointer<UInt8>) -> Decoded {
        var start = index - 1
        while start > 0 && bytes[start] & 0xC0 == 0x80 { start -= 1 }
        return scalar(at: start, in: bytes)
    }

    /// Appends the UTF-8 encoding of `v`.
    @inline(__always)
    static func encode(_ v: UInt32, into out: UnsafeMutablePointer<UInt8>) -> Int {
        if v < 0x80 {
            out[0] = UInt8(v)
            return 1
        }
        if v < 0x800 {
            out[0] = UInt8(0xC0 | (v >> 6))
            out[1] = UInt8(0x80 | (v & 0x3F))
            return 2
        }
        if v < 0x10000 {
            out[0] = UInt8(0xE0 | (v >> 12))
            out[1] = UInt8(0x80 | ((v >> 6) & 0x3F))
            out[2] = UInt8(0x80 | (v & 0x3F))
            return 3
        }
        out[0] = UInt8(0xF0 | (v >> 18))
        out[1] = UInt8(0x80 | ((v >> 12) & 0x3F))
        out[2] = UInt8(0x80 | ((v >> 6) & 0x3F))
        out[3] = UInt8(0x80 | (v & 0x3F))
        return 4
    }
}
