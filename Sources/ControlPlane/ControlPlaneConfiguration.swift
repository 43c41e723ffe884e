import ServingAPI

/// How the control-plane API runs. The executable builds this from flags; tests build it directly.
public struct ControlPlaneConfiguration: Sendable {
    public enum Authentication: Sendable, Hashable {
        /// Cluster mode: tokens are checked with a TokenReview.
        case tokenReview
        /// Local mode: tokens are checked against a token file (`quiver token generate`).
        case tokenFile(TokenFile)
    }

    public var host: String
    /// 0 picks a free port.
    public var port: Int
    public var authentication: Authentication
    /// The API's external base URL; a deployment's URL is `<apiBaseURL>/v2/inference/deployments/<id>`.
    public var apiBaseURL: String
    /// The label that makes a namespace a resource group.
    public var resourceGroupLabel: String
    /// How long a token's identity and an access decision are reused before asking the API server again.
    public var authCacheTTL: Duration
    /// Request bodies above this get 413.
    public var maxRequestBodyBytes: Int
    public var gateway: GatewayConfiguration

    public init(
        host: String = "0.0.0.0", port: Int = 8080, authentication: Authentication = .tokenReview,
        apiBaseURL: String = "http://127.0.0.1:8080", resourceGroupLabel: String = "quiver.dev/resource-group",
        authCacheTTL: Duration = .seconds(10), maxRequestBodyBytes: Int = 1 << 20, gateway: GatewayConfiguration = GatewayConfiguration()
    ) {
        self.host = host
        self.port = port
        self.authentication = authentication
        self.apiBaseURL = apiBaseURL
        self.resourceGroupLabel = resourceGroupLabel
        self.authCacheTTL = authCacheTTL
        self.maxRequestBodyBytes = maxRequestBodyBytes
        self.gateway = gateway
    }

    /// Where clients reach the deployment `id`.
    public func deploymentURL(id: String) -> String {
        ServingURLs.deploymentURL(apiBaseURL: apiBaseURL, id: id)
    }
}

/// How the inference gateway reaches and wakes deployments.
public struct GatewayConfiguration: Sendable {
    /// Where a deployment's Service answers. Default: cluster DNS, `http://<id>.<namespace>.svc:80`.
    public var upstream: @Sendable (_ namespace: String, _ id: String) -> String
    /// How long a request waits for a scaled-to-zero deployment to become ready before 503.
    public var wakeTimeout: Duration
    /// How often `status.lastActivityTime` is written per deployment, at most.
    public var activityWriteInterval: Duration
    /// Upstream request timeout.
    public var requestTimeout: Duration

    public init(
        upstream: @escaping @Sendable (String, String) -> String = { namespace, id in "http://\(id).\(namespace).svc:80" },
        wakeTimeout: Duration = .seconds(120), activityWriteInterval: Duration = .seconds(10), requestTimeout: Duration = .seconds(300)
    ) {
        self.upstream = upstream
        self.wakeTimeout = wakeTimeout
        self.activityWriteInterval = activityWriteInterval
        self.requestTimeout = requestTimeout
    }
}
