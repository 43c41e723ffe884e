import EmbeddingCore
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// Which protocol's error shape a route answers with.
enum ErrorShape: Sendable {
    /// `{"error": {"message", "type", "param", "code"}}`
    case openAI
    /// `{"error": "...", "error_type": "..."}`
    case tei
}

/// An ``EmbeddingError`` on its way out of a route, rendered in that route's shape. The status
/// comes from the one table below.
struct APIError: HTTPResponseError {
    var error: EmbeddingError
    var shape: ErrorShape
    /// The request field at fault, for OpenAI's `param`.
    var param: String?

    init(_ error: EmbeddingError, shape: ErrorShape, param: String? = nil) {
        self.error = error
        self.shape = shape
        self.param = param
    }

    /// The one translation table from error kind to HTTP status (TEI's codes).
    static func status(for kind: EmbeddingError.Kind) -> HTTPResponse.Status {
        switch kind {
        case .empty: .badRequest
        case .validation: .unprocessableContent
        case .payloadTooLarge: .contentTooLarge
        case .tokenizer: .unprocessableContent
        case .backend: .init(code: 424, reasonPhrase: "Failed Dependency")
        case .overloaded: .tooManyRequests
        case .unhealthy: .serviceUnavailable
        case .modelNotFound: .notFound
        case .unauthorized: .unauthorized
        case .cancelled: .init(code: 499, reasonPhrase: "Client Closed Request")
        default: .internalServerError
        }
    }

    /// TEI's `error_type` (TEI serializes its enum's case names, capitalized).
    static func teiType(for kind: EmbeddingError.Kind) -> String {
        switch kind {
        case .empty: "Empty"
        case .validation, .payloadTooLarge: "Validation"
        case .tokenizer: "Tokenizer"
        case .backend: "Backend"
        case .overloaded: "Overloaded"
        case .unhealthy: "Unhealthy"
        case .modelNotFound: "NotFound"
        case .unauthorized: "Unauthorized"
        default: "Internal"
        }
    }

    /// OpenAI's `type` and `code` for a kind.
    static func openAITypeAndCode(for kind: EmbeddingError.Kind) -> (type: String, code: String?) {
        switch kind {
        case .modelNotFound: ("invalid_request_error", "model_not_found")
        case .unauthorized: ("invalid_request_error", "invalid_api_key")
        case .overloaded: ("server_overloaded", "rate_limit_exceeded")
        case .backend, .unhealthy: ("server_error", nil)
        case .payloadTooLarge: ("invalid_request_error", "context_length_exceeded")
        default: ("invalid_request_error", nil)
        }
    }

    var status: HTTPResponse.Status { Self.status(for: error.kind) }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        Self.response(error: error, shape: shape, param: param)
    }

    static func response(error: EmbeddingError, shape: ErrorShape, param: String? = nil, headers: HTTPFields = [:]) -> Response {
        reply(error: error, shape: shape, param: param, headers: headers).response
    }

    static func reply(error: EmbeddingError, shape: ErrorShape, param: String? = nil, headers: HTTPFields = [:]) -> Reply {
        var writer = JSONWriter(capacity: 128 + error.message.utf8.count)
        switch shape {
        case .openAI:
            let (type, code) = openAITypeAndCode(for: error.kind)
            writer.raw("{\"error\":{\"message\":")
            writer.string(error.message)
            writer.raw(",\"type\":")
            writer.string(type)
            writer.raw(",\"param\":")
            if let param { writer.string(param) } else { writer.raw("null") }
            writer.raw(",\"code\":")
            if let code { writer.string(code) } else { writer.raw("null") }
            writer.raw("}}")
        case .tei:
            writer.raw("{\"error\":")
            writer.string(error.message)
            writer.raw(",\"error_type\":")
            writer.string(teiType(for: error.kind))
            writer.raw("}")
        }
        var fields = headers
        fields[.contentType] = "application/json"
        if error.kind == .unauthorized { fields[.wwwAuthenticate] = "Bearer" }
        return Reply(status: status(for: error.kind), headers: fields, body: writer.buffer)
    }
}
