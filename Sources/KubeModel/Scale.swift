/// `autoscaling/v1` Scale: what the `/scale` subresource of a Deployment, StatefulSet, ReplicaSet or
/// custom resource serves. `resource` is the subresource name; the object lives under its parent's path.
public struct Scale: KubernetesResource, Hashable {
    public static let apiVersion = "autoscaling/v1"
    public static let kind = "Scale"
    public static let resource = "scale"
    public static let isNamespaced = true

    public var apiVersion: String?
    public var kind: String?
    @DefaultIfAbsent public var metadata: ObjectMeta
    public var spec: ScaleSpec?
    public var status: ScaleStatus?

    public init(metadata: ObjectMeta = ObjectMeta(), spec: ScaleSpec? = nil, status: ScaleStatus? = nil) {
        self.apiVersion = Self.apiVersion
        self.kind = Self.kind
        self.metadata = metadata
        self.spec = spec
        self.status = status
    }
}

/// `autoscaling/v1` ScaleSpec.
public struct ScaleSpec: Codable, Sendable, Hashable {
    public var replicas: Int32?

    public init(replicas: Int32? = nil) { self.replicas = replicas }
}

/// `autoscaling/v1` ScaleStatus. `selector` is a label-selector *string* such as `app=web`.
public struct ScaleStatus: Codable, Sendable, Hashable {
    public var replicas: Int32
    public var selector: String?

    public init(replicas: Int32, selector: String? = nil) {
        self.replicas = replicas
        self.selector = selector
    }
}
