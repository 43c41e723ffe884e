/// The shortest decimal text that parses back to the same `Float`, in the same form as
/// `Float.description` (`0.0001`, `1.0`, `16777216.0`, `1e-05`, `1.6777218e+07`), written
/// straight into memory.
///
/// The digits come from the Ryū algorithm (Ulf Adams, "Ryū: fast float-to-string conversion",
/// PLDI 2018) for 32-bit floats: of the decimals that round to the float, the shortest, and of
/// those the closest to it (ties to even). Its tables (powers of five, and the two-digit texts)
/// are computed once, at first use. `Float.description` gives the same digits; going through it (or `Float.write(to:)`)
/// cost about twice as much per float, which counted for embeddings of hundreds of floats per
/// response. `ShortestFloatTests` compares the two over every `Float` bit pattern class and a
/// large random sample.
enum ShortestFloat {
    /// Most bytes `write` produces (`-1.17549435e-38`).
    static let maxLength = 15

    /// Writes the text of finite `value` at `out`; returns the number of bytes written. At least
    /// ``maxLength`` bytes must be writable.
    static func write(_ value: Float, to out: UnsafeMutablePointer<UInt8>) -> Int {
        Writer().write(value, to: out)
    }

    /// Writes floats with the tables in hand: get one per vector, not one per float.
    struct Writer {
        private let tables = Tables.shared

        /// Writes the text of finite `value` at `out`; returns the number of bytes written. At
        /// least ``ShortestFloat/maxLength`` bytes must be writable.
        func write(_ value: Float, to out: UnsafeMutablePointer<UInt8>) -> Int {
            precondition(value.isFinite, "ShortestFloat: not finite")
            var n = 0
            let bits = value.bitPattern
            if bits >> 31 != 0 {
                out[0] = UInt8(ascii: "-")
                n = 1
            }
            let ieeeExponent = (bits >> 23) & 0xFF
            let ieeeMantissa = bits & 0x7F_FFFF
            if ieeeExponent == 0 && ieeeMantissa == 0 {
                out[n] = UInt8(ascii: "0")
                out[n + 1] = UInt8(ascii: ".")
                out[n + 2] = UInt8(ascii: "0")
                return n + 3
            }
            let (digits, exponent) = decimal(mantissa: ieeeMantissa, exponent: ieeeExponent, tables: tables)
            let length = decimalLength(digits)
            // The exponent of the first digit in scientific notation.
            let scientific = Int(exponent) + length - 1
            if scientific >= -4 && value.magnitude <= 16_777_216 {
                return n + writeFixed(digits, length: length, scientific: scientific, to: out + n, pairs: tables.pairs)
            }
            return n + writeScientific(digits, length: length, scientific: scientific, to: out + n, pairs: tables.pairs)
        }
    }

    // MARK: - text

    /// `123.45`, `100.0`, `0.00123`.
    private static func writeFixed(_ digits: UInt32, length: Int, scientific: Int, to out: UnsafeMutablePointer<UInt8>,
                                   pairs: UnsafePointer<UInt8>) -> Int {
        if scientific < 0 {
            out[0] = UInt8(ascii: "0")
            out[1] = UInt8(ascii: ".")
            let zeros = -scientific - 1
            for i in 0..<zeros { out[2 + i] = UInt8(ascii: "0") }
            writeDigits(digits, length: length, to: out + 2 + zeros, pairs: pairs)
            return 2 + zeros + length
        }
        let integerLength = scientific + 1
        if length <= integerLength {
            writeDigits(digits, length: length, to: out, pairs: pairs)
            for i in length..<integerLength { out[i] = UInt8(ascii: "0") }
            out[integerLength] = UInt8(ascii: ".")
            out[integerLength + 1] = UInt8(ascii: "0")
            return integerLength + 2
        }
        // Digits on both sides of the point.
        let fractionLength = length - integerLength
        let scale = powersOfTen[fractionLength]
        writeDigits(digits / scale, length: integerLength, to: out, pairs: pairs)
        out[integerLength] = UInt8(ascii: ".")
        writeDigits(digits % scale, length: fractionLength, to: out + integerLength + 1, pairs: pairs)
        return length + 1
    }

    private static let powersOfTen: [UInt32] = [1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000, 1_000_000_000]

