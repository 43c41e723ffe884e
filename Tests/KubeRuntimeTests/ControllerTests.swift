import KubeModel
import Testing

@testable import KubeRuntime

@Suite(.timeLimit(.minutes(1))) struct ControllerTests {
    actor Log {
        var calls: [ReconcileRequest] = []
        func record(_ r: ReconcileRequest) -> Int {
            calls.append(r)
            return calls.filter { $0 == r }.count
        }
    }

    static func pod(_ name: String, owner: String?) -> JSONValue {
        var meta: JSONValue = ["name": .string(name), "namespace": "demo", "resourceVersion": "1"]
        if let owner {
            meta["ownerReferences"] = [["apiVersion": "quiver.dev/v1alpha1", "kind": "Widget", "name": .string(owner), "uid": "u", "controller": true]]
        }
        return ["metadata": meta]
    }

    @Test func ownedObjectsEnqueueTheirOwnerAndErrorsAreRetried() async throws {
        let source = InformerSource<JSONValue>(
            list: { ("5", [Self.pod("p1", owner: "w1"), Self.pod("p2", owner: "w1"), Self.pod("p3", owner: nil)]) },
            watch: { _, _ in AsyncThrowingStream { _ in } },
            metadata: { JSONValue.objectMeta(of: $0) })
        let informer = Informer(source: source)
        let log = Log()
        let reconciler = ReconcilerFunction { request in
            let attempt = await log.record(request)
            if attempt == 1 { throw KubeClientError.transport }  // first try fails: retried with backoff
            return .done
        }
        let controller = Controller(
            configuration: ControllerConfiguration(name: "widgets", workers: 2, queue: .init(baseDelay: .milliseconds(5))),
            reconciler: reconciler, sources: [.informer(informer, mapping: .owner(Widget.self))])
        let informerTask = Task { await informer.run() }
        let controllerTask = Task { await controller.run() }
        let deadline = ContinuousClock.now.advanced(by: .seconds(5))
        while await log.calls.count < 2, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(10))
        }
        try await Task.sleep(for: .milliseconds(50))
        await controller.shutDown()
        await controllerTask.value
        informerTask.cancel()
        await informerTask.value
        // Pods owned by w1 enqueue w1 (coalesced); the unowned pod enqueues nothing; the failed first
        // attempt is retried, and once it succeeds nothing more runs.
        let calls = await log.calls
        #expect(Set(calls) == [ReconcileRequest(namespace: "demo", name: "w1")])
        #expect(calls.count >= 2 && calls.count <= 3)
    }

    @Test func ownerMappingMatchesKindAndGroup() {
        var meta = ObjectMeta(name: "rs", namespace: "demo")
        meta.ownerReferences = [
            OwnerReference(apiVersion: "apps/v1", kind: "Deployment", name: "web", uid: "1", controller: true),
            OwnerReference(apiVersion: "quiver.dev/v1alpha1", kind: "Deployment", name: "other", uid: "2", controller: true),
            OwnerReference(apiVersion: "apps/v1", kind: "Deployment", name: "not-controller", uid: "3"),
        ]
        #expect(ReconcileRequest.owners(of: meta, kind: "Deployment", group: "apps") == [ReconcileRequest(namespace: "demo", name: "web")])
        #expect(ReconcileRequest.owners(of: meta, kind: "Deployment", group: "apps", controllerOnly: false).map(\.name) == ["web", "not-controller"])
        #expect(ReconcileRequest(namespace: "demo", name: "web").description == "demo/web")
        #expect(ReconcileRequest(namespace: "", name: "cluster").description == "cluster")
    }
}
