/// `core/v1` ObjectReference: a reference to an object of any kind, as Events and ServiceAccounts use it.
public struct ObjectReference: Codable, Sendable, Hashable {
    public var kind: String?
    public var namespace: String?
    public var name: String?
    public var uid: String?
    public var apiVersion: String?
    public var resourceVersion: String?
    public var fieldPath: String?

    public init(kind: String? = nil, namespace: String? = nil, name: String? = nil, uid: String? = nil,
                apiVersion: String? = nil, resourceVersion: String? = nil, fieldPath: String? = nil) {
        self.kind = kind
        self.namespace = namespace
        self.name = name
        self.uid = uid
        self.apiVersion = apiVersion
        self.resourceVersion = resourceVersion
        self.fieldPath = fieldPath
    }

    /// A reference to `object`, taking kind and apiVersion from its type.
    public init<R: KubernetesResource>(to object: R) {
        self.init(kind: R.kind, namespace: object.metadata.namespace, name: object.metadata.name,
                  uid: object.metadata.uid, apiVersion: R.apiVersion, resourceVersion: object.metadata.resourceVersion)
    }
}

/// `core/v1` LocalObjectReference: a name in the same namespace (image pull secrets, for example).
public struct LocalObjectReference: Codable, Sendable, Hashable {
    public var name: String?

    public init(name: String? = nil) { self.name = name }
}
