import Foundation

/// `core/v1` Secret. `data` holds the decoded bytes (base64 in JSON); `stringData` is write-only:
/// the server merges it into `data` and never returns it.
public struct Secret: KubernetesResource, Hashable {
    public static let apiVersion = "v1"
    public static let kind = "Secret"
    public static let resource = "secrets"
    public static let isNamespaced = true

    public var apiVersion: String?
    public var kind: String?
    @DefaultIfAbsent public var metadata: ObjectMeta
    public var data: [String: Data]?
    public var stringData: [String: String]?
    /// `Opaque`, `kubernetes.io/service-account-token`, `kubernetes.io/tls`, …
    public var type: String?
    public var immutable: Bool?

    public init(metadata: ObjectMeta = ObjectMeta(), data: [String: Data]? = nil, stringData: [String: String]? = nil,
                type: String? = nil, immutable: Bool? = nil) {
        self.apiVersion = Self.apiVersion
        self.kind = Self.kind
        self.metadata = metadata
        self.data = data
        self.stringData = stringData
        self.type = type
        self.immutable = immutable
    }
}
