import Foundation
import KubeModel
import KubeRuntime
import Logging
import ServingAPI

/// Reconciles a quiver.dev Deployment: gathers its Configuration, template, Artifacts and
/// ResourcePlans, renders them, observes the native workload (apps/v1 Deployment, Service, HPA and
/// the pods), asks `DeploymentLifecycle` what to do and does it. Objects are written only when
/// their spec hash (or the replica count, or the status) differs.
public struct DeploymentReconciler: Reconciler {
    public static let eventComponent = "quiver-operator"
    /// Waiting reasons of a container that count as a crash loop.
    static let crashReasons: Set<String> = ["CrashLoopBackOff", "ImagePullBackOff", "ErrImagePull", "InvalidImageName"]

    let client: KubeClient
    let configuration: OperatorConfiguration
    let logger: Logger
    let now: @Sendable () -> Date
    let metrics: OperatorMetrics?
    let cache: OperatorCache?

    public init(
        client: KubeClient, configuration: OperatorConfiguration,
        logger: Logger = Logger(label: "quiver.operator.deployment"), now: @escaping @Sendable () -> Date = { Date() },
        metrics: OperatorMetrics? = nil, cache: OperatorCache? = nil
    ) {
        self.cache = cache
        self.client = client
        self.configuration = configuration
        self.logger = logger
        self.now = now
        self.metrics = metrics
    }

    public func reconcile(_ request: ReconcileRequest) async throws -> ReconcileResult {
        do {
            let result = try await reconcileOnce(request)
            metrics?.recordReconcile(failed: false)
            return result
        } catch {
            metrics?.recordReconcile(failed: true)
            throw error
        }
    }

    private func reconcileOnce(_ request: ReconcileRequest) async throws -> ReconcileResult {
        guard let namespace = request.namespace else { return .done }
        var deployment: V1Alpha1.Deployment
        if let cache {
            guard let cached = await cache.deployment(namespace, request.name) else { return .done }
            deployment = cached
        } else {
            do {
                deployment = try await client.get(V1Alpha1.Deployment.self, name: request.name, namespace: namespace)
            } catch let error as KubeAPIError where error.isNotFound {
                return .done
            }
        }
        let name = request.name

        var rendered: RenderedObjects?
        let renderOutcome: DeploymentLifecycle.Render
        if deployment.metadata.deletionTimestamp != nil {
            renderOutcome = .failed("deleting")
        } else {
            switch try await renderWorkload(deployment, namespace: namespace) {
            case .success(let objects):
                rendered = objects
                let initial = Int32(clamping: objects.deployment?[path: ["spec", "replicas"]]?.intValue ?? Int64(objects.minReplicas))
                renderOutcome = .rendered(
                    specHash: objects.specHash, replicas: max(1, initial),
                    idleWindow: objects.idleWindow.flatMap(GoDuration.parse))
            case .failure(let message):
                renderOutcome = .failed(message)
            }
        }

        let workload: DeploymentLifecycle.Workload
        var url = configuration.deploymentURL(name: name)
        switch backend {
        case .native:
            workload = try await observeWorkload(name: name, namespace: namespace, rendered: rendered)
        case .kserve:
            let observed = try await observeInferenceService(name: name, namespace: namespace)
            workload = observed.0
            // KServe's own URL: Knative (or the raw deployment's ingress) routes and wakes it.
            if let own = observed.url, !own.isEmpty { url = own }
        }
        let actions = DeploymentLifecycle.reconcile(.init(
            deployment: deployment, render: renderOutcome, workload: workload, now: now(), url: url))
        if !actions.isEmpty {
            logger.debug("actions", metadata: ["deployment": "\(request)", "actions": "\(actions)"])
        }

        var requeueAfter: Duration?
        func requeue(_ d: Duration) { requeueAfter = min(requeueAfter ?? d, d) }
        if case .failed = renderOutcome, deployment.metadata.deletionTimestamp == nil,
           deployment.spec.effectiveTargetStatus == .running {
            // A missing Artifact may appear later; Configurations and templates are watched.
            requeue(.seconds(30))
        }

        do {
            // In the lifecycle's order (finalizer, workload, status), except that events follow the
            // status write (a conflict retried does not record them twice) and deleting the
            // Deployment itself comes last.
            let ordered = actions.filter { if case .recordEvent = $0 { false } else { true } }
                + actions.filter { if case .recordEvent = $0 { true } else { false } }
            for action in ordered {
                switch action {
                case .addFinalizer:
                    deployment = try await setFinalizer(deployment, present: true)
                case .removeFinalizer:
                    _ = try await setFinalizer(deployment, present: false)
                    return .done
                case .applyWorkload:
                    if let rendered { try await apply(rendered) }
                case .scale(let replicas):
                    switch backend {
                    case .native: try await scale(name: name, namespace: namespace, to: replicas)
                    case .kserve: try await setStopped(name: name, namespace: namespace, replicas == 0)
                    }
                case .deleteWorkload:
                    try await deleteWorkload(name: name, namespace: namespace)
                case .updateStatus(let status):
                    guard status != deployment.status else { break }
                    var updated = deployment
                    updated.status = status
                    do {
                        deployment = try await client.updateStatus(updated)
                    } catch let error as KubeAPIError where error.isNotFound && deployment.metadata.deletionTimestamp != nil {
                        return .done
                    }
                case .recordEvent(let type, let reason, let message):
                    await recordEvent(on: deployment, type: type, reason: reason, message: message)
                case .requeue(let after):
                    requeue(after)
                case .deleteDeployment:
                    break
                case .ensureAPIKey:
                    try await ensureAPIKey(deployment)
                }
            }
            if actions.contains(.deleteDeployment) {
                do {
                    _ = try await client.delete(V1Alpha1.Deployment.self, name: name, namespace: namespace)
                } catch let error as KubeAPIError where error.isNotFound {}
            }
        } catch let error as KubeAPIError where error.isConflict || error.isAlreadyExists {
            logger.debug("conflict; retrying", metadata: ["deployment": "\(request)", "error": "\(error)"])
            return .requeue
        }
        return requeueAfter.map { .requeue(after: $0) } ?? .done
    }

