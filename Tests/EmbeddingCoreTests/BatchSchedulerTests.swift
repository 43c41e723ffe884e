import Testing
@testable import EmbeddingCore

private typealias Entry = BatchScheduler.Entry

private func scheduler(tokens: Int = 100, requests: Int? = nil, inputs: Int = 512) -> BatchScheduler {
    BatchScheduler(configuration: .init(maxBatchTokens: tokens, maxBatchRequests: requests, maxConcurrentInputs: inputs))
}

@Suite struct BatchSchedulerTests {
    @Test func admissionCountsInputsAndRejectsAtTheLimit() {
        var s = scheduler(inputs: 10)
        #expect(s.admit(inputs: 4) == .admitted)
        #expect(s.admit(inputs: 6) == .admitted)
        #expect(s.inFlightInputs == 10)
        #expect(s.admit(inputs: 1) == .overloaded(inFlight: 10))
        s.release(inputs: 3)
        #expect(s.admit(inputs: 4) == .overloaded(inFlight: 7))
        #expect(s.admit(inputs: 3) == .admitted)
        #expect(s.inFlightInputs == 10)
    }

    @Test func aRequestLargerThanTheLimitIsRefusedWhole() {
        var s = scheduler(inputs: 8)
        #expect(s.admit(inputs: 9) == .overloaded(inFlight: 0))
        #expect(s.inFlightInputs == 0)
    }

    @Test func firstEntryIsPreparedAtOnceAndRunsWhenPrepared() {
        var s = scheduler()
        #expect(s.enqueue(Entry(id: 1, tokens: 10)) == .prepare([Entry(id: 1, tokens: 10)]))
        // While padding, new entries wait in the queue.
        #expect(s.enqueue(Entry(id: 2, tokens: 10)) == .none)
        #expect(s.queuedCount == 1)
        // Prepared and the inference thread is idle: run it, and prepare the next one at once.
        #expect(s.batchPrepared() == .runAndPrepare([Entry(id: 2, tokens: 10)]))
        #expect(s.isRunning)
        // The next batch is ready but inference is busy: it waits.
        #expect(s.batchPrepared() == .none)
        // Completion starts the prepared batch; nothing is queued, so nothing more to prepare.
        #expect(s.batchCompleted() == .run)
        #expect(s.batchCompleted() == .none)
        #expect(!s.isRunning)
    }

    @Test func aRequestsEntriesEnqueuedTogetherStartOneBatch() {
        var s = scheduler(tokens: 20)
        let entries = (1...3).map { Entry(id: UInt64($0), tokens: 8) }
        // Idle: the batch takes every entry that fits the budget (2 × 8 ≤ 20 < 3 × 8), not only the first.
        #expect(s.enqueue(contentsOf: entries) == .prepare(Array(entries.prefix(2))))
        #expect(s.queuedCount == 1)
        #expect(s.batchPrepared() == .runAndPrepare([entries[2]]))
    }

