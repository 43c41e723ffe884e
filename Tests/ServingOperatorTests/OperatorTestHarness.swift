import EmbeddedKube
import Foundation
import KubeModel
import KubeRuntime
import Logging
import ServiceLifecycle
import ServingAPI
import ServingOperator
import Synchronization
import Testing

struct OperatorHarnessError: Error, CustomStringConvertible {
    var description: String
}

/// A running EmbeddedKube (in memory, loopback, plain HTTP), a client for it, and the operator.
struct OperatorKube: Sendable {
    let port: Int
    let server: EmbeddedKube
    let client: KubeClient

    static let crds = GroupVersionResource(group: "apiextensions.k8s.io", version: "v1", resource: "customresourcedefinitions")
    static let appsDeployments = GroupVersionResource(group: "apps", version: "v1", resource: "deployments")
    static let services = GroupVersionResource(group: "", version: "v1", resource: "services")

    static func clientConfiguration(port: Int, server: EmbeddedKube, token: String? = nil) -> KubeConfiguration {
        KubeConfiguration(
            server: "http://127.0.0.1:\(port)", certificateAuthority: nil,
            credentials: .init(bearerToken: token ?? server.adminToken), namespace: "default", qps: 0, burst: 1,
            requestTimeout: .seconds(20), connectTimeout: .seconds(5), userAgent: "quiver-operator-tests",
            retry: RetryPolicy(maximumAttempts: 3, initialDelay: .milliseconds(20)))
    }

    /// Every `manifests/crd/*.yaml`, created and waited for until Established and served.
    func installCRDs() async throws {
        try await installCRDs(from: Fixtures.repositoryRoot.appendingPathComponent("manifests/crd"))
    }

    /// KServe's InferenceService kind (a test resource), created and waited for until Established.
    func installInferenceServiceCRD() async throws {
        try await installCRDs(from: Fixtures.testsDirectory.appendingPathComponent("Resources/kserve"))
    }

    func installCRDs(from directory: URL) async throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".yaml") }.sorted()
        var names: [String] = []
        for file in files {
            for document in try RenderYAML.parseAll(Fixtures.text(directory.appendingPathComponent(file))) where document != .null {
                _ = try await client.create(Self.crds, document)
                names.append(document[path: ["metadata", "name"]]?.stringValue ?? "")
            }
        }
        for name in names {
            let established = try await operatorPoll {
                let crd = try await client.get(Self.crds, name: name)
                return (crd[path: ["status", "conditions"]]?.arrayValue ?? []).contains {
                    $0["type"] == "Established" && $0["status"] == "True"
                }
            }
            try #require(established, "CRD \(name) did not become Established")
        }
        let served = try await operatorPoll {
            do {
                _ = try await client.list(V1Alpha1.Deployment.self, namespace: "default")
                _ = try await client.list(V1Alpha1.ResourcePlan.self)
                return true
            } catch let error as KubeAPIError where error.isNotFound {
                return false
            }
        }
        try #require(served, "the quiver.dev resources are not served")
    }

    /// The default ResourcePlans and the given templates.
    func installPlansAndTemplates(_ templates: [V1Alpha1.ServingTemplate]) async throws {
        for plan in try Fixtures.resourcePlans().values { _ = try await client.create(plan) }
        for template in templates { _ = try await client.create(template) }
    }
}

