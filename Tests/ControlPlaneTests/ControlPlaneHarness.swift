import AsyncHTTPClient
import ControlPlane
import EmbeddedKube
import Foundation
import KubeModel
import KubeRuntime
import Logging
import NIOCore
import NIOHTTP1
import ServiceLifecycle
import ServingAPI
import ServingOperator
import Testing

struct HarnessError: Error, CustomStringConvertible {
    var description: String
}

enum Repository {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static func text(_ path: String) throws -> String { try String(contentsOf: root.appendingPathComponent(path), encoding: .utf8) }
    static func yaml(_ path: String) throws -> [JSONValue] { try RenderYAML.parseAll(text(path)).filter { $0 != .null } }
}

/// Users of the test cluster: `admin` (system:masters), `alice` (edits quiver resources in
/// `team-a` through a RoleBinding), `bob` (authenticated, no rights).
enum Users {
    static let alice = "alice-token"
    static let bob = "bob-token"
    static let tokens = [
        StaticToken(token: alice, user: "alice", uid: "alice", groups: ["team-a-devs"]),
        StaticToken(token: bob, user: "bob", uid: "bob", groups: []),
    ]
}

/// One answer of the API.
struct APIAnswer: Sendable {
    var status: Int
    var body: JSONValue
    var headers: HTTPHeaders
    var error: JSONValue? { body["error"] }
}

/// EmbeddedKube (RBAC on), the operator and the control plane, all in this process.
struct ControlPlaneStack: Sendable {
    let kube: KubeClient
    let server: EmbeddedKube
    let apiPort: Int
    let http: HTTPClient

    var adminToken: String { server.adminToken }
    var base: String { "http://127.0.0.1:\(apiPort)" }

    func call(_ method: HTTPMethod, _ path: String, token: String?, group: String? = "team-a", body: JSONValue? = nil,
              rawBody: String? = nil, headers extra: [(String, String)] = []) async throws -> APIAnswer {
        var request = HTTPClientRequest(url: base + path)
        request.method = method
        if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        if let group { request.headers.add(name: "AI-Resource-Group", value: group) }
        for (name, value) in extra { request.headers.add(name: name, value: value) }
        if let text = rawBody ?? body.map({ $0.serializedString() }) {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(string: text))
        }
        let response = try await http.execute(request, timeout: .seconds(30))
        let bytes = try await response.body.collect(upTo: 16 << 20)
        let parsed = bytes.readableBytes == 0 ? JSONValue.null : ((try? JSONValue(parsing: Array(bytes.readableBytesView))) ?? .string(String(buffer: bytes)))
        return APIAnswer(status: Int(response.status.code), body: parsed, headers: response.headers)
    }

    /// Plays the Deployment controller and kubelet: the apps Deployment's replicas become available.
    func markAvailable(_ name: String, namespace: String = "team-a", replicas: Int64 = 1) async throws {
        let apps = GroupVersionResource(group: "apps", version: "v1", resource: "deployments")
        for _ in 0..<20 {
            var object = try await kube.get(apps, name: name, namespace: namespace)
            object["status"] = ["replicas": .int(replicas), "availableReplicas": .int(replicas), "readyReplicas": .int(replicas), "updatedReplicas": .int(replicas)]
            do {
                _ = try await kube.updateStatus(apps, object, namespace: namespace)
                return
            } catch let error as KubeAPIError where error.isConflict {
                continue
            }
        }
        throw HarnessError(description: "could not write the apps Deployment's status")
    }
}

/// Polls `condition` until it holds or `timeout` passes.
func eventually(within timeout: Duration = .seconds(20), _ condition: () async throws -> Bool) async rethrows -> Bool {
    let deadline = ContinuousClock.now + timeout
    while true {
        if try await condition() { return true }
        if ContinuousClock.now >= deadline { return false }
        try? await Task.sleep(for: .milliseconds(50))
    }
}

