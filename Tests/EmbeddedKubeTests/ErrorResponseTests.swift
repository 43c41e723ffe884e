import AsyncHTTPClient
import EmbeddedKube
import KubeModel
import NIOSSL
import Testing

/// Error answers, authentication and TLS.
@Suite("EmbeddedKube errors, authentication and TLS")
struct ErrorResponseTests {
    @Test("malformed JSON is 400, an unknown resource 404, an invalid label selector 400")
    func requestErrors() async throws {
        try await withEmbeddedKube { kube in
            try await kube.createNamespace("demo")
            let malformed = try await kube.send("POST", "/api/v1/namespaces/demo/configmaps", body: Array(#"{"apiVersion": "v1", "kind": "#.utf8))
            #expect(malformed.status == 400)
            #expect(StatusSummary(malformed.json).reason == "BadRequest")
            #expect(malformed.json["kind"] == "Status")

            for path in ["/apis/quiver.dev/v1alpha1/namespaces/demo/widgets", "/api/v1/namespaces/demo/nothings", "/nowhere"] {
                let missing = try await kube.get(path)
                #expect(missing.status == 404, "\(path)")
                let status = StatusSummary(missing.json)
                #expect(status.reason == "NotFound")
                #expect(status.message == "the server could not find the requested resource", "\(path): \(status)")
            }

            let missingObject = try await kube.get("/api/v1/namespaces/demo/configmaps/nope")
            #expect(StatusSummary(missingObject.json).message == "configmaps \"nope\" not found")
            #expect(missingObject.json["details"] == ["name": "nope", "kind": "configmaps"])

            let selector = try await kube.get("/api/v1/namespaces/demo/configmaps?labelSelector=a%20in%20(b")
            #expect(selector.status == 400)
            #expect(StatusSummary(selector.json).reason == "BadRequest")

            let strict = try await kube.send(
                "POST", "/api/v1/namespaces/demo/configmaps?fieldValidation=Strict",
                body: Array(#"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"s"},"spec":{}}"#.utf8))
            #expect(strict.status == 400)
            #expect(StatusSummary(strict.json).message == #"ConfigMap in version "v1" cannot be handled as a ConfigMap: strict decoding error: unknown field "spec""#)
            let lenient = try await kube.send(
                "POST", "/api/v1/namespaces/demo/configmaps", body: Array(#"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"s"},"spec":{}}"#.utf8))
            #expect(lenient.status == 201)
            #expect(lenient.json["spec"] == nil, "the unknown field is pruned")
            #expect(lenient.headers["Warning"] == [#"299 - "unknown field \"spec\"""#])
        }
    }

    @Test("a body over maxRequestBodyBytes is 413")
    func bodyTooLarge() async throws {
        try await withEmbeddedKube(testKubeConfiguration(maxRequestBodyBytes: 1024)) { kube in
            let big: JSONValue = [
                "apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": "big"],
                "data": ["blob": .string(String(repeating: "x", count: 8 * 1024))],
            ]
            let response = try await kube.post("/api/v1/namespaces/default/configmaps", big)
            #expect(response.status == 413)
            let status = StatusSummary(response.json)
            #expect(status.reason == "RequestEntityTooLarge")
            #expect(status.code == 413)
            #expect(try await kube.get("/api/v1/namespaces/default/configmaps/big").status == 404)
            // The server keeps working.
            #expect(try await kube.post("/api/v1/namespaces/default/configmaps", [
                "apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": "small"],
            ]).status == 201)
        }
    }

    @Test("no token: 403 as system:anonymous (but /version is readable); a wrong token: 401")
    func authentication() async throws {
        try await withEmbeddedKube { kube in
            let noToken = try Transcript.load("09-auth-no-token")
            let anonymous = try await kube.send(noToken.method, noToken.path, accept: noToken.accept, token: .some(nil))
            #expect(anonymous.status == 403)
            #expect(anonymous.json == noToken.responseBody, "exactly the real server's Status")

            let badToken = try Transcript.load("09-auth-bad-token")
            let unauthorized = try await kube.send(badToken.method, badToken.path, accept: badToken.accept, token: "not-a-valid-token")
            #expect(unauthorized.status == 401)
            #expect(unauthorized.json == badToken.responseBody, "exactly the real server's Status")

            let version = try Transcript.load("09-auth-no-token-version")
            let anonymousVersion = try await kube.send(version.method, version.path, accept: version.accept, token: .some(nil))
            #expect(anonymousVersion.status == 200)
            #expect(anonymousVersion.json["major"] == "1")

            let named = try await kube.send("GET", "/apis/apps/v1/namespaces/demo/deployments/web", token: .some(nil))
            #expect(named.status == 403)
            #expect(StatusSummary(named.json).message == #"deployments.apps "web" is forbidden: User "system:anonymous" cannot get resource "deployments" in API group "apps" in the namespace "demo""#)
            #expect(named.json["details"] == ["name": "web", "group": "apps", "kind": "deployments"])
            let cluster = try await kube.send("GET", "/api/v1/namespaces", token: .some(nil))
            #expect(StatusSummary(cluster.json).message?.hasSuffix("at the cluster scope") == true)
        }
    }

    @Test("over TLS the generated CA verifies the server; a client without it is refused")
    func tls() async throws {
        try await withEmbeddedKube(testKubeConfiguration(useTLS: true)) { kube in
            let tls = try #require(kube.server.tls)
            #expect(kube.baseURL.hasPrefix("https://"))
            #expect(tls.caCertificatePEM.contains("BEGIN CERTIFICATE"))
            let api = try await kube.get("/api")
            #expect(api.status == 200)
            #expect(api.json["kind"] == "APIVersions")

            // The system trust roots do not know the generated CA.
            var plain = HTTPClient.Configuration()
            plain.timeout = .init(connect: .seconds(3), read: .seconds(3))
            let untrusting = HTTPClient(eventLoopGroupProvider: .singleton, configuration: plain)
            var request = HTTPClientRequest(url: kube.baseURL + "/version")
            request.method = .GET
            await #expect(throws: (any Error).self) {
                _ = try await untrusting.execute(request, timeout: .seconds(10))
            }
            try await untrusting.shutdown()
        }
    }
}
