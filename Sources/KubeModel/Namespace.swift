/// `core/v1` Namespace (cluster-scoped).
public struct Namespace: KubernetesResource, Hashable {
    public static let apiVersion = "v1"
    public static let kind = "Namespace"
    public static let resource = "namespaces"
    public static let isNamespaced = false

    public var apiVersion: String?
    public var kind: String?
    @DefaultIfAbsent public var metadata: ObjectMeta
    public var spec: NamespaceSpec?
    public var status: NamespaceStatus?

    public init(metadata: ObjectMeta = ObjectMeta(), spec: NamespaceSpec? = nil, status: NamespaceStatus? = nil) {
        self.apiVersion = Self.apiVersion
        self.kind = Self.kind
        self.metadata = metadata
        self.spec = spec
        self.status = status
    }
}

/// `core/v1` NamespaceSpec: the finalizers (usually `kubernetes`) that must run before it is removed.
public struct NamespaceSpec: Codable, Sendable, Hashable {
    public var finalizers: [String]?

    public init(finalizers: [String]? = nil) { self.finalizers = finalizers }
}

/// `core/v1` NamespaceStatus: phase `Active` or `Terminating`, and conditions while terminating.
public struct NamespaceStatus: Codable, Sendable, Hashable {
    public var phase: String?
    public var conditions: [Condition]?

    public init(phase: String? = nil, conditions: [Condition]? = nil) {
        self.phase = phase
        self.conditions = conditions
    }
}
