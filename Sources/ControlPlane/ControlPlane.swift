import Foundation
import HTTPTypes
import Hummingbird
import KubeModel
import KubeRuntime
import Logging
import NIOCore
import ServiceLifecycle
import ServingAPI

/// The request context of the control plane: the request's id and, once authenticated, the caller.
public struct ControlPlaneContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    var requestID: String
    var caller: Caller?
    /// The JSON body, once the OpenAPI check has parsed it.
    var body: JSONValue?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        requestID = UUID().uuidString.lowercased()
    }
}

/// The control plane's state: the configuration, the operator's client (every object is a
/// custom resource; the API stores nothing of its own) and access control.
public final class ControlPlane: Sendable {
    let configuration: ControlPlaneConfiguration
    let client: KubeClient
    let access: AccessControl
    let logger: Logger
    /// The OpenAPI document's checks of every request to a documented route.
    let validator = OpenAPIValidator(document: (try? JSONValue(parsing: OpenAPIDocument.bytes)) ?? .emptyObject)
    /// Whether a namespace exists (nil: no) and carries the resource-group label.
    let resourceGroups = RefreshingCache<String, Bool?>(ttl: .seconds(5), stale: .seconds(30))

    init(configuration: ControlPlaneConfiguration, client: KubeClient, logger: Logger) {
        self.configuration = configuration
        self.client = client
        self.logger = logger
        let authentication: AccessControl.Authentication = switch configuration.authentication {
        case .tokenReview: .tokenReview
        case .tokenFile(let file): .tokenFile(file)
        }
        self.access = AccessControl(client: client, authentication: authentication, cacheTTL: configuration.authCacheTTL)
    }

    /// The routes, behind the middleware that assigns request ids, authenticates and turns every
    /// error into AI Core's shape.
    func router(gateway: Gateway) -> Router<ControlPlaneContext> {
        let router = Router(context: ControlPlaneContext.self)
        router.middlewares.add(ControlPlaneMiddleware(controlPlane: self))
        router.get("/healthz") { _, _ in "ok" }
        router.get("/v2/openapi.json") { _, _ -> Response in
            Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: OpenAPIDocument.bytes)))
        }
        addScenarioRoutes(to: router)
        addConfigurationRoutes(to: router)
        addDeploymentRoutes(to: router)
        addArtifactRoutes(to: router)
        addAdminRoutes(to: router)
        gateway.addRoutes(to: router)
        router.get("/metrics") { _, _ -> Response in
            Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4"],
                     body: .init(byteBuffer: ByteBuffer(string: gateway.metrics.prometheusText())))
        }
        return router
    }
}

/// Builds the control-plane HTTP application (REST API, OpenAPI document, health). `main` and the
/// tests both call this; `client` is the operator's own (its service account reads and writes the
/// custom resources after each caller has been authorized).
public func buildControlPlane(
    configuration: ControlPlaneConfiguration, client: KubeClient, logger: Logger = Logger(label: "quiver.controlplane"),
    onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
) -> some ApplicationProtocol {
    let controlPlane = ControlPlane(configuration: configuration, client: client, logger: logger)
    let gateway = Gateway(controlPlane: controlPlane, configuration: configuration.gateway)
    return Application(
        router: controlPlane.router(gateway: gateway),
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "quiver-api"),
        services: [GatewayLifecycle(gateway: gateway)],
        onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? configuration.port) },
        logger: logger)
}

/// Request ids, bearer authentication (everything but health needs a token) and one error shape.
struct ControlPlaneMiddleware: RouterMiddleware {
    typealias Context = ControlPlaneContext
    static let requestIDHeader = HTTPField.Name("X-Request-Id")!
    let controlPlane: ControlPlane

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        if let given = request.headers[Self.requestIDHeader], !given.isEmpty, given.count <= 128 { context.requestID = given }
        let requestID = context.requestID
        var response = await answer(request, context, next: next)
        response.headers[Self.requestIDHeader] = requestID
        return response
    }

    private func answer(_ request: Request, _ context: Context, next: (Request, Context) async throws -> Response) async -> Response {
        var context = context
        let requestID = context.requestID
        do {
            // Health, metrics and the OpenAPI document are open; the gateway authenticates its own
            // requests (API keys).
            let path = request.uri.path
            if path != "/healthz" && path != "/metrics" && path != "/v2/openapi.json" && !path.hasPrefix("/v2/inference/") {
                context.caller = try await authenticate(request)
            }
            let (checked, body) = try await controlPlane.validator.validate(request, maxBodyBytes: controlPlane.configuration.maxRequestBodyBytes)
            context.body = body
            return try await next(checked, context)
        } catch let error as ControlPlaneError {
            return error.response(requestID: requestID)
        } catch is NIOTooManyBytesError {
            return ControlPlaneError(.payloadTooLarge, "the request body is larger than \(controlPlane.configuration.maxRequestBodyBytes) bytes", target: "body")
                .response(requestID: requestID)
        } catch let error as HTTPError {
            let translated: ControlPlaneError = switch error.status {
            case .notFound: .notFound("no such route: \(request.method.rawValue) \(request.uri.path)")
            case .methodNotAllowed: .init(.methodNotAllowed, "\(request.method.rawValue) is not allowed on \(request.uri.path)")
            case .contentTooLarge: .init(.payloadTooLarge, "the request body is larger than \(controlPlane.configuration.maxRequestBodyBytes) bytes")
            case .unauthorized: .unauthorized(error.body ?? "unauthorized")
            default: error.status.code >= 500 ? .internalError(error.body ?? "\(error.status)") : .badRequest(error.body ?? "\(error.status)")
            }
            return translated.response(requestID: requestID)
        } catch {
            controlPlane.logger.error("request failed", metadata: ["path": "\(request.uri.path)", "error": "\(error)", "requestId": "\(requestID)"])
            return ControlPlaneError.internalError("internal error (request id \(requestID))").response(requestID: requestID)
        }
    }

    func authenticate(_ request: Request) async throws -> Caller {
        guard let header = request.headers[.authorization] else {
            throw ControlPlaneError.unauthorized("missing Authorization header; expected `Authorization: Bearer <token>`")
        }
        let prefix = "bearer "
        guard header.count > prefix.count, header.prefix(prefix.count).lowercased() == prefix else {
            throw ControlPlaneError.unauthorized("the Authorization header must be `Bearer <token>`")
        }
        let token = header.dropFirst(prefix.count).trimmingCharacters(in: .whitespaces)
        guard let caller = try await controlPlane.access.authenticate(token: token) else {
            throw ControlPlaneError.unauthorized("invalid or expired token")
        }
        return caller
    }
}

/// Closes the gateway's upstream connections when the application stops.
struct GatewayLifecycle: ServiceLifecycle.Service {
    let gateway: Gateway

    func run() async throws {
        try? await gracefulShutdown()
        await gateway.shutdown()
    }
}