    /// `1e-05`, `1.5e-05`, `1.6777218e+07`.
    private static func writeScientific(_ digits: UInt32, length: Int, scientific: Int, to out: UnsafeMutablePointer<UInt8>,
                                        pairs: UnsafePointer<UInt8>) -> Int {
        var n: Int
        if length == 1 {
            out[0] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: digits)
            n = 1
        } else {
            writeDigits(digits, length: length, to: out + 1, pairs: pairs)
            out[0] = out[1]
            out[1] = UInt8(ascii: ".")
            n = length + 1
        }
        out[n] = UInt8(ascii: "e")
        out[n + 1] = scientific < 0 ? UInt8(ascii: "-") : UInt8(ascii: "+")
        let magnitude = scientific.magnitude
        out[n + 2] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: magnitude / 10)
        out[n + 3] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: magnitude % 10)
        return n + 4
    }

    /// The `length` decimal digits of `digits` (zero-padded on the left), two at a time.
    @inline(__always)
    private static func writeDigits(_ digits: UInt32, length: Int, to out: UnsafeMutablePointer<UInt8>, pairs: UnsafePointer<UInt8>) {
        var rest = digits
        var i = length
        while i >= 2 {
            let pair = Int(rest % 100) &* 2
            rest /= 100
            i -= 2
            out[i] = pairs[pair]
            out[i + 1] = pairs[pair + 1]
        }
        if i == 1 { out[0] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: rest % 10) }
    }

    @inline(__always)
    private static func decimalLength(_ v: UInt32) -> Int {
        if v >= 100_000_000 { return 9 }
        if v >= 10_000_000 { return 8 }
        if v >= 1_000_000 { return 7 }
        if v >= 100_000 { return 6 }
        if v >= 10_000 { return 5 }
        if v >= 1_000 { return 4 }
        if v >= 100 { return 3 }
        if v >= 10 { return 2 }
        return 1
    }

    // MARK: - Ryū, 32-bit

    private static let mantissaBits: Int32 = 23
    private static let bias: Int32 = 127
    private static let pow5InverseBitCount: Int32 = 59
    private static let pow5BitCount: Int32 = 61

    /// The shortest, closest decimal `digits × 10^exponent` of the nonzero finite float with these
    /// IEEE fields.
    static func decimal(mantissa ieeeMantissa: UInt32, exponent ieeeExponent: UInt32, tables: Tables) -> (digits: UInt32, exponent: Int32) {
        let e2: Int32
        let m2: UInt32
        if ieeeExponent == 0 {
            e2 = 1 - bias - mantissaBits - 2
            m2 = ieeeMantissa
        } else {
            e2 = Int32(ieeeExponent) - bias - mantissaBits - 2
            m2 = (1 << 23) | ieeeMantissa
        }
        let acceptBounds = m2 & 1 == 0
        // The float's value and the halfway points to its neighbours, times 4.
        let mv = 4 &* m2
        let mp = 4 &* m2 &+ 2
        let mmShift: UInt32 = (ieeeMantissa != 0 || ieeeExponent <= 1) ? 1 : 0
        let mm = 4 &* m2 &- 1 &- mmShift

        var vr: UInt32, vp: UInt32, vm: UInt32
        let e10: Int32
        var vmIsTrailingZeros = false
        var vrIsTrailingZeros = false
        var lastRemovedDigit: UInt32 = 0
        if e2 >= 0 {
            let q = log10Pow2(e2)
            e10 = q
            let k = pow5InverseBitCount + pow5Bits(q) - 1
            let i = -e2 + q + k
            let factor = tables.inverse[Int(q)]
            vr = mulShift(mv, factor, i)
            vp = mulShift(mp, factor, i)
            vm = mulShift(mm, factor, i)
            if q != 0 && (vp &- 1) / 10 <= vm / 10 {
                // One removed digit is needed even if the loop below removes none.
                let l = pow5InverseBitCount + pow5Bits(q - 1) - 1
                lastRemovedDigit = mulShift(mv, tables.inverse[Int(q - 1)], -e2 + q - 1 + l) % 10
            }
            if q <= 9 {
                // At most one of mp, mv and mm is a multiple of 5.
                if mv % 5 == 0 {
                    vrIsTrailingZeros = isMultipleOfPowerOf5(mv, q)
                } else if acceptBounds {
                    vmIsTrailingZeros = isMultipleOfPowerOf5(mm, q)
                } else if isMultipleOfPowerOf5(mp, q) {
                    vp &-= 1
                }
            }
        } else {
            let q = log10Pow5(-e2)
            e10 = q + e2
            let i = -e2 - q
            let k = pow5Bits(i) - pow5BitCount
            let j = q - k
            let factor = tables.power[Int(i)]
            vr = mulShift(mv, factor, j)
            vp = mulShift(mp, factor, j)
            vm = mulShift(mm, factor, j)
            if q != 0 && (vp &- 1) / 10 <= vm / 10 {
                let j = q - 1 - (pow5Bits(i + 1) - pow5BitCount)
                lastRemovedDigit = mulShift(mv, tables.power[Int(i + 1)], j) % 10
            }
            if q <= 1 {
                // mv = 4 × m2 has at least two trailing zero bits.
                vrIsTrailingZeros = true
                if acceptBounds {
                    vmIsTrailingZeros = mmShift == 1
                } else {
                    vp &-= 1
                }
            } else if q < 31 {
                vrIsTrailingZeros = mv & ((1 << UInt32(q - 1)) - 1) == 0
            }
        }

        // Remove digits while the shortened bounds still differ.
        var removed: Int32 = 0
        func removeDigit() {
            lastRemovedDigit = vr % 10
            vr /= 10
            vp /= 10
            vm /= 10
            removed += 1
        }
        let output: UInt32
        if vmIsTrailingZeros || vrIsTrailingZeros {
            while vp / 10 > vm / 10 {
                vmIsTrailingZeros = vmIsTrailingZeros && vm % 10 == 0
                vrIsTrailingZeros = vrIsTrailingZeros && lastRemovedDigit == 0
                removeDigit()
            }
            if vmIsTrailingZeros {
                while vm % 10 == 0 {
                    vrIsTrailingZeros = vrIsTrailingZeros && lastRemovedDigit == 0
                    removeDigit()
                }
            }
            if vrIsTrailingZeros && lastRemovedDigit == 5 && vr % 2 == 0 {
                // Exactly halfway: round to even.
                lastRemovedDigit = 4
            }
            let roundUp = (vr == vm && (!acceptBounds || !vmIsTrailingZeros)) || lastRemovedDigit >= 5
            output = vr &+ (roundUp ? 1 : 0)
        } else {
            while vp / 10 > vm / 10 { removeDigit() }
            output = vr &+ ((vr == vm || lastRemovedDigit >= 5) ? 1 : 0)
        }
        return (output, e10 + removed)
    }

    /// ⌈log2(5^e)⌉ for 0 ≤ e ≤ 3528 (1 for e = 0).
    @inline(__always)
    private static func pow5Bits(_ e: Int32) -> Int32 {
        Int32((UInt32(e) &* 1_217_359) >> 19) + 1
    }

    /// ⌊log10(2^e)⌋ for 0 ≤ e ≤ 1650.
    @inline(__always)
    private static func log10Pow2(_ e: Int32) -> Int32 {
        Int32((UInt32(e) &* 78_913) >> 18)
    }

    /// ⌊log10(5^e)⌋ for 0 ≤ e ≤ 2620.
    @inline(__always)
    private static func log10Pow5(_ e: Int32) -> Int32 {
        Int32((UInt32(e) &* 732_923) >> 20)
    }

    private static func isMultipleOfPowerOf5(_ value: UInt32, _ p: Int32) -> Bool {
        var value = value
        var count: Int32 = 0
        while value % 5 == 0 && value != 0 {
            value /= 5
            count += 1
        }
        return count >= p
    }

    /// (m × factor) >> shift, for shift > 32.
    @inline(__always)
    private static func mulShift(_ m: UInt32, _ factor: UInt64, _ shift: Int32) -> UInt32 {
        let low = UInt64(m) &* (factor & 0xFFFF_FFFF)
        let high = UInt64(m) &* (factor >> 32)
        let sum = (low >> 32) &+ high
        return UInt32(truncatingIfNeeded: sum >> UInt64(shift - 32))
    }

    /// 5^i scaled to 61 bits (`power`), 2^(⌈log2(5^q)⌉ − 1 + 59) / 5^q rounded up (`inverse`), and
    /// the two-digit texts "00" through "99" (`pairs`). Made once and never freed.
    struct Tables: @unchecked Sendable {
        static let shared = Tables()

        let power: UnsafePointer<UInt64>
        let inverse: UnsafePointer<UInt64>
        let pairs: UnsafePointer<UInt8>

        private init() {
            let power = UnsafeMutablePointer<UInt64>.allocate(capacity: 48)
            var five: UInt128 = 1
            for i in 0..<48 {
                let shift = Int(ShortestFloat.pow5Bits(Int32(i))) - Int(ShortestFloat.pow5BitCount)
                power[i] = UInt64(shift >= 0 ? five >> shift : five << -shift)
                five *= 5
            }
            let inverse = UnsafeMutablePointer<UInt64>.allocate(capacity: 32)
            five = 1
            for q in 0..<32 {
                let exponent = Int(ShortestFloat.pow5Bits(Int32(q))) - 1 + Int(ShortestFloat.pow5InverseBitCount)
                inverse[q] = Self.powerOfTwo(exponent, dividedBy: five) + 1
                five *= 5
            }
            let pairs = UnsafeMutablePointer<UInt8>.allocate(capacity: 200)
            for i in 0..<100 {
                pairs[2 * i] = UInt8(ascii: "0") + UInt8(i / 10)
                pairs[2 * i + 1] = UInt8(ascii: "0") + UInt8(i % 10)
            }
            self.power = UnsafePointer(power)
            self.inverse = UnsafePointer(inverse)
            self.pairs = UnsafePointer(pairs)
        }

        /// ⌊2^exponent / divisor⌋, by long division (2^exponent may not fit 128 bits).
        private static func powerOfTwo(_ exponent: Int, dividedBy divisor: UInt128) -> UInt64 {
            var remainder: UInt128 = 0
            var quotient: UInt128 = 0
            for bit in stride(from: exponent, through: 0, by: -1) {
                remainder = remainder << 1 | (bit == exponent ? 1 : 0)
                quotient <<= 1
                if remainder >= divisor {
                    remainder -= divisor
                    quotient |= 1
                }
            }
            precondition(quotient >> 64 == 0, "ShortestFloat: inverse power of five does not fit 64 bits")
            return UInt64(quotient)
        }
    }
}
