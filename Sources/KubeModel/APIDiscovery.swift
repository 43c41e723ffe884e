/// `meta/v1` APIVersions: `GET /api` with a plain JSON Accept (the core group's versions).
/// The server sends `kind` but no `apiVersion`.
public struct APIVersions: Codable, Sendable, Hashable {
    public static let kind = "APIVersions"

    public var apiVersion: String?
    public var kind: String?
    public var versions: [String]
    public var serverAddressByClientCIDRs: [ServerAddressByClientCIDR]?

    public init(versions: [String], serverAddressByClientCIDRs: [ServerAddressByClientCIDR]? = nil,
                apiVersion: String? = nil, kind: String? = Self.kind) {
        self.apiVersion = apiVersion
        self.kind = kind
        self.versions = versions
        self.serverAddressByClientCIDRs = serverAddressByClientCIDRs
    }
}

/// `meta/v1` ServerAddressByClientCIDR.
public struct ServerAddressByClientCIDR: Codable, Sendable, Hashable {
    public var clientCIDR: String
    public var serverAddress: String

    public init(clientCIDR: String, serverAddress: String) {
        self.clientCIDR = clientCIDR
        self.serverAddress = serverAddress
    }
}

/// `meta/v1` APIGroupList: `GET /apis` with a plain JSON Accept.
public struct APIGroupList: Codable, Sendable, Hashable {
    public static let apiVersion = "v1"
    public static let kind = "APIGroupList"

    public var apiVersion: String?
    public var kind: String?
    public var groups: [APIGroup]

    public init(groups: [APIGroup], apiVersion: String? = Self.apiVersion, kind: String? = Self.kind) {
        self.apiVersion = apiVersion
        self.kind = kind
        self.groups = groups
    }
}

/// `meta/v1` APIGroup: one group's versions (`GET /apis/{group}`, and the entries of ``APIGroupList``,
/// which carry no `kind`/`apiVersion`).
public struct APIGroup: Codable, Sendable, Hashable {
    public static let apiVersion = "v1"
    public static let kind = "APIGroup"

    public var apiVersion: String?
    public var kind: String?
    public var name: String
    public var versions: [GroupVersionForDiscovery]
    public var preferredVersion: GroupVersionForDiscovery?
    public var serverAddressByClientCIDRs: [ServerAddressByClientCIDR]?

    public init(name: String, versions: [GroupVersionForDiscovery], preferredVersion: GroupVersionForDiscovery? = nil,
                serverAddressByClientCIDRs: [ServerAddressByClientCIDR]? = nil, apiVersion: String? = nil,
                kind: String? = nil) {
        self.apiVersion = apiVersion
        self.kind = kind
        self.name = name
        self.versions = versions
        self.preferredVersion = preferredVersion
        self.serverAddressByClientCIDRs = serverAddressByClientCIDRs
    }
}

/// `meta/v1` GroupVersionForDiscovery: `{groupVersion: "apps/v1", version: "v1"}`.
public struct GroupVersionForDiscovery: Codable, Sendable, Hashable {
    public var groupVersion: String
    public var version: String

    public init(groupVersion: String, version: String) {
        self.groupVersion = groupVersion
        self.version = version
    }
}

/// `meta/v1` APIResourceList: the resources of one group-version (`GET /api/v1`, `GET /apis/{group}/{version}`).
/// Subresources appear as their own entries named `resource/subresource`.
public struct APIResourceList: Codable, Sendable, Hashable {
    public static let apiVersion = "v1"
    public static let kind = "APIResourceList"

    public var apiVersion: String?
    public var kind: String?
    public var groupVersion: String
    public var resources: [APIResource]

    public init(groupVersion: String, resources: [APIResource], apiVersion: String? = Self.apiVersion,
                kind: String? = Self.kind) {
        self.apiVersion = apiVersion
        self.kind = kind
        self.groupVersion = groupVersion
        self.resources = resources
    }
}

/// `meta/v1` APIResource. `group`/`version` are set only when they differ from the list's
/// (e.g. `deployments/scale` → autoscaling/v1). `singularName` is `""` for subresources.
public struct APIResource: Codable, Sendable, Hashable {
    public var name: String
    public var singularName: String
    public var namespaced: Bool
    public var group: String?
    public var version: String?
    public var kind: String
    public var verbs: [String]
    public var shortNames: [String]?
    public var categories: [String]?
    public var storageVersionHash: String?

