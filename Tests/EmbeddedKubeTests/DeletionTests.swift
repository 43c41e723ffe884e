import EmbeddedKube
import KubeModel
import Testing

/// Finalizers, propagation policies, the garbage collector and namespace deletion (07-* transcripts).
@Suite("EmbeddedKube deletion (07-* transcripts)")
struct DeletionTests {
    let configMapsPath = "/api/v1/namespaces/demo/configmaps"

    func types(_ lines: [JSONValue]) -> [String] { lines.map { $0["type"]?.stringValue ?? "?" } }

    @Test("a finalizer holds a deleted object until it is removed; the watch shows ADDED, MODIFIED, DELETED")
    func finalizerFlow() async throws {
        try await withEmbeddedKube { kube in
            try await kube.installCRDs()
            try await kube.createNamespace("demo")
            let rv = try #require(resourceVersion(try await kube.get(widgetsPath).json))
            let watch = try await kube.stream(widgetsPath + "?allowWatchBookmarks=true&resourceVersion=\(rv)&watch=true&timeoutSeconds=30")

            let create = try Transcript.load("07-delete-finalizer-create")
            let created = try await kube.send(create)
            expectMatches(created, create)

            let delete = try Transcript.load("07-delete-finalizer-delete")
            let deleted = try await kube.send(delete)
            expectMatches(deleted, delete)
            #expect(resourceVersion(deleted.json)! > resourceVersion(created.json)!)

            let terminating = try Transcript.load("07-delete-finalizer-get-terminating")
            let got = try await kube.send(terminating)
            expectMatches(got, terminating)
            #expect(got.json == deleted.json)

            let again = try Transcript.load("07-delete-finalizer-delete-again")
            let deletedAgain = try await kube.send(again)
            expectMatches(deletedAgain, again)
            #expect(deletedAgain.json == deleted.json, "a repeated DELETE changes nothing")

            let remove = try Transcript.load("07-delete-finalizer-remove")
            let removed = try await kube.send(remove)
            expectMatches(removed, remove)
            #expect(resourceVersion(removed.json) == resourceVersion(deleted.json), "the answer carries the old resourceVersion")

            let gone = try Transcript.load("07-delete-finalizer-get-gone")
            expectMatches(try await kube.send(gone), gone)

            let events = try await watch.collect { $0["type"] == "DELETED" }
            watch.close()
            let recorded = try Transcript.load("07-delete-finalizer-watch").responseBody.arrayValue ?? []
            #expect(types(events) == ["ADDED", "MODIFIED", "DELETED"])
            for (actual, expected) in zip(events, recorded) {
                expectSameObject(actual["object"] ?? .null, expected["object"] ?? .null, "watch \(expected["type"] ?? .null)")
            }
            let last = events.last?["object"] ?? .null
            #expect(last[path: ["metadata", "finalizers"]] == ["quiver.dev/cleanup"], "DELETED carries the last stored state")
            #expect(resourceVersion(last)! > resourceVersion(deleted.json)!, "DELETED has a new resourceVersion")
        }
    }

    @Test("foreground deletion waits for a blocking dependent, which the garbage collector deletes")
    func foregroundDeletion() async throws {
        try await withEmbeddedKube { kube in
            try await kube.installCRDs()
            try await kube.createNamespace("demo")
            let createOwner = try Transcript.load("07-foreground-create-owner")
            let owner = try await kube.send(createOwner)
            expectMatches(owner, createOwner)
            let ownerUID = try #require(owner.json[path: ["metadata", "uid"]])

            let createDependent = try Transcript.load("07-foreground-create-dependent")
            var dependentBody = try #require(createDependent.requestBody)
            dependentBody[path: ["metadata", "ownerReferences"]] = .array(
                (dependentBody[path: ["metadata", "ownerReferences"]]?.arrayValue ?? []).map { reference in
                    var reference = reference
                    reference["uid"] = ownerUID
                    return reference
                })
            let dependent = try await kube.send(createDependent, body: dependentBody.serialized())
            expectMatches(dependent, createDependent)
            #expect(dependent.json[path: ["metadata", "ownerReferences"]]?.arrayValue?.first?["uid"] == ownerUID)

            let rv = try #require(resourceVersion(dependent.json))
            let ownerWatch = try await kube.stream(widgetsPath + "?resourceVersion=\(rv)&watch=true&timeoutSeconds=30")
            let dependentWatch = try await kube.stream(configMapsPath + "?resourceVersion=\(rv)&watch=true&timeoutSeconds=30")

            let delete = try Transcript.load("07-foreground-delete-owner")
            expectMatches(try await kube.send(delete), delete)

            let dependentDuring = try Transcript.load("07-foreground-dependent-during")
            var held = KubeResponse(status: 0, headers: [:], body: [])
            let collected = try await eventually {
                held = try await kube.send(dependentDuring)
                return held.json[path: ["metadata", "deletionTimestamp"]] != nil
            }
            #expect(collected, "the garbage collector did not delete the dependent")
            expectMatches(held, dependentDuring)
            let ownerDuring = try Transcript.load("07-foreground-owner-during")
            expectMatches(try await kube.send(ownerDuring), ownerDuring)

            // Release the dependent: then it goes, and the owner after it.
            let release = try await kube.send(
                "PATCH", configMapsPath + "/owned-cm", json: ["metadata": ["finalizers": nil]], contentType: "application/merge-patch+json")
            #expect(release.status == 200)
            let ownerGone = try Transcript.load("07-foreground-owner-gone")
            #expect(try await eventually { try await kube.send(ownerGone).status == 404 }, "the owner was not deleted")
            expectMatches(try await kube.send(ownerGone), ownerGone)
            let dependentGone = try Transcript.load("07-foreground-dependent-gone")
            expectMatches(try await kube.send(dependentGone), dependentGone)

            let ownerEvents = try await ownerWatch.collect { $0["type"] == "DELETED" }
            let dependentEvents = try await dependentWatch.collect { $0["type"] == "DELETED" }
            ownerWatch.close()
            dependentWatch.close()
            #expect(types(ownerEvents) == types(try Transcript.load("07-foreground-watch-owner").responseBody.arrayValue ?? []))
            #expect(types(dependentEvents) == types(try Transcript.load("07-foreground-watch-dependent").responseBody.arrayValue ?? []), "\(dependentEvents.map { $0.serializedString() })")
            #expect(ownerEvents.last?[path: ["object", "metadata", "finalizers"]] == ["foregroundDeletion"])
            #expect(dependentEvents.first?[path: ["object", "metadata", "deletionTimestamp"]] != nil)
        }
    }

