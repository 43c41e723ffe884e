/// `meta/v1` DeleteOptions: the optional body of a DELETE, e.g. `{"propagationPolicy": "Foreground"}`.
public struct DeleteOptions: Codable, Sendable, Hashable {
    public static let apiVersion = "v1"
    public static let kind = "DeleteOptions"

    public var apiVersion: String?
    public var kind: String?
    public var gracePeriodSeconds: Int64?
    public var preconditions: Preconditions?
    /// Deprecated; use `propagationPolicy`.
    public var orphanDependents: Bool?
    /// `Orphan`, `Background` or `Foreground`.
    public var propagationPolicy: String?
    /// `["All"]` for a dry run.
    public var dryRun: [String]?
    public var ignoreStoreReadErrorWithClusterBreakingPotential: Bool?

    public init(
        propagationPolicy: String? = nil, gracePeriodSeconds: Int64? = nil, preconditions: Preconditions? = nil,
        dryRun: [String]? = nil, orphanDependents: Bool? = nil, apiVersion: String? = Self.apiVersion,
        kind: String? = Self.kind
    ) {
        self.apiVersion = apiVersion
        self.kind = kind
        self.propagationPolicy = propagationPolicy
        self.gracePeriodSeconds = gracePeriodSeconds
        self.preconditions = preconditions
        self.dryRun = dryRun
        self.orphanDependents = orphanDependents
    }
}

/// `meta/v1` Preconditions: the delete only happens if the object still has this uid / resourceVersion.
public struct Preconditions: Codable, Sendable, Hashable {
    public var uid: String?
    public var resourceVersion: String?

    public init(uid: String? = nil, resourceVersion: String? = nil) {
        self.uid = uid
        self.resourceVersion = resourceVersion
    }
}
