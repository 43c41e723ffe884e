import Foundation
import KubeModel
import Testing

@testable import KubeRuntime

@Suite("KubeClient over HTTP", .timeLimit(.minutes(1)))
struct KubeClientTests {
    @Test func notFoundDecodesStatusAndSendsHeaders() async throws {
        try await ScriptedServer.with({ _, _ in .json(404, Fixtures.getNotFound) }) { server in
            try await withClient(testConfiguration(server)) { client in
                let error = await #expect(throws: KubeAPIError.self) {
                    _ = try await client.get(Widget.self, name: "nope")
                }
                #expect(error?.isNotFound == true)
                #expect(error?.code == 404)
                #expect(error?.message == #"widgets.quiver.dev "nope" not found"#)
                #expect(error?.details?.kind == "widgets")
                #expect(error?.details?.group == "quiver.dev")
            }
            let request = try #require(server.requests.first)
            #expect(server.requests.count == 1)  // 404 is not retried
            #expect(request.method == "GET")
            #expect(request.uri == "/apis/quiver.dev/v1alpha1/namespaces/demo/widgets/nope")
            #expect(request.header("Authorization") == "Bearer test-token")
            #expect(request.header("Accept") == "application/json")
            #expect(request.header("User-Agent") == "kuberuntime-tests")
        }
    }

    @Test func conflictAndAlreadyExistsAreTold() async throws {
        try await ScriptedServer.with({ request, _ in
            request.method == "PUT" ? .json(409, Fixtures.updateConflict) : .json(409, Fixtures.createAlreadyExists)
        }) { server in
            try await withClient(testConfiguration(server)) { client in
                var widget = Widget(metadata: ObjectMeta(name: "w1", namespace: "demo", resourceVersion: "418"))
                widget.spec = .init(size: 3, color: "red", image: "nginx:1.27")
                let conflict = await #expect(throws: KubeAPIError.self) { _ = try await client.update(widget) }
                #expect(conflict?.isConflict == true)
                #expect(conflict?.isAlreadyExists == false)
                #expect(conflict?.message.hasSuffix("please apply your changes to the latest version and try again") == true)

                let exists = await #expect(throws: KubeAPIError.self) { _ = try await client.create(widget) }
                #expect(exists?.isAlreadyExists == true)
                #expect(exists?.isConflict == false)
            }
            let put = try #require(server.requests.first)
            #expect(put.uri == "/apis/quiver.dev/v1alpha1/namespaces/demo/widgets/w1")
            #expect(put.header("Content-Type") == "application/json")
            let body = try JSONValue(parsing: put.body)
            #expect(body[path: ["metadata", "resourceVersion"]] == "418")
            #expect(body["apiVersion"] == "quiver.dev/v1alpha1")
            #expect(body["kind"] == "Widget")
            #expect(server.requests[1].method == "POST")
            #expect(server.requests[1].uri == "/apis/quiver.dev/v1alpha1/namespaces/demo/widgets")
        }
    }

    @Test func invalidCarriesCauses() async throws {
        try await ScriptedServer.with({ _, _ in .json(422, Fixtures.createInvalid) }) { server in
            try await withClient(testConfiguration(server)) { client in
                let object: JSONValue = [
                    "apiVersion": "quiver.dev/v1alpha1", "kind": "Widget", "metadata": ["name": "bad"],
                    "spec": ["size": 0, "color": "green", "image": "x"],
                ]
                let error = await #expect(throws: KubeAPIError.self) {
                    _ = try await client.create(widgets, object, namespace: "demo")
                }
                #expect(error?.isInvalid == true)
                #expect(error?.details?.kind == "Widget")
                #expect(error?.causes.map(\.field) == ["spec.size", "spec.color"])
                #expect(error?.causes.map(\.reason) == ["FieldValueInvalid", "FieldValueNotSupported"])
            }
        }
    }

    @Test func forbiddenAndUnauthorized() async throws {
        try await ScriptedServer.with({ request, _ in
            request.path.hasSuffix("pods") ? .json(401, Fixtures.badToken) : .json(403, Fixtures.forbidden)
        }) { server in
            try await withClient(testConfiguration(server)) { client in
                let forbidden = await #expect(throws: KubeAPIError.self) {
                    _ = try await client.list(widgets, namespace: "other")
                }
                #expect(forbidden?.isForbidden == true)
                let unauthorized = await #expect(throws: KubeAPIError.self) {
                    _ = try await client.list(GroupVersionResource(group: "", version: "v1", resource: "pods"), namespace: "demo")
                }
                #expect(unauthorized?.isUnauthorized == true)
                #expect(unauthorized?.message == "Unauthorized")
            }
        }
    }

    @Test func nonStatusBodyBecomesStatus() async throws {
        try await ScriptedServer.with({ _, _ in
            ScriptedResponse(status: 502, headers: [("Content-Type", "text/plain")], chunks: [.init(bytes: Array("upstream gone".utf8), delay: .zero)])
        }) { server in
            try await withClient(testConfiguration(server, retry: .none)) { client in
                let error = await #expect(throws: KubeAPIError.self) { _ = try await client.get(widgets, name: "w1", namespace: "demo") }
                #expect(error?.code == 502)
                #expect(error?.httpStatus == 502)
                #expect(error?.message == "upstream gone")
                #expect(error?.reason == "InternalError")
                #expect(error?.isServerError == true)
            }
            #expect(server.requests.count == 1)
        }
    }

    @Test func retryAfterIsHonouredOn429() async throws {
        try await ScriptedServer.with({ _, index in
            index == 0
                ? .json(429, #"{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"slow down","reason":"TooManyRequests","code":429}"#, headers: [("Retry-After", "1")])
                : .json(200, Fixtures.widgetGet)
        }) { server in
            try await withClient(testConfiguration(server)) { client in
                let widget = try await client.get(Widget.self, name: "w1")
                #expect(widget.metadata.name == "w1")
            }
            let requests = server.requests
            #expect(requests.count == 2)
            if requests.count == 2 {
                let gap = requests[0].receivedAt.duration(to: requests[1].receivedAt)
                #expect(gap >= .milliseconds(900))
            }
        }
    }

    @Test func serverErrorsAreRetriedForGetNotForPost() async throws {
        try await ScriptedServer.with({ request, index in
            if request.method == "POST" { return .json(500, #"{"kind":"Status","apiVersion":"v1","status":"Failure","message":"boom","reason":"InternalError","code":500}"#) }
            return index < 2 ? .json(index == 0 ? 500 : 503, "oops") : .json(200, Fixtures.widgetGet)
        }) { server in
            try await withClient(testConfiguration(server)) { client in
                let widget = try await client.get(widgets, name: "w1", namespace: "demo")
                #expect(widget[path: ["metadata", "name"]] == "w1")
                #expect(server.requests.count == 3)

                let error = await #expect(throws: KubeAPIError.self) {
                    _ = try await client.create(widgets, ["metadata": ["name": "x"]], namespace: "demo")
                }
                #expect(error?.code == 500)
                #expect(error?.message == "boom")
                #expect(server.requests.count == 4)
            }
        }
    }

    @Test func connectionErrorsAreRetriedThenReported() async throws {
        // Nothing listens on this port once the server is gone.
        let port = try await ScriptedServer.with({ _, _ in .json(200, "{}") }) { $0.port }
        var configuration = KubeConfiguration(server: "http://127.0.0.1:\(port)", qps: 0, retry: RetryPolicy(maximumAttempts: 2, initialDelay: .milliseconds(10)))
        configuration.connectTimeout = .seconds(1)
        try await withClient(configuration) { client in
            let error = await #expect(throws: KubeClientError.self) { _ = try await client.get(widgets, name: "w", namespace: "demo") }
            #expect(error == .transport)
        }
    }

    @Test func rateLimitSpacesRequests() async throws {
        try await ScriptedServer.with({ _, _ in .json(200, Fixtures.widgetGet) }) { server in
            var configuration = testConfiguration(server)
            configuration.qps = 20
            configuration.burst = 1
            let start = ContinuousClock.now
            let elapsed = try await withClient(configuration) { client in
                for _ in 0..<4 { _ = try await client.get(widgets, name: "w1", namespace: "demo") }
                return start.duration(to: .now)
            }
            // burst 1 at 20 qps: the first request goes at once, request k no sooner than k × 50 ms
            // after the start. (Arrival gaps alone can shrink when one request is delayed in transit,
            // so each arrival is checked against the start.)
            #expect(server.requests.count == 4)
            #expect(elapsed >= .milliseconds(145))
            for (k, time) in server.requests.map(\.receivedAt).enumerated() {
                #expect(start.duration(to: time) >= .milliseconds(50 * k - 5))
            }
        }
    }

    @Test func listAllFollowsContinueTokens() async throws {
        let page1 = Fixtures.listLimitContinue
        let page2 = #"{"apiVersion":"quiver.dev/v1alpha1","items":[{"apiVersion":"quiver.dev/v1alpha1","kind":"Widget","metadata":{"name":"kw3","namespace":"demo","resourceVersion":"622"}}],"kind":"WidgetList","metadata":{"continue":"token-2","remainingItemCount":1,"resourceVersion":"688"}}"#
        let page3 = #"{"apiVersion":"quiver.dev/v1alpha1","items":[{"apiVersion":"quiver.dev/v1alpha1","kind":"Widget","metadata":{"name":"kw4","namespace":"demo","resourceVersion":"623"}}],"kind":"WidgetList","metadata":{"continue":"","resourceVersion":"688"}}"#
        try await ScriptedServer.with({ request, _ in
            switch request.queryItems["continue"] {
            case nil: .json(200, page1)
            case "token-2": .json(200, page3)
            default: .json(200, page2)
            }
        }) { server in
            try await withClient(testConfiguration(server)) { client in
                let all = try await client.listAll(widgets, namespace: "demo", options: ListOptions(labelSelector: "app in (a,b)"), pageSize: 1)
                #expect(all.items.compactMap { $0[path: ["metadata", "name"]]?.stringValue } == ["kw2", "kw3", "kw4"])
                #expect(all.metadata.resourceVersion == "688")
                #expect(all.metadata.continue == nil)

                let typed = try await client.listAll(Widget.self, namespace: "demo", pageSize: 1)
                #expect(typed.items.map(\.metadata.name) == ["kw2", "kw3", "kw4"])
            }
            let requests = server.requests
            #expect(requests.count == 6)
            #expect(requests[0].uri == "/apis/quiver.dev/v1alpha1/namespaces/demo/widgets?labelSelector=app%20in%20%28a%2Cb%29&limit=1")
            #expect(requests[1].queryItems["continue"] == "eyJ2IjoibWV0YS5rOHMuaW8vdjEiLCJydiI6Njg4LCJzdGFydCI6Ii9rdzJcdTAwMDAifQ")
            #expect(requests[1].queryItems["limit"] == "1")
            #expect(requests[1].queryItems["labelSelector"] == "app in (a,b)")
        }
    }

    @Test func watchEventsSplitAcrossChunks() async throws {
        // The recorded stream, re-cut: events split mid-JSON and several events in one chunk.
        let body = Fixtures.watchWidgets.joined(separator: "\n") + "\n"
        let bytes = Array(body.utf8)
        let cuts = [7, 450, 1300, 1310, bytes.count - 20, bytes.count]
        var pieces: [(String, Duration)] = []
        var start = 0
        for cut in cuts where cut > start {
            pieces.append((String(decoding: bytes[start..<cut], as: UTF8.self), .milliseconds(5)))
            start = cut
        }
        let script = pieces
        try await ScriptedServer.with({ _, _ in .stream(script) }) { server in
            try await withClient(testConfiguration(server)) { client in
                let stream = try await client.watch(
                    widgets, namespace: "demo",
                    options: ListOptions(resourceVersion: "471", timeoutSeconds: 15, allowWatchBookmarks: true))
                var types: [WatchEventType] = []
                var versions: [String] = []
                for try await event in stream {
                    types.append(event.type)
                    versions.append(event.object[path: ["metadata", "resourceVersion"]]?.stringValue ?? "")
                }
                #expect(types == [.added, .modified, .modified, .deleted, .bookmark])
                #expect(versions.first == "472")

                // The typed watch decodes objects (the bookmark decodes too: Widget's fields are optional).
                let typed = try await client.watch(Widget.self, namespace: "demo", options: ListOptions(resourceVersion: "471"))
                var names: [String?] = []
                for try await event in typed where event.type != .bookmark { names.append(event.object.metadata.name) }
                #expect(names == ["w5", "w5", "w5", "w5"])
            }
            let request = try #require(server.requests.first)
            #expect(request.path == "/apis/quiver.dev/v1alpha1/namespaces/demo/widgets")
            #expect(request.queryItems["watch"] == "true")
            #expect(request.queryItems["resourceVersion"] == "471")
            #expect(request.queryItems["allowWatchBookmarks"] == "true")
            #expect(request.queryItems["timeoutSeconds"] == "15")
        }
    }

    @Test func watchErrorEventSurfacesAs410() async throws {
        let lines = Fixtures.watchTooOld.map { ($0 + "\n", Duration.zero) }
        try await ScriptedServer.with({ _, _ in .stream(lines) }) { server in
            try await withClient(testConfiguration(server)) { client in
                let stream = try await client.watch(widgets, namespace: "demo", options: ListOptions(resourceVersion: "1", allowWatchBookmarks: true))
                let error = await #expect(throws: KubeAPIError.self) {
                    for try await _ in stream {}
                }
                #expect(error?.isGone == true)
                #expect(error?.code == 410)
                #expect(error?.reason == "Expired")
                #expect(error?.message == "too old resource version: 1 (279)")
                #expect(error?.httpStatus == 200)
            }
        }
    }

    @Test func watchRefusedWithHTTPStatusThrowsAtOnce() async throws {
        try await ScriptedServer.with({ _, _ in .json(403, Fixtures.forbidden) }) { server in
            try await withClient(testConfiguration(server)) { client in
                let error = await #expect(throws: KubeAPIError.self) { _ = try await client.watch(widgets, namespace: "other") }
                #expect(error?.isForbidden == true)
            }
        }
    }

    @Test func cancellingTheConsumerClosesTheWatchConnection() async throws {
        let first = Fixtures.watchWidgets[0] + "\n"
        try await ScriptedServer.with({ _, _ in .stream([(first, .zero)], holdOpen: true) }) { server in
            try await withClient(testConfiguration(server)) { client in
                let received = FirstEventFlag()
                let consumer = Task {
                    let stream = try await client.watch(widgets, namespace: "demo")
                    var count = 0
                    for try await _ in stream {
                        count += 1
                        received.set()
                    }
                    return count
                }
                // Cancel only once the watch is open and held (a fixed sleep raced a slow start).
                let opened = ContinuousClock.now.advanced(by: .seconds(10))
                while !received.isSet, ContinuousClock.now < opened {
                    try await Task.sleep(for: .milliseconds(10))
                }
                #expect(received.isSet, "the watch never delivered its first event")
                consumer.cancel()
                _ = try? await consumer.value
                let deadline = ContinuousClock.now.advanced(by: .seconds(5))
                while server.closedHeldStreams == 0, ContinuousClock.now < deadline {
                    try await Task.sleep(for: .milliseconds(20))
                }
                #expect(server.closedHeldStreams == 1)
            }
        }
    }

    @Test func cancellingTheConsumerWhileTheWatchIsStillOpeningClosesItsConnection() async throws {
        // The server takes 500 ms to send the response head; the consumer is cancelled before.
        var response = ScriptedResponse.stream([(Fixtures.watchWidgets[0] + "\n", .zero)], holdOpen: true)
        response.headDelay = .milliseconds(500)
        try await ScriptedServer.with({ [response] _, _ in response }) { server in
            try await withClient(testConfiguration(server)) { client in
                let consumer = Task {
                    let stream = try await client.watch(widgets, namespace: "demo")
                    for try await _ in stream {}
                }
                let sent = ContinuousClock.now.advanced(by: .seconds(10))
                while server.requests.isEmpty, ContinuousClock.now < sent {
                    try await Task.sleep(for: .milliseconds(5))
                }
                #expect(server.requests.count == 1, "the watch request never reached the server")
                consumer.cancel()
                // The consumer ends: it neither waits for the head nor keeps reading afterwards.
                let outcome = try await withTimeout(.seconds(5)) { await consumer.result }
                #expect(throws: CancellationError.self) { try outcome.get() }
                // Once the server gets to write, it finds the connection closed.
                let deadline = ContinuousClock.now.advanced(by: .seconds(5))
                while server.closedHeldStreams == 0, ContinuousClock.now < deadline {
                    try await Task.sleep(for: .milliseconds(20))
                }
                #expect(server.closedHeldStreams == 1)
            }
        }
    }

    @Test func patchTypesSendTheirContentTypes() async throws {
        try await ScriptedServer.with({ _, _ in .json(200, Fixtures.widgetGet) }) { server in
            try await withClient(testConfiguration(server)) { client in
                _ = try await client.patch(widgets, name: "w1", namespace: "demo", patch: .merge(["spec": ["size": 5]]))
                _ = try await client.patch(
                    widgets, name: "w1", namespace: "demo",
                    patch: .json([.test("/spec/size", 5), .replace("/spec/size", 6), .add("/metadata/labels/\(JSONPatchOperation.escape("a/b"))", "c")]))
                _ = try await client.patch(Widget.self, name: "w1", patch: .strategicMerge(["spec": ["size": 7]]))
                _ = try await client.patch(
                    widgets, name: "w1", namespace: "demo", patch: .apply(["apiVersion": "quiver.dev/v1alpha1", "kind": "Widget", "metadata": ["name": "w1"]]),
                    options: PatchOptions(fieldManager: "quiver-operator", force: true))
                _ = try await client.patch(widgets, name: "w1", namespace: "demo", patch: .merge(["status": ["replicas": 1]]), subresource: "status",
                                           options: PatchOptions(dryRun: true, fieldValidation: .strict))
            }
            let r = server.requests
            #expect(r.map(\.method) == ["PATCH", "PATCH", "PATCH", "PATCH", "PATCH"])
            #expect(r.map { $0.header("Content-Type") ?? "" } == [
                "application/merge-patch+json", "application/json-patch+json", "application/strategic-merge-patch+json",
                "application/apply-patch+yaml", "application/merge-patch+json",
            ])
            #expect(r[0].bodyString == #"{"spec":{"size":5}}"#)
            let ops = try JSONValue(parsing: r[1].body)
            #expect(ops.arrayValue?.count == 3)
            #expect(ops.arrayValue?.first == ["op": "test", "path": "/spec/size", "value": 5])
            #expect(ops.arrayValue?.last?["path"] == "/metadata/labels/a~1b")
            #expect(r[3].uri == "/apis/quiver.dev/v1alpha1/namespaces/demo/widgets/w1?fieldManager=quiver-operator&force=true")
            #expect(r[4].uri == "/apis/quiver.dev/v1alpha1/namespaces/demo/widgets/w1/status?dryRun=All&fieldValidation=Strict")
        }
    }

    @Test func deleteAnswersStatusOrTheTerminatingObject() async throws {
        try await ScriptedServer.with({ request, _ in
            request.path.hasSuffix("/w1") ? .json(200, Fixtures.deleteStatus) : .json(200, Fixtures.deleteWithFinalizer)
        }) { server in
            try await withClient(testConfiguration(server)) { client in
                let gone = try await client.delete(widgets, name: "w1", namespace: "demo")
                guard case .deleted(let status) = gone else {
                    Issue.record("expected a Status, got \(gone)")
                    return
                }
                #expect(status.status == "Success")
                #expect(status.details?.uid != nil)

                let pending = try await client.delete(
                    Widget.self, name: "wf", namespace: "demo",
                    options: DeleteOptions(propagation: .foreground, preconditions: Preconditions(uid: "u-1", resourceVersion: "9"), gracePeriodSeconds: 0))
                let object = try #require(pending.object)
                #expect(object.metadata.deletionTimestamp != nil)
                #expect(object.metadata.finalizers == ["quiver.dev/cleanup"])
            }
            let r = server.requests
            #expect(r[0].method == "DELETE")
            #expect(r[0].body.isEmpty)
            let body = try JSONValue(parsing: r[1].body)
            #expect(body["kind"] == "DeleteOptions")
            #expect(body["propagationPolicy"] == "Foreground")
            #expect(body["gracePeriodSeconds"] == 0)
            #expect(body["preconditions"] == ["uid": "u-1", "resourceVersion": "9"])
            #expect(r[1].header("Content-Type") == "application/json")
        }
    }

    @Test func pathsForCoreClusterScopedAndWriteOptions() async throws {
        try await ScriptedServer.with({ request, _ in
            request.path.contains("leases") ? .json(201, Fixtures.leaseCreate) : .json(200, #"{"apiVersion":"v1","kind":"X","metadata":{"name":"g1","resourceVersion":"5"},"items":null}"#)
        }) { server in
            try await withClient(testConfiguration(server)) { client in
                _ = try await client.get(gadgets, name: "g1")
                _ = try await client.list(configMaps, namespace: "demo", options: ListOptions(fieldSelector: "metadata.name=x", limit: 10, resourceVersion: "0", resourceVersionMatch: .notOlderThan, timeoutSeconds: 5))
                _ = try await client.list(configMaps)
                let now = Date(timeIntervalSince1970: 1_795_861_803.142494)
                let lease = Lease(
                    metadata: ObjectMeta(name: "quiver-operator-leader"),
                    spec: LeaseSpec(holderIdentity: "quiver-operator-abc_1234", leaseDurationSeconds: 15, acquireTime: MicroTime(now), renewTime: MicroTime(now), leaseTransitions: 0))
                let created = try await client.create(lease, options: WriteOptions(dryRun: true, fieldManager: "quiver", fieldValidation: .strict))
                #expect(created.spec?.renewTime?.rfc3339 == "2026-11-24T10:30:03.142494Z")
                #expect(created.metadata.resourceVersion == "538")
            }
            let r = server.requests
            #expect(r[0].uri == "/apis/quiver.dev/v1alpha1/gadgets/g1")
            #expect(r[1].uri == "/api/v1/namespaces/demo/configmaps?fieldSelector=metadata.name%3Dx&limit=10&resourceVersion=0&resourceVersionMatch=NotOlderThan&timeoutSeconds=5")
            #expect(r[2].uri == "/api/v1/configmaps")
            #expect(r[3].uri == "/apis/coordination.k8s.io/v1/namespaces/demo/leases?dryRun=All&fieldManager=quiver&fieldValidation=Strict")
            let body = try JSONValue(parsing: r[3].body)
            let renew = try #require(body[path: ["spec", "renewTime"]]?.stringValue)
            // MicroTime: exactly six fractional digits.
            #expect(renew.split(separator: ".").last?.dropLast().count == 6)
            #expect(body["kind"] == "Lease")
            #expect(body["apiVersion"] == "coordination.k8s.io/v1")
        }
    }

    @Test func scaleSubresource() async throws {
        try await ScriptedServer.with({ _, _ in .json(200, Fixtures.deploymentScaleGet) }) { server in
            try await withClient(testConfiguration(server)) { client in
                let scale = try await client.getScale(Deployment.self, name: "web", namespace: "demo")
                #expect(scale.spec?.replicas != nil)
                _ = try await client.scale(Deployment.self, name: "web", namespace: "demo", replicas: 3)
            }
            let r = server.requests
            #expect(r[0].uri == "/apis/apps/v1/namespaces/demo/deployments/web/scale")
            #expect(r[1].method == "PATCH")
            #expect(r[1].bodyString == #"{"spec":{"replicas":3}}"#)
        }
    }

    @Test func tokenFileIsReReadAfter401() async throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let tokenPath = directory + "/token"
        try writeFile(tokenPath, "old-token\n")
        try await ScriptedServer.with({ request, _ in
            request.header("Authorization") == "Bearer new-token" ? .json(200, Fixtures.widgetGet) : .json(401, Fixtures.badToken)
        }) { server in
            var configuration = testConfiguration(server)
            configuration.credentials = .init(bearerTokenFile: tokenPath)
            try await withClient(configuration) { client in
                let error = await #expect(throws: KubeAPIError.self) { _ = try await client.get(Widget.self, name: "w1") }
                #expect(error?.isUnauthorized == true)
                // The token rotates: the cached one is refused, the file is read again, the request resent.
                try writeFile(tokenPath, "new-token\n")
                let widget = try await client.get(Widget.self, name: "w1")
                #expect(widget.metadata.name == "w1")
            }
            #expect(server.requests.map { $0.header("Authorization") ?? "" } == [
                "Bearer old-token", "Bearer old-token", "Bearer new-token",
            ])
        }
    }
}

/// Set once by the consumer of a watch, read by the test.
private final class FirstEventFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    func set() { lock.withLock { value = true } }
    var isSet: Bool { lock.withLock { value } }
}
