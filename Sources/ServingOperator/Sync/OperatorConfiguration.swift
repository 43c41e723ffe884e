import KubeModel
import ServingAPI

/// How the operator runs: which namespace it watches, where clients reach deployments, and the
/// render options every Deployment is rendered with.
public struct OperatorConfiguration: Sendable, Hashable {
    /// The namespace to watch; nil watches every namespace.
    public var namespace: String?
    /// The control-plane API's base URL; `deploymentUrl` is `<apiBaseURL>/v2/inference/deployments/<name>`.
    public var apiBaseURL: String
    public var renderOptions: RenderOptions
    /// Reconciles per controller that may run at once.
    public var workers: Int
    /// Base and cap of the retry backoff of failed reconciles.
    public var retryBaseDelay: Duration
    public var retryMaximumDelay: Duration

    public init(
        namespace: String? = nil, apiBaseURL: String = "http://quiver-api.quiver-system.svc:8080",
        renderOptions: RenderOptions = RenderOptions(), workers: Int = 2,
        retryBaseDelay: Duration = .milliseconds(50), retryMaximumDelay: Duration = .seconds(60)
    ) {
        self.namespace = namespace
        self.apiBaseURL = apiBaseURL
        self.renderOptions = renderOptions
        self.workers = workers
        self.retryBaseDelay = retryBaseDelay
        self.retryMaximumDelay = retryMaximumDelay
    }

    /// Where clients reach the deployment `name`.
    public func deploymentURL(name: String) -> String {
        ServingURLs.deploymentURL(apiBaseURL: apiBaseURL, id: name)
    }
}

/// Well-known resources the reconcilers address dynamically.
enum OperatorResources {
    static let appsDeployments = GroupVersionResource(group: "apps", version: "v1", resource: "deployments")
    static let services = GroupVersionResource(group: "", version: "v1", resource: "services")
    static let horizontalPodAutoscalers = GroupVersionResource(group: "autoscaling", version: "v2", resource: "horizontalpodautoscalers")
    static let pods = GroupVersionResource(group: "", version: "v1", resource: "pods")
    static let inferenceServices = GroupVersionResource(group: "serving.kserve.io", version: "v1beta1", resource: "inferenceservices")

    /// The native objects' resources, in the order `RenderedObjects.native` holds them.
    static let native = [appsDeployments, services, horizontalPodAutoscalers]

    /// What the operator creates for a Deployment with `backend`.
    static func workload(_ backend: ServingBackend) -> [GroupVersionResource] {
        switch backend {
        case .native: native
        case .kserve: [inferenceServices]
        }
    }

    /// The resource of a rendered object, by its apiVersion and kind.
    static func resource(of object: JSONValue) -> GroupVersionResource? {
        switch (object["apiVersion"]?.stringValue, object["kind"]?.stringValue) {
        case ("apps/v1", "Deployment"): appsDeployments
        case ("v1", "Service"): services
        case ("autoscaling/v2", "HorizontalPodAutoscaler"): horizontalPodAutoscalers
        case ("serving.kserve.io/v1beta1", "InferenceService"): inferenceServices
        default: nil
        }
    }
}

/// A Go-style duration as Knative's annotations write it (`10m`, `90s`, `1h30m`, `500ms`).
enum GoDuration {
    static func parse(_ text: String) -> Duration? {
        var rest = Substring(text.trimmingCharacters(in: .whitespaces))
        guard !rest.isEmpty else { return nil }
        var total: Duration = .zero
        while !rest.isEmpty {
            let digits = rest.prefix { $0.isNumber || $0 == "." }
            guard !digits.isEmpty, let value = Double(digits) else { return nil }
            rest = rest.dropFirst(digits.count)
            let unitText = rest.prefix { $0.isLetter }
            rest = rest.dropFirst(unitText.count)
            let scale: Double
            switch unitText {
            case "h": scale = 3600
            case "m": scale = 60
            case "s": scale = 1
            case "ms": scale = 0.001
            default: return nil
            }
            total += .milliseconds(Int64((value * scale * 1000).rounded()))
        }
        return total
    }
}
