import Synchronization

/// A small cache for what the hot path asks the API server (token reviews, access reviews,
/// deployments, API keys): a fresh value is served for `ttl`; a stale one for up to `stale` more
/// while one background load refreshes it; a missing one is loaded once however many callers wait
/// for it. So a burst of requests costs the API server one call per key, not one per request.
final class RefreshingCache<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    private enum Plan {
        case have(Value)
        case wait(Task<Value, any Error>)
    }

    private struct Entry {
        var value: Value?
        var loadedAt: ContinuousClock.Instant?
        var loading: Task<Value, any Error>?
    }

    let ttl: Duration
    let stale: Duration
    let limit: Int
    private let entries = Mutex<[Key: Entry]>([:])

    init(ttl: Duration, stale: Duration = .zero, limit: Int = 10_000) {
        self.ttl = ttl
        self.stale = stale
        self.limit = limit
    }

    func value(_ key: Key, load: @escaping @Sendable () async throws -> Value) async throws -> Value {
        let now = ContinuousClock.now
        let plan: Plan = entries.withLock { entries in
            var entry = entries[key] ?? Entry()
            if let value = entry.value, let at = entry.loadedAt {
                if now - at < ttl { return .have(value) }
                if now - at < ttl + stale {
                    if entry.loading == nil {
                        entry.loading = start(key, load)
                        entries[key] = entry
                    }
                    return .have(value)
                }
            }
            if let loading = entry.loading { return .wait(loading) }
            if entries.count >= limit { entries.removeAll(keepingCapacity: true) }
            let task = start(key, load)
            entry.loading = task
            entries[key] = entry
            return .wait(task)
        }
        switch plan {
        case .have(let value): return value
        case .wait(let task): return try await task.value
        }
    }

    /// Forgets `key` (the next caller loads it again).
    func invalidate(_ key: Key) {
        entries.withLock { $0[key] = nil }
    }

    private func start(_ key: Key, _ load: @escaping @Sendable () async throws -> Value) -> Task<Value, any Error> {
        Task {
            do {
                let value = try await load()
                entries.withLock { $0[key] = Entry(value: value, loadedAt: .now, loading: nil) }
                return value
            } catch {
                entries.withLock { $0[key]?.loading = nil }
                throw error
            }
        }
    }
}
