import Testing

@testable import KubeRuntime

@Suite struct WorkQueueStateTests {
    typealias Queue = WorkQueueState<String>
    let t0 = ContinuousClock.now

    @Test func duplicatesCoalesce() {
        var q = Queue()
        do { let v = q.add("a"); #expect(v) }
        do { let v = q.add("a"); #expect(!v) }
        do { let v = q.add("b"); #expect(v) }
        #expect(q.count == 2)
        do { let v = q.get(); #expect(v == .key("a")) }
        do { let v = q.get(); #expect(v == .key("b")) }
        do { let v = q.get(); #expect(v == .empty) }
    }

    @Test func aKeyIsNeverHandedOutTwiceAtOnce() {
        var q = Queue()
        q.add("a")
        do { let v = q.get(); #expect(v == .key("a")) }
        // Added again while processing: held back, not handed to a second worker.
        do { let v = q.add("a"); #expect(!v) }
        do { let v = q.get(); #expect(v == .empty) }
        #expect(q.isProcessing("a"))
        // Done: it goes back exactly once.
        do { let v = q.done("a"); #expect(v) }
        do { let v = q.get(); #expect(v == .key("a")) }
        do { let v = q.get(); #expect(v == .empty) }
        do { let v = q.done("a"); #expect(!v) }
        do { let v = q.get(); #expect(v == .empty) }
    }

    @Test func manyAddsWhileProcessingRunOnceMore() {
        var q = Queue()
        q.add("a")
        _ = q.get()
        for _ in 0..<5 { q.add("a") }
        q.done("a")
        #expect(q.count == 1)
        do { let v = q.get(); #expect(v == .key("a")) }
        q.done("a")
        do { let v = q.get(); #expect(v == .empty) }
    }

    @Test func rateLimitedBackoffGrowsAndForgetResets() {
        var q = Queue()
        do { let v = q.addRateLimited("a", now: t0); #expect(v == .milliseconds(5)) }
        do { let v = q.addRateLimited("a", now: t0); #expect(v == .milliseconds(10)) }
        do { let v = q.addRateLimited("a", now: t0); #expect(v == .milliseconds(20)) }
        #expect(q.numRequeues("a") == 3)
        #expect(q.nextDelay(for: "b") == .milliseconds(5))
        q.forget("a")
        #expect(q.numRequeues("a") == 0)
        do { let v = q.addRateLimited("a", now: t0); #expect(v == .milliseconds(5)) }
    }

    @Test func backoffIsCapped() {
        var q = Queue(configuration: .init(baseDelay: .milliseconds(5), maximumDelay: .seconds(1000)))
        var last = Duration.zero
        for _ in 0..<40 { last = q.addRateLimited("a", now: t0) }
        #expect(last == .seconds(1000))
    }

    @Test func addAfterWaitsAndOrdersByTime() {
        var q = Queue()
        q.addAfter("late", delay: .seconds(3), now: t0)
        q.addAfter("early", delay: .seconds(1), now: t0)
        q.addAfter("middle", delay: .seconds(2), now: t0)
        do { let v = q.get(); #expect(v == .empty) }
        #expect(q.nextReadyAt == t0.advanced(by: .seconds(1)))
        do { let v = q.promoteDue(now: t0.advanced(by: .milliseconds(500))); #expect(v == 0) }
        do { let v = q.promoteDue(now: t0.advanced(by: .seconds(5))); #expect(v == 3) }
        do { let v = q.get(); #expect(v == .key("early")) }
        do { let v = q.get(); #expect(v == .key("middle")) }
        do { let v = q.get(); #expect(v == .key("late")) }
    }

    @Test func addAfterKeepsTheEarlierTime() {
        var q = Queue()
        q.addAfter("a", delay: .seconds(1), now: t0)
        q.addAfter("a", delay: .seconds(10), now: t0)
        #expect(q.waitingCount == 1)
        #expect(q.nextReadyAt == t0.advanced(by: .seconds(1)))
        q.addAfter("a", delay: .milliseconds(100), now: t0)
        #expect(q.nextReadyAt == t0.advanced(by: .milliseconds(100)))
        // A zero delay adds at once.
        do { let v = q.addAfter("b", delay: .zero, now: t0); #expect(v) }
        do { let v = q.get(); #expect(v == .key("b")) }
    }

    @Test func shutDownStopsAcceptingButHandsOutQueuedKeys() {
        var q = Queue()
        q.add("a")
        q.add("b")
        do { let v = q.get(); #expect(v == .key("a")) }
        q.addAfter("later", delay: .seconds(1), now: t0)
        q.shutDownWithDrain()
        #expect(q.isDraining)
        do { let v = q.add("c"); #expect(!v) }
        #expect(q.waitingCount == 0)
        #expect(!q.isDrained)  // "a" is still processing
        do { let v = q.get(); #expect(v == .key("b")) }
        q.done("a")
        #expect(!q.isDrained)
        q.done("b")
        #expect(q.isDrained)
        do { let v = q.get(); #expect(v == .shutDown) }
    }
}

@Suite(.timeLimit(.minutes(1))) struct WorkQueueTests {
    @Test func workersWaitForKeysAndDelayedKeysArrive() async throws {
        let queue = WorkQueue<String>()
        let getter = Task { await queue.get() }
        try await Task.sleep(for: .milliseconds(20))
        await queue.add("a")
        #expect(await getter.value == "a")
        await queue.done("a")

        let start = ContinuousClock.now
        await queue.addAfter("b", delay: .milliseconds(100))
        await queue.addAfter("c", delay: .milliseconds(30))
        #expect(await queue.get() == "c")
        #expect(await queue.get() == "b")
        #expect(start.duration(to: .now) >= .milliseconds(95))
    }

    @Test func twoWorkersNeverHoldTheSameKey() async throws {
        let queue = WorkQueue<Int>()
        let tracker = Tracker()
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<3 {
                group.addTask {
                    while let key = await queue.get() {
                        await tracker.begin(key)
                        try? await Task.sleep(for: .milliseconds(2))
                        await tracker.end(key)
                        await queue.done(key)
                    }
                }
            }
            for round in 0..<50 { await queue.add(round % 4) }
            try? await Task.sleep(for: .milliseconds(100))
            await queue.shutDownWithDrain()
        }
        #expect(await tracker.overlaps == 0)
        #expect(await tracker.runs >= 4)
    }

    @Test func shutDownWithDrainWaitsForInFlight() async throws {
        let queue = WorkQueue<String>()
        await queue.add("a")
        let key = await queue.get()
        #expect(key == "a")
        let drained = Task {
            await queue.shutDownWithDrain()
            return ContinuousClock.now
        }
        try await Task.sleep(for: .milliseconds(50))
        let doneAt = ContinuousClock.now
        await queue.done("a")
        let drainedAt = await drained.value
        #expect(drainedAt >= doneAt)
        #expect(await queue.get() == nil)
    }

    @Test func cancelledGetReturnsNil() async throws {
        let queue = WorkQueue<String>()
        let getter = Task { await queue.get() }
        try await Task.sleep(for: .milliseconds(20))
        getter.cancel()
        #expect(await getter.value == nil)
    }

    actor Tracker {
        var active: Set<Int> = []
        var overlaps = 0
        var runs = 0
        func begin(_ key: Int) {
            if active.contains(key) { overlaps += 1 }
            active.insert(key)
            runs += 1
        }
        func end(_ key: Int) { active.remove(key) }
    }
}
