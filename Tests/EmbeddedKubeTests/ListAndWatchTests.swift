import EmbeddedKube
import KubeModel
import Testing

/// Lists and watches, against the recorded 06-* transcripts.
@Suite("EmbeddedKube lists and watches (06-* transcripts)")
struct ListAndWatchTests {
    /// The `type` of each watch line.
    func types(_ lines: [JSONValue]) -> [String] { lines.map { $0["type"]?.stringValue ?? "?" } }

    /// A server with the Widget CRD, namespace demo and widgets w1, w3 in it.
    func withWidgets<R: Sendable>(
        _ configuration: EmbeddedKubeConfiguration = testKubeConfiguration(), _ body: @Sendable (KubeHarness) async throws -> R
    ) async throws -> R {
        try await withEmbeddedKube(configuration) { kube in
            try await kube.installCRDs()
            try await kube.createNamespace("demo")
            for name in ["w1", "w3"] {
                let response = try await kube.post(widgetsPath, widget(name, labels: ["app": "demo"]))
                try #require(response.status == 201, "\(response.text)")
            }
            return try await body(kube)
        }
    }

    @Test("a watch from a list's resourceVersion sees ADDED, MODIFIED, MODIFIED(status), DELETED, then a bookmark")
    func watchFromListResourceVersion() async throws {
        try await withWidgets { kube in
            let list = try await kube.get(widgetsPath)
            let rv = try #require(resourceVersion(list.json))
            let watch = try await kube.stream(widgetsPath + "?allowWatchBookmarks=true&resourceVersion=\(rv)&watch=true&timeoutSeconds=4")
            #expect(watch.status == 200)
            #expect(watch.headers.first(name: "Content-Type") == "application/json")

            #expect(try await kube.post(widgetsPath, widget("w5")).status == 201)
            let patched = try await kube.send(
                "PATCH", widgetsPath + "/w5", json: ["spec": ["size": 2]], contentType: "application/merge-patch+json")
            #expect(patched.status == 200)
            let status = try await kube.send(
                "PATCH", widgetsPath + "/w5/status", json: ["status": ["observedGeneration": 2, "phase": "Ready"]],
                contentType: "application/merge-patch+json")
            #expect(status.status == 200)
            #expect(try await kube.send("DELETE", widgetsPath + "/w5").status == 200)

            let events = try await watch.collect { $0["type"] == "DELETED" }
            let recorded = try Transcript.load("06-watch-widgets").responseBody.arrayValue ?? []
            #expect(types(events) == types(Array(recorded.prefix(4))))
            for (actual, expected) in zip(events, recorded) {
                expectSameObject(actual["object"] ?? .null, expected["object"] ?? .null, "watch \(expected["type"] ?? .null)")
            }
            let versions = events.compactMap { resourceVersion($0["object"] ?? .null) }
            #expect(versions == versions.sorted() && Set(versions).count == 4, "resourceVersions rise: \(versions)")
            #expect(versions.first.map { $0 > rv } == true)

            // About 2 s before the 4 s timeout: a bookmark at the last revision, then the end.
            let rest = try await watch.collectToEnd(within: .seconds(20))
            #expect(types(rest) == ["BOOKMARK"])
            let bookmark = rest.first?["object"] ?? .null
            #expect(bookmark == [
                "apiVersion": "quiver.dev/v1alpha1", "kind": "Widget",
                "metadata": ["resourceVersion": .string(String(versions.last ?? 0))],
            ])
        }
    }

    @Test("a watch without resourceVersion starts with synthetic ADDED events; bookmarks add the initial-events-end one")
    func watchWithoutResourceVersion() async throws {
        try await withWidgets { kube in
            // No bookmarks: ADDED for each object, nothing else, end at the timeout.
            let plain = try Transcript.load("06-watch-no-rv-no-bookmarks")
            let clock = ContinuousClock()
            let start = clock.now
            let lines = try await kube.stream(plain.path).collectToEnd(within: .seconds(30))
            let elapsed = clock.now - start
            #expect(types(lines) == ["ADDED", "ADDED"])
            #expect(lines.map { $0[path: ["object", "metadata", "name"]] } == ["w1", "w3"])
            #expect(elapsed >= .seconds(1.5) && elapsed < .seconds(15), "timeoutSeconds=2 ended the stream after \(elapsed)")

            for name in ["06-watch-timeout-2s", "06-watch-sendinitialevents"] {
                let recorded = try Transcript.load(name)
                let current = try await kube.get(widgetsPath)
                let events = try await kube.stream(recorded.path).collectToEnd(within: .seconds(30))
                #expect(types(events) == types(recorded.responseBody.arrayValue ?? []), "\(name)")
                let bookmark = events.last?["object"] ?? .null
                #expect(bookmark[path: ["metadata", "annotations"]] == ["k8s.io/initial-events-end": "true"], "\(name)")
                #expect(bookmark[path: ["metadata", "resourceVersion"]] == current.json[path: ["metadata", "resourceVersion"]], "\(name)")
                #expect(bookmark["kind"] == "Widget")
            }
        }
    }

    @Test("a too-old resourceVersion: the watch answers 200 with one ERROR 410 Expired; an exact list answers 410")
    func tooOldResourceVersion() async throws {
        try await withWidgets { kube in
            let recorded = try Transcript.load("06-watch-too-old-rv")
            let watch = try await kube.stream(recorded.path)
            #expect(watch.status == 200)
            let lines = try await watch.collectToEnd(within: .seconds(10))
            #expect(types(lines) == ["ERROR"])
            let status = StatusSummary(lines.first?["object"] ?? .null)
            #expect(status.code == 410)
            #expect(status.reason == "Expired")
            #expect(status.message?.hasPrefix("too old resource version: 1 (") == true, "\(status)")

            let list = try Transcript.load("06-list-rv1-exact-after-compaction")
            expectMatches(try await kube.send(list), list)
        }
    }

    @Test("with a small watch history, a burst of writes makes an older resourceVersion expire")
    func historyLimitExpiresOldVersions() async throws {
        try await withWidgets(testKubeConfiguration(watchHistoryLimit: 5)) { kube in
            let first = try await kube.post(widgetsPath, widget("burst-0"))
            let rv = try #require(resourceVersion(first.json))
            for i in 1...10 {
                #expect(try await kube.post(widgetsPath, widget("burst-\(i)")).status == 201)
            }
            let lines = try await kube.stream(widgetsPath + "?resourceVersion=\(rv)&watch=true&timeoutSeconds=5").collectToEnd()
            #expect(types(lines) == ["ERROR"])
            #expect(lines.first?[path: ["object", "code"]] == 410)
            // A recent resourceVersion still works.
            let latest = try await kube.get(widgetsPath)
            let watch = try await kube.stream(widgetsPath + "?resourceVersion=\(resourceVersion(latest.json)!)&watch=true&timeoutSeconds=5")
            #expect(try await kube.send("DELETE", widgetsPath + "/burst-0").status == 200)
            let next = try await watch.next()
            #expect(next?["type"] == "DELETED")
            watch.close()
        }
    }

    @Test("a label-selector watch turns a relabel out of the selection into DELETED and back into ADDED")
    func labelSelectorWatch() async throws {
        try await withWidgets { kube in
            let rv = try #require(resourceVersion(try await kube.get(widgetsPath).json))
            let watch = try await kube.stream(widgetsPath + "?labelSelector=tier%3Dgold&resourceVersion=\(rv)&watch=true&timeoutSeconds=10")
            #expect(try await kube.post(widgetsPath, widget("lw", labels: ["tier": "gold"])).status == 201)
            #expect(try await kube.post(widgetsPath, widget("other", labels: ["tier": "bronze"])).status == 201)
            for tier in ["silver", "gold"] {
                let relabel = try await kube.send(
                    "PATCH", widgetsPath + "/lw", json: ["metadata": ["labels": ["tier": .string(tier)]]],
                    contentType: "application/merge-patch+json")
                #expect(relabel.status == 200)
            }
            var seen = 0
            let events = try await watch.collect(until: { _ in seen += 1; return seen == 3 })
            watch.close()
            #expect(types(events) == ["ADDED", "DELETED", "ADDED"])
            #expect(events.allSatisfy { $0[path: ["object", "metadata", "name"]] == "lw" })
            // The DELETED event carries the object as it is now (out of the selection).
            #expect(events.dropFirst().first?[path: ["object", "metadata", "labels", "tier"]] == "silver")
        }
    }

    @Test("a Table watch sends one-row Tables with columnDefinitions only in the first event")
    func tableWatch() async throws {
        try await withWidgets { kube in
            let rv = try #require(resourceVersion(try await kube.get(widgetsPath).json))
            let watch = try await kube.stream(widgetsPath + "?resourceVersion=\(rv)&watch=true&timeoutSeconds=3", accept: tableAccept)
            #expect(try await kube.send(
                "PATCH", widgetsPath + "/w3", json: ["spec": ["size": 11]], contentType: "application/merge-patch+json").status == 200)
            #expect(try await kube.post(widgetsPath, widget("tw", color: "blue")).status == 201)
            #expect(try await kube.send("DELETE", widgetsPath + "/tw").status == 200)
            let events = try await watch.collectToEnd()
            let recorded = try Transcript.load("06-watch-table").responseBody.arrayValue ?? []
            #expect(types(events) == types(recorded))
            for (index, (actual, expected)) in zip(events, recorded).enumerated() {
                let table = actual["object"] ?? .null
                #expect(table["kind"] == "Table")
                #expect(table["apiVersion"] == "meta.k8s.io/v1")
                #expect(table["rows"]?.arrayValue?.count == 1)
                #expect(resourceVersion(table) != nil)
                if index == 0 {
                    #expect(table["columnDefinitions"]?.arrayValue?.map { $0["name"] } == ["Name", "Size", "Color", "Age"])
                } else {
                    #expect(table["columnDefinitions"] == .null, "event \(index) repeats the columns")
                }
                let cells = table["rows"]?.arrayValue?.first?["cells"]?.arrayValue ?? []
                let recordedCells = expected["object"]?["rows"]?.arrayValue?.first?["cells"]?.arrayValue ?? []
                #expect(Array(cells.prefix(3)) == Array(recordedCells.prefix(3)), "cells \(cells)")
                #expect(cells.last?.stringValue?.hasSuffix("s") == true, "age cell \(cells.last ?? .null)")
                #expect(table["rows"]?.arrayValue?.first?[path: ["object", "kind"]] == "PartialObjectMetadata")
            }
        }
    }

    @Test("lists: limit/continue pages with remainingItemCount; resourceVersion=0; an exact old list before compaction")
    func listPaging() async throws {
        try await withWidgets { kube in
            #expect(try await kube.post(widgetsPath, widget("kw2", size: 5, image: "redis:7")).status == 201)
            let first = try await kube.get(widgetsPath + "?limit=1")
            let recorded = try Transcript.load("06-list-limit-continue")
            expectMatches(first, recorded)
            #expect(first.json[path: ["metadata", "remainingItemCount"]] == 2)
            var names = (first.json["items"]?.arrayValue ?? []).compactMap { $0[path: ["metadata", "name"]]?.stringValue }
            var token = try #require(first.json[path: ["metadata", "continue"]]?.stringValue)
            while !token.isEmpty {
                let page = try await kube.get(widgetsPath + "?limit=1&continue=\(token)")
                #expect(page.status == 200, "\(page.text)")
                names += (page.json["items"]?.arrayValue ?? []).compactMap { $0[path: ["metadata", "name"]]?.stringValue }
                token = page.json[path: ["metadata", "continue"]]?.stringValue ?? ""
                if names.count > 3 { break }
            }
            #expect(names == ["kw2", "w1", "w3"])

            let rv0 = try Transcript.load("06-list-rv0")
            let any = try await kube.send(rv0)
            #expect(any.status == 200)
            #expect(any.json["kind"] == "WidgetList")
            #expect(any.json[path: ["metadata", "continue"]] == "")

            let bad = try await kube.get(widgetsPath + "?continue=not-a-token")
            #expect(bad.status == 400)
        }
    }
}
