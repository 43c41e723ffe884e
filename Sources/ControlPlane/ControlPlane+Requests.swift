import Foundation
import HTTPTypes
import Hummingbird
import KubeModel
import KubeRuntime
import NIOCore
import ServingAPI

/// What every route needs: the caller, the resource group, authorization, bodies, query
/// parameters, JSON answers, and API server errors in AI Core's shape.
extension ControlPlane {
    static let resourceGroupHeader = HTTPField.Name("AI-Resource-Group")!

    func caller(_ context: ControlPlaneContext) throws -> Caller {
        guard let caller = context.caller else { throw ControlPlaneError.unauthorized("not authenticated") }
        return caller
    }

    /// The `AI-Resource-Group` header: the namespace the request acts in.
    func resourceGroup(_ request: Request) throws -> String {
        guard let value = request.headers[Self.resourceGroupHeader]?.trimmingCharacters(in: .whitespaces), !value.isEmpty else {
            throw ControlPlaneError.badRequest("the AI-Resource-Group header is required", target: "AI-Resource-Group")
        }
        guard Self.isDNSLabel(value) else {
            throw ControlPlaneError.badRequest(
                "resource group \"\(value.prefix(80))\" is not valid: lower-case letters, digits and '-', at most 63 characters",
                target: "AI-Resource-Group")
        }
        return value
    }

    /// Authorizes `access` for the caller, then checks that the resource group exists. (In that
    /// order, so a caller without rights learns nothing about other groups.)
    func authorize(_ context: ControlPlaneContext, _ access: Access) async throws {
        try await self.access.authorize(caller(context), access)
        if let namespace = access.namespace { try await requireResourceGroup(namespace) }
    }

    /// `read`'s value, nil when the API server answers NotFound; other errors translated.
    static func ifPresent<T>(_ read: () async throws -> T) async throws -> T? {
        do {
            return try await read()
        } catch let error as KubeAPIError where error.isNotFound {
            return nil
        } catch {
            throw translate(error)
        }
    }

    func requireResourceGroup(_ namespace: String) async throws {
        let labelled = try await resourceGroups.value(namespace) { [client, configuration] in
            try await Self.ifPresent { try await client.get(Namespace.self, name: namespace) }
                .map { $0.metadata.labels?[configuration.resourceGroupLabel] != nil }
        }
        guard let labelled else {
            throw ControlPlaneError.notFound("resource group \"\(namespace)\" not found", target: "AI-Resource-Group")
        }
        guard labelled else {
            throw ControlPlaneError.notFound(
                "resource group \"\(namespace)\" not found (namespace \(namespace) has no \(configuration.resourceGroupLabel) label)",
                target: "AI-Resource-Group")
        }
    }

    /// The request body as JSON (400 for what is not a JSON object, 413 above the limit): the one
    /// the OpenAPI check already parsed, else parsed here.
    func body(_ request: Request, _ context: ControlPlaneContext, optional: Bool = false) async throws -> JSONValue {
        if let parsed = context.body, case .object = parsed { return parsed }
        var request = request
        let buffer = try await request.collectBody(upTo: configuration.maxRequestBodyBytes)
        if buffer.readableBytes == 0 {
            if optional { return .emptyObject }
            throw ControlPlaneError.badRequest("a JSON request body is required", target: "body")
        }
        let value: JSONValue
        do {
            value = try JSONValue(parsing: Array(buffer.readableBytesView))
        } catch {
            throw ControlPlaneError.badRequest("the request body is not valid JSON: \(error)", target: "body")
        }
        guard case .object = value else { throw ControlPlaneError.badRequest("the request body must be a JSON object", target: "body") }
        return value
    }

    /// A required string field of a body.
    static func string(_ body: JSONValue, _ field: String, required: Bool = true) throws -> String? {
        guard let value = body[field], value != .null else {
            if required { throw ControlPlaneError.badRequest("\(field) is required", target: field) }
            return nil
        }
        guard let text = value.stringValue else { throw ControlPlaneError.badRequest("\(field) must be a string", target: field) }
        if required && text.isEmpty { throw ControlPlaneError.badRequest("\(field) must not be empty", target: field) }
        return text
    }

