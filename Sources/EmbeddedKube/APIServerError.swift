import KubeModel

/// An error the API server answers with: a Kubernetes `Status` and its HTTP code.
/// The one place that maps error kinds to status codes and reasons is `Code.table`.
public struct APIServerError: Error, Sendable, CustomStringConvertible {
    private enum Code: Sendable {
        case badRequest, unauthorized, forbidden, notFound, methodNotAllowed, notAcceptable
        case alreadyExists, conflict, expired, requestEntityTooLarge, unsupportedMediaType, invalid
        case internalError, tooManyRequests, serviceUnavailable, timeout

        /// HTTP code and Status reason.
        var table: (code: Int, reason: String) {
            switch self {
            case .badRequest: (400, "BadRequest")
            case .unauthorized: (401, "Unauthorized")
            case .forbidden: (403, "Forbidden")
            case .notFound: (404, "NotFound")
            case .methodNotAllowed: (405, "MethodNotAllowed")
            case .notAcceptable: (406, "NotAcceptable")
            case .alreadyExists: (409, "AlreadyExists")
            case .conflict: (409, "Conflict")
            case .expired: (410, "Expired")
            case .requestEntityTooLarge: (413, "RequestEntityTooLarge")
            case .unsupportedMediaType: (415, "UnsupportedMediaType")
            case .invalid: (422, "Invalid")
            case .internalError: (500, "InternalError")
            case .tooManyRequests: (429, "TooManyRequests")
            case .serviceUnavailable: (503, "ServiceUnavailable")
            case .timeout: (504, "Timeout")
            }
        }
    }

    private let code: Code
    public let message: String
    public let details: StatusDetails?

    private init(_ code: Code, _ message: String, details: StatusDetails? = nil) {
        self.code = code
        self.message = message
        self.details = details
    }

    public var httpStatus: Int { code.table.code }
    public var reason: String { code.table.reason }
    public var description: String { "\(httpStatus) \(reason): \(message)" }

    public var status: Status {
        Status(status: "Failure", message: message, reason: reason, details: details, code: httpStatus)
    }

    /// The Status as JSON; `details` omits empty members, as the real server does.
    public var statusJSON: JSONValue {
        var object: JSONValue = [
            "kind": "Status", "apiVersion": "v1", "metadata": .emptyObject, "status": "Failure",
            "message": .string(message), "reason": .string(reason), "code": .int(Int64(httpStatus)),
        ]
        if let details {
            var d: JSONValue = .emptyObject
            if let name = details.name { d["name"] = .string(name) }
            if let group = details.group, !group.isEmpty { d["group"] = .string(group) }
            if let kind = details.kind { d["kind"] = .string(kind) }
            if let uid = details.uid { d["uid"] = .string(uid) }
            if let causes = details.causes, !causes.isEmpty {
                d["causes"] = .array(causes.map { cause in
                    var c: JSONValue = .emptyObject
                    if let r = cause.reason { c["reason"] = .string(r) }
                    if let m = cause.message { c["message"] = .string(m) }
                    if let f = cause.field { c["field"] = .string(f) }
                    return c
                })
            }
            if let retry = details.retryAfterSeconds { d["retryAfterSeconds"] = .int(Int64(retry)) }
            object["details"] = d
        }
        return object
    }

    // MARK: Constructors, named after the Kubernetes reasons.

    public static func badRequest(_ message: String) -> APIServerError { .init(.badRequest, message) }
    public static let unauthorized = APIServerError(.unauthorized, "Unauthorized")
    public static func forbidden(_ message: String, group: String, resource: String, name: String?) -> APIServerError {
        .init(.forbidden, message, details: StatusDetails(name: name, group: group, kind: resource))
    }
    public static func notFound(_ resource: GroupResource, name: String) -> APIServerError {
        .init(.notFound, "\(resource.qualified) \"\(name)\" not found",
              details: StatusDetails(name: name, group: resource.group, kind: resource.resource))
    }
    /// A 404 for a URL that names no resource at all.
    public static func pathNotFound() -> APIServerError {
        .init(.notFound, "the server could not find the requested resource", details: StatusDetails())
    }
    public static func methodNotAllowed(_ method: String) -> APIServerError {
        .init(.methodNotAllowed, "the server does not allow this method on the requested resource", details: StatusDetails())
    }
    public static func notAcceptable(_ message: String) -> APIServerError { .init(.notAcceptable, message) }
    public static func alreadyExists(_ resource: GroupResource, name: String) -> APIServerError {
        .init(.alreadyExists, "\(resource.qualified) \"\(name)\" already exists",
              details: StatusDetails(name: name, group: resource.group, kind: resource.resource))
    }
    public static func conflict(_ resource: GroupResource, name: String, message: String? = nil) -> APIServerError {
        .init(.conflict,
              "Operation cannot be fulfilled on \(resource.qualified) \"\(name)\": "
                + (message ?? "the object has been modified; please apply your changes to the latest version and try again"),
              details: StatusDetails(name: name, group: resource.group, kind: resource.resource))
    }
    public static func expired(_ message: String) -> APIServerError { .init(.expired, message) }
    public static func requestEntityTooLarge(limit: Int) -> APIServerError {
        .init(.requestEntityTooLarge, "Request entity too large: limit is \(limit)")
    }
    public static func unsupportedMediaType(_ message: String) -> APIServerError { .init(.unsupportedMediaType, message) }
    /// 422 Invalid: `<Kind>.<group> "<name>" is invalid: [causes…]`, details.kind is the Kind.
    public static func invalid(kind: String, group: String, name: String, causes: [StatusCause]) -> APIServerError {
        let qualifiedKind = group.isEmpty ? kind : "\(kind).\(group)"
        let texts = causes.map { cause -> String in
            if let field = cause.field, !field.isEmpty { return "\(field): \(cause.message ?? "")" }
            return cause.message ?? ""
        }
        let list = texts.count == 1 ? texts[0] : "[" + texts.joined(separator: ", ") + "]"
        return .init(.invalid, "\(qualifiedKind) \"\(name)\" is invalid: \(list)",
                     details: StatusDetails(name: name, group: group, kind: kind, causes: causes))
    }
    /// 422 with a free-form message (e.g. a failed JSON-patch test).
    public static func invalidMessage(_ message: String, details: StatusDetails? = nil) -> APIServerError {
        .init(.invalid, message, details: details)
    }
    /// 500, as Kubernetes' NewInternalError words it: the message prefixed, the error as the one cause.
    public static func internalError(_ message: String) -> APIServerError {
        .init(.internalError, "Internal error occurred: \(message)", details: StatusDetails(causes: [StatusCause(message: message)]))
    }
    public static func tooManyRequests(_ message: String) -> APIServerError { .init(.tooManyRequests, message) }
    public static func serviceUnavailable(_ message: String) -> APIServerError { .init(.serviceUnavailable, message) }
}

/// A resource in a group, as error messages name it: `widgets.quiver.dev`, or `configmaps` in the core group.
public struct GroupResource: Sendable, Hashable {
    public var group: String
    public var resource: String
    public init(group: String, resource: String) {
        self.group = group
        self.resource = resource
    }
    public var qualified: String { group.isEmpty ? resource : "\(resource).\(group)" }
}
