import AsyncHTTPClient
import Foundation
import HTTPTypes
import Hummingbird
import KubeModel
import KubeRuntime
import Logging
import NIOCore
import NIOHTTP1
import ServingAPI
import Synchronization

/// The inference gateway, `/v2/inference/deployments/{id}/<path>`: authenticates (platform token
/// or the deployment's API key), wakes a deployment scaled to zero, proxies the request to the
/// deployment's Service streaming both ways, and records requests, latency, tokens and activity.
final class Gateway: Sendable {

    /// Hop-by-hop headers (RFC 9110 §7.6.1) and what the gateway itself consumes.
    static let dropped: Set<String> = [
        "connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "te", "trailer", "transfer-encoding",
        "upgrade", "proxy-connection", "host", "authorization", "ai-resource-group", "content-length",
    ]

    let controlPlane: ControlPlane
    let configuration: GatewayConfiguration
    let http: HTTPClient
    let metrics = GatewayMetrics()
    private let deployments = RefreshingCache<GatewayMetrics.Key, V1Alpha1.Deployment?>(ttl: .seconds(1), stale: .seconds(5))
    private let apiKeys = RefreshingCache<GatewayMetrics.Key, String?>(ttl: .seconds(10), stale: .seconds(50))
    private let lastActivityWrite = Mutex<[GatewayMetrics.Key: ContinuousClock.Instant]>([:])
    private let wakes = Mutex<[GatewayMetrics.Key: Task<Bool, Never>]>([:])

