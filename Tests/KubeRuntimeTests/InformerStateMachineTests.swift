import KubeModel
import Testing

@testable import KubeRuntime

@Suite struct InformerStateMachineTests {
    typealias Machine = InformerStateMachine<String>

    func item(_ name: String, rv: String, namespace: String = "demo", labels: [String: String]? = nil, value: String? = nil) -> InformerItem<String> {
        var meta = ObjectMeta(name: name, namespace: namespace, labels: labels)
        meta.resourceVersion = rv
        return InformerItem(object: value ?? "\(name)@\(rv)", metadata: meta)
    }

    func delivered(_ actions: [Machine.Action]) -> [String] {
        actions.flatMap { action -> [String] in
            guard case .deliver(let events) = action else { return [] }
            return events.map {
                switch $0 {
                case .added(let o): "added \(o)"
                case .updated(let old, let new): "updated \(old)->\(new)"
                case .deleted(let o): "deleted \(o)"
                }
            }
        }
    }

    func watchFrom(_ actions: [Machine.Action]) -> String? {
        for case .watch(let rv) in actions { return rv }
        return nil
    }

    func listed(_ machine: inout Machine, rv: String = "100", items: [InformerItem<String>]) -> [Machine.Action] {
        #expect(machine.start().count == 1)
        return machine.listSucceeded(resourceVersion: rv, items: items)
    }

    @Test func listThenWatchFromTheListResourceVersion() {
        var m = Machine()
        let start = m.start()
        guard case .list = start.first else {
            Issue.record("expected a list, got \(start)")
            return
        }
        let actions = m.listSucceeded(resourceVersion: "100", items: [item("a", rv: "90"), item("b", rv: "95")])
        #expect(Set(delivered(actions)) == ["added a@90", "added b@95"])
        #expect(actions.contains { if case .synced = $0 { true } else { false } })
        #expect(watchFrom(actions) == "100")
        #expect(m.hasSynced)
        #expect(m.store.count == 2)
    }

    @Test func watchEventsUpdateTheCacheAndTheResourceVersion() {
        var m = Machine()
        _ = listed(&m, items: [item("a", rv: "90")])
        #expect(delivered(m.received(.added(item("b", rv: "101")))) == ["added b@101"])
        #expect(delivered(m.received(.modified(item("a", rv: "102")))) == ["updated a@90->a@102"])
        #expect(delivered(m.received(.deleted(item("b", rv: "103")))) == ["deleted b@103"])
        #expect(m.lastResourceVersion == "103")
        #expect(m.store.get("demo/a") == "a@102")
        #expect(m.store.get("demo/b") == nil)
    }

    @Test func cleanTimeoutResumesAtOnceFromTheLastResourceVersion() {
        var m = Machine()
        _ = listed(&m, items: [])
        _ = m.received(.added(item("a", rv: "105")))
        #expect(watchFrom(m.watchEnded(.closed(receivedEvents: true))) == "105")
    }

    @Test func droppedConnectionResumesFromLastResourceVersionAfterBackoff() {
        var m = Machine(configuration: .init(initialBackoff: .milliseconds(800), maximumBackoff: .seconds(30)))
        _ = listed(&m, items: [])
        _ = m.received(.modified(item("a", rv: "110")))
        let actions = m.watchEnded(.disconnected)
        guard case .backoff(let delay) = actions.first else {
            Issue.record("expected a backoff, got \(actions)")
            return
        }
        #expect(delay == .milliseconds(800))
        #expect(watchFrom(m.backoffElapsed()) == "110")
        // Failing again doubles the pause; an event resets it.
        guard case .backoff(let second) = m.watchEnded(.disconnected).first else {
            Issue.record("expected a backoff")
            return
        }
        #expect(second == .milliseconds(1600))
        _ = m.backoffElapsed()
        _ = m.received(.bookmark(resourceVersion: "111"))
        #expect(m.consecutiveFailures == 0)
    }

