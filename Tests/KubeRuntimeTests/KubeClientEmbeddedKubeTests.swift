import EmbeddedKube
import Foundation
import KubeModel
@testable import KubeRuntime
import Testing

/// KubeClient (typed and dynamic, watch) against a real EmbeddedKube over HTTP.
@Suite("KubeClient against EmbeddedKube")
struct KubeClientEmbeddedKubeTests {
    @Test("typed CRUD of ConfigMap, Lease and Deployment")
    func typedCRUD() async throws {
        try await withEmbeddedKube { kube in
            let client = kube.client
            let created = try await client.create(ConfigMap(metadata: ObjectMeta(name: "settings", labels: ["app": "demo"]), data: ["a": "1"]))
            #expect(created.metadata.namespace == "demo")
            #expect(created.metadata.uid?.isEmpty == false)
            #expect(created.metadata.resourceVersion != nil)
            var fetched = try await client.get(ConfigMap.self, name: "settings")
            #expect(fetched == created)
            fetched.data?["b"] = "2"
            let updated = try await client.update(fetched)
            #expect(updated.data == ["a": "1", "b": "2"])
            #expect(Int(updated.metadata.resourceVersion!)! > Int(created.metadata.resourceVersion!)!)
            let list = try await client.list(ConfigMap.self, namespace: "demo")
            #expect(list.items.map(\.metadata.name) == ["settings"])
            let deleted = try await client.delete(ConfigMap.self, name: "settings")
            #expect(deleted.isDeleted)
            if case .deleted(let status) = deleted {
                #expect(status.status == "Success")
                #expect(status.details?.uid == created.metadata.uid)
            }

            // Lease: MicroTimes round-trip with microsecond precision.
            let now = MicroTime(Date())
            let lease = try await client.create(Lease(
                metadata: ObjectMeta(name: "leader"),
                spec: LeaseSpec(holderIdentity: "a", leaseDurationSeconds: 15, acquireTime: now, renewTime: now, leaseTransitions: 0)))
            #expect(lease.spec?.acquireTime == now)
            var renewed = lease
            renewed.spec?.renewTime = MicroTime(Date().addingTimeInterval(1))
            let stored = try await client.update(renewed)
            #expect(stored.spec?.renewTime == renewed.spec?.renewTime)
            #expect(stored.spec?.holderIdentity == "a")

            // Deployment: the server's defaults come back typed; /scale reads and writes replicas.
            let deployment = try await client.create(webDeployment())
            #expect(deployment.spec?.revisionHistoryLimit == 10)
            #expect(deployment.spec?.progressDeadlineSeconds == 600)
            #expect(deployment.spec?.strategy?.type == "RollingUpdate")
            #expect(deployment.spec?.template.spec?.restartPolicy == "Always")
            #expect(deployment.metadata.generation == 1)
            let scale = try await client.getScale(KubeModel.Deployment.self, name: "web")
            #expect(scale.spec?.replicas == 2)
            #expect(scale.status?.selector == "app=web")
            let rescaled = try await client.scale(KubeModel.Deployment.self, name: "web", replicas: 5)
            #expect(rescaled.spec?.replicas == 5)
            let after = try await client.get(KubeModel.Deployment.self, name: "web")
            #expect(after.spec?.replicas == 5)
            #expect(after.metadata.generation == 2)
        }
    }

