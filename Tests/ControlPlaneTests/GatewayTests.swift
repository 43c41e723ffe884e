import AsyncHTTPClient
@testable import ControlPlane
import EmbeddingCore
import EmbeddingServer
import Foundation
import KubeModel
import KubeRuntime
import Logging
import ONNXBackend
import ServingAPI
import Testing

/// The gateway in front of a real quiver-embed (MiniLM through ONNX Runtime), with EmbeddedKube
/// and the operator: proxying, API keys, STOPPED, and waking from zero.
@Suite("Inference gateway with a real quiver-embed", .serialized)
struct GatewayTests {
    static let root = Repository.root
    static let model = root.appendingPathComponent(".cache/models/all-MiniLM-L6-v2")
    static let onnxRuntime = root.appendingPathComponent(".cache/onnxruntime/lib/libonnxruntime.so.1.31.1")

    /// quiver-embed on a free loopback port, serving until `body` returns.
    static func withEmbed<R: Sendable>(_ body: @Sendable (Int) async throws -> R) async throws -> R {
        for url in [model.appendingPathComponent("model.onnx"), onnxRuntime] where !FileManager.default.fileExists(atPath: url.path) {
            throw HarnessError(description: "\(url.path) is missing: run `make setup` first")
        }
        var logger = Logger(label: "quiver-embed-tests")
        logger.logLevel = .critical
        var configuration = EmbeddingServerConfiguration(models: [.init(directory: model.path, servedName: "all-MiniLM-L6-v2")])
        configuration.hostname = "127.0.0.1"
        configuration.port = 0
        let (started, continuation) = AsyncStream<Int>.makeStream()
        let app = try buildEmbeddingServer(
            configuration: configuration,
            backendFactory: { directory in
                try ONNXBackend(configuration: .init(libraryPath: onnxRuntime.path, modelPath: directory.onnxURL.path, intraOpThreads: 1))
            },
            logger: logger, onServerRunning: { port in continuation.yield(port) })
        let task = Task { try await app.runService() }
        defer { task.cancel() }
        var iterator = started.makeAsyncIterator()
        guard let port = await iterator.next() else { throw HarnessError(description: "quiver-embed did not start") }
        // Ready once the model is loaded.
        let http = HTTPClient(eventLoopGroupProvider: .singleton)
        let ready = await eventually(within: .seconds(60)) {
            guard let response = try? await http.execute(HTTPClientRequest(url: "http://127.0.0.1:\(port)/health"), timeout: .seconds(5)) else { return false }
            return response.status == .ok
        }
        try? await http.shutdown()
        guard ready else { throw HarnessError(description: "quiver-embed did not load the model") }
        let result = try await body(port)
        task.cancel()
        _ = await task.result
        return result
    }

    /// A RUNNING deployment of the quiver-embed CPU template (minReplicas 0, idle window `window`).
    static func runningDeployment(_ stack: ControlPlaneStack, window: String) async throws -> String {
        let artifact = try await stack.call(.POST, "/v2/lm/artifacts", token: Users.alice, body: [
            "name": "all-MiniLM-L6-v2", "kind": "model", "url": "hf://sentence-transformers/all-MiniLM-L6-v2", "scenarioId": "embeddings",
        ])
        let configuration = try await stack.call(.POST, "/v2/lm/configurations", token: Users.alice, body: [
            "name": "minilm", "scenarioId": "embeddings", "executableId": "quiver-embed-cpu",
            "parameterBindings": [["key": "minReplicas", "value": "0"], ["key": "window", "value": .string(window)],
                                  ["key": "servedModelName", "value": "all-MiniLM-L6-v2"]],
            "inputArtifactBindings": [["key": "model", "artifactId": artifact.body["id"] ?? ""]],
        ])
        #expect(configuration.status == 201, "\(configuration.body)")
        let started = try await stack.call(.POST, "/v2/lm/deployments", token: Users.alice, body: ["configurationId": configuration.body["id"] ?? ""])
        let id = try #require(started.body["id"]?.stringValue, "\(started.body)")
        #expect(try await eventually { try await stack.call(.GET, "/v2/lm/deployments/\(id)", token: Users.alice).body["status"] == "PENDING" })
        try await stack.markAvailable(id)
        #expect(try await eventually { try await stack.call(.GET, "/v2/lm/deployments/\(id)", token: Users.alice).body["status"] == "RUNNING" })
        return id
    }

    static let input: JSONValue = ["model": "all-MiniLM-L6-v2", "input": ["The quick brown fox jumps over the lazy dog.", "hello world"]]

