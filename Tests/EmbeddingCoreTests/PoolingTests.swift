import Foundation
import Testing
@testable import EmbeddingCore

@Suite struct PoolingTests {
    // Two rows, three positions, width 2. Row 1 has length 2 (position 2 is padding).
    let output = ModelOutput(batchSize: 2, sequenceLength: 3, width: 2, values: [
        1, 2, 3, 4, 5, 6,
        -1, 0, 3, -2, 100, 100,
    ])

    @Test func meanAveragesOnlyRealTokens() {
        #expect(Pooling.mean.pool(output, row: 0, length: 3) == [3, 4])
        #expect(Pooling.mean.pool(output, row: 1, length: 2) == [1, -1])
    }

    @Test func clsTakesTheFirstToken() {
        #expect(Pooling.cls.pool(output, row: 1, length: 2) == [-1, 0])
    }

    @Test func lastTokenTakesTheLastRealToken() {
        #expect(Pooling.lastToken.pool(output, row: 1, length: 2) == [3, -2])
        #expect(Pooling.lastToken.pool(output, row: 0, length: 3) == [5, 6])
    }

    @Test func spladeIsMaxOfLog1pRelu() {
        let pooled = Pooling.splade.pool(output, row: 1, length: 2)
        #expect(abs(pooled[0] - Float(log1p(3.0))) < 1e-6)
        #expect(pooled[1] == 0)
    }

    @Test func poolingNamesFollowTEI() {
        #expect(Pooling(rawValue: "last-token") == .lastToken)
        #expect(Pooling.allCases.map(\.rawValue) == ["cls", "mean", "splade", "last-token"])
    }

    @Test func normalizeAndMatryoshka() {
        var v: [Float] = [3, 4, 12]
        v.normalizeL2()
        #expect(abs(v[0] - 3 / 13) < 1e-7 && abs(v[2] - 12 / 13) < 1e-7)
        let short = v.truncated(toDimensions: 2, normalize: true)
        #expect(short.count == 2)
        #expect(abs(short[0] - 0.6) < 1e-6 && abs(short[1] - 0.8) < 1e-6)
        #expect(v.truncated(toDimensions: 2, normalize: false) == Array(v.prefix(2)))
        var zero: [Float] = [0, 0]
        zero.normalizeL2()
        #expect(zero == [0, 0])
    }

    @Test func batchPadsToTheLongestRow() {
        let a = Encoding(ids: [101, 7, 102], typeIds: [0, 0, 0], offsets: Array(repeating: .empty, count: 3), specialTokensMask: [true, false, true])
        let b = Encoding(ids: [101, 102], typeIds: [0, 1], offsets: Array(repeating: .empty, count: 2), specialTokensMask: [true, true])
        let batch = Batch(encodings: [a, b], padId: 0)
        #expect(batch.size == 2 && batch.sequenceLength == 3)
        #expect(batch.inputIds == [101, 7, 102, 101, 102, 0])
        #expect(batch.attentionMask == [1, 1, 1, 1, 1, 0])
        #expect(batch.tokenTypeIds == [0, 0, 0, 0, 1, 0])
        #expect(batch.lengths == [3, 2])
    }
}
