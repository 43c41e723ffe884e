import Testing
@testable import EmbeddingCore

@Suite struct BatchPlanTests {
    @Test func equalLengthsStayInOneRun() {
        let plan = BatchPlan(lengths: Array(repeating: 12, count: 40))
        #expect(plan.runs.count == 1)
        #expect(plan.runs[0].sorted() == Array(0..<40))
    }

    @Test func mixedLengthsAreSortedAndSplitToCutPadding() {
        // 10 short (8) and 10 long (200) inputs, interleaved as FIFO would deliver them.
        let lengths = (0..<20).map { $0 % 2 == 0 ? 8 : 200 }
        let plan = BatchPlan(lengths: lengths)
        #expect(plan.runs.count == 2)
        #expect(plan.runs[0].allSatisfy { lengths[$0] == 8 })
        #expect(plan.runs[1].allSatisfy { lengths[$0] == 200 })
        #expect(plan.paddedTokens(lengths: lengths) == 10 * 8 + 10 * 200)
        #expect(BatchPlan(lengths: lengths, maxRowsPerRun: 64).paddedTokens(lengths: lengths) < 20 * 200)
    }

    @Test func everyIndexAppearsExactlyOnce() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<50 {
            let lengths = (0..<Int.random(in: 1...100, using: &generator)).map { _ in Int.random(in: 3...256, using: &generator) }
            let plan = BatchPlan(lengths: lengths)
            #expect(plan.runs.flatMap { $0 }.sorted() == Array(lengths.indices))
            #expect(plan.runs.allSatisfy { !$0.isEmpty && $0.count <= 64 })
            // Never worse than one run padded to the longest.
            #expect(plan.paddedTokens(lengths: lengths) <= lengths.count * lengths.max()!)
        }
    }

    @Test func runOverheadKeepsSmallDifferencesTogether() {
        // Splitting [10, 11] saves 1 padded token but costs a run: keep one run.
        #expect(BatchPlan(lengths: [10, 11], runOverheadTokens: 16).runs.count == 1)
        // Without a run cost, every distinct length would get its own run.
        #expect(BatchPlan(lengths: [10, 11], runOverheadTokens: 0).runs.count == 2)
    }

    @Test func rowLimitIsRespected() {
        let plan = BatchPlan(lengths: Array(repeating: 5, count: 100), maxRowsPerRun: 32)
        #expect(plan.runs.count == 4)
        #expect(plan.runs.allSatisfy { $0.count <= 32 })
    }

    @Test func shortestRunComesFirst() {
        let plan = BatchPlan(lengths: [250, 250, 250, 9, 9, 9])
        #expect(plan.runs.first?.allSatisfy { [3, 4, 5].contains($0) } == true)
    }

    @Test func emptyBatchHasNoRuns() {
        #expect(BatchPlan(lengths: []).runs.isEmpty)
    }
}
