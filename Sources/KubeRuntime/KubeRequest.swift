import Foundation
import KubeModel

/// One HTTP exchange with the API server, before authentication, rate limiting and retries are added.
public struct KubeRequest: Sendable {
    public enum Method: String, Sendable, Hashable {
        case get = "GET", post = "POST", put = "PUT", patch = "PATCH", delete = "DELETE", head = "HEAD"
    }

    public var method: Method
    /// Absolute path on the server, e.g. `/api/v1/namespaces/demo/configmaps/x`.
    public var path: String
    /// Query items, sent in this order.
    public var query: [(String, String)]
    public var body: [UInt8]?
    public var contentType: String?
    public var accept: String

    public init(
        method: Method, path: String, query: [(String, String)] = [], body: [UInt8]? = nil,
        contentType: String? = nil, accept: String = "application/json"
    ) {
        self.method = method
        self.path = path
        self.query = query
        self.body = body
        self.contentType = contentType
        self.accept = accept
    }

    /// `path?query`, with query values percent-encoded.
    public var pathAndQuery: String {
        guard !query.isEmpty else { return path }
        return path + "?" + query.map { "\(Self.escape($0.0))=\(Self.escape($0.1))" }.joined(separator: "&")
    }

    private static let unreserved: CharacterSet = {
        var set = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
        set.insert(charactersIn: "-._~")
        return set
    }()

    /// Percent-encodes everything but RFC 3986's unreserved characters.
    public static func escape(_ s: String) -> String {
        s.addingPercentEncoding(withAllowedCharacters: unreserved) ?? s
    }
}

/// The answer to a `KubeRequest`, body read in full.
public struct KubeResponse: Sendable {
    public var status: Int
    /// Header names and values in the order received.
    public var headers: [(String, String)]
    public var body: [UInt8]

    public init(status: Int, headers: [(String, String)] = [], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// The first value of header `name` (case-insensitive).
    public func header(_ name: String) -> String? {
        headers.first { $0.0.caseInsensitiveCompare(name) == .orderedSame }?.1
    }

    /// `Retry-After` in whole seconds, when present in that form.
    public var retryAfterSeconds: Int? {
        header("Retry-After").flatMap { Int($0.trimmingCharacters(in: .whitespaces)) }
    }

    /// `Warning` headers (e.g. `299 - "unknown field \"spec.extra\""`).
    public var warnings: [String] {
        headers.filter { $0.0.caseInsensitiveCompare("Warning") == .orderedSame }.map(\.1)
    }

    public var isSuccess: Bool { (200..<300).contains(status) }
}

/// Where a resource, a named object, or its subresource lives.
struct ResourcePath: Sendable, Hashable {
    var resource: GroupVersionResource
    var namespace: String?
    var name: String?
    var subresource: String?

    var path: String {
        var p = resource.apiPathPrefix
        if let namespace, !namespace.isEmpty { p += "/namespaces/" + KubeRequest.escape(namespace) }
        p += "/" + resource.resource
        if let name { p += "/" + KubeRequest.escape(name) }
        if let subresource, !subresource.isEmpty { p += "/" + subresource }
        return p
    }
}
