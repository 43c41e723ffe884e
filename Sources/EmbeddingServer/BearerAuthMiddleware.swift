import EmbeddingCore
import HTTPTypes
import Hummingbird

/// `--api-key`: every route except the health checks and /metrics requires `Authorization: Bearer <key>`.
/// Failures answer 401 in the route's own error shape.
struct BearerAuthMiddleware<Context: RequestContext>: RouterMiddleware {
    let apiKey: String

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let path = request.uri.path
        if Self.isHealthCheck(path) { return try await next(request, context) }
        if let error = BearerAuth.check(authorization: request.headers[.authorization], apiKey: apiKey) {
            return APIError.response(error: error, shape: errorShape(forPath: path))
        }
        return try await next(request, context)
    }

    /// Routes TEI leaves open: health checks and metrics (probes and scrapers carry no key).
    static func isHealthCheck(_ path: String) -> Bool {
        path == "/health" || path.hasPrefix("/v2/health/") || path == "/metrics"
    }
}

/// The `--api-key` check, shared by the middleware and ``EmbeddingFastPath``.
enum BearerAuth {
    /// nil when `authorization` carries `Bearer <apiKey>`; otherwise the 401 to answer.
    static func check(authorization: String?, apiKey: String) -> EmbeddingError? {
        guard let header = authorization else {
            return EmbeddingError(.unauthorized, "missing Authorization header; expected `Authorization: Bearer <api key>`")
        }
        let prefix = "bearer "
        guard header.count > prefix.count, header.prefix(prefix.count).lowercased() == prefix,
              constantTimeEquals(String(header.dropFirst(prefix.count)), apiKey)
        else {
            return EmbeddingError(.unauthorized, "invalid API key")
        }
        return nil
    }

    private static func constantTimeEquals(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        var difference = UInt8(x.count == y.count ? 0 : 1)
        for i in 0..<min(x.count, y.count) { difference |= x[i] ^ y[i] }
        return difference == 0
    }
}

/// OpenAI's shape on the OpenAI routes, TEI's everywhere else.
func errorShape(forPath path: String) -> ErrorShape {
    path.hasPrefix("/v1/") || path == "/embeddings" ? .openAI : .tei
}
