/// A Kubernetes kind with a typed Swift model. The static members say where it lives in the REST API.
public protocol KubernetesResource: Codable, Sendable {
    /// `group/version`, or `v1` for the core group.
    static var apiVersion: String { get }
    static var kind: String { get }
    /// The plural resource name in URLs, e.g. `deployments`.
    static var resource: String { get }
    static var isNamespaced: Bool { get }
    var metadata: ObjectMeta { get set }
}

extension KubernetesResource {
    public static var groupVersionResource: GroupVersionResource {
        GroupVersionResource(apiVersion: apiVersion, resource: resource)
    }
}

/// Where a resource lives: group (empty for core), version and plural resource name.
public struct GroupVersionResource: Sendable, Hashable, CustomStringConvertible {
    public var group: String
    public var version: String
    public var resource: String

    public init(group: String, version: String, resource: String) {
        self.group = group
        self.version = version
        self.resource = resource
    }

    public init(apiVersion: String, resource: String) {
        if let slash = apiVersion.firstIndex(of: "/") {
            group = String(apiVersion[..<slash])
            version = String(apiVersion[apiVersion.index(after: slash)...])
        } else {
            group = ""
            version = apiVersion
        }
        self.resource = resource
    }

    public var apiVersion: String { group.isEmpty ? version : "\(group)/\(version)" }

    /// `/api/v1` or `/apis/{group}/{version}`.
    public var apiPathPrefix: String { group.isEmpty ? "/api/\(version)" : "/apis/\(group)/\(version)" }

    /// `resource.group`, or just `resource` for the core group, as error messages name it.
    public var qualifiedResource: String { group.isEmpty ? resource : "\(resource).\(group)" }

    public var description: String { "\(apiVersion), Resource=\(resource)" }
}

/// A typed list: `{apiVersion, kind, metadata: ListMeta, items}`.
public struct ObjectList<Item: Codable & Sendable>: Codable, Sendable {
    public var apiVersion: String?
    public var kind: String?
    public var metadata: ListMeta
    public var items: [Item]

    public init(apiVersion: String? = nil, kind: String? = nil, metadata: ListMeta = ListMeta(), items: [Item]) {
        self.apiVersion = apiVersion
        self.kind = kind
        self.metadata = metadata
        self.items = items
    }
}

extension ObjectList: Equatable where Item: Equatable {}
extension ObjectList: Hashable where Item: Hashable {}

/// One line of a watch stream.
public struct WatchEvent<Object: Codable & Sendable>: Codable, Sendable {
    public var type: WatchEventType
    public var object: Object

    public init(type: WatchEventType, object: Object) {
        self.type = type
        self.object = object
    }
}

extension WatchEvent: Equatable where Object: Equatable {}
extension WatchEvent: Hashable where Object: Hashable {}

public enum WatchEventType: String, Codable, Sendable, Hashable {
    case added = "ADDED"
    case modified = "MODIFIED"
    case deleted = "DELETED"
    case bookmark = "BOOKMARK"
    case error = "ERROR"
}
