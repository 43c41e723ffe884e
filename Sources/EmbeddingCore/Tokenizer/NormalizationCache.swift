/// What a tokenizer's normalizer turns each changing scalar of planes 0 and 1 into, precomputed at
/// init (a few thousand scalars: uppercase letters, precomposed accented letters, Hangul syllables,
/// marks, controls…), so non-ASCII text does not go through the per-step normalizer. CJK ideographs
/// that only get surrounded by spaces are handled inline and not stored.
final class NormalizationCache: @unchecked Sendable {
    // @unchecked Sendable: written only in `init`.

    /// Open addressing: `keys[slot]` is a scalar value or `emptyKey`; `values[slot]` packs
    /// `offset << 8 | count` into `outputs`.
    private let keys: UnsafeMutablePointer<UInt32>
    private let values: UnsafeMutablePointer<UInt32>
    private let mask: Int
    let outputs: UnsafeMutablePointer<UInt32>
    private let outputCount: Int
    private static let emptyKey: UInt32 = .max

    init(normalizer: BertNormalizer) {
        var entries: [(UInt32, [UInt32])] = []
        var out: [Unicode.Scalar] = []
        var scratch: [Unicode.Scalar] = []
        let extra = normalizer.interestingFlags.subtracting(.chinese)
        for v in 0 ..< UnicodeInfo.tableLimit {
            let flags = UnicodeInfo.flags(v)
            guard !flags.isDisjoint(with: extra) || v == 0 || v == 0xFFFD, let scalar = Unicode.Scalar(v) else { continue }
            if normalizer.normalize(scalar, flags: flags, into: &out, scratch: &scratch) {
                precondition(out.count < 256, "a single scalar normalizes to at most a few scalars")
                entries.append((v, out.map(\.value)))
            }
        }
        var capacity = 16
        while capacity < 2 * entries.count { capacity *= 2 }
        mask = capacity - 1
        keys = .allocate(capacity: capacity)
        keys.initialize(repeating: Self.emptyKey, count: capacity)
        values = .allocate(capacity: capacity)
        values.initialize(repeating: 0, count: capacity)
        outputCount = entries.reduce(0) { $0 + $1.1.count }
        outputs = .allocate(capacity: max(outputCount, 1))
        var offset = 0
        for (key, output) in entries {
            var slot = Self.hash(key) & mask
            while keys[slot] != Self.emptyKey { slot = (slot + 1) & mask }
            keys[slot] = key
            values[slot] = UInt32(offset) << 8 | UInt32(output.count)
            (outputs + offset).initialize(from: output, count: output.count)
            offset += output.count
        }
    }

    deinit {
        keys.deallocate()
        values.deallocate()
        outputs.deallocate()
    }

    @inline(__always)
    private static func hash(_ v: UInt32) -> Int {
        Int(truncatingIfNeeded: (v &* 0x9E37_79B1) >> 7)
    }

    /// The normalized output of `v` as `(offset into outputs, count)`, or nil when not stored.
    @inline(__always)
    func lookup(_ v: UInt32) -> (offset: Int, count: Int)? {
        var slot = Self.hash(v) & mask
        while true {
            let key = keys[slot]
            if key == v {
                let packed = values[slot]
                return (Int(packed >> 8), Int(packed & 255))
            }
            if key == Self.emptyKey { return nil }
            slot = (slot + 1) & mask
        }
    }
}