    public init(
        name: String, singularName: String = "", namespaced: Bool, kind: String, verbs: [String],
        group: String? = nil, version: String? = nil, shortNames: [String]? = nil, categories: [String]? = nil,
        storageVersionHash: String? = nil
    ) {
        self.name = name
        self.singularName = singularName
        self.namespaced = namespaced
        self.kind = kind
        self.verbs = verbs
        self.group = group
        self.version = version
        self.shortNames = shortNames
        self.categories = categories
        self.storageVersionHash = storageVersionHash
    }
}

// MARK: - Aggregated discovery

/// `apidiscovery.k8s.io/v2` APIGroupDiscoveryList: all groups, versions and resources in one document.
/// Served for `GET /api` and `GET /apis` with
/// `Accept: application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList`.
public struct APIGroupDiscoveryList: Codable, Sendable, Hashable {
    public static let apiVersion = "apidiscovery.k8s.io/v2"
    public static let kind = "APIGroupDiscoveryList"
    /// The media type to put in `Accept` (and that comes back in `Content-Type`).
    public static let mediaType = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList"

    public var apiVersion: String?
    public var kind: String?
    public var metadata: ListMeta?
    public var items: [APIGroupDiscovery]

    public init(items: [APIGroupDiscovery], metadata: ListMeta? = ListMeta(), apiVersion: String? = Self.apiVersion,
                kind: String? = Self.kind) {
        self.apiVersion = apiVersion
        self.kind = kind
        self.metadata = metadata
        self.items = items
    }
}

/// `apidiscovery.k8s.io/v2` APIGroupDiscovery: one group; `metadata.name` is the group (absent for core).
/// Versions are in preference order.
public struct APIGroupDiscovery: Codable, Sendable, Hashable {
    public var metadata: ObjectMeta?
    public var versions: [APIVersionDiscovery]?

    public init(metadata: ObjectMeta? = ObjectMeta(), versions: [APIVersionDiscovery]? = nil) {
        self.metadata = metadata
        self.versions = versions
    }
}

/// `apidiscovery.k8s.io/v2` APIVersionDiscovery. `freshness` is `Current` or `Stale`.
public struct APIVersionDiscovery: Codable, Sendable, Hashable {
    public var version: String
    public var resources: [APIResourceDiscovery]?
    public var freshness: String?

    public init(version: String, resources: [APIResourceDiscovery]? = nil, freshness: String? = nil) {
        self.version = version
        self.resources = resources
        self.freshness = freshness
    }
}

/// `apidiscovery.k8s.io/v2` APIResourceDiscovery. `scope` is `Namespaced` or `Cluster`.
public struct APIResourceDiscovery: Codable, Sendable, Hashable {
    public var resource: String
    public var responseKind: GroupVersionKind?
    public var scope: String
    public var singularResource: String
    public var verbs: [String]
    public var shortNames: [String]?
    public var categories: [String]?
    public var subresources: [APISubresourceDiscovery]?

    public init(
        resource: String, responseKind: GroupVersionKind? = nil, scope: String, singularResource: String,
        verbs: [String], shortNames: [String]? = nil, categories: [String]? = nil,
        subresources: [APISubresourceDiscovery]? = nil
    ) {
        self.resource = resource
        self.responseKind = responseKind
        self.scope = scope
        self.singularResource = singularResource
        self.verbs = verbs
        self.shortNames = shortNames
        self.categories = categories
        self.subresources = subresources
    }
}

/// `apidiscovery.k8s.io/v2` APISubresourceDiscovery, e.g. `status` or `scale`.
public struct APISubresourceDiscovery: Codable, Sendable, Hashable {
    public var subresource: String
    public var responseKind: GroupVersionKind?
    public var acceptedTypes: [GroupVersionKind]?
    public var verbs: [String]

    public init(subresource: String, responseKind: GroupVersionKind? = nil, acceptedTypes: [GroupVersionKind]? = nil,
                verbs: [String]) {
        self.subresource = subresource
        self.responseKind = responseKind
        self.acceptedTypes = acceptedTypes
        self.verbs = verbs
    }
}

/// `meta/v1` GroupVersionKind. In discovery documents `group` and `version` are `""` when they are the
/// enclosing group-version's.
public struct GroupVersionKind: Codable, Sendable, Hashable, CustomStringConvertible {
    public var group: String
    public var version: String
    public var kind: String

    public init(group: String, version: String, kind: String) {
        self.group = group
        self.version = version
        self.kind = kind
    }

    public var description: String { "\(group.isEmpty ? version : "\(group)/\(version)"), Kind=\(kind)" }
}
