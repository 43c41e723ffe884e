import ArgumentParser
import ControlPlane
import Foundation
import Hummingbird
import KubeModel
import KubeRuntime
import Logging
import ServiceLifecycle
import ServingAPI
import ServingOperator
import Synchronization

/// `quiver operator`: the reconcilers against a cluster (kubeconfig or in-cluster).
struct OperatorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "operator",
        abstract: "Run the Quiver operator, its REST API and the inference gateway.",
        discussion: """
            Reconciles quiver.dev Deployments and Configurations into apps/v1 Deployments and Services
            (or KServe InferenceServices). With leader election (the default) only the replica holding
            the Lease reconciles; the others wait on standby. Losing the lease exits non-zero, so
            Kubernetes restarts the pod. Every replica serves the AI Core-style REST API (/v2/lm,
            /v2/admin) and the gateway (/v2/inference) on --api-address.
              quiver operator --kubeconfig /tmp/kube/kubeconfig --leader-election-namespace default
              quiver operator --kubeconfig /tmp/kube/kubeconfig --no-leader-elect --token-file tokens
            """
    )

    @Option(help: "Kubeconfig file (default: $KUBECONFIG, else in-cluster when KUBERNETES_SERVICE_HOST is set, else ~/.kube/config).")
    var kubeconfig: String?

    @Option(help: "Kubeconfig context (default: its current-context).")
    var context: String?

    @Option(help: "Namespace to watch (default: all namespaces).")
    var namespace: String?

    @Option(name: .customLong("api-base-url"), help: "Base URL of the control-plane API; status.deploymentUrl is <URL>/v2/inference/deployments/<name>.")
    var apiBaseURL: String = "http://127.0.0.1:8080"

    @Option(name: .customLong("serving-backend"), help: "auto, native or kserve: what a Deployment becomes (auto: KServe InferenceServices when the cluster serves that kind, else apps/v1 Deployments and Services).")
    var servingBackend: String = "auto"

    @Flag(inversion: .prefixedNo, help: "Campaign for a Lease; only its holder reconciles.")
    var leaderElect = true

    @Option(name: .customLong("leader-election-namespace"), help: "Namespace of the leader-election Lease (it must exist).")
    var leaderElectionNamespace: String = "quiver-system"

    @Option(name: .customLong("leader-election-id"), help: "Name of the leader-election Lease.")
    var leaderElectionID: String = "quiver-operator"

    @Option(name: .customLong("health-address"), help: "HOST:PORT serving /healthz, /readyz and /metrics.")
    var healthAddress: String = "0.0.0.0:8081"

    @Option(name: .customLong("api-address"), help: "HOST:PORT of the control-plane REST API and inference gateway (/v2/lm, /v2/admin, /v2/inference), or \"off\".")
    var apiAddress: String = "0.0.0.0:8080"

    @Option(name: .customLong("token-file"), help: "Local mode: authenticate API callers from this file (lines `sha256:<hex>,<user>,<group>[;<group>…]`, see `quiver token generate`) instead of with TokenReviews. Authorization is the cluster's RBAC either way.")
    var tokenFile: String?

    @Option(name: .customLong("gateway-upstream"), help: "Where the gateway sends a deployment's requests; {id} and {namespace} are replaced. Default: the deployment's Service by cluster DNS.")
    var gatewayUpstream: String = "http://{id}.{namespace}.svc:80"

    @Option(help: "Reconciles per controller that may run at once.")
    var workers: Int = 8

    @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning, error or critical.")
    var logLevel: String = "info"

    func validate() throws {
        guard Logger.Level(rawValue: logLevel) != nil else { throw ValidationError("unknown --log-level \(logLevel)") }
        _ = try backend()
        _ = try Self.parseAddress(healthAddress)
        if apiAddress != "off" { _ = try Self.parseAddress(apiAddress, flag: "--api-address") }
        if let tokenFile { _ = try Self.readTokenFile(tokenFile) }
        guard (1...256).contains(workers) else { throw ValidationError("--workers must be from 1 to 256") }
        guard let upstream = URL(string: gatewayUpstream.replacingOccurrences(of: "{id}", with: "x").replacingOccurrences(of: "{namespace}", with: "y")),
              ["http", "https"].contains(upstream.scheme ?? ""), upstream.host?.isEmpty == false
        else { throw ValidationError("--gateway-upstream \(gatewayUpstream) is not an http(s) URL template") }
        guard let url = URL(string: apiBaseURL), let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https",
              url.host?.isEmpty == false
        else {
            throw ValidationError("--api-base-url \(apiBaseURL) is not an http(s) URL")
        }
        if let namespace, namespace.isEmpty { throw ValidationError("--namespace must not be empty (leave it out to watch every namespace)") }
        if leaderElect {
            guard !leaderElectionNamespace.isEmpty else { throw ValidationError("--leader-election-namespace must not be empty") }
            guard !leaderElectionID.isEmpty else { throw ValidationError("--leader-election-id must not be empty") }
        }
    }

    func backend() throws -> ServingBackendChoice {
        guard let choice = ServingBackendChoice(rawValue: servingBackend) else {
            throw ValidationError("unknown --serving-backend \(servingBackend): use auto, native or kserve")
        }
        return choice
    }

    /// `HOST:PORT`, `[IPv6]:PORT` or `:PORT` (all interfaces).
    static func parseAddress(_ text: String, flag: String = "--health-address") throws -> (host: String, port: Int) {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]), (0...65535).contains(port) else {
            throw ValidationError("\(flag) \(text) is not HOST:PORT")
        }
        var host = String(text[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        return (host.isEmpty ? "0.0.0.0" : host, port)
    }

    static func readTokenFile(_ path: String) throws -> TokenFile {
        let text = try readFlagFile(path, flag: "--token-file")
        do {
            return try TokenFile.parse(text)
        } catch {
            throw ValidationError("--token-file \(path): \(error)")
        }
    }

    /// The flags, then the environment: --kubeconfig, $KUBECONFIG, in-cluster, ~/.kube/config.
    func kubeConfiguration(environment: [String: String]) throws -> (KubeConfiguration, source: String) {
        func file(_ path: String) throws -> (KubeConfiguration, source: String) {
            do {
                return (try KubeConfiguration.fromKubeconfigFile(path: path, context: context), path)
            } catch {
                throw ValidationError("kubeconfig \(path): \(error)")
            }
        }
        if let kubeconfig { return try file(kubeconfig) }
        if let paths = environment["KUBECONFIG"], let first = paths.split(separator: ":").first(where: { !$0.isEmpty }) {
            return try file(String(first))
        }
        if let host = environment["KUBERNETES_SERVICE_HOST"], !host.isEmpty {
            guard context == nil else { throw ValidationError("--context needs a kubeconfig (this process runs in-cluster)") }
            do {
                return (try KubeConfiguration.inCluster(environment: environment), "in-cluster")
            } catch {
                throw ValidationError("in-cluster configuration: \(error)")
            }
        }
        let home = environment["HOME"] ?? NSHomeDirectory()
        let path = (home as NSString).appendingPathComponent(".kube/config")
        guard FileManager.default.fileExists(atPath: path) else {
            throw ValidationError("no cluster to talk to: pass --kubeconfig, set KUBECONFIG, run in a pod, or create \(path)")
        }
        return try file(path)
    }

    func run() async throws {
        var logger = Logger(label: "quiver-operator")
        logger.logLevel = Logger.Level(rawValue: logLevel) ?? .info
        let (kube, source) = try kubeConfiguration(environment: ProcessInfo.processInfo.environment)
        let client = try KubeClient(configuration: kube, logger: logger)
        do {
            try await run(client: client, kube: kube, source: source, logger: logger)
        } catch {
            try? await client.shutdown()
            throw error
        }
        try? await client.shutdown()
    }

    func run(client: KubeClient, kube: KubeConfiguration, source: String, logger: Logger) async throws {
        // Fail early, with a clear message, on what would otherwise only show as retries in the logs.
        try await preflight(client: client, server: kube.server, source: source)

        let backend: ServingBackend
        do {
            backend = try await ServingBackend.resolve(try self.backend(), client: client, namespace: namespace)
        } catch let error as ServingBackendError {
            throw ValidationError(error.description)
        }
        let configuration = OperatorConfiguration(
            namespace: namespace, apiBaseURL: apiBaseURL, renderOptions: RenderOptions(backend: backend), workers: workers)
        let quiverOperator = buildOperator(configuration: configuration, client: client, logger: logger)
        let state = OperatorState()
        let identity = "\(ProcessInfo.processInfo.hostName)_\(String(UInt32.random(in: .min ... .max), radix: 16))"
        let (host, port) = try Self.parseAddress(healthAddress)

        let health = Application(
            router: Self.healthRouter(state: state, operator: quiverOperator),
            configuration: .init(address: .hostname(host, port: port), serverName: "quiver-operator"),
            onServerRunning: { [logger] channel in
                logger.info("health endpoints listening", metadata: ["address": "\(channel.localAddress?.description ?? "")"])
            },
            logger: logger)
        let election = leaderElect
            ? LeaderElectionConfiguration(leaseName: leaderElectionID, leaseNamespace: leaderElectionNamespace, identity: identity)
            : nil
        let service = OperatorService(
            quiverOperator: quiverOperator, client: client, election: election, state: state, logger: logger)
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = [.init(service: health)]
        // The API's own client: its reads and reviews are cached, but a burst of new callers should
        // not queue behind the reconcilers' rate limit (nor they behind it).
        var apiKube = kube
        apiKube.qps = max(kube.qps, 200)
        apiKube.burst = max(kube.burst, 400)
        let apiClient = apiAddress == "off" ? nil : try KubeClient(configuration: apiKube, logger: logger)
        if let apiClient {
            let (apiHost, apiPort) = try Self.parseAddress(apiAddress, flag: "--api-address")
            let authentication: ControlPlaneConfiguration.Authentication = try tokenFile.map { .tokenFile(try Self.readTokenFile($0)) } ?? .tokenReview
            let api = buildControlPlane(
                configuration: ControlPlaneConfiguration(
                    host: apiHost, port: apiPort, authentication: authentication, apiBaseURL: apiBaseURL,
                    gateway: GatewayConfiguration(upstream: { [gatewayUpstream] namespace, id in
                        gatewayUpstream.replacingOccurrences(of: "{id}", with: id).replacingOccurrences(of: "{namespace}", with: namespace)
                    })),
                client: apiClient, logger: logger
            ) { [logger] port in
                logger.info("control-plane API listening", metadata: ["address": "\(apiHost):\(port)", "auth": "\(tokenFile == nil ? "TokenReview" : "token file")"])
            }
            services.append(.init(service: api))
        }
        logger.info("starting", metadata: [
            "cluster": "\(kube.server)", "backend": "\(backend.rawValue)", "namespace": "\(namespace ?? "(all)")", "identity": "\(identity)",
            "leaderElection": "\(leaderElect ? "\(leaderElectionNamespace)/\(leaderElectionID)" : "off")",
        ])
        let group = ServiceGroup(configuration: .init(
            services: services + [.init(service: service, successTerminationBehavior: .gracefullyShutdownGroup)],
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger))
        do {
            try await group.run()
        } catch {
            try? await apiClient?.shutdown()
            throw error
        }
        try? await apiClient?.shutdown()
        logger.info("stopped")
    }

    /// The API server answers, the CRDs are installed and (with leader election) the Lease's namespace exists.
    func preflight(client: KubeClient, server: String, source: String) async throws {
        do {
            _ = try await client.list(V1Alpha1.Deployment.self, namespace: namespace, options: ListOptions(limit: 1))
        } catch let error as KubeAPIError where error.isNotFound {
            throw ValidationError("the quiver.dev CRDs are not installed on \(server): kubectl apply -f manifests/crd/")
        } catch {
            throw ValidationError("cannot reach the API server \(server) (from \(source)): \(error)")
        }
        guard leaderElect else { return }
        do {
            _ = try await client.get(Namespace.self, name: leaderElectionNamespace)
        } catch let error as KubeAPIError where error.isNotFound {
            throw ValidationError(
                "the leader-election namespace \(leaderElectionNamespace) does not exist: create it (kubectl create namespace \(leaderElectionNamespace)) or pass --leader-election-namespace")
        } catch {
            throw ValidationError("cannot read namespace \(leaderElectionNamespace): \(error)")
        }
    }

    static func healthRouter(state: OperatorState, operator quiverOperator: QuiverOperator) -> Router<BasicRequestContext> {
        let router = Router()
        router.get("healthz") { _, _ in "ok" }
        router.get("readyz") { _, _ -> Response in
            let ready = state.ready.load(ordering: .relaxed)
            return Response(
                status: ready ? .ok : .serviceUnavailable,
                body: .init(byteBuffer: ByteBuffer(string: ready ? "ok" : "not ready")))
        }
        router.get("metrics") { _, _ -> Response in
            let text = """
                # HELP quiver_operator_leader Whether this replica holds the leader-election lease (1) or not (0).
                # TYPE quiver_operator_leader gauge
                quiver_operator_leader \(state.leading.load(ordering: .relaxed) ? 1 : 0)
                # HELP quiver_operator_deployment_reconciles_total Reconciles of quiver Deployments.
                # TYPE quiver_operator_deployment_reconciles_total counter
                quiver_operator_deployment_reconciles_total \(quiverOperator.metrics.reconciles)
                # HELP quiver_operator_deployment_reconcile_errors_total Reconciles of quiver Deployments that failed.
                # TYPE quiver_operator_deployment_reconcile_errors_total counter
                quiver_operator_deployment_reconcile_errors_total \(quiverOperator.metrics.reconcileErrors)

                """
            return Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(string: text)))
        }
        return router
    }
}

