/// `core/v1` Service.
public struct Service: KubernetesResource, Hashable {
    public static let apiVersion = "v1"
    public static let kind = "Service"
    public static let resource = "services"
    public static let isNamespaced = true

    public var apiVersion: String?
    public var kind: String?
    @DefaultIfAbsent public var metadata: ObjectMeta
    public var spec: ServiceSpec?
    public var status: ServiceStatus?

    public init(metadata: ObjectMeta = ObjectMeta(), spec: ServiceSpec? = nil, status: ServiceStatus? = nil) {
        self.apiVersion = Self.apiVersion
        self.kind = Self.kind
        self.metadata = metadata
        self.spec = spec
        self.status = status
    }
}

/// `core/v1` ServiceSpec.
public struct ServiceSpec: Codable, Sendable, Hashable {
    public var ports: [ServicePort]?
    public var selector: [String: String]?
    /// An IP, or `None` for a headless service.
    public var clusterIP: String?
    public var clusterIPs: [String]?
    /// `ClusterIP` (the default), `NodePort`, `LoadBalancer` or `ExternalName`.
    public var type: String?
    public var externalIPs: [String]?
    /// `None` or `ClientIP`.
    public var sessionAffinity: String?
    public var loadBalancerIP: String?
    public var loadBalancerSourceRanges: [String]?
    public var externalName: String?
    /// `Cluster` or `Local`.
    public var externalTrafficPolicy: String?
    public var healthCheckNodePort: Int32?
    public var publishNotReadyAddresses: Bool?
    public var sessionAffinityConfig: SessionAffinityConfig?
    /// `IPv4` and/or `IPv6`.
    public var ipFamilies: [String]?
    /// `SingleStack`, `PreferDualStack` or `RequireDualStack`.
    public var ipFamilyPolicy: String?
    public var allocateLoadBalancerNodePorts: Bool?
    public var loadBalancerClass: String?
    /// `Cluster` or `Local`.
    public var internalTrafficPolicy: String?
    public var trafficDistribution: String?

    public init(
        ports: [ServicePort]? = nil, selector: [String: String]? = nil, type: String? = nil,
        clusterIP: String? = nil, sessionAffinity: String? = nil, externalName: String? = nil,
        publishNotReadyAddresses: Bool? = nil, externalTrafficPolicy: String? = nil,
        internalTrafficPolicy: String? = nil
    ) {
        self.ports = ports
        self.selector = selector
        self.type = type
        self.clusterIP = clusterIP
        self.sessionAffinity = sessionAffinity
        self.externalName = externalName
        self.publishNotReadyAddresses = publishNotReadyAddresses
        self.externalTrafficPolicy = externalTrafficPolicy
        self.internalTrafficPolicy = internalTrafficPolicy
    }
}

/// `core/v1` ServicePort.
public struct ServicePort: Codable, Sendable, Hashable {
    public var name: String?
    /// `TCP` (the default), `UDP` or `SCTP`.
    public var `protocol`: String?
    public var appProtocol: String?
    public var port: Int32
    /// A container port number or name; defaults to `port`.
    public var targetPort: IntOrString?
    public var nodePort: Int32?

    public init(port: Int32, name: String? = nil, protocol: String? = nil, targetPort: IntOrString? = nil,
                nodePort: Int32? = nil, appProtocol: String? = nil) {
        self.port = port
        self.name = name
        self.protocol = `protocol`
        self.targetPort = targetPort
        self.nodePort = nodePort
        self.appProtocol = appProtocol
    }
}

/// `core/v1` SessionAffinityConfig.
public struct SessionAffinityConfig: Codable, Sendable, Hashable {
    public var clientIP: ClientIPConfig?

    public init(clientIP: ClientIPConfig? = nil) { self.clientIP = clientIP }
}

/// `core/v1` ClientIPConfig.
public struct ClientIPConfig: Codable, Sendable, Hashable {
    public var timeoutSeconds: Int32?

    public init(timeoutSeconds: Int32? = nil) { self.timeoutSeconds = timeoutSeconds }
}

/// `core/v1` ServiceStatus: `{loadBalancer: {}}` for a ClusterIP service.
public struct ServiceStatus: Codable, Sendable, Hashable {
    public var loadBalancer: LoadBalancerStatus?
    public var conditions: [Condition]?

    public init(loadBalancer: LoadBalancerStatus? = nil, conditions: [Condition]? = nil) {
        self.loadBalancer = loadBalancer
        self.conditions = conditions
    }
}

/// `core/v1` LoadBalancerStatus.
public struct LoadBalancerStatus: Codable, Sendable, Hashable {
    public var ingress: [LoadBalancerIngress]?

    public init(ingress: [LoadBalancerIngress]? = nil) { self.ingress = ingress }
}

/// `core/v1` LoadBalancerIngress: an IP or hostname of the load balancer.
public struct LoadBalancerIngress: Codable, Sendable, Hashable {
    public var ip: String?
    public var hostname: String?
    /// `VIP` or `Proxy`.
    public var ipMode: String?
    public var ports: [PortStatus]?

    public init(ip: String? = nil, hostname: String? = nil, ipMode: String? = nil, ports: [PortStatus]? = nil) {
        self.ip = ip
        self.hostname = hostname
        self.ipMode = ipMode
        self.ports = ports
    }
}

/// `core/v1` PortStatus.
public struct PortStatus: Codable, Sendable, Hashable {
    public var port: Int32
    public var `protocol`: String
    public var error: String?

    public init(port: Int32, protocol: String, error: String? = nil) {
        self.port = port
        self.protocol = `protocol`
        self.error = error
    }
}
