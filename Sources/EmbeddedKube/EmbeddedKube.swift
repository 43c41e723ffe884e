import Foundation
import KubeModel
import Logging

/// A Kubernetes-compatible API server: REST, watch, discovery, OpenAPI, CRDs, persisted in
/// SQLite. `buildEmbeddedKube(configuration:)` wraps it in an HTTP application.
public final class EmbeddedKube: Sendable {
    let configuration: EmbeddedKubeConfiguration
    let store: ObjectStore
    let registry: ResourceRegistry
    let tokens: [String: UserInfo]
    public let adminToken: String
    /// The serving certificate and its CA, when the server speaks HTTPS.
    public let tls: TLSMaterial?
    let logger: Logger
    /// Fixed at start, so OpenAPI hash URLs and the version document stay stable.
    let startTime = Date()
    let controllerQueue: AsyncStream<ControllerWork>.Continuation
    let controllerWork: AsyncStream<ControllerWork>

    init(configuration: EmbeddedKubeConfiguration, store: ObjectStore, adminToken: String, tls: TLSMaterial?, logger: Logger) {
        self.tls = tls
        self.configuration = configuration
        self.store = store
        self.registry = ResourceRegistry()
        self.adminToken = adminToken
        self.logger = logger
        (controllerWork, controllerQueue) = AsyncStream<ControllerWork>.makeStream()
        var tokens: [String: UserInfo] = [
            adminToken: UserInfo(name: "quiver-admin", uid: "quiver-admin", groups: ["system:masters", "system:authenticated"]),
        ]
        for t in configuration.tokens {
            tokens[t.token] = UserInfo(name: t.user, uid: t.uid, groups: t.groups + ["system:authenticated"])
        }
        self.tokens = tokens
        // Serve every CRD already stored (they were Established before the restart).
        for (_, _, crd) in store.scanAll({ key, _ in key == "apiextensions.k8s.io/customresourcedefinitions" }) {
            if let descriptors = CRDSupport.descriptors(for: crd.value) {
                registry.setCustom(crdName: crd.value[path: ["metadata", "name"]]?.stringValue ?? "", descriptors: descriptors)
            }
        }
    }

    /// Looks a bearer token up; nil for an unknown token.
    func authenticate(token: String) -> UserInfo? { tokens[token] ?? serviceAccountUser(token: token) }

    /// Answers one request. Never throws: every failure is a Kubernetes Status.
    func handle(_ request: APIRequest) async -> APIResponse {
        do {
            return try await route(request)
        } catch let error as APIServerError {
            return .error(error)
        } catch {
            logger.error("request failed", metadata: ["path": "\(request.path)", "error": "\(error)"])
            return .error(.internalError("\(error)"))
        }
    }

    private func route(_ request: APIRequest) async throws -> APIResponse {
        let segments = request.path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        guard let first = segments.first else { return try rootPaths(request) }
        switch first {
        case "version":
            return .json(versionDocument)
        case "healthz", "livez", "readyz":
            return APIResponse(status: 200, contentType: "text/plain; charset=utf-8", body: .bytes(Array("ok".utf8)))
        case "openapi":
            return try openAPI(request, segments: Array(segments.dropFirst()))
        case "api":
            if segments.count == 1 { return try discoveryAPI(request) }
            if segments.count == 2 { return try discoveryGroupVersion(group: "", version: segments[1], request: request) }
            return try await resource(request, group: "", version: segments[1], rest: Array(segments.dropFirst(2)))
        case "apis":
            if segments.count == 1 { return try discoveryAPIs(request) }
            if segments.count == 2 { return try discoveryGroup(segments[1], request: request) }
            if segments.count == 3 { return try discoveryGroupVersion(group: segments[1], version: segments[2], request: request) }
            return try await resource(request, group: segments[1], version: segments[2], rest: Array(segments.dropFirst(3)))
        default:
            throw APIServerError.pathNotFound()
        }
    }

