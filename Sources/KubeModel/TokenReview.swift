/// `authentication.k8s.io/v1` TokenReview: asks the API server who a bearer token belongs to.
/// Create-only; the answer comes back in `status` with HTTP 201. Requests usually omit `metadata`.
public struct TokenReview: KubernetesResource, Hashable {
    public static let apiVersion = "authentication.k8s.io/v1"
    public static let kind = "TokenReview"
    public static let resource = "tokenreviews"
    public static let isNamespaced = false

    public var apiVersion: String?
    public var kind: String?
    @DefaultIfAbsent public var metadata: ObjectMeta
    public var spec: TokenReviewSpec
    public var status: TokenReviewStatus?

    public init(metadata: ObjectMeta = ObjectMeta(), spec: TokenReviewSpec, status: TokenReviewStatus? = nil) {
        self.apiVersion = Self.apiVersion
        self.kind = Self.kind
        self.metadata = metadata
        self.spec = spec
        self.status = status
    }
}

/// `authentication.k8s.io/v1` TokenReviewSpec.
public struct TokenReviewSpec: Codable, Sendable, Hashable {
    public var token: String?
    public var audiences: [String]?

    public init(token: String? = nil, audiences: [String]? = nil) {
        self.token = token
        self.audiences = audiences
    }
}

/// `authentication.k8s.io/v1` TokenReviewStatus. For a bad token it is `{"user": {}, "error": …}`:
/// `authenticated` is absent rather than false.
public struct TokenReviewStatus: Codable, Sendable, Hashable {
    public var authenticated: Bool?
    public var user: UserInfo?
    public var audiences: [String]?
    public var error: String?

    public init(authenticated: Bool? = nil, user: UserInfo? = nil, audiences: [String]? = nil, error: String? = nil) {
        self.authenticated = authenticated
        self.user = user
        self.audiences = audiences
        self.error = error
    }
}

/// `authentication.k8s.io/v1` UserInfo.
public struct UserInfo: Codable, Sendable, Hashable {
    public var username: String?
    public var uid: String?
    public var groups: [String]?
    /// E.g. `authentication.kubernetes.io/credential-id: ["JTI=…"]` for service-account tokens.
    public var extra: [String: [String]]?

    public init(username: String? = nil, uid: String? = nil, groups: [String]? = nil, extra: [String: [String]]? = nil) {
        self.username = username
        self.uid = uid
        self.groups = groups
        self.extra = extra
    }
}

/// `authentication.k8s.io/v1` TokenRequest: POSTed to the `token` subresource of a ServiceAccount
/// (what `kubectl create token` does). `resource` is that subresource's name.
public struct TokenRequest: KubernetesResource, Hashable {
    public static let apiVersion = "authentication.k8s.io/v1"
    public static let kind = "TokenRequest"
    public static let resource = "token"
    public static let isNamespaced = true

    public var apiVersion: String?
    public var kind: String?
    @DefaultIfAbsent public var metadata: ObjectMeta
    public var spec: TokenRequestSpec
    public var status: TokenRequestStatus?

    public init(metadata: ObjectMeta = ObjectMeta(), spec: TokenRequestSpec, status: TokenRequestStatus? = nil) {
        self.apiVersion = Self.apiVersion
        self.kind = Self.kind
        self.metadata = metadata
        self.spec = spec
        self.status = status
    }
}

/// `authentication.k8s.io/v1` TokenRequestSpec. The server defaults `audiences` to its issuer and
/// writes `boundObjectRef: null` when unbound (see ``ExplicitNull``).
public struct TokenRequestSpec: Codable, Sendable, Hashable {
    public var audiences: [String]?
    public var expirationSeconds: Int64?
    @ExplicitNull public var boundObjectRef: BoundObjectReference?

    public init(audiences: [String]? = nil, expirationSeconds: Int64? = nil,
                boundObjectRef: BoundObjectReference? = nil) {
        self.audiences = audiences
        self.expirationSeconds = expirationSeconds
        self.boundObjectRef = boundObjectRef
    }
}

/// `authentication.k8s.io/v1` BoundObjectReference: a Pod, Secret or Node the token's life is tied to.
public struct BoundObjectReference: Codable, Sendable, Hashable {
    public var kind: String?
    public var apiVersion: String?
    public var name: String?
    public var uid: String?

    public init(kind: String? = nil, apiVersion: String? = nil, name: String? = nil, uid: String? = nil) {
        self.kind = kind
        self.apiVersion = apiVersion
        self.name = name
        self.uid = uid
    }
}

/// `authentication.k8s.io/v1` TokenRequestStatus.
public struct TokenRequestStatus: Codable, Sendable, Hashable {
    public var token: String
    public var expirationTimestamp: KubeTime

    public init(token: String, expirationTimestamp: KubeTime) {
        self.token = token
        self.expirationTimestamp = expirationTimestamp
    }
}

/// `authentication.k8s.io/v1` SelfSubjectReview: "who am I" (`kubectl auth whoami`).
/// POST it with no spec; `status.userInfo` describes the caller.
public struct SelfSubjectReview: KubernetesResource, Hashable {
    public static let apiVersion = "authentication.k8s.io/v1"
    public static let kind = "SelfSubjectReview"
    public static let resource = "selfsubjectreviews"
    public static let isNamespaced = false

    public var apiVersion: String?
    public var kind: String?
    @DefaultIfAbsent public var metadata: ObjectMeta
    public var status: SelfSubjectReviewStatus?

    public init(metadata: ObjectMeta = ObjectMeta(), status: SelfSubjectReviewStatus? = nil) {
        self.apiVersion = Self.apiVersion
        self.kind = Self.kind
        self.metadata = metadata
        self.status = status
    }
}

/// `authentication.k8s.io/v1` SelfSubjectReviewStatus.
public struct SelfSubjectReviewStatus: Codable, Sendable, Hashable {
    public var userInfo: UserInfo?

    public init(userInfo: UserInfo? = nil) { self.userInfo = userInfo }
}
