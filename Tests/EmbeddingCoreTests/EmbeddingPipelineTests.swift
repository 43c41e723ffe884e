import Foundation
import Testing
@testable import EmbeddingCore

private func tokenizer() throws -> Tokenizer {
    let url = Bundle.module.url(forResource: "Resources", withExtension: nil)!.appendingPathComponent("tokenizer.json")
    return try Tokenizer(contentsOf: url)
}

private let sharedTokenizer = Result { try tokenizer() }

private func pipeline(_ backend: FakeBackend, _ change: (inout EmbeddingPipelineConfiguration) -> Void = { _ in }) throws -> EmbeddingPipeline {
    var configuration = EmbeddingPipelineConfiguration(maxBatchTokens: 1024, maxConcurrentInputs: 64, tokenizationWorkers: 2, maxInputLength: 256)
    change(&configuration)
    let pipeline = try EmbeddingPipeline(tokenizer: try sharedTokenizer.get(), backend: backend, configuration: configuration)
    pipeline.start()
    return pipeline
}

/// Runs `body` with a started pipeline and drains it afterwards, also when `body` throws. Should
/// admitted inputs still be left after 10 s (a leak), the test fails instead of waiting for them.
private func withPipeline(_ backend: FakeBackend, _ change: (inout EmbeddingPipelineConfiguration) -> Void = { _ in },
                          _ body: (EmbeddingPipeline) async throws -> Void) async throws {
    let p = try pipeline(backend, change)
    func drain() async {
        let deadline = ContinuousClock.now + .seconds(10)
        while p.inFlightInputs > 0, ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(5))
        }
        guard p.inFlightInputs == 0 else {
            Issue.record("\(p.inFlightInputs) admitted inputs were never answered; the pipeline is left running")
            return
        }
        await p.shutdownGracefully()
    }
    do {
        try await body(p)
    } catch {
        await drain()
        throw error
    }
    await drain()
}

/// Polls `condition` every 5 ms for at most 10 s.
private func waitUntil(_ condition: () -> Bool) async throws {
    let deadline = ContinuousClock.now + .seconds(10)
    while !condition() {
        if ContinuousClock.now > deadline {
            Issue.record("condition not met within 10 s")
            return
        }
        try await Task.sleep(for: .milliseconds(5))
    }
}

@Suite struct EmbeddingPipelineTests {
    @Test func outputsComeBackInInputOrderWithTheirTokens() async throws {
        let backend = FakeBackend(width: 4)
        try await withPipeline(backend) { p in
            let result = try await p.embed([.text("Hello world"), .text("a much longer sentence than the first"), .tokens([101, 2088, 102])])
            #expect(result.tokenCounts == [4, 9, 3])
            #expect(result.totalTokens == 16)
            // Row contents follow the fake backend's formula for the token ids of each input.
            let cls = result.outputs[2]
            let pooled = Pooling.cls.pool(cls.output, row: cls.row, length: cls.length)
            #expect(pooled == (0..<4).map { FakeBackend.value(tokenId: 101, position: 0, component: $0) })
            let last = Pooling.lastToken.pool(cls.output, row: cls.row, length: cls.length)
            #expect(last == (0..<4).map { FakeBackend.value(tokenId: 102, position: 2, component: $0) })
        }
    }

