/// `authorization.k8s.io/v1` SubjectAccessReview: may this user do this? Create-only; the answer is in
/// `status` (HTTP 201). Requests usually omit `metadata`.
public struct SubjectAccessReview: KubernetesResource, Hashable {
    public static let apiVersion = "authorization.k8s.io/v1"
    public static let kind = "SubjectAccessReview"
    public static let resource = "subjectaccessreviews"
    public static let isNamespaced = false

    public var apiVersion: String?
    public var kind: String?
    @DefaultIfAbsent public var metadata: ObjectMeta
    public var spec: SubjectAccessReviewSpec
    public var status: SubjectAccessReviewStatus?

    public init(metadata: ObjectMeta = ObjectMeta(), spec: SubjectAccessReviewSpec,
                status: SubjectAccessReviewStatus? = nil) {
        self.apiVersion = Self.apiVersion
        self.kind = Self.kind
        self.metadata = metadata
        self.spec = spec
        self.status = status
    }
}

/// `authorization.k8s.io/v1` SubjectAccessReviewSpec: set `resourceAttributes` or `nonResourceAttributes`.
public struct SubjectAccessReviewSpec: Codable, Sendable, Hashable {
    public var resourceAttributes: ResourceAttributes?
    public var nonResourceAttributes: NonResourceAttributes?
    public var user: String?
    public var groups: [String]?
    public var extra: [String: [String]]?
    public var uid: String?

    public init(resourceAttributes: ResourceAttributes? = nil, nonResourceAttributes: NonResourceAttributes? = nil,
                user: String? = nil, groups: [String]? = nil, extra: [String: [String]]? = nil, uid: String? = nil) {
        self.resourceAttributes = resourceAttributes
        self.nonResourceAttributes = nonResourceAttributes
        self.user = user
        self.groups = groups
        self.extra = extra
        self.uid = uid
    }
}

/// `authorization.k8s.io/v1` ResourceAttributes: the request being checked.
public struct ResourceAttributes: Codable, Sendable, Hashable {
    public var namespace: String?
    public var verb: String?
    public var group: String?
    public var version: String?
    public var resource: String?
    public var subresource: String?
    public var name: String?
    public var fieldSelector: FieldSelectorAttributes?
    public var labelSelector: LabelSelectorAttributes?

    public init(
        namespace: String? = nil, verb: String? = nil, group: String? = nil, version: String? = nil,
        resource: String? = nil, subresource: String? = nil, name: String? = nil,
        fieldSelector: FieldSelectorAttributes? = nil, labelSelector: LabelSelectorAttributes? = nil
    ) {
        self.namespace = namespace
        self.verb = verb
        self.group = group
        self.version = version
        self.resource = resource
        self.subresource = subresource
        self.name = name
        self.fieldSelector = fieldSelector
        self.labelSelector = labelSelector
    }
}

/// `authorization.k8s.io/v1` FieldSelectorAttributes.
public struct FieldSelectorAttributes: Codable, Sendable, Hashable {
    public var rawSelector: String?
    public var requirements: [FieldSelectorRequirement]?

    public init(rawSelector: String? = nil, requirements: [FieldSelectorRequirement]? = nil) {
        self.rawSelector = rawSelector
        self.requirements = requirements
    }
}

/// `meta/v1` FieldSelectorRequirement: `operator` is In, NotIn, Exists or DoesNotExist.
public struct FieldSelectorRequirement: Codable, Sendable, Hashable {
    public var key: String
    public var `operator`: String
    public var values: [String]?

    public init(key: String, operator: String, values: [String]? = nil) {
        self.key = key
        self.operator = `operator`
        self.values = values
    }
}

/// `authorization.k8s.io/v1` LabelSelectorAttributes.
public struct LabelSelectorAttributes: Codable, Sendable, Hashable {
    public var rawSelector: String?
    public var requirements: [LabelSelectorRequirement]?

    public init(rawSelector: String? = nil, requirements: [LabelSelectorRequirement]? = nil) {
        self.rawSelector = rawSelector
        self.requirements = requirements
    }
}

/// `authorization.k8s.io/v1` NonResourceAttributes, e.g. path `/healthz`, verb `get`.
public struct NonResourceAttributes: Codable, Sendable, Hashable {
    public var path: String?
    public var verb: String?

    public init(path: String? = nil, verb: String? = nil) {
        self.path = path
        self.verb = verb
    }
}

/// `authorization.k8s.io/v1` SubjectAccessReviewStatus. A plain "no" is exactly `{"allowed": false}`:
/// `denied` is set only for an explicit deny.
public struct SubjectAccessReviewStatus: Codable, Sendable, Hashable {
    public var allowed: Bool
    public var denied: Bool?
    public var reason: String?
    public var evaluationError: String?

    public init(allowed: Bool, denied: Bool? = nil, reason: String? = nil, evaluationError: String? = nil) {
        self.allowed = allowed
        self.denied = denied
        self.reason = reason
        self.evaluationError = evaluationError
    }
}

/// `authorization.k8s.io/v1` SelfSubjectAccessReview: may *I* do this? (`kubectl auth can-i`).
public struct SelfSubjectAccessReview: KubernetesResource, Hashable {
    public static let apiVersion = "authorization.k8s.io/v1"
    public static let kind = "SelfSubjectAccessReview"
    public static let resource = "selfsubjectaccessreviews"
    public static let isNamespaced = false

    public var apiVersion: String?
    public var kind: String?
    @DefaultIfAbsent public var metadata: ObjectMeta
    public var spec: SelfSubjectAccessReviewSpec
    public var status: SubjectAccessReviewStatus?

    public init(metadata: ObjectMeta = ObjectMeta(), spec: SelfSubjectAccessReviewSpec,
                status: SubjectAccessReviewStatus? = nil) {
        self.apiVersion = Self.apiVersion
        self.kind = Self.kind
        self.metadata = metadata
        self.spec = spec
        self.status = status
    }
}

/// `authorization.k8s.io/v1` SelfSubjectAccessReviewSpec.
public struct SelfSubjectAccessReviewSpec: Codable, Sendable, Hashable {
    public var resourceAttributes: ResourceAttributes?
    public var nonResourceAttributes: NonResourceAttributes?

    public init(resourceAttributes: ResourceAttributes? = nil, nonResourceAttributes: NonResourceAttributes? = nil) {
        self.resourceAttributes = resourceAttributes
        self.nonResourceAttributes = nonResourceAttributes
    }
}

/// `authorization.k8s.io/v1` LocalSubjectAccessReview: a SubjectAccessReview POSTed into a namespace;
/// `spec.resourceAttributes.namespace` must match it.
public struct LocalSubjectAccessReview: KubernetesResource, Hashable {
    public static let apiVersion = "authorization.k8s.io/v1"
    public static let kind = "LocalSubjectAccessReview"
    public static let resource = "localsubjectaccessreviews"
    public static let isNamespaced = true

    public var apiVersion: String?
    public var kind: String?
    @DefaultIfAbsent public var metadata: ObjectMeta
    public var spec: SubjectAccessReviewSpec
    public var status: SubjectAccessReviewStatus?

    public init(metadata: ObjectMeta = ObjectMeta(), spec: SubjectAccessReviewSpec,
                status: SubjectAccessReviewStatus? = nil) {
        self.apiVersion = Self.apiVersion
        self.kind = Self.kind
        self.metadata = metadata
        self.spec = spec
        self.status = status
    }
}