    // MARK: Rendering

    enum RenderOutcome {
        case success(RenderedObjects)
        case failure(String)
    }

    /// Gathers what `render` reads and renders it. A missing Configuration or template, or a
    /// `RenderError`, is a failure with a message; API errors other than NotFound are thrown.
    func renderWorkload(_ deployment: V1Alpha1.Deployment, namespace: String) async throws -> RenderOutcome {
        let configurationID = deployment.spec.configurationId
        let notFound = RenderOutcome.failure("Configuration \"\(configurationID)\" not found in resource group \"\(namespace)\"")
        let config: V1Alpha1.Configuration
        if let cache {
            guard let cached = await cache.configuration(namespace, configurationID) else { return notFound }
            config = cached
        } else {
            do {
                config = try await client.get(V1Alpha1.Configuration.self, name: configurationID, namespace: namespace)
            } catch let error as KubeAPIError where error.isNotFound {
                return notFound
            }
        }
        let executableID = config.spec.executableId
        let templates = if let cache { await cache.templates() } else { try await client.list(V1Alpha1.ServingTemplate.self).items }
        guard let template = templates.first(where: { $0.executableID == executableID }) else {
            return .failure("no ServingTemplate with executable id \(executableID)")
        }
        var artifacts: [String: V1Alpha1.Artifact] = [:]
        for binding in config.spec.inputArtifactBindings ?? [] where artifacts[binding.artifactId] == nil {
            if let cache, let cached = await cache.artifact(namespace, binding.artifactId) {
                // Artifacts are not a source of this controller: a cache miss falls back to the API server.
                artifacts[binding.artifactId] = cached
                continue
            }
            do {
                artifacts[binding.artifactId] = try await client.get(V1Alpha1.Artifact.self, name: binding.artifactId, namespace: namespace)
            } catch let error as KubeAPIError where error.isNotFound {
                continue  // render names the missing artifact
            }
        }
        var plans: [String: V1Alpha1.ResourcePlan] = [:]
        let allPlans = if let cache { await cache.resourcePlans() } else { try await client.list(V1Alpha1.ResourcePlan.self).items }
        for plan in allPlans {
            if let name = plan.metadata.name { plans[name] = plan }
        }
        let owner = DeploymentOwner(
            name: deployment.metadata.name ?? "", namespace: namespace, uid: deployment.metadata.uid ?? "")
        let input = RenderInput(
            template: template, configuration: config, artifacts: artifacts, resourcePlans: plans,
            objectStoreSecrets: try await objectStoreSecrets(for: Array(artifacts.values), namespace: namespace),
            owner: owner, options: configuration.renderOptions)
        do {
            return .success(try render(input))
        } catch {
            return .failure(error.message)
        }
    }

