/// `meta/v1` Status: the body of every Kubernetes error, and of a DELETE that removed its object.
public struct Status: Codable, Sendable, Hashable, Error {
    public var kind: String? = "Status"
    public var apiVersion: String? = "v1"
    public var metadata: ListMeta? = ListMeta()
    /// "Success" or "Failure".
    public var status: String?
    public var message: String?
    /// A machine-readable reason: NotFound, AlreadyExists, Conflict, Invalid, BadRequest, Expired, …
    public var reason: String?
    public var details: StatusDetails?
    public var code: Int?

    public init(
        status: String? = "Failure", message: String? = nil, reason: String? = nil,
        details: StatusDetails? = nil, code: Int? = nil
    ) {
        self.status = status
        self.message = message
        self.reason = reason
        self.details = details
        self.code = code
    }
}

public struct StatusDetails: Codable, Sendable, Hashable {
    public var name: String?
    public var group: String?
    /// The plural resource for most errors; the Kind for Invalid.
    public var kind: String?
    public var uid: String?
    public var causes: [StatusCause]?
    public var retryAfterSeconds: Int?

    public init(
        name: String? = nil, group: String? = nil, kind: String? = nil, uid: String? = nil,
        causes: [StatusCause]? = nil, retryAfterSeconds: Int? = nil
    ) {
        self.name = name
        self.group = group
        self.kind = kind
        self.uid = uid
        self.causes = causes
        self.retryAfterSeconds = retryAfterSeconds
    }
}

public struct StatusCause: Codable, Sendable, Hashable {
    /// FieldValueInvalid, FieldValueRequired, FieldValueNotSupported, FieldValueTypeInvalid, FieldManagerConflict, …
    public var reason: String?
    public var message: String?
    public var field: String?

    public init(reason: String? = nil, message: String? = nil, field: String? = nil) {
        self.reason = reason
        self.message = message
        self.field = field
    }
}

/// `meta/v1` ListMeta.
public struct ListMeta: Codable, Sendable, Hashable {
    public var resourceVersion: String?
    public var `continue`: String?
    public var remainingItemCount: Int64?
    public var selfLink: String?

    public init(resourceVersion: String? = nil, continue: String? = nil, remainingItemCount: Int64? = nil) {
        self.resourceVersion = resourceVersion
        self.continue = `continue`
        self.remainingItemCount = remainingItemCount
    }
}
