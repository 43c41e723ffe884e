import ArgumentParser
import EmbeddedKube
import Foundation
import Hummingbird
import KubeModel
import KubeRuntime
import Logging
import ServiceLifecycle
import ServingAPI
import ServingOperator

/// `quiver-bench operator-renders --manifests DIR --templates DIR [--deployments 500]`
///
/// Starts EmbeddedKube (in memory) and the operator in this process, installs the CRDs, the
/// default ResourcePlans, the quiver-embed CPU template, an Artifact and a Configuration, then
/// creates N quiver Deployments at once and records, for each, the time from its create being
/// acknowledged to its apps/v1 Deployment appearing (rendered). Prints one JSON line: p50/p99
/// create-to-rendered latency, total time, and Deployment reconciles per second.
struct OperatorRenders: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "operator-renders", abstract: "Create N Deployments at once; time until each is rendered.")

    @Option(help: "The repository's manifests/ directory.")
    var manifests: String

    @Option(help: "The repository's templates/ directory.")
    var templates: String

    @Option var deployments = 500
    @Option var clients = 16
    @Option(help: "Deployment reconciles at once (quiver operator --workers).") var workers = 16

    func run() async throws {
        var logger = Logger(label: "quiver-bench")
        logger.logLevel = .critical
        let (portStream, portContinuation) = AsyncStream<(Int, EmbeddedKube)>.makeStream()
        let app = try await buildEmbeddedKube(
            configuration: EmbeddedKubeConfiguration(port: 0, useTLS: false), logger: logger
        ) { port, server in portContinuation.yield((port, server)) }
        let serverTask = Task { try await app.runService() }
        defer { serverTask.cancel() }
        var iterator = portStream.makeAsyncIterator()
        guard let (port, server) = await iterator.next() else { throw ValidationError("EmbeddedKube did not start") }

        let client = try KubeClient(configuration: KubeConfiguration(
            server: "http://127.0.0.1:\(port)", credentials: .init(bearerToken: server.adminToken), namespace: "default",
            qps: 0, burst: 1), logger: logger)
        try await install(client)

        let op = buildOperator(
            configuration: OperatorConfiguration(namespace: "default", apiBaseURL: "http://127.0.0.1:8080", workers: workers),
            client: client, logger: logger)
        let operatorTask = Task { try await op.run() }
        defer { operatorTask.cancel() }

        // Watch rendered workloads from now on.
        let apps = GroupVersionResource(group: "apps", version: "v1", resource: "deployments")
        let listRV = try await client.list(apps, namespace: "default").metadata.resourceVersion ?? "0"
        let rendered = RenderClock()
        let watchTask = Task {
            let stream = try await client.watch(apps, namespace: "default", options: ListOptions(resourceVersion: listRV, timeoutSeconds: 600))
            for try await event in stream where event.type == .added {
                if let name = event.object[path: ["metadata", "name"]]?.stringValue { await rendered.mark(name) }
            }
        }
        defer { watchTask.cancel() }

        let created = RenderClock()
        let start = ContinuousClock.now
        let reconcilesBefore = op.metrics.reconciles
        try await withThrowingTaskGroup(of: Void.self) { group in
            for c in 0..<clients {
                group.addTask {
                    var i = c
                    while i < deployments {
                        let name = "bench-\(i)"
                        let d = V1Alpha1.Deployment(
                            metadata: ObjectMeta(name: name, namespace: "default"),
                            spec: .init(configurationId: "minilm-cpu"))
                        _ = try await client.create(d)
                        await created.mark(name)
                        i += clients
                    }
                }
            }
            try await group.waitForAll()
        }
        let createsDone = ContinuousClock.now
        let deadline = ContinuousClock.now + .seconds(300)
        while await rendered.count < deployments, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(5))
        }
        let end = ContinuousClock.now
        let reconciles = op.metrics.reconciles - reconcilesBefore
        var latencies: [Double] = []
        for (name, t) in await created.times {
            if let r = await rendered.times[name] { latencies.append(Self.seconds(t.duration(to: r)) * 1000) }
        }
        latencies.sort()
        guard !latencies.isEmpty else { throw ValidationError("no Deployment was rendered") }
        let total = Self.seconds(start.duration(to: end))
        let result: JSONValue = [
            "deployments": .int(Int64(deployments)), "rendered": .int(Int64(latencies.count)),
            "create_to_rendered_p50_ms": .double(latencies[latencies.count / 2]),
            "create_to_rendered_p99_ms": .double(latencies[min(latencies.count - 1, latencies.count * 99 / 100)]),
            "creates_seconds": .double(Self.seconds(start.duration(to: createsDone))),
            "total_seconds": .double(total),
            "reconciles": .int(Int64(reconciles)),
            "reconciles_per_second": .double(Double(reconciles) / total),
        ]
        print(result.serializedString())
        watchTask.cancel()
        operatorTask.cancel()
        _ = await operatorTask.result
    }

    static func seconds(_ d: Duration) -> Double {
        Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
    }

    private func install(_ client: KubeClient) async throws {
        let crds = GroupVersionResource(group: "apiextensions.k8s.io", version: "v1", resource: "customresourcedefinitions")
        let crdDirectory = (manifests as NSString).appendingPathComponent("crd")
        for file in try FileManager.default.contentsOfDirectory(atPath: crdDirectory).sorted() where file.hasSuffix(".yaml") {
            for doc in try RenderYAML.parseAll(String(contentsOfFile: (crdDirectory as NSString).appendingPathComponent(file), encoding: .utf8)) where doc != .null {
                _ = try await client.create(crds, doc)
            }
        }
        // Wait until the kinds are served.
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline {
            if (try? await client.list(V1Alpha1.Deployment.self, namespace: "default")) != nil,
               (try? await client.list(V1Alpha1.ResourcePlan.self)) != nil,
               (try? await client.list(V1Alpha1.ServingTemplate.self)) != nil,
               (try? await client.list(V1Alpha1.Configuration.self, namespace: "default")) != nil,
               (try? await client.list(V1Alpha1.Artifact.self, namespace: "default")) != nil { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        let plans = try RenderYAML.parseAll(String(contentsOfFile: (manifests as NSString).appendingPathComponent("resourceplans/default.yaml"), encoding: .utf8))
        for plan in plans where plan != .null { _ = try await client.create(try plan.decode(as: V1Alpha1.ResourcePlan.self)) }
        let template = try RenderYAML.parse(String(contentsOfFile: (templates as NSString).appendingPathComponent("quiver-embed-cpu.yaml"), encoding: .utf8))
        _ = try await client.create(try template.decode(as: V1Alpha1.ServingTemplate.self))
        let executable = try template.decode(as: V1Alpha1.ServingTemplate.self)
        _ = try await client.create(V1Alpha1.Artifact(
            metadata: ObjectMeta(name: "all-minilm-l6-v2", namespace: "default"),
            spec: .init(name: "all-MiniLM-L6-v2", kind: .model, url: "hf://sentence-transformers/all-MiniLM-L6-v2")))
        _ = try await client.create(V1Alpha1.Configuration(
            metadata: ObjectMeta(name: "minilm-cpu", namespace: "default"),
            spec: .init(
                name: "all-MiniLM-L6-v2 on CPU", scenarioId: executable.scenarioID ?? "", executableId: executable.executableID ?? "",
                parameterBindings: [.init(key: "servedModelName", value: "all-MiniLM-L6-v2")],
                inputArtifactBindings: [.init(key: "model", artifactId: "all-minilm-l6-v2")])))
    }
}

/// When each named thing happened.
actor RenderClock {
    private(set) var times: [String: ContinuousClock.Instant] = [:]
    var count: Int { times.count }
    func mark(_ name: String) { if times[name] == nil { times[name] = .now } }
}