    @Test func entriesArrivingWhileTheNextBatchWaitsJoinItWithoutPaddingItAgain() {
        var s = scheduler()
        _ = s.enqueue(Entry(id: 1, tokens: 10))
        _ = s.enqueue(Entry(id: 2, tokens: 10))
        #expect(s.batchPrepared() == .runAndPrepare([Entry(id: 2, tokens: 10)]))
        // While [2] is being padded, 3 queues; once [2] is padded, 3 joins it.
        #expect(s.enqueue(Entry(id: 3, tokens: 10)) == .none)
        #expect(s.batchPrepared() == .grow([Entry(id: 3, tokens: 10)]))
        // Later arrivals join one by one; the shell pads the grown batch once, when it runs.
        #expect(s.enqueue(Entry(id: 4, tokens: 10)) == .grow([Entry(id: 4, tokens: 10)]))
        #expect(s.enqueue(contentsOf: [Entry(id: 5, tokens: 10), Entry(id: 6, tokens: 10)])
            == .grow([Entry(id: 5, tokens: 10), Entry(id: 6, tokens: 10)]))
        #expect(s.batchCompleted() == .run)
        #expect(s.queuedCount == 0)
    }

    @Test func packingIntoTheWaitingBatchRespectsTheBudget() {
        var s = scheduler(tokens: 100)
        _ = s.enqueue(Entry(id: 1, tokens: 10))
        _ = s.enqueue(Entry(id: 2, tokens: 40))
        #expect(s.batchPrepared() == .runAndPrepare([Entry(id: 2, tokens: 40)]))
        #expect(s.batchPrepared() == .none)
        // 40 × 2 = 80 fits.
        #expect(s.enqueue(Entry(id: 3, tokens: 30)) == .grow([Entry(id: 3, tokens: 30)]))
        // 40 × 3 = 120 does not: 4 waits for the next batch.
        #expect(s.enqueue(Entry(id: 4, tokens: 5)) == .none)
        #expect(s.batchCompleted() == .runAndPrepare([Entry(id: 4, tokens: 5)]))
    }

    @Test func packsFIFOWithinThePaddedTokenBudget() {
        var s = scheduler(tokens: 100)
        _ = s.enqueue(Entry(id: 0, tokens: 5))
        // 0 is being prepared; queue several behind it.
        for (id, tokens) in [(1, 20), (2, 20), (3, 30), (4, 10), (5, 5)] {
            #expect(s.enqueue(Entry(id: UInt64(id), tokens: tokens)) == .none)
        }
        // [20, 20, 30] padded is 30 × 3 = 90 ≤ 100; adding 10 makes 30 × 4 = 120 > 100.
        #expect(s.batchPrepared() == .runAndPrepare([
            Entry(id: 1, tokens: 20), Entry(id: 2, tokens: 20), Entry(id: 3, tokens: 30),
        ]))
        _ = s.batchPrepared()
        #expect(s.batchCompleted() == .runAndPrepare([Entry(id: 4, tokens: 10), Entry(id: 5, tokens: 5)]))
    }

    @Test func paddedCostUsesTheLongestNotTheSum() {
        var s = scheduler(tokens: 64)
        _ = s.enqueue(Entry(id: 0, tokens: 1))
        _ = s.enqueue(Entry(id: 1, tokens: 2))   // 2 × 1 ... sums would allow many more
        _ = s.enqueue(Entry(id: 2, tokens: 30))  // longest 30 × 2 = 60 ≤ 64
        _ = s.enqueue(Entry(id: 3, tokens: 2))   // 30 × 3 = 90 > 64 although the sum is 34
        #expect(s.batchPrepared() == .runAndPrepare([Entry(id: 1, tokens: 2), Entry(id: 2, tokens: 30)]))
    }

    @Test func FIFOIsKeptEvenWhenALaterEntryWouldFit() {
        var s = scheduler(tokens: 100)
        _ = s.enqueue(Entry(id: 0, tokens: 1))
        _ = s.enqueue(Entry(id: 1, tokens: 60))
        _ = s.enqueue(Entry(id: 2, tokens: 60)) // 60 × 2 > 100: batch ends here
        _ = s.enqueue(Entry(id: 3, tokens: 1))  // would fit, but must not overtake 2
        #expect(s.batchPrepared() == .runAndPrepare([Entry(id: 1, tokens: 60)]))
    }

    @Test func maxBatchRequestsLimitsTheBatchSize() {
        var s = scheduler(tokens: 10_000, requests: 2)
        _ = s.enqueue(Entry(id: 0, tokens: 1))
        for id in 1...5 { _ = s.enqueue(Entry(id: UInt64(id), tokens: 3)) }
        #expect(s.batchPrepared() == .runAndPrepare([Entry(id: 1, tokens: 3), Entry(id: 2, tokens: 3)]))
        _ = s.batchPrepared()
        #expect(s.batchCompleted() == .runAndPrepare([Entry(id: 3, tokens: 3), Entry(id: 4, tokens: 3)]))
    }

    @Test func anOversizedEntryStillRunsAlone() {
        var s = scheduler(tokens: 10)
        #expect(s.enqueue(Entry(id: 7, tokens: 50)) == .prepare([Entry(id: 7, tokens: 50)]))
    }

    @Test func cancellingAQueuedEntryDropsIt() {
        var s = scheduler()
        _ = s.enqueue(Entry(id: 1, tokens: 5))
        _ = s.enqueue(Entry(id: 2, tokens: 5))
        _ = s.enqueue(Entry(id: 3, tokens: 5))
        #expect(s.cancel(2) == .drop(2))
        #expect(s.cancel(2) == .none)
        // Entry 1 is already being prepared: cancelling it is the shell's business.
        #expect(s.cancel(1) == .none)
        #expect(s.batchPrepared() == .runAndPrepare([Entry(id: 3, tokens: 5)]))
    }

    @Test func completionWhileTheNextBatchIsStillBeingPaddedWaitsForIt() {
        var s = scheduler()
        _ = s.enqueue(Entry(id: 1, tokens: 5))
        _ = s.enqueue(Entry(id: 2, tokens: 5))
        #expect(s.batchPrepared() == .runAndPrepare([Entry(id: 2, tokens: 5)]))
        // Inference finishes before padding of batch 2 is done.
        #expect(s.batchCompleted() == .none)
        #expect(!s.isRunning)
        #expect(s.batchPrepared() == .run)
        #expect(s.isRunning)
    }

    @Test func idleSchedulerPreparesOnCompletionWhenEntriesArrivedLate() {
        var s = scheduler()
        _ = s.enqueue(Entry(id: 1, tokens: 5))
        #expect(s.batchPrepared() == .run)
        #expect(s.enqueue(Entry(id: 2, tokens: 5)) == .prepare([Entry(id: 2, tokens: 5)]))
        #expect(s.batchCompleted() == .none)
        #expect(s.batchPrepared() == .run)
    }
}