    /// The object-store secrets the artifacts' `ai://<secret>/<path>` URLs name (Secrets
    /// `object-store-<secret>` in the namespace, as the control plane stores them). A missing one
    /// is left out; rendering names it.
    func objectStoreSecrets(for artifacts: [V1Alpha1.Artifact], namespace: String) async throws -> [String: ObjectStoreSecret] {
        var stores: [String: ObjectStoreSecret] = [:]
        for artifact in artifacts where artifact.spec.url.hasPrefix("ai://") {
            guard let name = artifact.spec.url.dropFirst("ai://".count).split(separator: "/").first.map(String.init),
                  stores[name] == nil else { continue }
            let secret: Secret
            do {
                secret = try await client.get(Secret.self, name: ServingSecrets.objectStoreSecretName(name), namespace: namespace)
            } catch let error as KubeAPIError where error.isNotFound {
                continue
            }
            guard secret.metadata.annotations?[ServingSecrets.objectStoreNameAnnotation] == name else { continue }
            func setting(_ field: String) -> String? {
                secret.metadata.annotations?[ServingSecrets.objectStoreAnnotation(field)].flatMap { $0.isEmpty ? nil : $0 }
            }
            guard let bucket = setting("bucket") else { continue }
            stores[name] = ObjectStoreSecret(
                type: setting("type") ?? "S3", bucket: bucket, endpoint: setting("endpoint"), pathPrefix: setting("pathPrefix"),
                region: setting("region"), credentialsSecretName: secret.metadata.name)
        }
        return stores
    }

    // MARK: Observing

    func getIfPresent(_ resource: GroupVersionResource, name: String, namespace: String) async throws -> JSONValue? {
        if let cache { return await cache.native(resource, namespace, name) }
        do {
            return try await client.get(resource, name: name, namespace: namespace)
        } catch let error as KubeAPIError where error.isNotFound {
            return nil
        }
    }

    static func specHash(of object: JSONValue?) -> String? {
        object?[path: ["metadata", "annotations", RenderMetadata.specHashAnnotation]]?.stringValue
    }

    /// What the workload looks like: whether any native object exists, the spec hash when every
    /// rendered object carries the rendered one, the apps Deployment's replicas, and crash loops.
    func observeWorkload(name: String, namespace: String, rendered: RenderedObjects?) async throws -> DeploymentLifecycle.Workload {
        var existing: [GroupVersionResource: JSONValue] = [:]
        for resource in OperatorResources.native {
            if let object = try await getIfPresent(resource, name: name, namespace: namespace) { existing[resource] = object }
        }
        guard !existing.isEmpty else { return .absent }
        let apps = existing[OperatorResources.appsDeployments]
        var hash = Self.specHash(of: apps)
        if let rendered {
            let allCurrent = rendered.native.allSatisfy { object in
                guard let resource = OperatorResources.resource(of: object) else { return true }
                return Self.specHash(of: existing[resource]) == rendered.specHash
            }
            hash = allCurrent ? rendered.specHash : nil
        }
        func int32(_ path: [String]) -> Int32? { apps?[path: path]?.intValue.map { Int32(clamping: $0) } }
        return DeploymentLifecycle.Workload(
            exists: true, specHash: hash, desiredReplicas: apps == nil ? 0 : (int32(["spec", "replicas"]) ?? 1),
            replicas: int32(["status", "replicas"]) ?? 0, availableReplicas: int32(["status", "availableReplicas"]) ?? 0,
            crashLoop: try await crashLoop(name: name, namespace: namespace),
            configurationID: apps?[path: ["metadata", "annotations", RenderMetadata.configurationIDAnnotation]]?.stringValue)
    }