    @Test("dynamic CRUD of a custom resource after its CRD is Established")
    func dynamicCRUD() async throws {
        try await withEmbeddedKube { kube in
            try await kube.installWidgetCRD()
            let client = kube.client
            let created = try await client.create(widgets, widgetObject("w1", size: 3, labels: ["app": "demo"]), namespace: "demo")
            #expect(created[path: ["metadata", "generation"]] == 1)
            #expect(created["spec"] == ["size": 3, "color": "red", "image": "alpine"])
            var object = try await client.get(widgets, name: "w1", namespace: "demo")
            #expect(object == created)
            object[path: ["spec", "size"]] = 5
            let updated = try await client.update(widgets, object)
            #expect(updated[path: ["metadata", "generation"]] == 2)

            var withStatus = updated
            withStatus["status"] = ["phase": "Ready", "observedGeneration": 2]
            withStatus[path: ["spec", "size"]] = 99
            let status = try await client.updateStatus(widgets, withStatus)
            #expect(status[path: ["status", "phase"]] == "Ready")
            #expect(status[path: ["spec", "size"]] == 5, "a /status write ignores spec")
            #expect(status[path: ["metadata", "generation"]] == 2)

            // The typed view of the same resource.
            let typed = try await client.get(Widget.self, name: "w1", namespace: "demo")
            #expect(typed.spec?.size == 5)

            let list = try await client.list(widgets, namespace: "demo")
            #expect(list.items.count == 1)
            #expect(list.kind == "WidgetList")
            let deleted = try await client.delete(widgets, name: "w1", namespace: "demo")
            #expect(deleted.isDeleted)
            let missing = await apiError { _ = try await client.get(widgets, name: "w1", namespace: "demo") }
            #expect(missing?.isNotFound == true)
        }
    }