/// Starts the stack: CRDs, plans, templates, the resource groups `team-a` and `team-b`, alice's
/// RoleBinding, then the operator and the API. Runs `body`, then stops everything.
func withControlPlane<R: Sendable>(
    authentication: ControlPlaneConfiguration.Authentication = .tokenReview,
    gateway: GatewayConfiguration = GatewayConfiguration(),
    _ body: @Sendable (ControlPlaneStack) async throws -> R
) async throws -> R {
    var logger = Logger(label: "controlplane-tests")
    logger.logLevel = .critical
    let (started, startedContinuation) = AsyncStream<(Int, EmbeddedKube)>.makeStream()
    let kubeApp = try await buildEmbeddedKube(
        configuration: EmbeddedKubeConfiguration(host: "127.0.0.1", port: 0, tokens: Users.tokens, useTLS: false), logger: logger
    ) { port, server in startedContinuation.yield((port, server)) }
    let kubeTask = Task { try await kubeApp.runService() }
    defer { kubeTask.cancel() }
    var iterator = started.makeAsyncIterator()
    guard let (kubePort, server) = await iterator.next() else { throw HarnessError(description: "EmbeddedKube did not start") }
    let client = try KubeClient(configuration: KubeConfiguration(
        server: "http://127.0.0.1:\(kubePort)", credentials: .init(bearerToken: server.adminToken), namespace: "default",
        qps: 0, burst: 1, requestTimeout: .seconds(20), retry: RetryPolicy(maximumAttempts: 3, initialDelay: .milliseconds(20))), logger: logger)
    try await install(client)

    let operatorTask = Task {
        try await buildOperator(
            configuration: OperatorConfiguration(apiBaseURL: "http://127.0.0.1:0", workers: 2, retryBaseDelay: .milliseconds(20), retryMaximumDelay: .seconds(1)),
            client: client, logger: logger
        ).run()
    }
    defer { operatorTask.cancel() }
    let (apiStarted, apiContinuation) = AsyncStream<Int>.makeStream()
    let api = buildControlPlane(
        configuration: ControlPlaneConfiguration(host: "127.0.0.1", port: 0, authentication: authentication, apiBaseURL: "http://127.0.0.1:8080", gateway: gateway),
        client: client, logger: logger
    ) { port in apiContinuation.yield(port) }
    let apiTask = Task { try await api.runService() }
    defer { apiTask.cancel() }
    var apiIterator = apiStarted.makeAsyncIterator()
    guard let apiPort = await apiIterator.next() else { throw HarnessError(description: "the API did not start") }
    let http = HTTPClient(eventLoopGroupProvider: .singleton)
    let result: Result<R, any Error>
    do {
        result = .success(try await body(ControlPlaneStack(kube: client, server: server, apiPort: apiPort, http: http)))
    } catch {
        result = .failure(error)
    }
    try? await http.shutdown()
    operatorTask.cancel()
    _ = await operatorTask.result
    apiTask.cancel()
    _ = await apiTask.result
    try? await client.shutdown()
    kubeTask.cancel()
    _ = await kubeTask.result
    return try result.get()
}

private func install(_ client: KubeClient) async throws {
    let crds = GroupVersionResource(group: "apiextensions.k8s.io", version: "v1", resource: "customresourcedefinitions")
    for file in ["deployments", "configurations", "servingtemplates", "artifacts", "resourceplans"] {
        for document in try Repository.yaml("manifests/crd/quiver.dev_\(file).yaml") { _ = try await client.create(crds, document) }
    }
    let served = await eventually {
        do {
            _ = try await client.list(V1Alpha1.Deployment.self)
            _ = try await client.list(V1Alpha1.ResourcePlan.self)
            _ = try await client.list(V1Alpha1.ServingTemplate.self)
            _ = try await client.list(V1Alpha1.Configuration.self)
            _ = try await client.list(V1Alpha1.Artifact.self)
            return true
        } catch {
            return false
        }
    }
    guard served else { throw HarnessError(description: "the quiver.dev CRDs are not served") }
    for plan in try Repository.yaml("manifests/resourceplans/default.yaml") { _ = try await client.create(try plan.decode(as: V1Alpha1.ResourcePlan.self)) }
    for file in ["infinity.yaml", "quiver-embed-cpu.yaml"] {
        _ = try await client.create(try Repository.yaml("templates/\(file)")[0].decode(as: V1Alpha1.ServingTemplate.self))
    }
    for group in ["team-a", "team-b"] {
        _ = try await client.create(Namespace(metadata: ObjectMeta(name: group, labels: ["quiver.dev/resource-group": "true"])))
    }
    _ = try await client.create(Namespace(metadata: ObjectMeta(name: "not-a-group")))
    let roles = GroupVersionResource(group: "rbac.authorization.k8s.io", version: "v1", resource: "roles")
    let bindings = GroupVersionResource(group: "rbac.authorization.k8s.io", version: "v1", resource: "rolebindings")
    _ = try await client.create(roles, [
        "apiVersion": "rbac.authorization.k8s.io/v1", "kind": "Role",
        "metadata": ["name": "quiver-user", "namespace": "team-a"],
        "rules": [
            ["apiGroups": ["quiver.dev"], "resources": ["*"], "verbs": ["get", "list", "watch", "create", "update", "patch", "delete"]],
            ["apiGroups": [""], "resources": ["secrets"], "verbs": ["get", "list", "create", "update", "delete"]],
            ["apiGroups": [""], "resources": ["pods", "pods/log"], "verbs": ["get", "list"]],
        ],
    ], namespace: "team-a")
    _ = try await client.create(bindings, [
        "apiVersion": "rbac.authorization.k8s.io/v1", "kind": "RoleBinding",
        "metadata": ["name": "team-a-devs", "namespace": "team-a"],
        "roleRef": ["apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": "quiver-user"],
        "subjects": [["apiGroup": "rbac.authorization.k8s.io", "kind": "Group", "name": "team-a-devs"]],
    ], namespace: "team-a")
}
