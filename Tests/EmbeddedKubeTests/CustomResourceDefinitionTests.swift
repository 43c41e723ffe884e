import EmbeddedKube
import KubeModel
import Testing

/// CRD lifecycle and discovery, against the recorded 01-* and 03-* transcripts.
@Suite("EmbeddedKube CRDs and discovery")
struct CustomResourceDefinitionTests {
    @Test("creating the Widget CRD answers 201, then it becomes Established with its names accepted")
    func crdLifecycle() async throws {
        try await withEmbeddedKube { kube in
            let create = try Transcript.load("03-crd-create-widget")
            let response = try await kube.send(create)
            #expect(response.status == 201)
            #expect(response.contentType == "application/json")
            let created = response.json
            #expect(created["kind"] == "CustomResourceDefinition")
            #expect(created[path: ["metadata", "generation"]] == 1)
            #expect(created[path: ["metadata", "uid"]]?.stringValue?.isEmpty == false)
            #expect(created["spec"]?["names"] == create.responseBody[path: ["spec", "names"]])
            #expect(created[path: ["spec", "versions"]]?.arrayValue?.count == 1)

            let recorded = try Transcript.load("03-crd-get-established").responseBody
            var crd: JSONValue = .null
            let established = try await eventually {
                crd = try await kube.get("/apis/apiextensions.k8s.io/v1/customresourcedefinitions/widgets.quiver.dev").json
                return condition(crd, "Established") == "True" && condition(crd, "NamesAccepted") == "True"
            }
            #expect(established, "CRD status: \(crd["status"] ?? .null)")
            #expect(crd[path: ["status", "acceptedNames"]] == recorded[path: ["status", "acceptedNames"]])
            #expect(crd[path: ["status", "storedVersions"]] == ["v1alpha1"])
            let reasons = (crd[path: ["status", "conditions"]]?.arrayValue ?? []).map { $0["reason"]?.stringValue ?? "" }
            #expect(Set(reasons) == ["NoConflicts", "InitialNamesAccepted"])
            // Status changes do not bump the generation.
            #expect(crd[path: ["metadata", "generation"]] == 1)
        }
    }

    @Test("discovery of quiver.dev/v1alpha1 lists widgets (short name wd), widgets/status and widgets/scale")
    func groupVersionDiscovery() async throws {
        try await withEmbeddedKube { kube in
            try await kube.installCRDs(gadgets: true)
            let recorded = try Transcript.load("01-discovery-apis-quiver.dev-v1alpha1")
            let response = try await kube.send(recorded)
            #expect(response.status == 200)
            #expect(response.json["kind"] == "APIResourceList")
            #expect(response.json["groupVersion"] == "quiver.dev/v1alpha1")
            func strip(_ list: JSONValue) -> [JSONValue] {
                (list["resources"]?.arrayValue ?? []).map { r in
                    var r = r
                    r["storageVersionHash"] = nil
                    return r
                }
            }
            let actual = strip(response.json)
            let expected = strip(recorded.responseBody)
            #expect(actual.map { $0["name"] } == expected.map { $0["name"] })
            for (a, e) in zip(actual, expected) {
                #expect(a == e, "resource \(e["name"] ?? .null): \(a) vs recorded \(e)")
            }

            let group = try await kube.get("/apis/quiver.dev")
            #expect(group.status == 200)
            #expect(group.json["kind"] == "APIGroup")
            #expect(group.json[path: ["preferredVersion", "groupVersion"]] == "quiver.dev/v1alpha1")
        }
    }