/// Runs `body` with EmbeddedKube up (namespace `default` present) and nothing else running.
func withOperatorKube<R: Sendable>(
    tokens: [StaticToken] = [], _ body: @Sendable (OperatorKube) async throws -> R
) async throws -> R {
    var logger = Logger(label: "quiver-operator-tests")
    logger.logLevel = .critical
    let configuration = EmbeddedKubeConfiguration(
        dataDirectory: nil, host: "127.0.0.1", port: 0, tokens: tokens, watchHistoryLimit: 10_000, bookmarkIntervalSeconds: 60, useTLS: false)
    let (started, startedContinuation) = AsyncStream<(Int, EmbeddedKube)>.makeStream()
    let app = try await buildEmbeddedKube(configuration: configuration, logger: logger) { port, server in
        startedContinuation.yield((port, server))
    }
    let group = ServiceGroup(configuration: .init(services: [app], logger: logger))
    return try await withThrowingTaskGroup(of: Void.self, returning: R.self) { tasks in
        tasks.addTask {
            defer { startedContinuation.finish() }
            try await group.run()
        }
        let result: Result<R, any Error>
        do {
            let first = try await withThrowingTaskGroup(of: (Int, EmbeddedKube)?.self) { wait in
                wait.addTask {
                    for await value in started { return value }
                    return nil
                }
                wait.addTask {
                    try await Task.sleep(for: .seconds(60))
                    throw OperatorHarnessError(description: "EmbeddedKube did not start within 60 s")
                }
                defer { wait.cancelAll() }
                return try await wait.next()!
            }
            guard let (port, server) = first else { throw OperatorHarnessError(description: "EmbeddedKube stopped before listening") }
            let client = try KubeClient(configuration: OperatorKube.clientConfiguration(port: port, server: server), logger: logger)
            do {
                do {
                    _ = try await client.create(Namespace(metadata: ObjectMeta(name: "default")))
                } catch let error as KubeAPIError where error.isAlreadyExists {}
                result = .success(try await body(OperatorKube(port: port, server: server, client: client)))
            } catch {
                result = .failure(error)
            }
            try? await client.shutdown()
        } catch {
            result = .failure(error)
        }
        await group.triggerGracefulShutdown()
        tasks.addTask { try? await Task.sleep(for: .seconds(20)) }
        _ = try? await tasks.next()
        tasks.cancelAll()
        while (try? await tasks.next()) != nil {}
        return try result.get()
    }
}

/// Runs `body` with the operator running against `kube` (its own client, with `token` or the
/// admin's), then stops it. `logs` collects what the operator logs at warning and above.
func withOperator<R: Sendable>(
    _ kube: OperatorKube, configuration: OperatorConfiguration, now: @escaping @Sendable () -> Date = { Date() },
    token: String? = nil, logs: CollectedLogs? = nil, _ body: @Sendable () async throws -> R
) async throws -> R {
    var logger = logs.map { logs in Logger(label: "quiver-operator") { _ in CollectingLogHandler(logs: logs) } } ?? Logger(label: "quiver-operator")
    logger.logLevel = logs == nil ? .critical : .warning
    let client = try KubeClient(
        configuration: OperatorKube.clientConfiguration(port: kube.port, server: kube.server, token: token), logger: logger)
    let quiverOperator = buildOperator(configuration: configuration, client: client, logger: logger, now: now)
    let task = Task { try await quiverOperator.run() }
    let result: Result<R, any Error>
    do {
        result = .success(try await body())
    } catch {
        result = .failure(error)
    }
    task.cancel()
    _ = await task.result
    try? await client.shutdown()
    return try result.get()
}

/// Polls `condition` every 50 ms until it holds or `timeout` passes; returns whether it held.
func operatorPoll(
    within timeout: Duration = .seconds(20), every interval: Duration = .milliseconds(50), _ condition: () async throws -> Bool
) async rethrows -> Bool {
    let deadline = ContinuousClock.now + timeout
    while true {
        if try await condition() { return true }
        if ContinuousClock.now >= deadline { return false }
        try? await Task.sleep(for: interval)
    }
}

/// Log lines a test inspects.
final class CollectedLogs: Sendable {
    private let lines = Mutex<[String]>([])
    var all: [String] { lines.withLock { $0 } }
    func append(_ line: String) { lines.withLock { $0.append(line) } }
}

struct CollectingLogHandler: LogHandler {
    let logs: CollectedLogs
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .warning

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(level: Logger.Level, message: Logger.Message, metadata: Logger.Metadata?, source: String, file: String, function: String, line: UInt) {
        let all = self.metadata.merging(metadata ?? [:]) { _, new in new }
        logs.append("\(level) \(message) \(all.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " "))")
    }
}