    @Test("background deletion removes the owner at once and the garbage collector its dependents; orphan keeps them")
    func backgroundAndOrphan() async throws {
        try await withEmbeddedKube { kube in
            try await kube.installCRDs()
            try await kube.createNamespace("demo")
            for (owner, policy) in [("bg-owner", "Background"), ("orphan-owner", "Orphan")] {
                let created = try await kube.post(widgetsPath, widget(owner))
                #expect(created.status == 201)
                let configMap: JSONValue = [
                    "apiVersion": "v1", "kind": "ConfigMap",
                    "metadata": [
                        "name": .string("\(owner)-cm"),
                        "ownerReferences": [[
                            "apiVersion": "quiver.dev/v1alpha1", "kind": "Widget", "name": .string(owner),
                            "uid": created.json[path: ["metadata", "uid"]] ?? .null, "controller": true,
                        ]],
                    ],
                    "data": ["k": "v"],
                ]
                #expect(try await kube.post(configMapsPath, configMap).status == 201)
                let response = try await kube.send(
                    "DELETE", widgetsPath + "/\(owner)", json: ["kind": "DeleteOptions", "apiVersion": "v1", "propagationPolicy": .string(policy)])
                #expect(response.status == 200)
                if policy == "Background" {
                    let status = response.json
                    #expect(status["kind"] == "Status")
                    #expect(status["status"] == "Success")
                    #expect(status[path: ["details", "uid"]] == created.json[path: ["metadata", "uid"]])
                    #expect(try await eventually { try await kube.get(configMapsPath + "/\(owner)-cm").status == 404 })
                } else {
                    #expect(try await eventually { try await kube.get(widgetsPath + "/\(owner)").status == 404 })
                    let kept = try await kube.get(configMapsPath + "/\(owner)-cm")
                    #expect(kept.status == 200, "an orphaned dependent stays")
                    #expect(kept.json[path: ["metadata", "ownerReferences"]] == nil || kept.json[path: ["metadata", "ownerReferences"]] == [])
                }
            }
        }
    }

    @Test("deleting a namespace deletes everything in it, then the namespace")
    func namespaceDeletion() async throws {
        try await withEmbeddedKube { kube in
            try await kube.installCRDs()
            try await kube.createNamespace("doomed")
            try await kube.createNamespace("kept")
            for ns in ["doomed", "kept"] {
                #expect(try await kube.post("/api/v1/namespaces/\(ns)/configmaps", [
                    "apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": "cm"], "data": ["a": "b"],
                ]).status == 201)
                #expect(try await kube.post("/apis/quiver.dev/v1alpha1/namespaces/\(ns)/widgets", widget("w")).status == 201)
            }
            let delete = try await kube.send("DELETE", "/api/v1/namespaces/doomed")
            #expect(delete.status == 200)
            let gone = try await eventually {
                try await kube.get("/api/v1/namespaces/doomed").status == 404
            }
            #expect(gone, "the namespace was not deleted")
            #expect(try await kube.get("/api/v1/namespaces/doomed/configmaps/cm").status == 404)
            #expect(try await kube.get("/apis/quiver.dev/v1alpha1/namespaces/doomed/widgets/w").status == 404)
            let list = try await kube.get("/api/v1/configmaps")
            let left = (list.json["items"]?.arrayValue ?? []).compactMap { $0[path: ["metadata", "namespace"]]?.stringValue }
            #expect(!left.contains("doomed"))
            #expect(try await kube.get("/api/v1/namespaces/kept/configmaps/cm").status == 200)
            #expect(try await kube.get("/apis/quiver.dev/v1alpha1/namespaces/kept/widgets/w").status == 200)
        }
    }
}
