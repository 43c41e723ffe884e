import Foundation
import KubeModel
@testable import KubeRuntime

/// The custom resource of the recorded transcripts: `widgets.quiver.dev/v1alpha1`.
struct Widget: KubernetesResource, Hashable {
    static let apiVersion = "quiver.dev/v1alpha1"
    static let kind = "Widget"
    static let resource = "widgets"
    static let isNamespaced = true

    var apiVersion: String? = Widget.apiVersion
    var kind: String? = Widget.kind
    var metadata: ObjectMeta
    var spec: Spec?

    struct Spec: Codable, Hashable, Sendable {
        var size: Int?
        var color: String?
        var image: String?
        var replicas: Int?
    }

    init(metadata: ObjectMeta, spec: Spec? = nil) {
        self.metadata = metadata
        self.spec = spec
    }
}

let widgets = GroupVersionResource(group: "quiver.dev", version: "v1alpha1", resource: "widgets")
let gadgets = GroupVersionResource(group: "quiver.dev", version: "v1alpha1", resource: "gadgets")
let configMaps = GroupVersionResource(group: "", version: "v1", resource: "configmaps")

/// A client for the scripted server: bearer token, no rate limit, fast retries.
func testConfiguration(_ server: ScriptedServer, retry: RetryPolicy = RetryPolicy(maximumAttempts: 3, initialDelay: .milliseconds(10))) -> KubeConfiguration {
    KubeConfiguration(
        server: server.url, credentials: .init(bearerToken: "test-token"), namespace: "demo", qps: 0, burst: 1,
        requestTimeout: .seconds(5), connectTimeout: .seconds(2), userAgent: "kuberuntime-tests", retry: retry)
}

/// Runs `body` with a client and always shuts it down.
func withClient<R: Sendable>(_ configuration: KubeConfiguration, _ body: (KubeClient) async throws -> R) async throws -> R {
    let client = try KubeClient(configuration: configuration)
    let result: Result<R, any Error>
    do {
        result = .success(try await body(client))
    } catch {
        result = .failure(error)
    }
    try await client.shutdown()
    return try result.get()
}

/// A fresh temporary directory, removed by the caller.
func makeTemporaryDirectory() throws -> String {
    let path = NSTemporaryDirectory() + "kuberuntime-tests-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

func writeFile(_ path: String, _ contents: String) throws {
    try Data(contents.utf8).write(to: URL(fileURLWithPath: path))
}
