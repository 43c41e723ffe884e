import KubeModel
import KubeRuntime
import ServingAPI

/// Where the reconcilers read what they reconcile: the operator's informer caches (as
/// controller-runtime's cached client does), so a reconcile costs only its writes. Without a
/// cache (unit tests), the reconcilers GET from the API server.
public struct OperatorCache: Sendable {
    public var deployment: @Sendable (_ namespace: String, _ name: String) async -> V1Alpha1.Deployment?
    public var configuration: @Sendable (_ namespace: String, _ name: String) async -> V1Alpha1.Configuration?
    public var templates: @Sendable () async -> [V1Alpha1.ServingTemplate]
    public var artifact: @Sendable (_ namespace: String, _ name: String) async -> V1Alpha1.Artifact?
    public var resourcePlans: @Sendable () async -> [V1Alpha1.ResourcePlan]
    /// The rendered native object of `resource` named `name`, if the operator has seen it.
    public var native: @Sendable (_ resource: GroupVersionResource, _ namespace: String, _ name: String) async -> JSONValue?
    /// Pods of the deployment (label `quiver.dev/deployment-id`).
    public var pods: @Sendable (_ namespace: String, _ deploymentID: String) async -> [JSONValue]

    public init(
        deployment: @escaping @Sendable (String, String) async -> V1Alpha1.Deployment?,
        configuration: @escaping @Sendable (String, String) async -> V1Alpha1.Configuration?,
        templates: @escaping @Sendable () async -> [V1Alpha1.ServingTemplate],
        artifact: @escaping @Sendable (String, String) async -> V1Alpha1.Artifact?,
        resourcePlans: @escaping @Sendable () async -> [V1Alpha1.ResourcePlan],
        native: @escaping @Sendable (GroupVersionResource, String, String) async -> JSONValue?,
        pods: @escaping @Sendable (String, String) async -> [JSONValue]
    ) {
        self.deployment = deployment
        self.configuration = configuration
        self.templates = templates
        self.artifact = artifact
        self.resourcePlans = resourcePlans
        self.native = native
        self.pods = pods
    }
}