    /// The first container (of a pod labelled with the deployment id) waiting in a crash loop.
    func crashLoop(name: String, namespace: String) async throws -> String? {
        let items: [JSONValue]
        if let cache {
            items = await cache.pods(namespace, name)
        } else {
            items = try await client.list(
                OperatorResources.pods, namespace: namespace,
                options: ListOptions(labelSelector: "\(RenderMetadata.deploymentIDLabel)=\(name)")).items
        }
        for pod in items.sorted(by: { ($0[path: ["metadata", "name"]]?.stringValue ?? "") < ($1[path: ["metadata", "name"]]?.stringValue ?? "") }) {
            let statuses = (pod[path: ["status", "initContainerStatuses"]]?.arrayValue ?? [])
                + (pod[path: ["status", "containerStatuses"]]?.arrayValue ?? [])
            for status in statuses {
                guard let reason = status[path: ["state", "waiting", "reason"]]?.stringValue, Self.crashReasons.contains(reason) else { continue }
                let container = status["name"]?.stringValue ?? "?"
                let message = status[path: ["state", "waiting", "message"]]?.stringValue ?? ""
                return "container \(container) of pod \(pod[path: ["metadata", "name"]]?.stringValue ?? "?"): \(reason)" + (message.isEmpty ? "" : ": \(message)")
            }
        }
        return nil
    }

    // MARK: Acting

    /// Adds or removes our finalizer with a merge patch, keeping the others.
    func setFinalizer(_ deployment: V1Alpha1.Deployment, present: Bool) async throws -> V1Alpha1.Deployment {
        var finalizers = deployment.metadata.finalizers ?? []
        if present {
            guard !finalizers.contains(DeploymentLifecycle.finalizer) else { return deployment }
            finalizers.append(DeploymentLifecycle.finalizer)
        } else {
            guard finalizers.contains(DeploymentLifecycle.finalizer) else { return deployment }
            finalizers.removeAll { $0 == DeploymentLifecycle.finalizer }
        }
        let value: JSONValue = finalizers.isEmpty ? .null : .array(finalizers.map(JSONValue.string))
        var metadata: JSONValue = ["finalizers": value]
        if let rv = deployment.metadata.resourceVersion { metadata["resourceVersion"] = .string(rv) }
        return try await client.patch(
            V1Alpha1.Deployment.self, name: deployment.metadata.name ?? "", namespace: deployment.metadata.namespace,
            patch: .merge(["metadata": metadata]))
    }

    var backend: ServingBackend { configuration.renderOptions.backend }