    /// A body's `labels`: AI Core's list of `{key, value}`.
    static func labels(_ body: JSONValue) throws -> [KeyValue] {
        guard let value = body["labels"], value != .null else { return [] }
        guard let array = value.arrayValue else { throw ControlPlaneError.badRequest("labels must be an array of {key, value}", target: "labels") }
        return try array.enumerated().map { i, item in
            guard let key = item["key"]?.stringValue, let text = item["value"]?.stringValue else {
                throw ControlPlaneError.badRequest("labels[\(i)] must have string key and value", target: "labels[\(i)]")
            }
            return KeyValue(key: key, value: text)
        }
    }

    /// `$top` and `$skip`.
    static func paging(_ request: Request) throws -> (top: Int, skip: Int) {
        func int(_ name: String, _ fallback: Int) throws -> Int {
            guard let text = request.uri.queryParameters.get(name) else { return fallback }
            guard let value = Int(text), value >= 0 else {
                throw ControlPlaneError.badRequest("\(name) must be a non-negative integer", target: name)
            }
            return value
        }
        return (try int("$top", 10_000), try int("$skip", 0))
    }

    /// A comma-separated query parameter.
    static func list(_ request: Request, _ name: String) -> [String]? {
        guard let text = request.uri.queryParameters.get(name) else { return nil }
        return text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    /// AI Core's list shape: the total `count` and one page of `resources`.
    static func page(_ items: [JSONValue], _ paging: (top: Int, skip: Int)) -> JSONValue {
        ["count": .int(Int64(items.count)), "resources": .array(Array(items.dropFirst(paging.skip).prefix(paging.top)))]
    }

    static func json(_ value: JSONValue, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: value.serialized())))
    }

    /// Runs an API server call, translating its errors.
    func kube<T: Sendable>(_ operation: () async throws -> T) async throws -> T {
        do {
            return try await operation()
        } catch let error as ControlPlaneError {
            throw error
        } catch {
            throw Self.translate(error)
        }
    }

    static func translate(_ error: any Error) -> ControlPlaneError {
        guard let error = error as? KubeAPIError else {
            return .unavailable("the cluster's API server cannot be reached: \(error)", retryAfter: 5)
        }
        if error.isNotFound { return .notFound(error.status.message ?? "not found") }
        if error.isConflict || error.isAlreadyExists { return .conflict(error.status.message ?? "conflict") }
        switch error.status.code ?? 0 {
        case 400, 422: return .badRequest(error.status.message ?? "invalid")
        case 403: return .internalError("the operator's service account was refused by the API server: \(error.status.message ?? "")")
        case 429, 503, 504: return .unavailable(error.status.message ?? "the API server is busy", retryAfter: 2)
        default: return .internalError(error.status.message ?? "API server error \(error.status.code ?? 0)")
        }
    }

    static func isDNSLabel(_ s: String) -> Bool {
        guard (1...63).contains(s.utf8.count), let first = s.utf8.first, let last = s.utf8.last else { return false }
        func alnum(_ c: UInt8) -> Bool { (c >= 97 && c <= 122) || (c >= 48 && c <= 57) }
        return alnum(first) && alnum(last) && s.utf8.allSatisfy { alnum($0) || $0 == 45 }
    }

    /// A new object id: a DNS-1035 label of 16 characters (a letter, then hex), as AI Core's ids look.
    static func newID() -> String {
        "d" + String(UInt64.random(in: 0...UInt64.max), radix: 16).leftPadded(to: 16).suffix(15)
    }

    static func timestamp(_ time: KubeTime?) -> JSONValue {
        time.map { .string($0.rfc3339) } ?? .null
    }
}

extension String {
    func leftPadded(to length: Int) -> String {
        count >= length ? self : String(repeating: "0", count: length - count) + self
    }
}
