import Foundation

/// `core/v1` ConfigMap.
public struct ConfigMap: KubernetesResource, Hashable {
    public static let apiVersion = "v1"
    public static let kind = "ConfigMap"
    public static let resource = "configmaps"
    public static let isNamespaced = true

    public var apiVersion: String?
    public var kind: String?
    @DefaultIfAbsent public var metadata: ObjectMeta
    public var data: [String: String]?
    /// Values that are not UTF-8; base64 in JSON.
    public var binaryData: [String: Data]?
    public var immutable: Bool?

    public init(metadata: ObjectMeta = ObjectMeta(), data: [String: String]? = nil, binaryData: [String: Data]? = nil,
                immutable: Bool? = nil) {
        self.apiVersion = Self.apiVersion
        self.kind = Self.kind
        self.metadata = metadata
        self.data = data
        self.binaryData = binaryData
        self.immutable = immutable
    }
}
