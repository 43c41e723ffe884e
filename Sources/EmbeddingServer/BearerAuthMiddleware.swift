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
        guard let header = request.headers[.authorization] else {
            return APIError.response(error: .init(.unauthorized, "missing Authorization header; expected `Authorization: Bearer <api key>`"),
                                     shape: errorShape(forPath: path))
        }
        let prefix = "bearer "
        guard header.count > prefix.count, header.prefix(prefix.count).lowercased() == prefix,
              constantTimeEquals(String(header.dropFirst(prefix.count)), apiKey)
        else {
            return APIError.response(error: .init(.unauthorized, "invalid API key"), shape: errorShape(forPath: path))
        }
        return try await next(request, context)
    }

    /// Routes TEI leaves open: health checks and metrics (probes and scrapers carry no key).
    static func isHealthCheck(_ path: String) -> Bool {
        path == "/health" || path.hasPrefix("/v2/health/") || path == "/metrics"
    }

    private func constantTimeEquals(_ a: String, _ b: String) -> Bool {
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
