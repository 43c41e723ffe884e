import Foundation
import KubeModel
import KubeRuntime
import Synchronization

/// Who is calling: the user and groups its bearer token stands for.
public struct Caller: Sendable, Hashable {
    public var user: String
    public var groups: [String]

    public init(user: String, groups: [String]) {
        self.user = user
        self.groups = groups
    }
}

/// What a caller wants to do, in Kubernetes' terms (a SubjectAccessReview's resource attributes).
struct Access: Sendable, Hashable {
    var verb: String
    var group: String
    var resource: String
    var subresource: String?
    var namespace: String?
    var name: String?

    static func quiver(_ verb: String, _ resource: String, namespace: String?, name: String? = nil) -> Access {
        Access(verb: verb, group: "quiver.dev", resource: resource, namespace: namespace, name: name)
    }

    var description: String {
        let what = group.isEmpty ? resource : "\(resource).\(group)"
        return "\(verb) \(what)\(subresource.map { "/\($0)" } ?? "")" + (namespace.map { " in resource group \"\($0)\"" } ?? "")
    }
}

/// Authentication (a TokenReview, or the token file) and authorization (a SubjectAccessReview:
/// the cluster's RBAC decides), both cached (`RefreshingCache`) so a busy client costs the API
/// server one review per token and per access every `cacheTTL`.
final class AccessControl: Sendable {
    enum Authentication: Sendable {
        case tokenReview
        case tokenFile(TokenFile)
    }

    let client: KubeClient
    let authentication: Authentication
    let cacheTTL: Duration
    private let callers: RefreshingCache<String, Caller?>
    private let decisions: RefreshingCache<AccessKey, Bool>

    struct AccessKey: Hashable {
        var caller: Caller
        var access: Access
    }

    init(client: KubeClient, authentication: Authentication, cacheTTL: Duration) {
        self.client = client
        self.authentication = authentication
        self.cacheTTL = cacheTTL
        callers = RefreshingCache(ttl: cacheTTL, stale: cacheTTL * 2)
        decisions = RefreshingCache(ttl: cacheTTL, stale: cacheTTL * 2)
    }

    /// The caller a bearer token stands for; nil for an unknown token.
    func authenticate(token: String) async throws -> Caller? {
        if case .tokenFile(let file) = authentication {
            return file.entry(for: token).map { Caller(user: $0.user, groups: $0.groups) }
        }
        return try await callers.value(token) { [client] in
            let review = TokenReview(spec: .init(token: token))
            let answer: TokenReview
            do {
                answer = try await client.create(review)
            } catch {
                throw ControlPlaneError.unavailable("cannot review the token with the API server: \(error)", retryAfter: 1)
            }
            guard answer.status?.authenticated == true, let user = answer.status?.user?.username else { return nil }
            return Caller(user: user, groups: answer.status?.user?.groups ?? [])
        }
    }

    /// Throws 403 unless the cluster's RBAC lets `caller` do `access`.
    func authorize(_ caller: Caller, _ access: Access) async throws {
        guard try await allowed(caller, access) else {
            throw ControlPlaneError.forbidden("user \"\(caller.user)\" may not \(access.description)")
        }
    }

    func allowed(_ caller: Caller, _ access: Access) async throws -> Bool {
        try await decisions.value(AccessKey(caller: caller, access: access)) { [client] in
            let attributes = ResourceAttributes(
                namespace: access.namespace, verb: access.verb, group: access.group, resource: access.resource,
                subresource: access.subresource, name: access.name)
            let review = SubjectAccessReview(spec: .init(resourceAttributes: attributes, user: caller.user, groups: caller.groups))
            let answer: SubjectAccessReview
            do {
                answer = try await client.create(review)
            } catch {
                throw ControlPlaneError.unavailable("cannot review the access with the API server: \(error)", retryAfter: 1)
            }
            return answer.status?.allowed == true && answer.status?.denied != true
        }
    }
}
