import EmbeddedKube
import KubeModel
import Testing

/// Replays the recorded 04-* requests, in the order they were captured, against a fresh server and
/// compares the answers with the recorded ones.
@Suite("EmbeddedKube custom resource CRUD (04-* transcripts)")
struct CustomResourceCRUDTests {
    /// Sends recorded requests with the recorded resourceVersions and uids replaced by the ones this
    /// server gave the same objects.
    final class Replay: @unchecked Sendable {
        let kube: KubeHarness
        var resourceVersions: [String: String] = [:]
        var uids: [String: String] = [:]

        init(_ kube: KubeHarness) { self.kube = kube }

        @discardableResult
        func run(_ name: String, sourceLocation: SourceLocation = #_sourceLocation) async throws -> KubeResponse {
            let transcript = try Transcript.load(name)
            var body = transcript.requestBytes
            if var object = transcript.requestBody, object.objectValue != nil {
                if let rv = object[path: ["metadata", "resourceVersion"]]?.stringValue {
                    object[path: ["metadata", "resourceVersion"]] = .string(resourceVersions[rv] ?? rv)
                }
                if let uid = object[path: ["metadata", "uid"]]?.stringValue {
                    object[path: ["metadata", "uid"]] = .string(uids[uid] ?? uid)
                }
                body = object.serialized()
            }
            let response = try await kube.send(transcript, body: body)
            expectMatches(response, transcript, sourceLocation: sourceLocation)
            learn(recorded: transcript.responseBody, actual: response.json)
            return response
        }

        func learn(recorded: JSONValue, actual: JSONValue) {
            if let r = recorded[path: ["metadata", "resourceVersion"]]?.stringValue,
               let a = actual[path: ["metadata", "resourceVersion"]]?.stringValue {
                resourceVersions[r] = a
            }
            if let r = recorded[path: ["metadata", "uid"]]?.stringValue, let a = actual[path: ["metadata", "uid"]]?.stringValue {
                uids[r] = a
            }
            for (r, a) in zip(recorded["items"]?.arrayValue ?? [], actual["items"]?.arrayValue ?? []) {
                learn(recorded: r, actual: a)
            }
        }
    }

