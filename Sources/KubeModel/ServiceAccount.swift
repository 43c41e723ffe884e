/// `core/v1` ServiceAccount.
public struct ServiceAccount: KubernetesResource, Hashable {
    public static let apiVersion = "v1"
    public static let kind = "ServiceAccount"
    public static let resource = "serviceaccounts"
    public static let isNamespaced = true

    public var apiVersion: String?
    public var kind: String?
    @DefaultIfAbsent public var metadata: ObjectMeta
    /// Legacy token secrets; new clusters leave this empty.
    public var secrets: [ObjectReference]?
    public var imagePullSecrets: [LocalObjectReference]?
    public var automountServiceAccountToken: Bool?

    public init(metadata: ObjectMeta = ObjectMeta(), secrets: [ObjectReference]? = nil,
                imagePullSecrets: [LocalObjectReference]? = nil, automountServiceAccountToken: Bool? = nil) {
        self.apiVersion = Self.apiVersion
        self.kind = Self.kind
        self.metadata = metadata
        self.secrets = secrets
        self.imagePullSecrets = imagePullSecrets
        self.automountServiceAccountToken = automountServiceAccountToken
    }
}
