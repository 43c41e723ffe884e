import Testing
@testable import EmbeddingServer

@Suite struct ShortestFloatTests {
    private func text(_ value: Float) -> String {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: ShortestFloat.maxLength) { out in
            let count = ShortestFloat.write(value, to: out.baseAddress!)
            return String(decoding: UnsafeBufferPointer(rebasing: out[..<count]), as: UTF8.self)
        }
    }

    private func expectSameAsDescription(_ values: [Float], sourceLocation: SourceLocation = #_sourceLocation) {
        var mismatches: [String] = []
        for value in values where value.isFinite {
            let ours = text(value)
            if ours != value.description || Float(ours)?.bitPattern != value.bitPattern {
                mismatches.append("\(value.bitPattern): \(ours) against \(value.description)")
            }
        }
        #expect(mismatches.isEmpty, "\(mismatches.prefix(10))", sourceLocation: sourceLocation)
    }

    @Test func knownForms() {
        #expect(text(0) == "0.0")
        #expect(text(-0.0) == "-0.0")
        #expect(text(1) == "1.0")
        #expect(text(-1) == "-1.0")
        #expect(text(0.1) == "0.1")
        #expect(text(100) == "100.0")
        #expect(text(123_456.79) == "123456.79")
        #expect(text(0.0001) == "0.0001")
        #expect(text(9.999999e-05) == "9.999999e-05")
        #expect(text(1e-5) == "1e-05")
        #expect(text(1.5e-5) == "1.5e-05")
        #expect(text(16_777_216) == "16777216.0")
        #expect(text(16_777_218) == "1.6777218e+07")
        #expect(text(1e10) == "1e+10")
        #expect(text(.leastNonzeroMagnitude) == "1e-45")
        #expect(text(-.leastNormalMagnitude) == "-1.1754944e-38")
        #expect(text(.greatestFiniteMagnitude) == "3.4028235e+38")
        #expect(text(-Float(bitPattern: 0x0080_0001)) == "-1.1754945e-38")
    }

    /// Every binary exponent, with the mantissas at its edges and some in between.
    @Test func everyExponentAgreesWithDescription() {
        var generator = SystemRandomNumberGenerator()
        var values: [Float] = []
        for exponent in UInt32(0)...254 {
            var mantissas: [UInt32] = [0, 1, 2, 3, 0x7F_FFFF, 0x7F_FFFE, 0x40_0000, 0x3F_FFFF]
            mantissas += (0..<24).map { _ in UInt32.random(in: 0...0x7F_FFFF, using: &generator) }
            for mantissa in mantissas {
                let bits = exponent << 23 | mantissa
                values.append(Float(bitPattern: bits))
                values.append(Float(bitPattern: bits | 0x8000_0000))
            }
        }
        expectSameAsDescription(values)
    }

    /// Powers of ten and their neighbours, where the digit count and the fixed/scientific switch
    /// change.
    @Test func powersOfTenAndTheirNeighboursAgreeWithDescription() {
        var values: [Float] = []
        for exponent in -45...38 {
            guard let power = Float("1e\(exponent)"), power.isFinite, power > 0 else { continue }
            var value = power
            for _ in 0..<4 { value = value.nextDown }
            for _ in 0..<9 {
                values.append(value)
                value = value.nextUp
            }
        }
        for integer in [8_388_607, 8_388_608, 8_388_609, 16_777_215, 16_777_216, 16_777_217, 16_777_218, 33_554_432] {
            values.append(Float(integer))
        }
        expectSameAsDescription(values)
    }

    @Test func aMillionRandomBitPatternsAgreeWithDescription() {
        var generator = SystemRandomNumberGenerator()
        expectSameAsDescription((0..<1_000_000).map { _ in Float(bitPattern: UInt32.random(in: 0...UInt32.max, using: &generator)) })
    }
}
