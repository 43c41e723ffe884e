import EmbeddedKube
import Foundation
import KubeModel
@testable import KubeRuntime
import Logging
import ServiceLifecycle
import Testing

/// A real EmbeddedKube for the client tests: loopback, free port, plain HTTP, in memory by default.
func embeddedKubeConfiguration(
    dataDirectory: String? = nil, useTLS: Bool = false, watchHistoryLimit: Int = 10_000, bookmarkIntervalSeconds: Double = 60
) -> EmbeddedKubeConfiguration {
    EmbeddedKubeConfiguration(
        dataDirectory: dataDirectory, host: "127.0.0.1", port: 0, watchHistoryLimit: watchHistoryLimit,
        bookmarkIntervalSeconds: bookmarkIntervalSeconds, useTLS: useTLS)
}

struct EmbeddedKubeHarnessError: Error, CustomStringConvertible {
    var description: String
}

/// The running server and a client for it (namespace `demo`, which exists).
struct RunningKube: Sendable {
    let port: Int
    let server: EmbeddedKube
    let client: KubeClient

    var url: String { "\(server.tls == nil ? "http" : "https")://127.0.0.1:\(port)" }

    /// A client configuration for this server: the admin token, no client-side rate limit, quick retries.
    func clientConfiguration(namespace: String = "demo") -> KubeConfiguration {
        Self.clientConfiguration(port: port, server: server, namespace: namespace)
    }

    static func clientConfiguration(port: Int, server: EmbeddedKube, namespace: String = "demo") -> KubeConfiguration {
        KubeConfiguration(
            server: "\(server.tls == nil ? "http" : "https")://127.0.0.1:\(port)", certificateAuthority: server.tls.map { Array($0.caCertificatePEM.utf8) },
            credentials: .init(bearerToken: server.adminToken), namespace: namespace, qps: 0, burst: 1,
            requestTimeout: .seconds(20), connectTimeout: .seconds(5), userAgent: "kuberuntime-embeddedkube-tests",
            retry: RetryPolicy(maximumAttempts: 3, initialDelay: .milliseconds(20)))
    }

    /// Installs the Widget CRD of the recorded transcripts and waits until it is Established and served.
    func installWidgetCRD() async throws {
        let crds = GroupVersionResource(group: "apiextensions.k8s.io", version: "v1", resource: "customresourcedefinitions")
        _ = try await client.create(crds, try JSONValue(parsing: widgetCRD))
        let established = try await poll {
            let crd = try await client.get(crds, name: "widgets.quiver.dev")
            return (crd[path: ["status", "conditions"]]?.arrayValue ?? []).contains {
                $0["type"] == "Established" && $0["status"] == "True"
            }
        }
        try #require(established, "the Widget CRD did not become Established")
        let served = try await poll {
            do {
                _ = try await client.list(widgets, namespace: "demo")
                return true
            } catch let error as KubeAPIError where error.isNotFound {
                return false
            }
        }
        try #require(served)
    }
}

/// Runs `body` against a real EmbeddedKube on a free loopback port with namespace `demo` created,
/// then shuts the client and the server down, even when `body` throws.
func withEmbeddedKube<R: Sendable>(
    _ configuration: EmbeddedKubeConfiguration = embeddedKubeConfiguration(),
    _ body: @Sendable (RunningKube) async throws -> R
) async throws -> R {
    var logger = Logger(label: "kuberuntime-embeddedkube-tests")
    logger.logLevel = .critical
    let (started, startedContinuation) = AsyncStream<(Int, EmbeddedKube)>.makeStream()
    let app = try await buildEmbeddedKube(configuration: configuration, logger: logger) { port, server in
        startedContinuation.yield((port, server))
    }
    let group = ServiceGroup(configuration: .init(services: [app], logger: logger))
    return try await withThrowingTaskGroup(of: Void.self, returning: R.self) { tasks in
        tasks.addTask {
            defer { startedContinuation.finish() }
            try await group.run()
        }
        let result: Result<R, any Error>
        do {
            let first = try await withThrowingTaskGroup(of: (Int, EmbeddedKube)?.self) { wait in
                wait.addTask {
                    for await value in started { return value }
                    return nil
                }
                wait.addTask {
                    try await Task.sleep(for: .seconds(60))
                    throw EmbeddedKubeHarnessError(description: "EmbeddedKube did not start within 60 s")
                }
                defer { wait.cancelAll() }
                return try await wait.next()!
            }
            guard let (port, server) = first else { throw EmbeddedKubeHarnessError(description: "EmbeddedKube stopped before listening") }
            let client = try KubeClient(configuration: RunningKube.clientConfiguration(port: port, server: server), logger: logger)
            let kube = RunningKube(port: port, server: server, client: client)
            do {
                _ = try await client.create(Namespace(metadata: ObjectMeta(name: "demo")))
                result = .success(try await body(kube))
            } catch {
                result = .failure(error)
            }
            try? await client.shutdown()
        } catch {
            result = .failure(error)
        }
        await group.triggerGracefulShutdown()
        tasks.addTask { try? await Task.sleep(for: .seconds(20)) }
        _ = try? await tasks.next()
        tasks.cancelAll()
        while (try? await tasks.next()) != nil {}
        return try result.get()
    }
}

