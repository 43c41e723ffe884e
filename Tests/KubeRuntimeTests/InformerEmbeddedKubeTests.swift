import EmbeddedKube
import Foundation
import KubeModel
@testable import KubeRuntime
import Synchronization
import Testing

/// Informer against a real EmbeddedKube: sync, cache, handlers, and relist after 410.
@Suite("Informer against EmbeddedKube")
struct InformerEmbeddedKubeTests {
    /// Waits for the informer's first list (fails after `timeout`).
    func waitForSync<O: Sendable>(_ informer: Informer<O>, within timeout: Duration = .seconds(30)) async throws {
        let synced = try await withThrowingTaskGroup(of: Bool.self) { group in
            group.addTask { await informer.waitForSync() }
            group.addTask {
                try await Task.sleep(for: timeout)
                return false
            }
            defer { group.cancelAll() }
            return try await group.next()!
        }
        try #require(synced, "the informer did not sync within \(timeout)")
    }

    /// The next event of an informer subscription (fails after `timeout`).
    func next<O: Sendable>(_ iterator: EventIterator<O>, within timeout: Duration = .seconds(20)) async throws -> InformerEvent<O> {
        let event = try await withThrowingTaskGroup(of: InformerEvent<O>?.self) { group in
            group.addTask { await iterator.next() }
            group.addTask {
                try await Task.sleep(for: timeout)
                return nil
            }
            defer { group.cancelAll() }
            return try await group.next()!
        }
        return try #require(event, "no informer event within \(timeout)")
    }

    /// (name, resourceVersion) of every ConfigMap in demo, on the server and in a cache.
    func serverState(_ client: KubeClient) async throws -> [String: String] {
        let list = try await client.list(ConfigMap.self, namespace: "demo")
        return Dictionary(uniqueKeysWithValues: list.items.map { ($0.metadata.name ?? "", $0.metadata.resourceVersion ?? "") })
    }

    func cacheState(_ informer: Informer<ConfigMap>) async -> [String: String] {
        Dictionary(uniqueKeysWithValues: await informer.list().map { ($0.metadata.name ?? "", $0.metadata.resourceVersion ?? "") })
    }

    @Test("waitForSync, a cache equal to the server, and add/update/delete events in order")
    func syncAndEvents() async throws {
        try await withEmbeddedKube { kube in
            let client = kube.client
            for name in ["a", "b", "c"] {
                _ = try await client.create(ConfigMap(metadata: ObjectMeta(name: name), data: ["v": "0"]))
            }
            let informer = Informer(source: .resource(ConfigMap.self, client: client, namespace: "demo"), indexers: [.label("app")])
            let running = Task { await informer.run() }
            defer { running.cancel() }
            try await waitForSync(informer)
            #expect(await informer.hasSynced)
            #expect(await cacheState(informer) == (try await serverState(client)))

            let events = EventIterator(await informer.events())
            var initial: [String] = []
            for _ in 0..<3 {
                if case .added(let o) = try await next(events) { initial.append(o.metadata.name ?? "") }
            }
            #expect(initial.sorted() == ["a", "b", "c"], "a late subscriber first gets the cache as adds")

            _ = try await client.create(ConfigMap(metadata: ObjectMeta(name: "d", labels: ["app": "x"]), data: ["v": "1"]))
            guard case .added(let added) = try await next(events) else { Issue.record("expected an add"); return }
            #expect(added.metadata.name == "d")
            _ = try await client.patch(ConfigMap.self, name: "a", patch: .merge(["data": ["v": "2"]]))
            guard case .updated(let old, let new) = try await next(events) else { Issue.record("expected an update"); return }
            #expect(old.data == ["v": "0"])
            #expect(new.data == ["v": "2"])
            _ = try await client.delete(ConfigMap.self, name: "b")
            guard case .deleted(let deleted) = try await next(events) else { Issue.record("expected a delete"); return }
            #expect(deleted.metadata.name == "b")

            #expect(await informer.get(name: "a", namespace: "demo")?.data == ["v": "2"])
            #expect(await informer.get(name: "b", namespace: "demo") == nil)
            #expect(await informer.byIndex("label:app", "x").map(\.metadata.name) == ["d"])
            #expect(await cacheState(informer) == (try await serverState(client)))
            #expect(await informer.lastResourceVersion != nil)
        }
    }