    @Test("proxying to quiver-embed, API keys, STOPPED → 409 → RUNNING, metrics")
    func proxy() async throws {
        try await Self.withEmbed { embedPort in
            let gateway = GatewayConfiguration(
                upstream: { _, _ in "http://127.0.0.1:\(embedPort)" }, wakeTimeout: .seconds(20), activityWriteInterval: .milliseconds(500))
            try await withControlPlane(gateway: gateway) { stack in
                let id = try await Self.runningDeployment(stack, window: "15m")
                let path = "/v2/inference/deployments/\(id)/v1/embeddings"

                let answer = try await stack.call(.POST, path, token: Users.alice, body: Self.input)
                #expect(answer.status == 200, "\(answer.body)")
                let vectors = answer.body["data"]?.arrayValue ?? []
                #expect(vectors.count == 2 && vectors.first?["embedding"]?.arrayValue?.count == 384)
                #expect(answer.body[path: ["usage", "prompt_tokens"]]?.intValue ?? 0 > 0)

                // The same vectors as quiver-embed gives directly.
                var direct = HTTPClientRequest(url: "http://127.0.0.1:\(embedPort)/v1/embeddings")
                direct.method = .POST
                direct.headers.add(name: "Content-Type", value: "application/json")
                direct.body = .bytes(.init(string: Self.input.serializedString()))
                let directResponse = try await stack.http.execute(direct, timeout: .seconds(30))
                let directBody = try JSONValue(parsing: Array(try await directResponse.body.collect(upTo: 1 << 22).readableBytesView))
                #expect(directBody["data"] == answer.body["data"])

                // The deployment's API key works; a wrong one and a user without rights do not.
                let secret = try await stack.kube.get(Secret.self, name: ServingSecrets.apiKeySecretName(deployment: id), namespace: "team-a")
                let apiKey = try #require(secret.data?[ServingSecrets.apiKeyDataKey].map { String(decoding: $0, as: UTF8.self) })
                #expect(try await stack.call(.POST, path, token: apiKey, body: Self.input).status == 200)
                #expect(try await stack.call(.POST, path, token: "qk_wrong", body: Self.input).status == 401)
                #expect(try await stack.call(.POST, path, token: Users.bob, body: Self.input).status == 403)
                #expect(try await stack.call(.POST, path, token: nil, body: Self.input).status == 401)
                #expect(try await stack.call(.POST, "/v2/inference/deployments/dnotthere000000/v1/embeddings", token: Users.alice, body: Self.input).status == 404)

                // STOPPED: 409 at the gateway; RUNNING again: 200.
                #expect(try await stack.call(.PATCH, "/v2/lm/deployments/\(id)", token: Users.alice, body: ["targetStatus": "STOPPED"]).status == 202)
                #expect(try await eventually { try await stack.call(.POST, path, token: Users.alice, body: Self.input).status == 409 })
                let stopped = try await stack.call(.POST, path, token: Users.alice, body: Self.input)
                #expect(stopped.error?["message"]?.stringValue?.contains("STOP") == true, "\(stopped.body)")
                try await stack.markAvailable(id, replicas: 0)
                #expect(try await eventually { try await stack.call(.GET, "/v2/lm/deployments/\(id)", token: Users.alice).body["status"] == "STOPPED" })
                #expect(try await stack.call(.PATCH, "/v2/lm/deployments/\(id)", token: Users.alice, body: ["targetStatus": "RUNNING"]).status == 202)
                #expect(try await eventually { try await stack.call(.GET, "/v2/lm/deployments/\(id)", token: Users.alice).body["status"] == "PENDING" })
                try await stack.markAvailable(id)
                #expect(try await eventually { try await stack.call(.POST, path, token: Users.alice, body: Self.input).status == 200 })

                // Metrics and activity.
                let metrics = try await stack.call(.GET, "/metrics", token: nil, group: nil)
                let text = metrics.body.stringValue ?? ""
                #expect(text.contains("quiver_gateway_requests_total{resource_group=\"team-a\",deployment=\"\(id)\"}"), "\(text.prefix(400))")
                #expect(text.contains("quiver_gateway_tokens_total{resource_group=\"team-a\",deployment=\"\(id)\"}"))
                #expect(try await eventually {
                    try await stack.kube.get(V1Alpha1.Deployment.self, name: id, namespace: "team-a").status?.lastActivityTime != nil
                }, "no lastActivityTime written")
            }
        }
    }

    @Test("scale to zero: idle past the window → 0 replicas; one request wakes it and gets 200")
    func wakeFromZero() async throws {
        try await Self.withEmbed { embedPort in
            let gateway = GatewayConfiguration(
                upstream: { _, _ in "http://127.0.0.1:\(embedPort)" }, wakeTimeout: .seconds(20), activityWriteInterval: .milliseconds(500))
            try await withControlPlane(gateway: gateway) { stack in
                let id = try await Self.runningDeployment(stack, window: "2s")
                let apps = GroupVersionResource(group: "apps", version: "v1", resource: "deployments")
                func replicas() async throws -> Int64? { try await stack.kube.get(apps, name: id, namespace: "team-a")[path: ["spec", "replicas"]]?.intValue }
                #expect(try await eventually(within: .seconds(20)) { try await replicas() == 0 }, "not scaled to zero after the window")
                try await stack.markAvailable(id, replicas: 0)
                #expect(try await eventually {
                    try await stack.kube.get(V1Alpha1.Deployment.self, name: id, namespace: "team-a").status?.conditions?
                        .contains { $0.type == ServingConditionType.idle && $0.status == "True" } == true
                })
                // Play the kubelet: once the operator scales up, the replica becomes available.
                let kubelet = Task {
                    if try await eventually(within: .seconds(20), { try await replicas() == 1 }) { try await stack.markAvailable(id) }
                }
                let path = "/v2/inference/deployments/\(id)/v1/embeddings"
                async let first = stack.call(.POST, path, token: Users.alice, body: Self.input)
                async let second = stack.call(.POST, path, token: Users.alice, body: Self.input)
                let (a, b) = try await (first, second)
                #expect(a.status == 200 && b.status == 200, "\(a.body) \(b.body)")
                _ = try await kubelet.value
                #expect(try await replicas() == 1)
            }
        }
    }
}