/// Polls `condition` until it holds or `timeout` passes; returns whether it held.
func poll(
    within timeout: Duration = .seconds(20), every interval: Duration = .milliseconds(50), _ condition: () async throws -> Bool
) async rethrows -> Bool {
    let deadline = ContinuousClock.now + timeout
    while true {
        if try await condition() { return true }
        if ContinuousClock.now >= deadline { return false }
        try? await Task.sleep(for: interval)
    }
}

/// The `KubeAPIError` that `body` throws (fails the test if it throws none or something else).
func apiError(sourceLocation: SourceLocation = #_sourceLocation, _ body: () async throws -> Void) async -> KubeAPIError? {
    do {
        try await body()
        Issue.record("expected a KubeAPIError", sourceLocation: sourceLocation)
        return nil
    } catch let error as KubeAPIError {
        return error
    } catch {
        Issue.record("expected a KubeAPIError, got \(error)", sourceLocation: sourceLocation)
        return nil
    }
}

/// A Widget as JSON (the dynamic client's form).
func widgetObject(_ name: String, size: Int64 = 1, color: String = "red", image: String = "alpine", labels: [String: String]? = nil) -> JSONValue {
    var object: JSONValue = [
        "apiVersion": "quiver.dev/v1alpha1", "kind": "Widget", "metadata": ["name": .string(name)],
        "spec": ["size": .int(size), "color": .string(color), "image": .string(image)],
    ]
    if let labels { object[path: ["metadata", "labels"]] = .object(labels.mapValues { .string($0) }) }
    return object
}

/// A minimal apps/v1 Deployment.
func webDeployment(_ name: String = "web", replicas: Int32 = 2, image: String = "nginx:1.27") -> KubeModel.Deployment {
    KubeModel.Deployment(
        metadata: ObjectMeta(name: name, labels: ["app": name]),
        spec: DeploymentSpec(
            replicas: replicas, selector: LabelSelector(matchLabels: ["app": name]),
            template: PodTemplateSpec(
                metadata: ObjectMeta(labels: ["app": name]),
                spec: PodSpec(containers: [Container(name: "nginx", image: image, ports: [ContainerPort(containerPort: 80)])]))))
}

/// The CRD of the recorded transcripts (03-crd-create-widget.json's request).
let widgetCRD = #"{"apiVersion":"apiextensions.k8s.io/v1","kind":"CustomResourceDefinition","metadata":{"name":"widgets.quiver.dev"},"spec":{"group":"quiver.dev","scope":"Namespaced","names":{"plural":"widgets","singular":"widget","kind":"Widget","listKind":"WidgetList","shortNames":["wd"]},"versions":[{"name":"v1alpha1","served":true,"storage":true,"schema":{"openAPIV3Schema":{"type":"object","properties":{"spec":{"type":"object","required":["image"],"properties":{"size":{"type":"integer","minimum":1},"color":{"type":"string","enum":["red","blue"]},"image":{"type":"string"},"replicas":{"type":"integer","minimum":0}}},"status":{"type":"object","properties":{"phase":{"type":"string"},"replicas":{"type":"integer"},"selector":{"type":"string"},"observedGeneration":{"type":"integer","format":"int64"}}}}}},"subresources":{"status":{},"scale":{"specReplicasPath":".spec.replicas","statusReplicasPath":".status.replicas","labelSelectorPath":".status.selector"}},"additionalPrinterColumns":[{"name":"Size","type":"integer","jsonPath":".spec.size"},{"name":"Color","type":"string","jsonPath":".spec.color"},{"name":"Age","type":"date","jsonPath":".metadata.creationTimestamp"}]}]}}"#