/// What the health endpoints report.
final class OperatorState: Sendable {
    let ready = Atomic<Bool>(false)
    let leading = Atomic<Bool>(false)
}

struct LostLeadership: Error, CustomStringConvertible {
    var description: String { "lost the leader-election lease; exiting so that a fresh process campaigns again" }
}

/// Runs the operator: directly, or while holding the Lease. Returns on graceful shutdown (releasing
/// the lease), throws `LostLeadership` when the lease is lost otherwise.
struct OperatorService: ServiceLifecycle.Service {
    let quiverOperator: QuiverOperator
    let client: KubeClient
    let election: LeaderElectionConfiguration?
    let state: OperatorState
    let logger: Logger

    func run() async throws {
        try await cancelWhenGracefulShutdown {
            guard let election else {
                state.leading.store(true, ordering: .relaxed)
                let quiverOperator = quiverOperator
                let state = state
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask { try await quiverOperator.run() }
                    // Ready once the caches the reconcilers read from are filled.
                    group.addTask { if await quiverOperator.waitForSync() { state.ready.store(true, ordering: .relaxed) } }
                    try await group.waitForAll()
                }
                return
            }
            let elector = LeaderElector(configuration: election, client: client, logger: logger)
            let changes = await elector.leadershipChanges()
            // A standby replica is ready too: it is up and campaigning.
            state.ready.store(true, ordering: .relaxed)
            let quiverOperator = quiverOperator
            let state = state
            let logger = logger
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    await elector.run(onStartedLeading: {
                        logger.info("leading: starting the reconcilers")
                        try? await quiverOperator.run()
                    })
                }
                group.addTask {
                    var led = false
                    for await leading in changes {
                        state.leading.store(leading, ordering: .relaxed)
                        if leading {
                            led = true
                        } else if led, !Task.isCancelled {
                            throw LostLeadership()
                        }
                    }
                }
                _ = try await group.next()
                group.cancelAll()
                try await group.waitForAll()
            }
        }
    }
}
