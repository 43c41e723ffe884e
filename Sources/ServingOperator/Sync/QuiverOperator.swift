import Foundation
import KubeModel
import KubeRuntime
import Logging
import ServingAPI

/// The operator's informers and controllers, wired together: quiver Deployments, Configurations
/// and ServingTemplates, plus the apps/v1 Deployments and pods it manages. `run()` runs them all
/// until the task is cancelled. (Leader election is the caller's business.)
public final class QuiverOperator: Sendable {
    public static let managedBySelector = "\(RenderMetadata.managedByLabel)=\(RenderMetadata.managedByValue)"

    public let configuration: OperatorConfiguration
    let deployments: Informer<V1Alpha1.Deployment>
    let configurations: Informer<V1Alpha1.Configuration>
    let templates: Informer<V1Alpha1.ServingTemplate>
    let workloads: Informer<JSONValue>
    let pods: Informer<JSONValue>
    let services: Informer<JSONValue>
    let autoscalers: Informer<JSONValue>
    let artifacts: Informer<V1Alpha1.Artifact>
    let plans: Informer<V1Alpha1.ResourcePlan>
    /// Only with the KServe backend (the kind may not exist otherwise).
    let inferenceServices: Informer<JSONValue>?
    public let deploymentController: Controller
    public let configurationController: Controller
    public let metrics = OperatorMetrics()

    /// `now` is the reconcilers' clock (ttl expiry, idle windows); tests move it.
    public init(
        configuration: OperatorConfiguration, client: KubeClient, logger: Logger = Logger(label: "quiver.operator"),
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.configuration = configuration
        let namespace = configuration.namespace
        deployments = Informer(source: .resource(V1Alpha1.Deployment.self, client: client, namespace: namespace), logger: logger)
        configurations = Informer(source: .resource(V1Alpha1.Configuration.self, client: client, namespace: namespace), logger: logger)
        templates = Informer(source: .resource(V1Alpha1.ServingTemplate.self, client: client), logger: logger)
        workloads = Informer(
            source: .dynamic(OperatorResources.appsDeployments, client: client, namespace: namespace, labelSelector: Self.managedBySelector),
            logger: logger)
        pods = Informer(
            source: .dynamic(OperatorResources.pods, client: client, namespace: namespace, labelSelector: Self.managedBySelector),
            logger: logger)
        services = Informer(
            source: .dynamic(OperatorResources.services, client: client, namespace: namespace, labelSelector: Self.managedBySelector),
            logger: logger)
        autoscalers = Informer(
            source: .dynamic(OperatorResources.horizontalPodAutoscalers, client: client, namespace: namespace, labelSelector: Self.managedBySelector),
            logger: logger)
        artifacts = Informer(source: .resource(V1Alpha1.Artifact.self, client: client, namespace: namespace), logger: logger)
        plans = Informer(source: .resource(V1Alpha1.ResourcePlan.self, client: client), logger: logger)
        let inferenceServices = configuration.renderOptions.backend == .kserve
            ? Informer<JSONValue>(
                source: .dynamic(OperatorResources.inferenceServices, client: client, namespace: namespace, labelSelector: Self.managedBySelector),
                logger: logger)
            : nil
        self.inferenceServices = inferenceServices
        let cache = Self.cache(
            deployments: deployments, configurations: configurations, templates: templates, artifacts: artifacts, plans: plans,
            workloads: workloads, services: services, autoscalers: autoscalers, pods: pods, inferenceServices: inferenceServices)

        let queue = WorkQueueState<ReconcileRequest>.Configuration(
            baseDelay: configuration.retryBaseDelay, maximumDelay: configuration.retryMaximumDelay)
        let deployments = deployments
        let configurations = configurations
        deploymentController = Controller(
            configuration: ControllerConfiguration(name: "deployment", workers: configuration.workers, queue: queue),
            reconciler: DeploymentReconciler(client: client, configuration: configuration, logger: logger, now: now, metrics: metrics, cache: cache),
            sources: [
                .informer(deployments, mapping: .object),
                .informer(workloads, mapping: Self.ownerMapping),
                .informer(pods, mapping: Self.ownerMapping),
            ] + (inferenceServices.map { [.informer($0, mapping: Self.ownerMapping)] } ?? []) + [
                // A Configuration appearing (or going) re-renders the Deployments that name it.
                Self.fanOut(configurations) { configuration, meta in
                    guard let namespace = meta.namespace, let name = meta.name else { return [] }
                    return await deployments.list(namespace: namespace)
                        .filter { $0.spec.configurationId == name }
                        .map { ReconcileRequest(metadata: $0.metadata) }
                },
                // So does a template changing.
                Self.fanOut(templates) { _, _ in
                    await deployments.list().map { ReconcileRequest(metadata: $0.metadata) }
                },
            ],
            logger: logger)
        configurationController = Controller(
            configuration: ControllerConfiguration(name: "configuration", workers: configuration.workers, queue: queue),
            reconciler: ConfigurationReconciler(client: client, logger: logger),
            sources: [
                .informer(configurations, mapping: .object),
                Self.fanOut(templates) { _, _ in
                    await configurations.list().map { ReconcileRequest(metadata: $0.metadata) }
                },
            ],
            logger: logger)
    }