    @Test func bookmarkAdvancesTheResourceVersionWithoutEvents() {
        var m = Machine()
        _ = listed(&m, items: [item("a", rv: "90")])
        do { let v = m.received(.bookmark(resourceVersion: "250")); #expect(v.isEmpty) }
        #expect(m.lastResourceVersion == "250")
        #expect(watchFrom(m.watchEnded(.closed(receivedEvents: true))) == "250")
    }

    @Test func goneRelistsAndTheDiffEmitsDeletesAndUpdates() {
        var m = Machine()
        _ = listed(&m, items: [item("a", rv: "90"), item("b", rv: "91"), item("c", rv: "92")])
        let relist = m.watchEnded(.expired)
        guard case .list = relist.first else {
            Issue.record("expected a relist, got \(relist)")
            return
        }
        // While we were away: a changed, b deleted, c unchanged, d created.
        let actions = m.listSucceeded(resourceVersion: "300", items: [item("a", rv: "200"), item("c", rv: "92"), item("d", rv: "201")])
        #expect(Set(delivered(actions)) == ["updated a@90->a@200", "deleted b@91", "added d@201"])
        #expect(!actions.contains { if case .synced = $0 { true } else { false } })
        #expect(watchFrom(actions) == "300")
        #expect(Set(m.store.keys) == ["demo/a", "demo/c", "demo/d"])
    }

    @Test func otherFailuresRelistAfterBackoff() {
        var m = Machine()
        _ = listed(&m, items: [])
        guard case .backoff = m.watchEnded(.failed).first else {
            Issue.record("expected a backoff")
            return
        }
        guard case .list = m.backoffElapsed().first else {
            Issue.record("expected a list")
            return
        }
        guard case .backoff = m.listFailed().first else {
            Issue.record("expected a backoff after a failed list")
            return
        }
        guard case .list = m.backoffElapsed().first else {
            Issue.record("expected a list")
            return
        }
    }

    @Test func backoffIsCapped() {
        let m = Machine(configuration: .init(initialBackoff: .seconds(1), maximumBackoff: .seconds(30)))
        #expect(m.backoffDelay(failures: 1) == .seconds(1))
        #expect(m.backoffDelay(failures: 3) == .seconds(4))
        #expect(m.backoffDelay(failures: 50) == .seconds(30))
    }

    @Test func stoppedMachineDoesNothing() {
        var m = Machine()
        _ = listed(&m, items: [])
        m.stop()
        do { let v = m.received(.added(item("a", rv: "1"))); #expect(v.isEmpty) }
        do { let v = m.watchEnded(.expired); #expect(v.isEmpty) }
    }

    @Test func storeIndexesByNamespaceLabelAndOwner() {
        var store = InformerStore<String>(indexers: [.label("app"), .ownerUID])
        var owned = ObjectMeta(name: "rs", namespace: "demo", labels: ["app": "web"])
        owned.ownerReferences = [OwnerReference(apiVersion: "apps/v1", kind: "Deployment", name: "web", uid: "uid-1", controller: true)]
        store.upsert(InformerItem(object: "rs", metadata: owned))
        store.upsert(InformerItem(object: "cm", metadata: ObjectMeta(name: "cm", namespace: "other", labels: ["app": "web"])))
        store.upsert(InformerItem(object: "ns", metadata: ObjectMeta(name: "cluster-thing")))
        #expect(Set(store.byIndex("label:app", "web")) == ["rs", "cm"])
        #expect(store.byIndex(Indexer<String>.namespaceIndexName, "demo") == ["rs"])
        #expect(store.byIndex(Indexer<String>.ownerUIDIndexName, "uid-1") == ["rs"])
        #expect(store.get("cluster-thing") == "ns")
        // Re-filing on update, unfiling on delete.
        store.upsert(InformerItem(object: "cm2", metadata: ObjectMeta(name: "cm", namespace: "other", labels: ["app": "db"])))
        #expect(store.byIndex("label:app", "web") == ["rs"])
        store.remove(key: "demo/rs")
        #expect(store.byIndex(Indexer<String>.ownerUIDIndexName, "uid-1").isEmpty)
    }
}

/// The informer actor over a scripted source: list, watch that drops, resume, 410, relist.
@Suite(.timeLimit(.minutes(1))) struct InformerTests {
    actor Script {
        var lists: [(String, [JSONValue])]
        var watches: [(events: [InformerWatchEvent<JSONValue>], end: (any Error)?)]
        var watchedFrom: [String] = []
        init(lists: [(String, [JSONValue])], watches: [(events: [InformerWatchEvent<JSONValue>], end: (any Error)?)]) {
            self.lists = lists
            self.watches = watches
        }
        func nextList() -> (String, [JSONValue]) { lists.count > 1 ? lists.removeFirst() : lists[0] }
        func nextWatch(_ rv: String) -> (events: [InformerWatchEvent<JSONValue>], end: (any Error)?)? {
            watchedFrom.append(rv)
            return watches.isEmpty ? nil : watches.removeFirst()
        }
    }

    static func object(_ name: String, rv: String) -> JSONValue {
        ["metadata": ["name": .string(name), "namespace": "demo", "resourceVersion": .string(rv)]]
    }

    static func item(_ name: String, rv: String) -> InformerItem<JSONValue> {
        let o = object(name, rv: rv)
        return InformerItem(object: o, metadata: JSONValue.objectMeta(of: o))
    }

    @Test func listWatchResumeAndRelist() async throws {
        let gone = KubeAPIError(status: Status(message: "too old resource version: 1 (279)", reason: "Expired", code: 410), httpStatus: 200)
        let script = Script(
            lists: [("10", [Self.object("a", rv: "5"), Self.object("b", rv: "6")]), ("40", [Self.object("a", rv: "35"), Self.object("c", rv: "36")])],
            watches: [
                ([.added(Self.item("x", rv: "11")), .bookmark(resourceVersion: "20")], KubeClientError.transport),
                ([.deleted(Self.item("x", rv: "21"))], gone),
            ])
        let source = InformerSource<JSONValue>(
            list: { await script.nextList() },
            watch: { rv, _ in
                let next = await script.nextWatch(rv)
                return AsyncThrowingStream { continuation in
                    guard let next else { return }  // stays open until cancelled
                    for event in next.events { continuation.yield(event) }
                    continuation.finish(throwing: next.end)
                }
            },
            metadata: { JSONValue.objectMeta(of: $0) })
        let informer = Informer(
            source: source, indexers: [.label("app")],
            configuration: InformerConfiguration(minimumWatchTimeoutSeconds: 60, initialBackoff: .milliseconds(1)))
        let events = await informer.events()
        let runner = Task { await informer.run() }
        #expect(await informer.waitForSync())

        var seen: [String] = []
        for await event in events {
            let name = event.object[path: ["metadata", "name"]]?.stringValue ?? "?"
            switch event {
            case .added: seen.append("+\(name)")
            case .updated: seen.append("~\(name)")
            case .deleted: seen.append("-\(name)")
            }
            if seen.count == 7 { break }
        }
        runner.cancel()
        await runner.value
        // list: +a +b; watch: +x; dropped → resume from the bookmark's rv 20; -x; 410 → relist: ~a -b +c.
        #expect(Array(seen.prefix(2)).sorted() == ["+a", "+b"])
        #expect(seen[2] == "+x")
        #expect(seen[3] == "-x")
        #expect(Array(seen.suffix(3)).sorted() == ["+c", "-b", "~a"])
        #expect(await script.watchedFrom.prefix(3) == ["10", "20", "40"])
        #expect(await informer.get(name: "a", namespace: "demo")?[path: ["metadata", "resourceVersion"]] == "35")
        #expect(await informer.count == 2)
    }
}
