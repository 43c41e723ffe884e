import KubeModel

/// The API server refused a request. Keeps the server's `Status` (code, reason, message, details with
/// causes); a non-Status error body becomes a `Status` with the HTTP code and a reason derived from it.
/// An `ERROR` event in a watch stream (e.g. 410 Expired) surfaces as this error too.
public struct KubeAPIError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The decoded Status.
    public var status: Status
    /// The HTTP status of the response (200 for an ERROR watch event, whose code is in `status.code`).
    public var httpStatus: Int
    /// The `Retry-After` header, in seconds, when the server sent one.
    public var retryAfterSeconds: Int?

    public init(status: Status, httpStatus: Int, retryAfterSeconds: Int? = nil) {
        self.status = status
        self.httpStatus = httpStatus
        self.retryAfterSeconds = retryAfterSeconds
    }

    /// The error code: the Status' own, else the HTTP status.
    public var code: Int { status.code ?? httpStatus }
    public var reason: String { status.reason ?? "" }
    public var message: String { status.message ?? "" }
    public var details: StatusDetails? { status.details }
    public var causes: [StatusCause] { status.details?.causes ?? [] }

    public var isNotFound: Bool { reason == "NotFound" || (reason.isEmpty && code == 404) }
    public var isAlreadyExists: Bool { reason == "AlreadyExists" }
    public var isConflict: Bool { reason == "Conflict" || (code == 409 && !isAlreadyExists) }
    /// 410: a resourceVersion too old for the watch cache or etcd (reason Expired, or Gone).
    public var isGone: Bool { code == 410 || reason == "Expired" || reason == "Gone" }
    public var isInvalid: Bool { reason == "Invalid" || (reason.isEmpty && code == 422) }
    public var isForbidden: Bool { reason == "Forbidden" || (reason.isEmpty && code == 403) }
    public var isUnauthorized: Bool { reason == "Unauthorized" || (reason.isEmpty && code == 401) }
    public var isTooManyRequests: Bool { code == 429 }
    public var isBadRequest: Bool { reason == "BadRequest" || (reason.isEmpty && code == 400) }
    public var isServerError: Bool { code >= 500 }

    public var description: String {
        "\(code) \(reason.isEmpty ? "Failure" : reason): \(message)"
    }

    /// The Status a response with this code and a body that is not a Status stands for, as client-go's
    /// `newUnstructuredResponseError` builds it.
    public static func statusForResponse(code: Int, body: [UInt8]) -> Status {
        let text = String(decoding: body.prefix(1024), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        let reason: String
        switch code {
        case 400: reason = "BadRequest"
        case 401: reason = "Unauthorized"
        case 403: reason = "Forbidden"
        case 404: reason = "NotFound"
        case 405: reason = "MethodNotAllowed"
        case 406: reason = "NotAcceptable"
        case 409: reason = "Conflict"
        case 410: reason = "Gone"
        case 413: reason = "RequestEntityTooLarge"
        case 415: reason = "UnsupportedMediaType"
        case 422: reason = "Invalid"
        case 429: reason = "TooManyRequests"
        case 500: reason = "InternalError"
        case 503: reason = "ServiceUnavailable"
        case 504: reason = "Timeout"
        default: reason = code >= 500 ? "InternalError" : "Unknown"
        }
        let message = text.isEmpty ? "the server responded with the status code \(code)" : text
        return Status(status: "Failure", message: message, reason: reason, code: code)
    }
}