    /// An owned object's event, as a request for its quiver Deployment: the controller owner
    /// reference, else the `quiver.dev/deployment-id` label.
    static let ownerMapping = RequestMapping<JSONValue> { _, meta in
        let owners = ReconcileRequest.owners(of: meta, kind: V1Alpha1.Deployment.kind, group: V1Alpha1.group)
        if !owners.isEmpty { return owners }
        if let id = meta.labels?[RenderMetadata.deploymentIDLabel], !id.isEmpty {
            return [ReconcileRequest(namespace: meta.namespace, name: id)]
        }
        return []
    }

    /// A source that maps each event of `informer` to requests with an async lookup.
    static func fanOut<Object: Sendable>(
        _ informer: Informer<Object>, _ requests: @escaping @Sendable (Object, ObjectMeta) async -> [ReconcileRequest]
    ) -> ControllerSource {
        ControllerSource(
            feed: { queue in
                for await event in await informer.events() {
                    let object = event.object
                    for request in await requests(object, informer.metadata(of: object)) where !request.name.isEmpty {
                        await queue.add(request)
                    }
                }
            },
            waitForSync: { await informer.waitForSync() })
    }

    /// The reconcilers' reads, served from the informers.
    static func cache(
        deployments: Informer<V1Alpha1.Deployment>, configurations: Informer<V1Alpha1.Configuration>,
        templates: Informer<V1Alpha1.ServingTemplate>, artifacts: Informer<V1Alpha1.Artifact>, plans: Informer<V1Alpha1.ResourcePlan>,
        workloads: Informer<JSONValue>, services: Informer<JSONValue>, autoscalers: Informer<JSONValue>, pods: Informer<JSONValue>,
        inferenceServices: Informer<JSONValue>?
    ) -> OperatorCache {
        OperatorCache(
            deployment: { namespace, name in await deployments.get(name: name, namespace: namespace) },
            configuration: { namespace, name in await configurations.get(name: name, namespace: namespace) },
            templates: { await templates.list() },
            artifact: { namespace, name in await artifacts.get(name: name, namespace: namespace) },
            resourcePlans: { await plans.list() },
            native: { resource, namespace, name in
                switch resource {
                case OperatorResources.appsDeployments: await workloads.get(name: name, namespace: namespace)
                case OperatorResources.services: await services.get(name: name, namespace: namespace)
                case OperatorResources.horizontalPodAutoscalers: await autoscalers.get(name: name, namespace: namespace)
                case OperatorResources.inferenceServices: await inferenceServices?.get(name: name, namespace: namespace)
                default: nil
                }
            },
            pods: { namespace, id in
                await pods.list(namespace: namespace).filter {
                    $0[path: ["metadata", "labels", RenderMetadata.deploymentIDLabel]]?.stringValue == id
                }
            })
    }

    /// Waits until every informer has listed once (false if the operator is stopping first).
    public func waitForSync() async -> Bool {
        var synced = true
        synced = await deployments.waitForSync() && synced
        synced = await configurations.waitForSync() && synced
        synced = await templates.waitForSync() && synced
        synced = await artifacts.waitForSync() && synced
        synced = await plans.waitForSync() && synced
        synced = await workloads.waitForSync() && synced
        synced = await services.waitForSync() && synced
        synced = await autoscalers.waitForSync() && synced
        synced = await pods.waitForSync() && synced
        if let inferenceServices { synced = await inferenceServices.waitForSync() && synced }
        return synced
    }

    /// Runs the informers and, once they have synced, both controllers until the task is cancelled.
    public func run() async throws {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.deployments.run() }
            group.addTask { await self.configurations.run() }
            group.addTask { await self.templates.run() }
            group.addTask { await self.workloads.run() }
            group.addTask { await self.pods.run() }
            group.addTask { await self.services.run() }
            group.addTask { await self.autoscalers.run() }
            group.addTask { await self.artifacts.run() }
            group.addTask { await self.plans.run() }
            if let inferenceServices = self.inferenceServices { group.addTask { await inferenceServices.run() } }
            // The reconcilers read from these caches: start them only once every cache is filled.
            guard await self.waitForSync() else {
                group.cancelAll()
                return
            }
            group.addTask { await self.deploymentController.run() }
            group.addTask { await self.configurationController.run() }
            await group.waitForAll()
        }
    }
}

/// The operator for `configuration`, over `client`.
public func buildOperator(
    configuration: OperatorConfiguration, client: KubeClient, logger: Logger = Logger(label: "quiver.operator"),
    now: @escaping @Sendable () -> Date = { Date() }
) -> QuiverOperator {
    QuiverOperator(configuration: configuration, client: client, logger: logger, now: now)
}