    private func rootPaths(_ request: APIRequest) throws -> APIResponse {
        let paths = ["/api", "/api/v1", "/apis", "/healthz", "/livez", "/openapi/v2", "/openapi/v3", "/readyz", "/version"]
            + registry.all.map { $0.group.isEmpty ? "" : "/apis/\($0.group)" }.filter { !$0.isEmpty }
            + registry.all.filter { !$0.group.isEmpty }.map { "/apis/\($0.group)/\($0.version)" }
        return .json(["paths": .array(Array(Set(paths)).sorted().map { .string($0) })])
    }

    var versionDocument: JSONValue {
        [
            "major": "1", "minor": "32", "gitVersion": "v1.32.0-quiver", "gitCommit": "embeddedkube",
            "gitTreeState": "clean", "buildDate": "2026-11-24T00:00:00Z", "goVersion": "swift",
            "compiler": "swift", "platform": "linux/amd64",
        ]
    }

    /// What the URL after `/api/v1` or `/apis/{g}/{v}` names.
    struct Target {
        var descriptor: ResourceDescriptor
        var namespace: String?
        var name: String?
        var subresource: String?
    }

    private func resource(_ request: APIRequest, group: String, version: String, rest: [String]) async throws -> APIResponse {
        var rest = rest
        var watchPrefix = false
        if rest.first == "watch" {
            watchPrefix = true
            rest.removeFirst()
        }
        guard !rest.isEmpty else { throw APIServerError.pathNotFound() }
        var namespace: String?
        if rest[0] == "namespaces", rest.count >= 3,
           let d = registry.lookup(group: group, version: version, plural: rest[2]), d.namespaced {
            namespace = rest[1]
            rest.removeFirst(2)
        }
        guard let descriptor = registry.lookup(group: group, version: version, plural: rest[0]) else {
            throw APIServerError.pathNotFound()
        }
        if descriptor.namespaced == false && namespace != nil { throw APIServerError.pathNotFound() }
        guard rest.count <= 3 else { throw APIServerError.pathNotFound() }
        let target = Target(
            descriptor: descriptor, namespace: namespace,
            name: rest.count > 1 ? rest[1] : nil, subresource: rest.count > 2 ? rest[2] : nil)
        if let sub = target.subresource {
            let allowed = (sub == "status" && descriptor.hasStatus) || (sub == "scale" && descriptor.scale != nil)
                || (sub == "finalize" && descriptor.isNamespace)
                || (sub == "token" && descriptor.group.isEmpty && descriptor.plural == "serviceaccounts")
            guard allowed else { throw APIServerError.pathNotFound() }
        }
        let verb = Self.verb(request: request, target: target, watchPrefix: watchPrefix)
        try authorize(request, verb: verb, target: target)
        if descriptor.isVirtual {
            guard verb == "create" else { throw APIServerError.methodNotAllowed(request.method) }
            return try review(request, target: target)
        }
        guard descriptor.verbs.contains(verb) || target.subresource != nil else {
            throw APIServerError.methodNotAllowed(request.method)
        }
        if target.subresource == "token" { return try createServiceAccountToken(request, target: target) }
        switch verb {
        case "get": return try get(request, target: target)
        case "list": return try list(request, target: target)
        case "watch": return try watch(request, target: target)
        case "create": return try await create(request, target: target)
        case "update": return try await update(request, target: target)
        case "patch": return try await patch(request, target: target)
        case "delete": return try await delete(request, target: target)
        case "deletecollection": return try await deleteCollection(request, target: target)
        default: throw APIServerError.methodNotAllowed(request.method)
        }
    }

    static func verb(request: APIRequest, target: Target, watchPrefix: Bool) -> String {
        switch request.method {
        case "GET", "HEAD":
            if target.name == nil {
                return watchPrefix || request.queryBool("watch") ? "watch" : "list"
            }
            return watchPrefix || request.queryBool("watch") ? "watch" : "get"
        case "POST": return "create"
        case "PUT": return "update"
        case "PATCH": return "patch"
        case "DELETE": return target.name == nil ? "deletecollection" : "delete"
        default: return request.method.lowercased()
        }
    }
}