    /// Creates each rendered object, or updates it when its spec hash differs.
    func apply(_ rendered: RenderedObjects) async throws {
        for object in backend == .kserve ? [rendered.inferenceService] : rendered.native {
            guard let resource = OperatorResources.resource(of: object),
                  let name = object[path: ["metadata", "name"]]?.stringValue,
                  let namespace = object[path: ["metadata", "namespace"]]?.stringValue else { continue }
            guard let current = try await getIfPresent(resource, name: name, namespace: namespace) else {
                _ = try await client.create(resource, object, namespace: namespace)
                logger.info("created", metadata: ["resource": "\(resource.qualifiedResource)", "name": "\(namespace)/\(name)"])
                continue
            }
            guard Self.specHash(of: current) != rendered.specHash else { continue }
            var updated = object
            updated[path: ["metadata", "resourceVersion"]] = current[path: ["metadata", "resourceVersion"]]
            if resource == OperatorResources.inferenceServices,
               let stop = current[path: ["metadata", "annotations", Self.stopAnnotation]], stop != .null {
                // A stopped InferenceService stays stopped through a re-render.
                updated[path: ["metadata", "annotations", Self.stopAnnotation]] = stop
            }
            if resource == OperatorResources.services {
                // The cluster IP is immutable; keep what the server allocated.
                for field in ["clusterIP", "clusterIPs"] where current[path: ["spec", field]] != nil {
                    updated[path: ["spec", field]] = current[path: ["spec", field]]
                }
            }
            _ = try await client.update(resource, updated, namespace: namespace)
            logger.info("updated", metadata: ["resource": "\(resource.qualifiedResource)", "name": "\(namespace)/\(name)"])
        }
    }

    func scale(name: String, namespace: String, to replicas: Int32) async throws {
        do {
            _ = try await client.patch(
                OperatorResources.appsDeployments, name: name, namespace: namespace,
                patch: .merge(["spec": ["replicas": .int(Int64(replicas))]]))
            logger.info("scaled", metadata: ["deployment": "\(namespace)/\(name)", "replicas": "\(replicas)"])
        } catch let error as KubeAPIError where error.isNotFound {}
    }

    func deleteWorkload(name: String, namespace: String) async throws {
        for resource in OperatorResources.workload(backend) {
            do {
                _ = try await client.delete(resource, name: name, namespace: namespace, options: DeleteOptions(propagation: .background))
            } catch let error as KubeAPIError where error.isNotFound {}
        }
    }

    /// The deployment's API key for the gateway: a random key in a Secret the Deployment owns, made
    /// once (an existing one is kept).
    func ensureAPIKey(_ deployment: V1Alpha1.Deployment) async throws {
        guard let name = deployment.metadata.name, let namespace = deployment.metadata.namespace else { return }
        var generator = SystemRandomNumberGenerator()
        let key = "qk_" + (0..<32).map { _ in String(format: "%02x", UInt8.random(in: .min ... .max, using: &generator)) }.joined()
        let owner = DeploymentOwner(name: name, namespace: namespace, uid: deployment.metadata.uid ?? "")
        var metadata = ObjectMeta(
            name: ServingSecrets.apiKeySecretName(deployment: name), namespace: namespace,
            labels: RenderMetadata.selectorLabels(owner))
        metadata.ownerReferences = try? RenderMetadata.ownerReferences(owner).decode(as: [OwnerReference].self)
        do {
            _ = try await client.create(Secret(metadata: metadata, stringData: [ServingSecrets.apiKeyDataKey: key], type: "Opaque"))
            logger.info("API key created", metadata: ["deployment": "\(namespace)/\(name)"])
        } catch let error as KubeAPIError where error.isAlreadyExists {}
    }

    /// A core/v1 Event on the Deployment; a failure to record it is logged, not fatal.
    func recordEvent(on deployment: V1Alpha1.Deployment, type: String, reason: String, message: String) async {
        let name = deployment.metadata.name ?? "deployment"
        let suffix = String(UInt64.random(in: 0...UInt64.max), radix: 16)
        let time = KubeTime(now())
        var reference = ObjectReference(to: deployment)
        reference.resourceVersion = deployment.metadata.resourceVersion
        let event = Event(
            metadata: ObjectMeta(name: "\(name).\(suffix)", namespace: deployment.metadata.namespace),
            involvedObject: reference, reason: reason, message: message,
            source: EventSource(component: Self.eventComponent), firstTimestamp: time, lastTimestamp: time, count: 1,
            type: type, reportingComponent: Self.eventComponent)
        do {
            _ = try await client.create(event)
        } catch {
            logger.warning("cannot record event", metadata: ["deployment": "\(name)", "reason": "\(reason)", "error": "\(error)"])
        }
    }
}