    @Test("errors keep the server's Status: NotFound, AlreadyExists, Conflict, Invalid with causes")
    func typedErrors() async throws {
        try await withEmbeddedKube { kube in
            try await kube.installWidgetCRD()
            let client = kube.client
            let notFound = await apiError { _ = try await client.get(Widget.self, name: "nope", namespace: "demo") }
            #expect(notFound?.isNotFound == true)
            #expect(notFound?.code == 404)
            #expect(notFound?.message == #"widgets.quiver.dev "nope" not found"#)
            #expect(notFound?.details == StatusDetails(name: "nope", group: "quiver.dev", kind: "widgets"))

            let first = try await client.create(widgets, widgetObject("w1"), namespace: "demo")
            let exists = await apiError { _ = try await client.create(widgets, widgetObject("w1"), namespace: "demo") }
            #expect(exists?.isAlreadyExists == true)
            #expect(exists?.isConflict == false)
            #expect(exists?.message == #"widgets.quiver.dev "w1" already exists"#)

            var changed = first
            changed[path: ["spec", "size"]] = 2
            _ = try await client.update(widgets, changed)
            changed[path: ["spec", "size"]] = 3
            let conflict = await apiError { _ = try await client.update(widgets, changed) }
            #expect(conflict?.isConflict == true)
            #expect(conflict?.code == 409)
            #expect(conflict?.message.hasSuffix("the object has been modified; please apply your changes to the latest version and try again") == true)

            let invalid = await apiError {
                _ = try await client.create(widgets, widgetObject("bad", size: 0, color: "green", image: "x"), namespace: "demo")
            }
            #expect(invalid?.isInvalid == true)
            #expect(invalid?.code == 422)
            #expect(invalid?.details?.kind == "Widget")
            #expect(Set((invalid?.causes ?? []).map { "\($0.reason ?? "")@\($0.field ?? "")" })
                == ["FieldValueInvalid@spec.size", "FieldValueNotSupported@spec.color"])

            // A ConfigMap in a namespace that does not exist.
            let noNamespace = await apiError { _ = try await client.create(ConfigMap(metadata: ObjectMeta(name: "x")), namespace: "nowhere") }
            #expect(noNamespace?.isNotFound == true)
        }
    }

    @Test("list paging with limit and continue, and listAll over pages")
    func paging() async throws {
        try await withEmbeddedKube { kube in
            let client = kube.client
            for i in 0..<7 {
                _ = try await client.create(ConfigMap(metadata: ObjectMeta(name: "cm-\(i)"), data: ["i": "\(i)"]))
            }
            var names: [String] = []
            var token: String?
            var pages = 0
            repeat {
                let page = try await client.list(ConfigMap.self, namespace: "demo", options: ListOptions(limit: 3, continue: token))
                pages += 1
                names += page.items.compactMap(\.metadata.name)
                token = page.metadata.continue
                if pages == 1 {
                    #expect(page.items.count == 3)
                    #expect(page.metadata.remainingItemCount == 4)
                }
                if pages > 5 { break }
            } while token?.isEmpty == false
            #expect(pages == 3)
            #expect(names == (0..<7).map { "cm-\($0)" })

            let all = try await client.listAll(ConfigMap.self, namespace: "demo", pageSize: 2)
            #expect(all.items.map(\.metadata.name) == (0..<7).map { "cm-\($0)" })
            #expect(all.metadata.continue == nil)
            #expect(all.metadata.resourceVersion != nil)
        }
    }

    @Test("label and field selectors")
    func selectors() async throws {
        try await withEmbeddedKube { kube in
            let client = kube.client
            for (name, tier) in [("a", "gold"), ("b", "silver"), ("c", "bronze"), ("d", "gold")] {
                _ = try await client.create(ConfigMap(metadata: ObjectMeta(name: name, labels: ["tier": tier, "app": "demo"])))
            }
            _ = try await client.create(ConfigMap(metadata: ObjectMeta(name: "unlabelled")))
            func names(_ options: ListOptions) async throws -> [String] {
                try await client.list(ConfigMap.self, namespace: "demo", options: options).items.compactMap(\.metadata.name)
            }
            #expect(try await names(ListOptions(labelSelector: "tier=gold")) == ["a", "d"])
            #expect(try await names(ListOptions(labelSelector: "tier in (silver,bronze)")) == ["b", "c"])
            #expect(try await names(ListOptions(labelSelector: "app=demo,tier!=gold")) == ["b", "c"])
            #expect(try await names(ListOptions(labelSelector: "!tier")).contains("unlabelled"))
            #expect(try await names(ListOptions(fieldSelector: "metadata.name=c")) == ["c"])
            #expect(try await names(ListOptions(labelSelector: "tier=gold", fieldSelector: "metadata.name!=a")) == ["d"])
            let bad = await apiError { _ = try await names(ListOptions(labelSelector: "tier in (gold")) }
            #expect(bad?.isBadRequest == true)
        }
    }

    @Test("merge, JSON and strategic-merge patches")
    func patches() async throws {
        try await withEmbeddedKube { kube in
            try await kube.installWidgetCRD()
            let client = kube.client
            _ = try await client.create(ConfigMap(metadata: ObjectMeta(name: "p"), data: ["a": "1", "b": "2"]))
            let merged = try await client.patch(
                ConfigMap.self, name: "p", patch: .merge(["data": ["b": nil, "c": "3"], "metadata": ["labels": ["x": "y"]]]))
            #expect(merged.data == ["a": "1", "c": "3"])
            #expect(merged.metadata.labels == ["x": "y"])

            _ = try await client.create(widgets, widgetObject("w", size: 2), namespace: "demo")
            let jsonPatched = try await client.patch(
                widgets, name: "w", namespace: "demo", patch: .json([.test("/spec/size", 2), .replace("/spec/size", 4)]))
            #expect(jsonPatched[path: ["spec", "size"]] == 4)
            #expect(jsonPatched[path: ["metadata", "generation"]] == 2)
            let failedTest = await apiError {
                _ = try await client.patch(widgets, name: "w", namespace: "demo", patch: .json([.test("/spec/size", 2), .replace("/spec/size", 8)]))
            }
            #expect(failedTest?.code == 422)
            let strategicOnCR = await apiError {
                _ = try await client.patch(widgets, name: "w", namespace: "demo", patch: .strategicMerge(["spec": ["size": 5]]))
            }
            #expect(strategicOnCR?.code == 415)
            #expect(strategicOnCR?.reason == "UnsupportedMediaType")

            // Strategic merge on a built-in merges the containers list by name.
            _ = try await client.create(webDeployment())
            let strategic = try await client.patch(
                KubeModel.Deployment.self, name: "web",
                patch: .strategicMerge(["spec": ["template": ["spec": ["containers": [["name": "nginx", "image": "nginx:1.28"]]]]]]))
            let containers = strategic.spec?.template.spec?.containers ?? []
            #expect(containers.count == 1)
            #expect(containers.first?.image == "nginx:1.28")
            #expect(containers.first?.ports?.first?.containerPort == 80, "fields the patch does not name are kept")
            #expect(strategic.metadata.generation == 2)
        }
    }

    @Test("delete with preconditions and propagation policies")
    func deleteOptions() async throws {
        try await withEmbeddedKube { kube in
            try await kube.installWidgetCRD()
            let client = kube.client
            let cm = try await client.create(ConfigMap(metadata: ObjectMeta(name: "guarded")))
            let wrongUID = await apiError {
                _ = try await client.delete(ConfigMap.self, name: "guarded", options: DeleteOptions(propagation: nil, preconditions: Preconditions(uid: "not-the-uid")))
            }
            #expect(wrongUID?.isConflict == true)
            #expect(wrongUID?.message.contains("Precondition failed: UID in precondition: not-the-uid") == true)
            let wrongRV = await apiError {
                _ = try await client.delete(ConfigMap.self, name: "guarded", options: DeleteOptions(propagation: nil, preconditions: Preconditions(resourceVersion: "1")))
            }
            #expect(wrongRV?.isConflict == true)
            let ok = try await client.delete(
                ConfigMap.self, name: "guarded",
                options: DeleteOptions(propagation: .background, preconditions: Preconditions(uid: cm.metadata.uid, resourceVersion: cm.metadata.resourceVersion)))
            #expect(ok.isDeleted)

            // Foreground: the owner waits, terminating, for its dependent.
            let owner = try await client.create(widgets, widgetObject("owner"), namespace: "demo")
            let ownerUID = try #require(owner[path: ["metadata", "uid"]]?.stringValue)
            _ = try await client.create(ConfigMap(metadata: ObjectMeta(
                name: "dependent",
                ownerReferences: [OwnerReference(apiVersion: "quiver.dev/v1alpha1", kind: "Widget", name: "owner", uid: ownerUID, controller: true, blockOwnerDeletion: true)],
                finalizers: ["quiver.dev/hold"])))
            let pending = try await client.delete(widgets, name: "owner", namespace: "demo", options: DeleteOptions(propagation: .foreground))
            let terminating = try #require(pending.object, "a foreground delete is pending while the dependent exists")
            #expect(terminating[path: ["metadata", "finalizers"]] == ["foregroundDeletion"])
            #expect(terminating[path: ["metadata", "deletionTimestamp"]] != nil)
            #expect(try await poll { try await client.get(ConfigMap.self, name: "dependent").metadata.deletionTimestamp != nil })
            _ = try await client.patch(ConfigMap.self, name: "dependent", patch: .json([.remove("/metadata/finalizers")]))
            let gone = try await poll {
                do {
                    _ = try await client.get(widgets, name: "owner", namespace: "demo")
                    return false
                } catch let error as KubeAPIError where error.isNotFound {
                    return true
                }
            }
            #expect(gone, "the owner goes once its dependent is gone")

            // Orphan: the dependent stays, without the owner reference.
            let parent = try await client.create(widgets, widgetObject("parent"), namespace: "demo")
            _ = try await client.create(ConfigMap(metadata: ObjectMeta(
                name: "child",
                ownerReferences: [OwnerReference(apiVersion: "quiver.dev/v1alpha1", kind: "Widget", name: "parent", uid: parent[path: ["metadata", "uid"]]?.stringValue ?? "")])))
            _ = try await client.delete(widgets, name: "parent", namespace: "demo", options: DeleteOptions(propagation: .orphan))
            #expect(try await poll { (try await client.get(ConfigMap.self, name: "child").metadata.ownerReferences ?? []).isEmpty })
        }
    }

    @Test("watch streams: typed events in order, dynamic bookmarks, and 410 for a too-old resourceVersion")
    func watches() async throws {
        try await withEmbeddedKube(embeddedKubeConfiguration(watchHistoryLimit: 20)) { kube in
            let client = kube.client
            let start = try await client.list(ConfigMap.self, namespace: "demo")
            let rv = try #require(start.metadata.resourceVersion)
            let stream = try await client.watch(
                ConfigMap.self, namespace: "demo", options: ListOptions(resourceVersion: rv, timeoutSeconds: 30, allowWatchBookmarks: true))
            _ = try await client.create(ConfigMap(metadata: ObjectMeta(name: "watched"), data: ["v": "1"]))
            _ = try await client.patch(ConfigMap.self, name: "watched", patch: .merge(["data": ["v": "2"]]))
            _ = try await client.delete(ConfigMap.self, name: "watched")
            var events: [WatchEvent<ConfigMap>] = []
            for try await event in stream {
                events.append(event)
                if event.type == .deleted { break }
            }
            #expect(events.map(\.type) == [.added, .modified, .deleted])
            #expect(events.map { $0.object.data?["v"] } == ["1", "2", "2"])

            // Dynamic, with bookmarks: the initial-events-end bookmark after the synthetic ADDED.
            _ = try await client.create(ConfigMap(metadata: ObjectMeta(name: "present")))
            let dynamic = try await client.watch(configMaps, namespace: "demo", options: ListOptions(timeoutSeconds: 30, allowWatchBookmarks: true))
            var seen: [WatchEventType] = []
            for try await event in dynamic {
                seen.append(event.type)
                if event.type == .bookmark {
                    #expect(event.object[path: ["metadata", "annotations", "k8s.io/initial-events-end"]] == "true")
                    break
                }
            }
            #expect(seen == [.added, .bookmark])

            // Enough writes to push the first resourceVersion out of the history: the stream ends with 410.
            for i in 0..<25 { _ = try await client.create(ConfigMap(metadata: ObjectMeta(name: "burst-\(i)"))) }
            let expired = try await client.watch(ConfigMap.self, namespace: "demo", options: ListOptions(resourceVersion: rv, timeoutSeconds: 30))
            await #expect(throws: KubeAPIError.self) {
                for try await _ in expired {}
            }
            do {
                for try await _ in try await client.watch(ConfigMap.self, namespace: "demo", options: ListOptions(resourceVersion: rv, timeoutSeconds: 30)) {}
            } catch let error as KubeAPIError {
                #expect(error.isGone)
                #expect(error.reason == "Expired")
                #expect(error.httpStatus == 200, "the watch itself was accepted")
            }
        }
    }

    @Test("a client built from the kubeconfig EmbeddedKube writes talks HTTPS with the generated CA")
    func kubeconfigOverTLS() async throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try await withEmbeddedKube(embeddedKubeConfiguration(dataDirectory: directory, useTLS: true)) { kube in
            let configuration = try KubeConfiguration.fromKubeconfigFile(path: directory + "/kubeconfig")
            #expect(configuration.server == "https://127.0.0.1:\(kube.port)")
            #expect(configuration.certificateAuthority != nil)
            #expect(configuration.credentials.bearerToken == kube.server.adminToken)
            try await withClient(configuration) { client in
                let namespaces = try await client.list(Namespace.self)
                #expect(namespaces.items.contains { $0.metadata.name == "demo" })
                let created = try await client.create(ConfigMap(metadata: ObjectMeta(name: "over-tls"), data: ["k": "v"]))
                #expect(created.metadata.namespace == "default", "the kubeconfig's namespace")
            }
            // Without the CA the server is not trusted.
            var untrusted = configuration
            untrusted.certificateAuthority = nil
            untrusted.retry = RetryPolicy(maximumAttempts: 1)
            untrusted.connectTimeout = .seconds(3)
            try await withClient(untrusted) { client in
                await #expect(throws: (any Error).self) { _ = try await client.list(Namespace.self) }
            }
        }
    }
}