@Suite("Gateway upstream")
struct GatewayUpstreamTests {
    static func deployment(url: String?) -> V1Alpha1.Deployment {
        V1Alpha1.Deployment(
            metadata: ObjectMeta(name: "d1", namespace: "team-a"), spec: .init(configurationId: "c"),
            status: .init(status: .running, deploymentUrl: url))
    }

    @Test("hop-by-hop headers, those the Connection header lists, and the caller's credentials stay behind")
    func hopByHop() {
        let listed = Gateway.connectionListed("keep-alive, X-Trace-Hop")
        #expect(listed == ["keep-alive", "x-trace-hop"])
        for name in ["connection", "keep-alive", "transfer-encoding", "upgrade", "te", "trailer", "proxy-authorization",
                     "authorization", "ai-resource-group", "host", "content-length", "x-trace-hop"] {
            #expect(!Gateway.forwards(name, connectionListed: listed), "\(name) was forwarded")
        }
        for name in ["content-type", "accept", "x-request-id", "user-agent"] {
            #expect(Gateway.forwards(name, connectionListed: listed), "\(name) was dropped")
        }
    }

    @Test("native deployments go to their Service; KServe ones to the InferenceService's URL")
    func upstream() {
        let service = "http://d1.team-a.svc:80"
        #expect(Gateway.upstream(for: Self.deployment(url: "http://quiver.example:8080/v2/inference/deployments/d1"), default: service) == service)
        #expect(Gateway.upstream(for: Self.deployment(url: nil), default: service) == service)
        #expect(Gateway.upstream(for: Self.deployment(url: "http://d1.team-a.example.com"), default: service) == "http://d1.team-a.example.com")
        #expect(Gateway.upstream(for: Self.deployment(url: "not a url"), default: service) == service)
    }
}

@Suite("Token file")
struct TokenFileTests {
    @Test("a token is found by its SHA-256 in lowercase hex; others are not")
    func entriesAreFoundByTheTokensHash() {
        // SHA-256("abc"), the FIPS 180-2 test vector.
        let file = TokenFile(entries: [
            .init(sha256: "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", user: "alice", groups: ["team"]),
        ])
        #expect(file.entry(for: "abc")?.user == "alice")
        #expect(file.entry(for: "abd") == nil)
        let generated = TokenFile.generate(user: "bob", groups: [])
        #expect(TokenFile(entries: [generated.entry]).entry(for: generated.token)?.user == "bob")
        #expect(generated.entry.sha256.count == 64)
        #expect(generated.entry.sha256.allSatisfy { "0123456789abcdef".contains($0) })
    }
}