    @Test("create, get, list, update, status, patch, scale and delete answer as the real server did")
    func replayCRUD() async throws {
        try await withEmbeddedKube { kube in
            try await kube.installCRDs()
            try await kube.createNamespace("demo")
            let replay = Replay(kube)

            let created = try await replay.run("04-cr-create")
            #expect(created.json[path: ["metadata", "managedFields"]]?.arrayValue?.first?["operation"] == "Update")
            let get = try await replay.run("04-cr-get")
            #expect(get.json == created.json, "GET returns the created object unchanged")
            try await replay.run("04-cr-create-alreadyexists")
            try await replay.run("04-cr-get-notfound")
            try await replay.run("04-cr-create-invalid")
            try await replay.run("04-cr-create-invalid-required-type")

            // w2 was created between these captures; create it as the list shows it.
            let list = try Transcript.load("04-cr-list")
            let w2 = try #require(list.responseBody["items"]?.arrayValue?.last)
            let w2Create = try await kube.post(widgetsPath, [
                "apiVersion": "quiver.dev/v1alpha1", "kind": "Widget", "metadata": ["name": "w2"], "spec": w2["spec"] ?? .null,
            ])
            #expect(w2Create.status == 201)
            replay.learn(recorded: w2, actual: w2Create.json)
            let listed = try await replay.run("04-cr-list")
            #expect(listed.json[path: ["metadata", "continue"]] == "", "continue is present as an empty string")
            #expect(resourceVersion(listed.json) == resourceVersion(w2Create.json), "the list is at the latest revision")

            let updated = try await replay.run("04-cr-update")
            #expect(resourceVersion(updated.json)! > resourceVersion(created.json)!)
            try await replay.run("04-cr-update-conflict")
            let status = try await replay.run("04-cr-update-status")
            let statusEntries = status.json[path: ["metadata", "managedFields"]]?.arrayValue ?? []
            #expect(statusEntries.contains { $0["subresource"] == "status" }, "a managedFields entry for the status write")
            try await replay.run("04-cr-update-main-ignores-status")
            try await replay.run("04-cr-patch-merge")
            try await replay.run("04-cr-patch-json")
            let before = try await kube.get(widgetsPath + "/w1").json
            try await replay.run("04-cr-patch-json-test-failed")
            #expect(try await kube.get(widgetsPath + "/w1").json == before, "a failed JSON-patch test changes nothing")
            try await replay.run("04-cr-patch-unsupported-415")
            try await replay.run("04-cr-patch-strategic-415")
            try await replay.run("04-cr-patch-application-json-415")

            try await replay.run("04-cr-create-dryrun")
            #expect(try await kube.get(widgetsPath + "/dry").status == 404, "a dry run stores nothing")

            let deleted = try await replay.run("04-cr-delete")
            #expect(deleted.json[path: ["details", "uid"]] == w2Create.json[path: ["metadata", "uid"]])
            try await replay.run("04-cr-delete-notfound")

            // Scale: without spec.replicas the real server answers 500.
            try await replay.run("04-cr-scale-get-no-replicas-500")
            let withReplicas = try await kube.send(
                "PATCH", widgetsPath + "/w1", json: ["spec": ["replicas": 1]], contentType: "application/merge-patch+json")
            #expect(withReplicas.status == 200)
            let generation = try #require(withReplicas.json[path: ["metadata", "generation"]]?.intValue)
            let scaleGet = try Transcript.load("04-cr-scale-get")
            let scale = try await kube.send(scaleGet)
            expectMatches(scale, scaleGet)
            #expect(scale.json[path: ["metadata", "resourceVersion"]] == withReplicas.json[path: ["metadata", "resourceVersion"]])
            #expect(scale.json[path: ["metadata", "uid"]] == created.json[path: ["metadata", "uid"]])
            replay.learn(recorded: scaleGet.responseBody, actual: scale.json)
            try await replay.run("04-cr-scale-put")
            let scaled = try await kube.get(widgetsPath + "/w1").json
            #expect(scaled[path: ["spec", "replicas"]] == 3)
            #expect(scaled[path: ["metadata", "generation"]]?.intValue == generation + 1, "PUT /scale bumps the generation")
            #expect((scaled[path: ["metadata", "managedFields"]]?.arrayValue ?? []).contains { $0["subresource"] == "scale" })
        }
    }

    @Test("unknown fields: Strict validation is 400; the default prunes them and sends a Warning")
    func unknownFields() async throws {
        try await withEmbeddedKube { kube in
            try await kube.installCRDs()
            try await kube.createNamespace("demo")
            let strict = try Transcript.load("04-cr-create-unknown-field-strict")
            expectMatches(try await kube.send(strict), strict)
            #expect(try await kube.get(widgetsPath + "/uf1").status == 404)

            let lenient = try Transcript.load("04-cr-create-unknown-field-default")
            let response = try await kube.send(lenient)
            expectMatches(response, lenient)
            #expect(response.headers["Warning"] == [#"299 - "unknown field \"spec.extra\"""#])
            #expect(try await kube.get(widgetsPath + "/uf3").json["spec"] == ["image": "x", "size": 1])
        }
    }

    @Test("server-side apply: 422 without fieldManager, else 415 (not supported by EmbeddedKube)")
    func serverSideApply() async throws {
        try await withEmbeddedKube { kube in
            try await kube.installCRDs()
            try await kube.createNamespace("demo")
            let noManager = try Transcript.load("04-cr-apply-no-fieldmanager")
            expectMatches(try await kube.send(noManager), noManager)

            let apply = try Transcript.load("04-cr-apply-create")
            let response = try await kube.send(apply)
            #expect(response.status == 415)
            let status = StatusSummary(response.json)
            #expect(status.reason == "UnsupportedMediaType")
            #expect(status.code == 415)
            #expect(status.message?.contains("server-side apply (application/apply-patch+yaml) is not supported by EmbeddedKube") == true)
            #expect(try await kube.get(widgetsPath + "/w3").status == 404, "nothing was created")
        }
    }
}