    @Test("after its resourceVersion is compacted away while the watch is down, the informer relists and converges")
    func relistAfterCompaction() async throws {
        try await withEmbeddedKube(embeddedKubeConfiguration(watchHistoryLimit: 5)) { kube in
            let client = kube.client
            for name in ["keep", "drop", "edit"] {
                _ = try await client.create(ConfigMap(metadata: ObjectMeta(name: name), data: ["v": "0"]))
            }
            let gate = WatchGate()
            let real = InformerSource<ConfigMap>.resource(client: client, namespace: "demo")
            let lists = Mutex(0)
            let source = InformerSource<ConfigMap>(
                list: {
                    lists.withLock { $0 += 1 }
                    return try await real.list()
                },
                watch: { rv, timeout in
                    try await gate.waitUntilOpen()
                    return gate.track(try await real.watch(rv, timeout))
                },
                metadata: real.metadata)
            let informer = Informer(
                source: source, configuration: InformerConfiguration(initialBackoff: .milliseconds(20), maximumBackoff: .milliseconds(200)))
            let running = Task { await informer.run() }
            defer { running.cancel() }
            try await waitForSync(informer)
            let events = EventIterator(await informer.events())
            for _ in 0..<3 { _ = try await next(events) }
            #expect(try await poll { gate.watchesOpened >= 1 }, "the informer watches")

            // Take the watch down, then write more than the server's history keeps.
            gate.close()
            _ = try await client.delete(ConfigMap.self, name: "drop")
            _ = try await client.patch(ConfigMap.self, name: "edit", patch: .merge(["data": ["v": "1"]]))
            for i in 0..<10 {
                _ = try await client.create(ConfigMap(metadata: ObjectMeta(name: "burst-\(i)")))
            }
            #expect(lists.withLock { $0 } == 1)
            gate.open()

            let converged = try await poll(within: .seconds(30)) {
                await cacheState(informer) == (try await serverState(client))
            }
            let cached = await cacheState(informer).keys.sorted()
            let stored = try await serverState(client).keys.sorted()
            #expect(converged, "cache \(cached) vs server \(stored)")
            #expect(lists.withLock { $0 } >= 2, "the informer relisted after 410")
            #expect(await informer.get(name: "edit", namespace: "demo")?.data == ["v": "1"])

            // Subscribers heard about the change: the delete, the update and the new objects.
            var deleted: Set<String> = []
            var updated: Set<String> = []
            var added: Set<String> = []
            while !(deleted.contains("drop") && updated.contains("edit") && added.count == 10) {
                switch try await next(events) {
                case .added(let o): added.insert(o.metadata.name ?? "")
                case .updated(_, let o): updated.insert(o.metadata.name ?? "")
                case .deleted(let o): deleted.insert(o.metadata.name ?? "")
                }
            }
            #expect(deleted == ["drop"])

            // And it keeps watching afterwards.
            _ = try await client.create(ConfigMap(metadata: ObjectMeta(name: "later")))
            #expect(try await poll { await informer.get(name: "later", namespace: "demo") != nil })
        }
    }
}

/// Shares an AsyncStream iterator with the child tasks that wait on it (one at a time).
final class EventIterator<O: Sendable>: @unchecked Sendable {
    private var iterator: AsyncStream<InformerEvent<O>>.AsyncIterator
    init(_ stream: AsyncStream<InformerEvent<O>>) { iterator = stream.makeAsyncIterator() }
    func next() async -> InformerEvent<O>? { await iterator.next() }
}

/// Lets a test take an informer's watch down (the open stream ends cleanly, new ones wait) and back up.
final class WatchGate: Sendable {
    private struct State {
        var isOpen = true
        var opened = 0
        var current: [Int: @Sendable () -> Void] = [:]
        var nextID = 0
    }
    private let state = Mutex(State())

    var watchesOpened: Int { state.withLock { $0.opened } }

    func close() {
        let enders = state.withLock { s -> [@Sendable () -> Void] in
            s.isOpen = false
            defer { s.current.removeAll() }
            return Array(s.current.values)
        }
        for end in enders { end() }
    }

    func open() { state.withLock { $0.isOpen = true } }

    func waitUntilOpen() async throws {
        while !state.withLock({ $0.isOpen }) {
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    /// Forwards `stream` until the gate closes, then ends it as a server ending the watch would.
    func track<E: Sendable>(_ stream: AsyncThrowingStream<E, any Error>) -> AsyncThrowingStream<E, any Error> {
        let (out, continuation) = AsyncThrowingStream.makeStream(of: E.self, throwing: (any Error).self)
        let forward = Task {
            do {
                for try await element in stream { continuation.yield(element) }
                continuation.finish()
            } catch {
                continuation.finish(throwing: error)
            }
        }
        let id = state.withLock { s -> Int in
            s.opened += 1
            s.nextID += 1
            s.current[s.nextID] = {
                forward.cancel()
                continuation.finish()
            }
            return s.nextID
        }
        continuation.onTermination = { [weak self] _ in
            forward.cancel()
            self?.state.withLock { _ = $0.current.removeValue(forKey: id) }
        }
        return out
    }
}
