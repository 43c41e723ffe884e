@testable import ControlPlane
import Synchronization
import Testing

/// The cache in front of the API server: one load per key for concurrent callers, fresh values
/// reused, stale ones served while one background load refreshes them, errors not cached.
@Suite("RefreshingCache")
struct RefreshingCacheTests {
    final class Counter: Sendable {
        let loads = Atomic<Int>(0)
        func next() -> Int { loads.add(1, ordering: .relaxed).newValue }
    }

    @Test("concurrent callers of a missing key share one load")
    func singleFlight() async throws {
        let cache = RefreshingCache<String, Int>(ttl: .seconds(60))
        let counter = Counter()
        let values = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<20 {
                group.addTask {
                    try await cache.value("k") {
                        try await Task.sleep(for: .milliseconds(50))
                        return counter.next()
                    }
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(values == Array(repeating: 1, count: 20))
        #expect(counter.loads.load(ordering: .relaxed) == 1)
    }

    @Test("a stale value is served while one background load replaces it; past the stale window callers wait")
    func staleWhileRevalidate() async throws {
        // A refresh starts only when a caller finds the value stale, so the values below do not
        // depend on how fast this machine is (the TTL is long enough that the second call is fresh).
        let cache = RefreshingCache<String, Int>(ttl: .milliseconds(300), stale: .seconds(60))
        let counter = Counter()
        let load: @Sendable () async throws -> Int = { counter.next() }
        #expect(try await cache.value("k", load: load) == 1)
        #expect(try await cache.value("k", load: load) == 1)  // fresh
        try await Task.sleep(for: .milliseconds(400))
        #expect(try await cache.value("k", load: load) == 1)  // stale: served, refresh started
        var refreshed = false
        for _ in 0..<100 where !refreshed {
            try await Task.sleep(for: .milliseconds(10))
            refreshed = try await cache.value("k", load: load) == 2
        }
        #expect(refreshed, "the background refresh never landed")

        // Its own counter: once the refreshed value is stale in turn, the first cache may start
        // another refresh in the background.
        let strict = RefreshingCache<String, Int>(ttl: .milliseconds(20), stale: .zero)
        let strictCounter = Counter()
        let strictLoad: @Sendable () async throws -> Int = { strictCounter.next() }
        #expect(try await strict.value("k", load: strictLoad) == 1)
        try await Task.sleep(for: .milliseconds(40))
        #expect(try await strict.value("k", load: strictLoad) == 2)  // expired, no stale window: loaded again
    }

    struct Failure: Error {}

    @Test("a failed load is not cached")
    func errorsAreNotCached() async throws {
        let cache = RefreshingCache<String, Int>(ttl: .seconds(60))
        await #expect(throws: Failure.self) { _ = try await cache.value("k") { throw Failure() } }
        #expect(try await cache.value("k") { 7 } == 7)
    }
}
