import Foundation
import HTTPTypes
import Hummingbird
import KubeModel
import NIOCore

/// An error of the control-plane API, answered in AI Core's shape:
/// `{"error": {"code", "message", "requestId", "target", "details"}}`. The status comes from the
/// one table in `status`.
public struct ControlPlaneError: Error, Sendable, CustomStringConvertible {
    enum Code: String, Sendable {
        case badRequest = "BadRequest"
        case unauthorized = "Unauthorized"
        case forbidden = "Forbidden"
        case notFound = "NotFound"
        case methodNotAllowed = "MethodNotAllowed"
        case conflict = "Conflict"
        case preconditionFailed = "PreconditionFailed"
        case payloadTooLarge = "PayloadTooLarge"
        case unavailable = "ServiceUnavailable"
        case badGateway = "BadGateway"
        case gatewayTimeout = "GatewayTimeout"
        case `internal` = "InternalError"
    }

    struct Detail: Sendable, Hashable {
        var code: String
        var message: String
    }

    let code: Code
    public let message: String
    /// The request field at fault (a body field, a query parameter or a header).
    public let target: String?
    let details: [Detail]
    /// Seconds a client should wait before retrying (503).
    let retryAfter: Int?

    init(_ code: Code, _ message: String, target: String? = nil, details: [Detail] = [], retryAfter: Int? = nil) {
        self.code = code
        self.message = message
        self.target = target
        self.details = details
        self.retryAfter = retryAfter
    }

    public var description: String { "\(code.rawValue): \(message)" + (target.map { " (\($0))" } ?? "") }

    static func badRequest(_ message: String, target: String? = nil, details: [Detail] = []) -> Self {
        .init(.badRequest, message, target: target, details: details)
    }
    static func notFound(_ message: String, target: String? = nil) -> Self { .init(.notFound, message, target: target) }
    static func forbidden(_ message: String) -> Self { .init(.forbidden, message) }
    static func unauthorized(_ message: String) -> Self { .init(.unauthorized, message) }
    static func conflict(_ message: String, target: String? = nil) -> Self { .init(.conflict, message, target: target) }
    static func preconditionFailed(_ message: String, target: String? = nil) -> Self { .init(.preconditionFailed, message, target: target) }
    static func unavailable(_ message: String, retryAfter: Int) -> Self { .init(.unavailable, message, retryAfter: retryAfter) }
    static func internalError(_ message: String) -> Self { .init(.internal, message) }

    /// The one translation table from error code to HTTP status.
    var status: HTTPResponse.Status {
        switch code {
        case .badRequest: .badRequest
        case .unauthorized: .unauthorized
        case .forbidden: .forbidden
        case .notFound: .notFound
        case .methodNotAllowed: .methodNotAllowed
        case .conflict: .conflict
        case .preconditionFailed: .preconditionFailed
        case .payloadTooLarge: .contentTooLarge
        case .unavailable: .serviceUnavailable
        case .badGateway: .badGateway
        case .gatewayTimeout: .gatewayTimeout
        case .internal: .internalServerError
        }
    }

    /// The body, with the request's id.
    func body(requestID: String) -> JSONValue {
        var error: JSONValue = ["code": .string(code.rawValue), "message": .string(message), "requestId": .string(requestID)]
        if let target { error["target"] = .string(target) }
        if !details.isEmpty {
            // AI Core types `details` as an object; the list of problems goes under `errors`.
            error["details"] = ["errors": .array(details.map { ["code": .string($0.code), "message": .string($0.message)] })]
        }
        return ["error": error]
    }

    func response(requestID: String) -> Response {
        var headers: HTTPFields = [.contentType: "application/json"]
        if let retryAfter { headers[.retryAfter] = String(retryAfter) }
        if code == .unauthorized { headers[.wwwAuthenticate] = "Bearer" }
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: body(requestID: requestID).serialized())))
    }
}
