import ArgumentParser
import Foundation
import KubeModel
import KubeRuntime
import Logging

/// The custom resource the EmbeddedKube benchmark writes.
enum BenchResource {
    static let group = "bench.quiver.dev"
    static let resource = GroupVersionResource(group: group, version: "v1", resource: "benchwidgets")
    static let namespace = "bench"

    static let crd: JSONValue = [
        "apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
        "metadata": ["name": "benchwidgets.bench.quiver.dev"],
        "spec": [
            "group": .string(group), "scope": "Namespaced",
            "names": ["plural": "benchwidgets", "singular": "benchwidget", "kind": "BenchWidget"],
            "versions": [[
                "name": "v1", "served": true, "storage": true,
                "schema": ["openAPIV3Schema": [
                    "type": "object",
                    "properties": ["spec": [
                        "type": "object",
                        "properties": [
                            "size": ["type": "integer", "minimum": 1],
                            "image": ["type": "string"],
                            "labels": ["type": "object", "additionalProperties": ["type": "string"]],
                        ],
                    ]],
                ]],
            ]],
        ],
    ]

    static func object(_ name: String) -> JSONValue {
        [
            "apiVersion": "bench.quiver.dev/v1", "kind": "BenchWidget",
            "metadata": ["name": .string(name), "namespace": .string(namespace), "labels": ["bench": "yes"]],
            "spec": ["size": 3, "image": "registry.example/quiver-embed:latest", "labels": ["tier": "gold"]],
        ]
    }

    static func client(kubeconfig: String) throws -> KubeClient {
        var configuration = try KubeConfiguration.fromKubeconfigFile(path: kubeconfig)
        configuration.qps = 0  // no client-side limit: we measure the server
        configuration.burst = 10_000
        var logger = Logger(label: "quiver-bench")
        logger.logLevel = .error
        return try KubeClient(configuration: configuration, logger: logger)
    }

    /// Namespace and CRD, then waits until the resource is served.
    static func prepare(_ client: KubeClient) async throws {
        let namespaces = GroupVersionResource(group: "", version: "v1", resource: "namespaces")
        do {
            _ = try await client.create(namespaces, ["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": .string(namespace)]])
        } catch let error as KubeAPIError where error.isAlreadyExists {}
        let crds = GroupVersionResource(group: "apiextensions.k8s.io", version: "v1", resource: "customresourcedefinitions")
        do {
            _ = try await client.create(crds, crd)
        } catch let error as KubeAPIError where error.isAlreadyExists {}
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline {
            if (try? await client.list(resource, namespace: namespace, options: ListOptions(limit: 1))) != nil { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw ValidationError("the benchmark CRD did not become served within 30 s")
    }
}

/// `quiver-bench kube-creates --kubeconfig F [--objects 2000] [--clients 8] [--lists 20]`
///
/// Against the API server the kubeconfig names: creates N custom resources from C parallel
/// clients while an informer (list + watch) follows them, then lists all of them L times.
/// Prints one JSON line with creates/s, how long after the last acknowledged create the informer
/// had seen every object, and list latencies.
struct KubeCreates: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kube-creates", abstract: "Create custom resources in parallel; informer catch-up; list latency.")

    @Option var kubeconfig: String
    @Option var objects = 2000
    @Option var clients = 8
    @Option var lists = 20

