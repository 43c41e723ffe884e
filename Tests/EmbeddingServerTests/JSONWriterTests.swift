import NIOCore
import Testing
@testable import EmbeddingServer

@Suite struct JSONWriterTests {
    private func text(_ body: (inout JSONWriter) -> Void) -> String {
        var writer = JSONWriter(capacity: 16)
        body(&writer)
        return String(buffer: writer.buffer)
    }

    @Test func floatArraysUseTheShortestRoundTripDigits() {
        var generator = SystemRandomNumberGenerator()
        let edges: [Float] = [0, -0.0, 1, -1, 0.1, 1e-45, -1.17549435e-38, .leastNormalMagnitude, .greatestFiniteMagnitude,
                              -.greatestFiniteMagnitude, 16_777_216, 0.33333334, 1.5e-7, 123_456.79]
        let random = (0..<20_000).map { _ in Float(bitPattern: UInt32.random(in: 0...UInt32.max, using: &generator)) }
            .filter(\.isFinite)
        let values = edges + random
        let json = text { $0.floatArray(values) }
        #expect(json == "[" + values.map(\.description).joined(separator: ",") + "]")
        let parsed = json.dropFirst().dropLast().split(separator: ",").map { Float(String($0)) }
        #expect(parsed.count == values.count)
        #expect(zip(parsed, values).allSatisfy { $0?.bitPattern == $1.bitPattern })
    }

    @Test func nonFiniteFloatsAreNull() {
        #expect(text { $0.floatArray([1, .nan, .infinity, -.infinity, 2]) } == "[1.0,null,null,null,2.0]")
        #expect(text { $0.floatArray([]) } == "[]")
        #expect(text { $0.float(.nan) } == "null")
    }
}