    init(controlPlane: ControlPlane, configuration: GatewayConfiguration) {
        self.controlPlane = controlPlane
        self.configuration = configuration
        var http = HTTPClient.Configuration()
        http.connectionPool = .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: 256)
        http.decompression = .disabled
        http.redirectConfiguration = .disallow
        // No tracer is bootstrapped; without this the client still builds a no-op span and its
        // attributes for every proxied request.
        http.tracing.tracer = nil
        self.http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: http)
    }

    func shutdown() async {
        try? await http.shutdown()
    }

    func addRoutes(to router: Router<ControlPlaneContext>) {
        for method in [HTTPRequest.Method.get, .post, .put, .patch, .delete, .head, .options] {
            router.on("/v2/inference/deployments/:deploymentId/**", method: method) { request, context in
                try await self.forward(request, context)
            }
            router.on("/v2/inference/deployments/:deploymentId", method: method) { request, context in
                try await self.forward(request, context)
            }
        }
    }

    // MARK: Forwarding

    func forward(_ request: Request, _ context: ControlPlaneContext) async throws -> Response {
        let started = ContinuousClock.now
        let group = try controlPlane.resourceGroup(request)
        let id = try context.parameters.require("deploymentId")
        let key = GatewayMetrics.Key(resourceGroup: group, deployment: id)
        try await authorize(request, context, key)

        guard let deployment = try await deployment(key, fresh: false) else {
            throw ControlPlaneError.notFound("deployment \"\(id)\" not found in resource group \"\(group)\"", target: "deploymentId")
        }
        try Self.checkServable(deployment)
        if Self.isAsleep(deployment) {
            guard await wake(key) else {
                throw ControlPlaneError.unavailable(
                    "deployment \"\(id)\" is waking from zero replicas and not ready yet; retry shortly", retryAfter: 5)
            }
        }
        noteActivity(key)

        let rest = context.parameters.getCatchAll().joined(separator: "/")
        var target = Self.upstream(for: deployment, default: configuration.upstream(group, id))
        while target.hasSuffix("/") { target.removeLast() }
        target += "/" + rest
        if let query = request.uri.query, !query.isEmpty { target += "?" + query }

        var upstreamRequest = HTTPClientRequest(url: target)
        upstreamRequest.method = HTTPMethod(rawValue: request.method.rawValue)
        let connectionListed = Self.connectionListed(request.headers[.connection])
        for field in request.headers where Self.forwards(field.name.canonicalName, connectionListed: connectionListed) {
            upstreamRequest.headers.add(name: field.name.rawName, value: field.value)
        }
        let length = request.headers[.contentLength].flatMap { Int64($0) }
        if request.method != .get && request.method != .head {
            upstreamRequest.body = .stream(request.body, length: length.map { .known($0) } ?? .unknown)
        }

        let response: HTTPClientResponse
        do {
            response = try await http.execute(upstreamRequest, timeout: .init(configuration.requestTimeout))
        } catch {
            metrics.record(key, status: 502, seconds: Self.seconds(since: started), tokens: nil)
            throw ControlPlaneError(.badGateway, "deployment \"\(id)\" did not answer: \(error)")
        }
        var headers = HTTPFields()
        let upstreamConnection = Self.connectionListed(response.headers["connection"].first)
        for (name, value) in response.headers where Self.forwards(name.lowercased(), connectionListed: upstreamConnection) {
            if let fieldName = HTTPField.Name(name) { headers.append(HTTPField(name: fieldName, value: value)) }
        }
        let status = Int(response.status.code)
        let contentLength = response.headers["content-length"].first.flatMap { Int($0) }
        let metrics = self.metrics
        let body = ResponseBody(contentLength: contentLength) { writer in
            var tail: [UInt8] = []
            do {
                for try await chunk in response.body {
                    try await writer.write(chunk)
                    tail.append(contentsOf: chunk.readableBytesView.suffix(UsageScanner.tailLength))
                    if tail.count > UsageScanner.tailLength { tail.removeFirst(tail.count - UsageScanner.tailLength) }
                }
                try await writer.finish(nil)
            } catch {
                metrics.record(key, status: 502, seconds: Self.seconds(since: started), tokens: nil)
                throw error
            }
            metrics.record(key, status: status, seconds: Self.seconds(since: started), tokens: UsageScanner.tokens(inTail: tail))
        }
        return Response(status: .init(code: status), headers: headers, body: body)
    }

    /// The header names a `Connection` header lists (hop-by-hop for this connection only).
    static func connectionListed(_ connection: String?) -> Set<String> {
        Set((connection ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).lowercased() })
    }

    /// Whether a header (lower-case name) travels to the other side of the proxy.
    static func forwards(_ name: String, connectionListed: Set<String>) -> Bool {
        !dropped.contains(name) && !connectionListed.contains(name)
    }

    /// Where a deployment answers: KServe's own URL when the operator reported one (KServe backend:
    /// `deploymentUrl` is the InferenceService's), else the Service the native backend made.
    static func upstream(for deployment: V1Alpha1.Deployment, default service: String) -> String {
        guard let url = deployment.status?.deploymentUrl, !url.isEmpty, !url.contains("/v2/inference/deployments/"),
              let parsed = URL(string: url), ["http", "https"].contains(parsed.scheme ?? "")
        else { return service }
        return url
    }

    static func seconds(since start: ContinuousClock.Instant) -> Double {
        let d = start.duration(to: .now)
        return Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
    }

    // MARK: Auth

    /// The deployment's own API key lets a request in; otherwise the platform token must be allowed
    /// `get deployments/proxy` in the resource group. (The middleware leaves these paths to us.)
    func authorize(_ request: Request, _ context: ControlPlaneContext, _ key: GatewayMetrics.Key) async throws {
        guard let token = Self.bearer(request), !token.isEmpty else {
            throw ControlPlaneError.unauthorized("missing Authorization header; expected `Authorization: Bearer <token or API key>`")
        }
        if let apiKey = try await apiKey(key), Self.constantTimeEquals(token, apiKey) { return }
        guard let caller = try await controlPlane.access.authenticate(token: token) else {
            throw ControlPlaneError.unauthorized("invalid token or API key")
        }
        var context = context
        context.caller = caller
        try await controlPlane.authorize(
            context, Access(verb: "get", group: "quiver.dev", resource: "deployments", subresource: "proxy", namespace: key.resourceGroup, name: key.deployment))
    }

    static func bearer(_ request: Request) -> String? {
        guard let header = request.headers[.authorization], header.lowercased().hasPrefix("bearer ") else { return nil }
        return header.dropFirst("bearer ".count).trimmingCharacters(in: .whitespaces)
    }

    func apiKey(_ key: GatewayMetrics.Key) async throws -> String? {
        try await apiKeys.value(key) { [client = controlPlane.client] in
            let secret = try await ControlPlane.ifPresent {
                try await client.get(Secret.self, name: ServingSecrets.apiKeySecretName(deployment: key.deployment), namespace: key.resourceGroup)
            }
            return secret?.data?[ServingSecrets.apiKeyDataKey].map { String(decoding: $0, as: UTF8.self) }
        }
    }

    static func constantTimeEquals(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        var difference = UInt8(x.count == y.count ? 0 : 1)
        for i in 0..<min(x.count, y.count) { difference |= x[i] ^ y[i] }
        return difference == 0
    }

    // MARK: State

    /// The Deployment, cached for a second (fresh: read now).
    func deployment(_ key: GatewayMetrics.Key, fresh: Bool) async throws -> V1Alpha1.Deployment? {
        if fresh { deployments.invalidate(key) }
        return try await deployments.value(key) { [client = controlPlane.client] in
            try await ControlPlane.ifPresent {
                try await client.get(V1Alpha1.Deployment.self, name: key.deployment, namespace: key.resourceGroup)
            }
        }
    }

    /// STOPPED or being deleted: 409; DEAD: 503 with the reason; never started: 503 to retry.
    static func checkServable(_ d: V1Alpha1.Deployment) throws {
        let id = d.metadata.name ?? ""
        let status = d.status?.status ?? .unknown
        if d.metadata.deletionTimestamp != nil || d.spec.effectiveTargetStatus == .deleted {
            throw ControlPlaneError.conflict("deployment \"\(id)\" is being deleted", target: "deploymentId")
        }
        if d.spec.effectiveTargetStatus == .stopped || status == .stopped || status == .stopping {
            throw ControlPlaneError.conflict("deployment \"\(id)\" is \(status == .running ? "STOPPING" : status.rawValue); start it with PATCH {\"targetStatus\": \"RUNNING\"}", target: "deploymentId")
        }
        if status == .dead {
            throw ControlPlaneError.unavailable("deployment \"\(id)\" is DEAD: \(d.status?.statusMessage ?? "")", retryAfter: 30)
        }
        if status == .unknown || status == .pending, !isAsleep(d) {
            throw ControlPlaneError.unavailable("deployment \"\(id)\" is \(status.rawValue) and not ready yet", retryAfter: 5)
        }
    }

    /// Scaled to zero by the idle controller.
    static func isAsleep(_ d: V1Alpha1.Deployment) -> Bool {
        d.status?.conditions?.contains { $0.type == ServingConditionType.idle && $0.status == "True" } == true
    }

    static func isReady(_ d: V1Alpha1.Deployment) -> Bool {
        !isAsleep(d) && d.status?.status == .running
            && d.status?.conditions?.contains { $0.type == ServingConditionType.ready && $0.status == "True" } == true
    }

    /// Wakes a deployment scaled to zero: records activity (the operator then scales it back up),
    /// and waits, bounded, until it is ready. Concurrent requests share one wake.
    func wake(_ key: GatewayMetrics.Key) async -> Bool {
        let task = wakes.withLock { wakes -> Task<Bool, Never> in
            if let running = wakes[key] { return running }
            let task = Task { await self.performWake(key) }
            wakes[key] = task
            return task
        }
        let ready = await task.value
        wakes.withLock { if $0[key] == task { $0[key] = nil } }
        return ready
    }

    private func performWake(_ key: GatewayMetrics.Key) async -> Bool {
        controlPlane.logger.info("waking deployment", metadata: ["deployment": "\(key.resourceGroup)/\(key.deployment)"])
        await writeActivity(key)
        let deadline = ContinuousClock.now + configuration.wakeTimeout
        while ContinuousClock.now < deadline {
            if let d = try? await deployment(key, fresh: true), Self.isReady(d) { return true }
            try? await Task.sleep(for: .milliseconds(100))
        }
        return false
    }

    /// `status.lastActivityTime`, written at most once per `activityWriteInterval` per deployment.
    func noteActivity(_ key: GatewayMetrics.Key) {
        let now = ContinuousClock.now
        let due = lastActivityWrite.withLock { last -> Bool in
            if let previous = last[key], now - previous < configuration.activityWriteInterval { return false }
            last[key] = now
            return true
        }
        if due { Task { await self.writeActivity(key) } }
    }

    func writeActivity(_ key: GatewayMetrics.Key) async {
        lastActivityWrite.withLock { $0[key] = .now }
        do {
            _ = try await controlPlane.client.patch(
                V1Alpha1.Deployment.self, name: key.deployment, namespace: key.resourceGroup,
                patch: .merge(["status": ["lastActivityTime": .string(KubeTime.now().rfc3339)]]), subresource: "status")
        } catch {
            controlPlane.logger.warning("cannot record activity", metadata: ["deployment": "\(key.resourceGroup)/\(key.deployment)", "error": "\(error)"])
        }
    }
}