    func run() async throws {
        let client = try BenchResource.client(kubeconfig: kubeconfig)
        try await BenchResource.prepare(client)
        let informer = Informer(source: InformerSource<JSONValue>.dynamic(BenchResource.resource, client: client, namespace: BenchResource.namespace))
        let informerTask = Task { await informer.run() }
        _ = await informer.waitForSync()
        let baseline = await informer.list().count
        let runID = String(UInt32.random(in: 0...UInt32.max), radix: 36)

        let start = ContinuousClock.now
        let perClient = (objects + clients - 1) / clients
        try await withThrowingTaskGroup(of: Void.self) { group in
            for c in 0..<clients {
                group.addTask {
                    for i in 0..<perClient where c * perClient + i < objects {
                        _ = try await client.create(BenchResource.resource, BenchResource.object("w-\(runID)-\(c)-\(i)"), namespace: BenchResource.namespace)
                    }
                }
            }
            try await group.waitForAll()
        }
        let lastAck = ContinuousClock.now
        let createSeconds = seconds(start.duration(to: lastAck))

        var caughtUp: Double = -1
        let deadline = lastAck + .seconds(30)
        while ContinuousClock.now < deadline {
            if await informer.list().count >= baseline + objects {
                caughtUp = seconds(lastAck.duration(to: .now))
                break
            }
            try await Task.sleep(for: .milliseconds(1))
        }
        informerTask.cancel()
        await informer.stop()

        // List latency: the whole collection, body read in full (not decoded), as a client sees it.
        var latencies: [Double] = []
        var listedItems = 0
        for i in 0..<(lists + 2) {
            let t0 = ContinuousClock.now
            let response = try await client.send(KubeRequest(method: .get, path: "/apis/bench.quiver.dev/v1/namespaces/\(BenchResource.namespace)/benchwidgets"))
            let t = seconds(t0.duration(to: .now))
            guard response.status == 200 else { throw ValidationError("list answered \(response.status)") }
            if i >= 2 { latencies.append(t) }  // two warm-up lists
            if i == 0 { listedItems = (try? JSONValue(parsing: response.body))?["items"]?.arrayValue?.count ?? -1 }
        }
        latencies.sort()
        try await client.shutdown()
        let result: JSONValue = [
            "objects": .int(Int64(objects)), "clients": .int(Int64(clients)),
            "create_seconds": .double(createSeconds), "creates_per_second": .double(Double(objects) / createSeconds),
            "informer_caught_up_after_last_create_seconds": .double(caughtUp),
            "listed_items": .int(Int64(listedItems)),
            "list_p50_ms": .double(latencies[latencies.count / 2] * 1000),
            "list_p95_ms": .double(latencies[min(latencies.count - 1, latencies.count * 95 / 100)] * 1000),
        ]
        print(result.serializedString())
    }

    private func seconds(_ d: Duration) -> Double {
        Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
    }
}

/// `quiver-bench kube-durability --kubeconfig F --acked FILE [--verify]`
///
/// Without --verify: creates objects from 4 clients until the server goes away, appending the name
/// of each acknowledged create to FILE (flushed per line). With --verify: reads FILE and checks
/// that every listed object exists; prints `{"acked":N,"missing":M}` and fails when M > 0.
struct KubeDurability: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kube-durability", abstract: "Write until the server is killed, or verify acknowledged writes survived.")

    @Option var kubeconfig: String
    @Option var acked: String
    @Flag var verify = false

    func run() async throws {
        let client = try BenchResource.client(kubeconfig: kubeconfig)
        if verify {
            let names = try String(contentsOfFile: acked, encoding: .utf8).split(separator: "\n").map(String.init)
            let list = try await client.listAll(BenchResource.resource, namespace: BenchResource.namespace)
            let present = Set(list.items.compactMap { $0[path: ["metadata", "name"]]?.stringValue })
            let missing = names.filter { !present.contains($0) }
            try await client.shutdown()
            print((["acked": .int(Int64(names.count)), "missing": .int(Int64(missing.count))] as JSONValue).serializedString())
            if !missing.isEmpty { throw ExitCode.failure }
            return
        }
        try await BenchResource.prepare(client)
        _ = FileManager.default.createFile(atPath: acked, contents: nil)
        guard let handle = FileHandle(forWritingAtPath: acked) else { throw ValidationError("cannot write \(acked)") }
        let sink = AckSink(handle: handle)
        print("writing", terminator: "\n")
        fflush(nil)
        await withTaskGroup(of: Void.self) { group in
            for c in 0..<4 {
                group.addTask {
                    var i = 0
                    while true {
                        let name = "d-\(c)-\(i)-\(UInt16.random(in: 0...UInt16.max))"
                        do {
                            _ = try await client.create(BenchResource.resource, BenchResource.object(name), namespace: BenchResource.namespace)
                        } catch {
                            return
                        }
                        await sink.record(name)
                        i += 1
                    }
                }
            }
        }
        try? await client.shutdown()
    }
}

/// Appends acknowledged names, one write(2) per line, so a kill of the server loses none of them.
actor AckSink {
    let handle: FileHandle
    init(handle: FileHandle) { self.handle = handle }
    func record(_ name: String) {
        handle.write(Data((name + "\n").utf8))
    }
}
