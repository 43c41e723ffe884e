import EmbeddedKube
import Foundation
import KubeModel
import Testing

/// A data directory keeps everything across restarts.
@Suite("EmbeddedKube persistence")
struct PersistenceTests {
    @Test("objects, resourceVersions, the admin token and the TLS CA survive a restart")
    func restart() async throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let configuration = testKubeConfiguration(dataDirectory: directory, useTLS: true)
        let paths = [
            "/apis/apiextensions.k8s.io/v1/customresourcedefinitions/widgets.quiver.dev",
            "/api/v1/namespaces/demo",
            widgetsPath + "/w1",
            widgetsPath + "/w2",
            "/api/v1/namespaces/demo/configmaps/settings",
            "/api/v1/namespaces/demo/secrets/creds",
        ]
        struct Before: Sendable {
            var objects: [String: JSONValue]
            var token: String
            var ca: String
            var latest: Int64
        }
        let before = try await withEmbeddedKube(configuration) { kube in
            try await kube.installCRDs()
            try await kube.createNamespace("demo")
            #expect(try await kube.post(widgetsPath, widget("w1", labels: ["app": "demo"])).status == 201)
            #expect(try await kube.post(widgetsPath, widget("w2", size: 3)).status == 201)
            #expect(try await kube.send(
                "PATCH", widgetsPath + "/w2/status", json: ["status": ["phase": "Ready"]], contentType: "application/merge-patch+json").status == 200)
            #expect(try await kube.post("/api/v1/namespaces/demo/configmaps", [
                "apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": "settings"], "data": ["k": "v"],
            ]).status == 201)
            #expect(try await kube.post("/api/v1/namespaces/demo/secrets", [
                "apiVersion": "v1", "kind": "Secret", "metadata": ["name": "creds"], "stringData": ["password": "p"],
            ]).status == 201)
            #expect(try await kube.post(widgetsPath, widget("gone")).status == 201)
            #expect(try await kube.send("DELETE", widgetsPath + "/gone").status == 200)
            var objects: [String: JSONValue] = [:]
            for path in paths {
                let response = try await kube.get(path)
                try #require(response.status == 200, "\(path)")
                objects[path] = response.json
            }
            let latest = try #require(resourceVersion(try await kube.get(widgetsPath).json))
            return Before(objects: objects, token: kube.token, ca: kube.server.tls?.caCertificatePEM ?? "", latest: latest)
        }
        #expect(FileManager.default.fileExists(atPath: directory + "/kubeconfig"))

        try await withEmbeddedKube(configuration) { kube in
            #expect(kube.token == before.token, "the admin token is reused")
            #expect(kube.server.tls?.caCertificatePEM == before.ca, "the CA is reused")
            for path in paths {
                let response = try await kube.get(path)
                #expect(response.status == 200, "\(path)")
                if path.contains("customresourcedefinitions") || path.hasSuffix("/demo") {
                    // Controllers may have touched these on start; their identity and spec stay.
                    #expect(response.json["spec"] == before.objects[path]?["spec"], "\(path)")
                    #expect(response.json[path: ["metadata", "uid"]] == before.objects[path]?[path: ["metadata", "uid"]])
                } else {
                    #expect(response.json == before.objects[path], "\(path) changed across the restart")
                }
            }
            #expect(try await kube.get(widgetsPath + "/gone").status == 404)
            let list = try await kube.get(widgetsPath)
            #expect((list.json["items"]?.arrayValue ?? []).count == 2)
            #expect(resourceVersion(list.json)! >= before.latest)
            let next = try await kube.post(widgetsPath, widget("w3"))
            #expect(next.status == 201)
            #expect(resourceVersion(next.json)! > before.latest, "the next write's resourceVersion is greater than any before")
            let kubeconfig = try String(contentsOfFile: directory + "/kubeconfig", encoding: .utf8)
            #expect(kubeconfig.contains("https://127.0.0.1:\(kube.port)"), "the kubeconfig names the new port")
            #expect(kubeconfig.contains(before.token))
        }
    }
}