    @Test("aggregated discovery answers kubectl's Accept with the v2 media type, including quiver.dev")
    func aggregatedDiscovery() async throws {
        try await withEmbeddedKube { kube in
            try await kube.installCRDs(gadgets: true)
            for name in ["01-discovery-aggregated-api", "01-discovery-aggregated-apis"] {
                let recorded = try Transcript.load(name)
                let response = try await kube.send(recorded)
                #expect(response.status == 200, "\(name)")
                #expect(response.contentType == recorded.responseContentType, "\(name): \(response.contentType)")
                #expect(response.json["kind"] == "APIGroupDiscoveryList")
                #expect(response.json["apiVersion"] == "apidiscovery.k8s.io/v2")
            }
            let recorded = try Transcript.load("01-discovery-aggregated-apis")
            let response = try await kube.send(recorded)
            func quiver(_ list: JSONValue) -> JSONValue? {
                list["items"]?.arrayValue?.first { $0[path: ["metadata", "name"]] == "quiver.dev" }
            }
            let actual = try #require(quiver(response.json), "quiver.dev is not in aggregated discovery")
            let expected = try #require(quiver(recorded.responseBody))
            let actualResources = actual["versions"]?.arrayValue?.first?["resources"]?.arrayValue ?? []
            let expectedResources = expected["versions"]?.arrayValue?.first?["resources"]?.arrayValue ?? []
            #expect(actualResources.count == expectedResources.count)
            for e in expectedResources {
                let a = try #require(actualResources.first { $0["resource"] == e["resource"] }, "\(e["resource"] ?? .null) missing")
                for key in ["responseKind", "scope", "singularResource", "verbs", "shortNames"] {
                    #expect(a[key] == e[key], "\(e["resource"] ?? .null).\(key): \(a[key] ?? .null) vs recorded \(e[key] ?? .null)")
                }
                // Subresources: same set (their order is not stable across kinds on the real server either).
                let subs = { (r: JSONValue) in Set((r["subresources"]?.arrayValue ?? []).map { $0.serializedString() }) }
                #expect(subs(a) == subs(e), "\(e["resource"] ?? .null) subresources")
            }
            // Every built-in group kubectl needs is there too.
            let groups = Set((response.json["items"]?.arrayValue ?? []).compactMap { $0[path: ["metadata", "name"]]?.stringValue })
            for group in ["apps", "coordination.k8s.io", "apiextensions.k8s.io", "autoscaling"] {
                #expect(groups.contains(group), "\(group) missing from aggregated discovery")
            }
        }
    }

    @Test("asking for aggregated discovery v2beta1 alone is 406 NotAcceptable")
    func aggregatedV2beta1Only() async throws {
        try await withEmbeddedKube { kube in
            let recorded = try Transcript.load("01-discovery-aggregated-v2beta1-only")
            let response = try await kube.send(recorded)
            expectMatches(response, recorded)
            #expect(response.contentType == "application/json")
        }
    }

    @Test("plain discovery without the aggregated Accept keeps the legacy documents")
    func legacyDiscovery() async throws {
        try await withEmbeddedKube { kube in
            let api = try await kube.get("/api")
            #expect(api.status == 200)
            #expect(api.json["kind"] == "APIVersions")
            #expect(api.json["versions"] == ["v1"])
            let apis = try await kube.get("/apis")
            #expect(apis.json["kind"] == "APIGroupList")
            let v1 = try await kube.get("/api/v1")
            let names = Set((v1.json["resources"]?.arrayValue ?? []).compactMap { $0["name"]?.stringValue })
            for name in ["configmaps", "namespaces", "pods", "secrets", "services"] {
                #expect(names.contains(name), "/api/v1 lacks \(name)")
            }
            let version = try await kube.get("/version")
            #expect(version.status == 200)
            #expect(version.json["major"] == "1")
        }
    }

    @Test("deleting a CRD stops serving its resources")
    func crdDeletion() async throws {
        try await withEmbeddedKube { kube in
            try await kube.installCRDs()
            try await kube.createNamespace("demo")
            #expect(try await kube.post(widgetsPath, widget("w1")).status == 201)
            let delete = try await kube.send("DELETE", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions/widgets.quiver.dev")
            #expect(delete.status == 200)
            let gone = try await eventually {
                let served = try await kube.get(widgetsPath).status
                let crd = try await kube.get("/apis/apiextensions.k8s.io/v1/customresourcedefinitions/widgets.quiver.dev").status
                return served == 404 && crd == 404
            }
            #expect(gone)
        }
    }
}
