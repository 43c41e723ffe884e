import Testing
@testable import EmbeddingCore

@Suite struct PackingPlanTests {
    @Test func shortSequencesShareRowsUpToTheCapacity() {
        // 32 inputs of 8–16 tokens, as a short workload delivers them.
        let lengths = (0..<32).map { 8 + ($0 * 5) % 9 }
        let plan = PackingPlan(lengths: lengths, rowCapacity: 64)
        let rows = plan.runs.flatMap { $0 }
        #expect(rows.allSatisfy { $0.reduce(0) { $0 + lengths[$1] } <= 64 })
        #expect(rows.count < 10, "\(rows.count) rows for \(lengths.reduce(0, +)) tokens")
        #expect(rows.flatMap { $0 }.sorted() == Array(lengths.indices))
        // Far less padding than one padded row per input in the same runs.
        #expect(plan.paddedTokens(lengths: lengths) < BatchPlan(lengths: lengths).paddedTokens(lengths: lengths))
    }

    @Test func withoutCapacityItIsTheBatchPlan() {
        let lengths = [250, 9, 250, 9, 17, 100]
        for capacity in [0, 1] {
            let plan = PackingPlan(lengths: lengths, rowCapacity: capacity)
            #expect(plan.runs.map { $0.map { $0[0] } } == BatchPlan(lengths: lengths).runs)
            #expect(plan.runs.allSatisfy { $0.allSatisfy { $0.count == 1 } })
        }
    }

    @Test func sequencesAtTheCapacityOrLongerGetTheirOwnRow() {
        let lengths = [64, 200, 10, 10]
        let plan = PackingPlan(lengths: lengths, rowCapacity: 64)
        let rows = plan.runs.flatMap { $0 }
        #expect(rows.contains([0]) && rows.contains([1]))
        #expect(rows.contains([2, 3]))
    }

    @Test func rowsAreBalancedOverTheRowsFirstFitNeeds() {
        // First-fit-decreasing needs two rows (40 + 20, 30 + 10). Spread longest first into the
        // least filled row, they come out equal: 40 + 10 and 30 + 20.
        let plan = PackingPlan(lengths: [10, 40, 20, 30], rowCapacity: 64, runOverheadTokens: 100)
        #expect(plan.runs == [[[1, 0], [3, 2]]])
        // Eight inputs of 12 tokens: first-fit would fill 60 + 36, and the planner would cut that
        // into two runs; balanced, 48 + 48 is one run with no padding.
        let eight = PackingPlan(lengths: Array(repeating: 12, count: 8), rowCapacity: 64)
        #expect(eight.runs.count == 1 && eight.runs[0].map(\.count) == [4, 4])
        #expect(eight.paddedTokens(lengths: Array(repeating: 12, count: 8)) == 96)
    }

    @Test func firstFitRowsStandWhenTheyAlreadyPadLeast() {
        // First-fit: 38 + 23 = 61 and 31 + 17 + 13 = 61. Spread over two rows the sequences do not
        // fit 64 (38 + 17 + 13 = 68), and over three they pad more (3 × 44).
        let lengths = [38, 17, 13, 31, 23]
        let plan = PackingPlan(lengths: lengths, rowCapacity: 64, runOverheadTokens: 1000)
        #expect(plan.runs == [[[0, 4], [3, 1, 2]]])
        #expect(plan.paddedTokens(lengths: lengths) == 122)
    }

    @Test func everyIndexAppearsExactlyOnceAndRowsRespectLimits() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<50 {
            let lengths = (0..<Int.random(in: 1...200, using: &generator)).map { _ in Int.random(in: 3...256, using: &generator) }
            let capacity = [0, 32, 64, 128].randomElement(using: &generator)!
            let plan = PackingPlan(lengths: lengths, rowCapacity: capacity, maxRowsPerRun: 16)
            #expect(plan.runs.flatMap { $0.flatMap { $0 } }.sorted() == Array(lengths.indices))
            #expect(plan.runs.allSatisfy { !$0.isEmpty && $0.count <= 16 })
            for row in plan.runs.flatMap({ $0 }) where row.count > 1 {
                #expect(row.reduce(0) { $0 + lengths[$1] } <= capacity)
            }
        }
    }

    @Test func packedBatchHoldsSegmentNumbers() {
        func encoding(_ ids: [Int32], type: Int32 = 0) -> Encoding {
            Encoding(ids: ids, typeIds: Array(repeating: type, count: ids.count),
                     offsets: Array(repeating: .empty, count: ids.count), specialTokensMask: Array(repeating: false, count: ids.count))
        }
        let batch = Batch(packedRows: [[encoding([101, 7, 102]), encoding([101, 102], type: 1)], [encoding([101, 5, 6, 102])]], padId: 0)
        #expect(batch.size == 2 && batch.sequenceLength == 5)
        #expect(batch.inputIds == [101, 7, 102, 101, 102, 101, 5, 6, 102, 0])
        #expect(batch.attentionMask == [1, 1, 1, 2, 2, 1, 1, 1, 1, 0])
        #expect(batch.tokenTypeIds == [0, 0, 0, 1, 1, 0, 0, 0, 0, 0])
        #expect(batch.lengths == [5, 4])
        // One sequence per row is the padded batch.
        let single = Batch(packedRows: [[encoding([1, 2])], [encoding([3])]])
        let padded = Batch(encodings: [encoding([1, 2]), encoding([3])])
        #expect(single.inputIds == padded.inputIds && single.attentionMask == padded.attentionMask && single.lengths == padded.lengths)
    }
}