    @Test func refusesABudgetBelowTheModelsMaximumInputLength() throws {
        #expect(throws: EmbeddingError.self) {
            _ = try EmbeddingPipeline(tokenizer: try tokenizer(), backend: FakeBackend(),
                                      configuration: .init(maxBatchTokens: 128, maxInputLength: 256))
        }
        do {
            _ = try EmbeddingPipeline(tokenizer: try tokenizer(), backend: FakeBackend(), configuration: .init(maxBatchTokens: 128, maxInputLength: 256))
        } catch let error as EmbeddingError {
            #expect(error.message.contains("--max-batch-tokens (128)"))
            #expect(error.kind == .configuration)
        }
    }

    @Test func tooManyInputsAreRefusedAtOnce() async throws {
        let backend = FakeBackend()
        try await withPipeline(backend, { $0.maxConcurrentInputs = 3 }) { p in
            await #expect(throws: EmbeddingError.overloaded("Model is overloaded: 0 inputs in flight, limit 3")) {
                _ = try await p.embed([.text("a"), .text("b"), .text("c"), .text("d")])
            }
            #expect(p.inFlightInputs == 0)
            _ = try await p.embed([.text("a"), .text("b"), .text("c")])
            #expect(p.inFlightInputs == 0)
        }
    }

    @Test func tooLongInputsFailUnlessTruncated() async throws {
        try await withPipeline(FakeBackend()) { p in
            let long = String(repeating: "word ", count: 300)
            do {
                _ = try await p.embed([.text(long)])
                Issue.record("expected an error")
            } catch let error as EmbeddingError {
                #expect(error.kind == .payloadTooLarge)
                #expect(error.message == "Input validation error: `inputs` must have less than 256 tokens. Given: 302")
            }
            let result = try await p.embed([.text(long)], options: .init(truncate: true))
            #expect(result.tokenCounts == [256])
            #expect(p.inFlightInputs == 0)
        }
    }

    @Test func inputsOfACancelledRequestAreDroppedBeforeTheyRun() async throws {
        let backend = FakeBackend()
        backend.pause()
        // One input per batch, so the third input cannot join the waiting batch and stays queued.
        try await withPipeline(backend, { $0.maxBatchRequests = 1 }) { p in
            // The first request holds the inference thread, the second the prepared slot; the third waits in the queue.
            async let first = p.embed([.text("first")])
            try await waitUntil { backend.batches.count == 1 }
            async let second = p.embed([.text("second")])
            try await waitUntil { p.hasPreparedBatch }
            let third = Task { try await p.embed([.tokens([101, 4242, 102])]) }
            try await waitUntil { p.queuedInputs == 1 }
            third.cancel()
            await #expect(throws: CancellationError.self) { _ = try await third.value }
            backend.resume()
            _ = try await (first, second)
            try await waitUntil { p.inFlightInputs == 0 }
            #expect(!backend.batches.contains { $0.inputIds.contains(4242) })
            #expect(backend.batches.count == 2)
        }
    }

    @Test func aRequestsInputsRunInOneBatchOnAnIdlePipeline() async throws {
        // Twenty inputs of one length (no padding for the planner to cut), tokenized by two
        // workers: they reach the scheduler together, so the first does not start a batch alone.
        let backend = FakeBackend()
        try await withPipeline(backend) { p in
            let result = try await p.embed((0..<20).map { .text("sentence number \($0 % 10)") })
            #expect(result.tokenCounts == Array(repeating: 5, count: 20))
            #expect(backend.batches.map(\.size) == [20])
        }
    }

    @Test func inputsThatJoinAPreparedBatchRunInItWithTheirOwnTokens() async throws {
        // The first request holds the inference thread and the second is padded as the next
        // batch; the next three join that batch, which is padded again only when it runs.
        let backend = FakeBackend(width: 4)
        backend.pause()
        try await withPipeline(backend) { p in
            async let first = p.embed([.text("first")])
            try await waitUntil { backend.batches.count == 1 }
            async let second = p.embed([.text("second")])
            try await waitUntil { p.hasPreparedBatch }
            let late = ["a late one", "another late input", "the third late input here"]
            let joined = late.map { text in Task { try await p.embed([.text(text)]) } }
            try await waitUntil { p.queuedInputs == 0 && p.inFlightInputs == 5 }
            backend.resume()
            _ = try await (first, second)
            // Bounded: should the late inputs never run, cancelling them ends the test.
            try await waitUntil { p.inFlightInputs == 0 }
            joined.forEach { $0.cancel() }
            let tok = try sharedTokenizer.get()
            for (text, task) in zip(late, joined) {
                let ids = tok.encode(text, addSpecialTokens: true).ids
                let token = try #require(try await task.value.outputs.first)
                #expect(token.length == ids.count)
                let mean = Pooling.mean.pool(token.output, row: token.row, offset: token.offset, length: token.length)
                let expected = (0..<4).map { c in
                    ids.enumerated().reduce(Float(0)) { $0 + FakeBackend.value(tokenId: Int64($1.element), position: $1.offset, component: c) } / Float(ids.count)
                }
                #expect(zip(mean, expected).allSatisfy { abs($0 - $1) < 1e-6 }, "\(text)")
            }
            #expect(backend.batches.map(\.size) == [1, 4])
        }
    }

    @Test func theOtherInputsOfARequestThatFailsTokenizationNeverRun() async throws {
        let backend = FakeBackend()
        try await withPipeline(backend) { p in
            let long = String(repeating: "word ", count: 300)
            await #expect(throws: EmbeddingError.self) {
                _ = try await p.embed([.text("fine"), .text(long), .text("also fine")])
            }
            try await waitUntil { p.inFlightInputs == 0 }
            #expect(backend.batches.isEmpty)
            // The pipeline goes on serving.
            #expect(try await p.embed([.text("fine")]).tokenCounts == [3])
        }
    }

    @Test func cancellationsAndFailuresAmidConcurrentMultiInputRequestsLeakNothing() async throws {
        // 150 requests of 1–8 inputs at once; every fifth holds an input too long to tokenize, and
        // about a third are cancelled at a random moment. Afterwards no admission is left over, and
        // every request that was neither cancelled nor invalid got each of its inputs back.
        let backend = FakeBackend()
        backend.delay = .milliseconds(2)
        let long = String(repeating: "word ", count: 300)
        try await withPipeline(backend, { $0.maxConcurrentInputs = 2000 }) { p in
            let outcomes = await withTaskGroup(of: (Int, Int, Bool, Result<[Int], Error>).self) { group in
                for i in 0..<150 {
                    let count = 1 + i % 8
                    let invalid = i % 5 == 0
                    let inputs: [EmbeddingInput] = (0..<count).map { j in
                        invalid && j == count / 2 ? .text(long) : .text("request \(i) input \(j)")
                    }
                    let cancel = i % 3 == 1
                    group.addTask {
                        let task = Task { try await p.embed(inputs).tokenCounts }
                        if cancel {
                            try? await Task.sleep(for: .microseconds(Int.random(in: 0...3000)))
                            task.cancel()
                        }
                        return (count, i, cancel, await task.result)
                    }
                }
                var all: [(Int, Int, Bool, Result<[Int], Error>)] = []
                for await outcome in group { all.append(outcome) }
                return all
            }
            try await waitUntil { p.inFlightInputs == 0 }
            #expect(p.inFlightInputs == 0 && p.queuedInputs == 0)
            for (count, i, cancelled, result) in outcomes {
                switch result {
                case .success(let counts):
                    #expect(i % 5 != 0, "request \(i) has an input too long, yet succeeded")
                    #expect(counts.count == count)
                case .failure(let error):
                    #expect(cancelled || i % 5 == 0, "request \(i) failed: \(error)")
                }
            }
            // The pipeline still serves.
            #expect(try await p.embed([.text("still here")]).tokenCounts == [4])
        }
    }

    @Test func concurrentRequestsArePackedIntoFewBatches() async throws {
        let backend = FakeBackend()
        backend.delay = .milliseconds(100)
        try await withPipeline(backend) { p in
            try await withThrowingTaskGroup(of: Void.self) { group in
                for i in 0..<40 {
                    group.addTask { _ = try await p.embed([.text("sentence number \(i)")]) }
                }
                try await group.waitForAll()
            }
            let sizes = backend.batches.map(\.size)
            #expect(sizes.reduce(0, +) == 40)
            #expect(sizes.count < 10, "batches: \(sizes)")
        }
    }

    @Test func packedRowsGiveEachInputItsOwnTokens() async throws {
        // A segment-aware backend: short inputs share rows, and each still gets the vectors of
        // its own tokens at positions 0..<n, as when run alone.
        let backend = FakeBackend(width: 4, acceptsPackedRows: true)
        backend.delay = .milliseconds(50)
        let texts = (0..<24).map { "input \($0) " + String(repeating: "word ", count: $0 % 5) }
        let tok = try sharedTokenizer.get()
        try await withPipeline(backend, { $0.packingLength = 32 }) { p in
            let results = try await withThrowingTaskGroup(of: (Int, EmbeddingResult).self) { group in
                for (i, text) in texts.enumerated() {
                    group.addTask { (i, try await p.embed([.text(text)])) }
                }
                var results: [Int: EmbeddingResult] = [:]
                for try await (i, result) in group { results[i] = result }
                return results
            }
            #expect(backend.batches.contains { $0.attentionMask.contains { $0 > 1 } }, "no row was shared")
            #expect(backend.batches.allSatisfy { $0.lengths.allSatisfy { $0 <= 32 } })
            for (i, text) in texts.enumerated() {
                let ids = tok.encode(text, addSpecialTokens: true).ids
                let token = try #require(results[i]?.outputs.first)
                #expect(token.length == ids.count)
                for (position, id) in ids.enumerated() {
                    let start = ((token.row * token.output.sequenceLength) + token.offset + position) * 4
                    let got = Array(token.output.values[start..<start + 4])
                    #expect(got == (0..<4).map { FakeBackend.value(tokenId: Int64(id), position: position, component: $0) },
                            "input \(i) token \(position)")
                }
                let mean = Pooling.mean.pool(token.output, row: token.row, offset: token.offset, length: token.length)
                let expected = (0..<4).map { c in
                    ids.enumerated().reduce(Float(0)) { $0 + FakeBackend.value(tokenId: Int64($1.element), position: $1.offset, component: c) } / Float(ids.count)
                }
                #expect(zip(mean, expected).allSatisfy { abs($0 - $1) < 1e-6 })
            }
        }
    }

    @Test func packingIsOffWithoutASegmentAwareBackendOrWhenDisabled() async throws {
        for (backend, length) in [(FakeBackend(acceptsPackedRows: false), 64), (FakeBackend(acceptsPackedRows: true), 0)] {
            backend.delay = .milliseconds(30)
            try await withPipeline(backend, { $0.packingLength = length }) { p in
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for i in 0..<16 { group.addTask { _ = try await p.embed([.text("short \(i)")]) } }
                    try await group.waitForAll()
                }
                #expect(backend.batches.allSatisfy { $0.attentionMask.allSatisfy { $0 <= 1 } })
                #expect(backend.batches.map(\.size).reduce(0, +) == 16)
            }
        }
    }

    @Test func shutdownFinishesAdmittedWorkThenRefusesNewWork() async throws {
        let backend = FakeBackend()
        backend.delay = .milliseconds(200)
        let p = try pipeline(backend)
        let running = Task { try await p.embed([.text("in flight")]) }
        try await waitUntil { backend.batches.count == 1 }
        await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
            Thread { p.shutdown(); c.resume() }.start()
        }
        let result = try await running.value
        #expect(result.tokenCounts == [4])
        do {
            _ = try await p.embed([.text("late")])
            Issue.record("expected unhealthy")
        } catch let error as EmbeddingError {
            #expect(error.kind == .unhealthy)
        }
    }

    @Test func backendErrorsReachEveryInputOfTheBatch() async throws {
        let backend = FakeBackend()
        backend.failure = "boom"
        try await withPipeline(backend) { p in
            await #expect(throws: EmbeddingError.backend("boom")) {
                _ = try await p.embed([.text("a"), .text("b")])
            }
            #expect(p.inFlightInputs == 0)
        }
    }

    @Test func submitCallsItsCompletionOnceWithTheResult() async throws {
        let backend = FakeBackend(width: 4)
        try await withPipeline(backend) { p in
            let results = Results()
            _ = try p.submit([.text("Hello world"), .tokens([101, 2088, 102])]) { results.add($0) }
            try await waitUntil { results.count == 1 }
            let result = try results.first!.get()
            #expect(result.tokenCounts == [4, 3])
            // A single short text is tokenized on the caller's thread; its answer still comes once.
            _ = try p.submit([.text("short")]) { results.add($0) }
            try await waitUntil { results.count == 2 }
            #expect(try results.all[1].get().tokenCounts == [3])
            try await Task.sleep(for: .milliseconds(50))
            #expect(results.count == 2)
        }
    }

    @Test func submitReportsErrorsThroughItsCompletionOrAtOnce() async throws {
        let backend = FakeBackend()
        try await withPipeline(backend, { $0.maxConcurrentInputs = 2 }) { p in
            #expect(throws: EmbeddingError.self) { _ = try p.submit([]) { _ in } }
            #expect(throws: EmbeddingError.self) { _ = try p.submit([.text("a"), .text("b"), .text("c")]) { _ in } }
            // Too long without truncation: the caller's thread tokenizes it and fails it before `submit` returns.
            let results = Results()
            _ = try p.submit([.tokens(Array(repeating: 1000, count: 300))]) { results.add($0) }
            try await waitUntil { results.count == 1 }
            #expect(throws: EmbeddingError.self) { _ = try results.first!.get() }
            try await waitUntil { p.inFlightInputs == 0 }
            #expect(backend.batches.isEmpty)
        }
    }

    @Test func aCancelledTicketDropsItsQueuedInputs() async throws {
        let backend = FakeBackend()
        backend.pause()
        try await withPipeline(backend, { $0.maxBatchRequests = 1 }) { p in
            let results = Results()
            _ = try p.submit([.text("first")]) { results.add($0) }
            try await waitUntil { backend.batches.count == 1 }
            _ = try p.submit([.text("second")]) { results.add($0) }
            try await waitUntil { p.hasPreparedBatch }
            let third = try p.submit([.tokens([101, 4242, 102])]) { results.add($0) }
            try await waitUntil { p.queuedInputs == 1 }
            third.cancel()
            try await waitUntil { results.count == 1 }
            #expect(throws: CancellationError.self) { _ = try results.first!.get() }
            backend.resume()
            try await waitUntil { results.count == 3 && p.inFlightInputs == 0 }
            #expect(!backend.batches.contains { $0.inputIds.contains(4242) })
            // Cancelling after the answer changes nothing.
            third.cancel()
            #expect(results.count == 3)
        }
    }
}

/// Completions collected from any thread.
private final class Results: @unchecked Sendable {
    private let lock = NSLock()
    private var results: [Result<EmbeddingResult, Error>] = []
    func add(_ result: Result<EmbeddingResult, Error>) { lock.withLock { results.append(result) } }
    var count: Int { lock.withLock { results.count } }
    var all: [Result<EmbeddingResult, Error>] { lock.withLock { results } }
    var first: Result<EmbeddingResult, Error>? { all.first }
}
