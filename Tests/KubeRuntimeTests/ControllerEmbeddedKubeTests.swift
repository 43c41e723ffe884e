import EmbeddedKube
import Foundation
import KubeModel
@testable import KubeRuntime
import Synchronization
import Testing

/// A WorkQueue-driven Controller reconciling ConfigMaps on a real EmbeddedKube.
@Suite("Controller against EmbeddedKube")
struct ControllerEmbeddedKubeTests {
    static let annotation = "quiver.dev/observed-data"

    /// What the reconciler writes: the data as sorted `k=v` pairs.
    static func summary(_ data: [String: String]?) -> String {
        (data ?? [:]).sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
    }

    @Test("a reconciler that copies each ConfigMap's data into an annotation converges, also after changes")
    func reconcileConfigMaps() async throws {
        try await withEmbeddedKube { kube in
            let client = kube.client
            for i in 0..<3 {
                _ = try await client.create(ConfigMap(metadata: ObjectMeta(name: "cm-\(i)"), data: ["i": "\(i)"]))
            }
            let reconciles = Mutex(0)
            let failedOnce = Mutex(false)
            let reconciler = ReconcilerFunction { request in
                reconciles.withLock { $0 += 1 }
                let configMap: ConfigMap
                do {
                    configMap = try await client.get(ConfigMap.self, name: request.name, namespace: request.namespace)
                } catch let error as KubeAPIError where error.isNotFound {
                    return .done
                }
                // The first reconcile of cm-1 fails: it must be retried with backoff.
                if request.name == "cm-1", !failedOnce.withLock({ done in defer { done = true }; return done }) {
                    throw KubeClientError.transport
                }
                let want = Self.summary(configMap.data)
                if configMap.metadata.annotations?[Self.annotation] == want { return .done }
                var updated = configMap
                updated.metadata.annotations = (configMap.metadata.annotations ?? [:]).merging([Self.annotation: want]) { $1 }
                _ = try await client.update(updated)  // conditional: a conflict is retried
                return .done
            }
            let informer = Informer(source: .resource(ConfigMap.self, client: client, namespace: "demo"))
            let controller = Controller(
                configuration: ControllerConfiguration(
                    name: "observe-data", workers: 2,
                    queue: .init(baseDelay: .milliseconds(10), maximumDelay: .milliseconds(200))),
                reconciler: reconciler, sources: [.informer(informer, mapping: .object)])
            let informerTask = Task { await informer.run() }
            let controllerTask = Task { await controller.run() }
            defer {
                informerTask.cancel()
                controllerTask.cancel()
            }

            func converged() async throws -> Bool {
                let list = try await client.list(ConfigMap.self, namespace: "demo")
                return !list.items.isEmpty && list.items.allSatisfy { $0.metadata.annotations?[Self.annotation] == Self.summary($0.data) }
            }
            #expect(try await poll(within: .seconds(30)) { try await converged() }, "the first reconciles did not converge")
            #expect(failedOnce.withLock { $0 }, "the failing reconcile ran")

            _ = try await client.patch(ConfigMap.self, name: "cm-0", patch: .merge(["data": ["i": "changed", "extra": "x"]]))
            _ = try await client.create(ConfigMap(metadata: ObjectMeta(name: "cm-new"), data: ["n": "1"]))
            _ = try await client.delete(ConfigMap.self, name: "cm-2")
            #expect(try await poll(within: .seconds(30)) {
                let cm0 = try await client.get(ConfigMap.self, name: "cm-0")
                let fresh = try await client.get(ConfigMap.self, name: "cm-new")
                return cm0.metadata.annotations?[Self.annotation] == "extra=x,i=changed"
                    && fresh.metadata.annotations?[Self.annotation] == "n=1"
            })
            #expect(try await converged())

            // Quiescent: no reconcile loop (our own annotation updates settle).
            let before = reconciles.withLock { $0 }
            try await Task.sleep(for: .milliseconds(500))
            #expect(reconciles.withLock { $0 } - before <= 4, "reconciles keep running without changes")

            await controller.shutDown()
            controllerTask.cancel()
            await controllerTask.value
        }
    }
}
