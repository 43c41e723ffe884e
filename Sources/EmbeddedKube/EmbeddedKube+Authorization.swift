import Foundation
import KubeModel

/// Authorization of resource requests: system:masters may do anything, other authenticated users
/// what RBAC grants them, anonymous users nothing (discovery, /version and health are answered
/// before this, as Kubernetes' bootstrap roles grant them to everyone authenticated).
extension EmbeddedKube {
    /// Throws 403 Forbidden, worded as Kubernetes words it, unless the user may make this request.
    func authorize(_ request: APIRequest, verb: String, target: Target) throws {
        let user = request.user
        let attributes = Self.authorizationAttributes(request, verb: verb, target: target)
        var reason = ""
        if !user.isAnonymous {
            // system:basic-user grants the self reviews to system:authenticated.
            if target.descriptor.isSelfReview { return }
            let decision = authorizeRBAC(user: user.name, groups: user.groups, attributes)
            if decision.allowed { return }
            reason = decision.reason
        }
        let d = target.descriptor
        let resource = attributes.subresource.isEmpty ? attributes.resource : "\(attributes.resource)/\(attributes.subresource)"
        let scope = attributes.namespace.isEmpty ? "at the cluster scope" : "in the namespace \"\(attributes.namespace)\""
        let name = attributes.name.isEmpty ? nil : attributes.name
        let message = "User \"\(user.name)\" cannot \(verb) resource \"\(resource)\" in API group \"\(d.group)\" \(scope)"
            + (reason.isEmpty ? "" : ": \(reason)")
        throw APIServerError.forbidden(
            "\(d.groupResource.qualified)\(name.map { " \"\($0)\"" } ?? "") is forbidden: \(message)",
            group: d.group, resource: d.plural, name: name)
    }

    /// RBAC against the objects stored now; system:masters is answered before anything is read.
    func authorizeRBAC(user: String, groups: [String], _ attributes: RBACAuthorizer.Attributes) -> RBACAuthorizer.Decision {
        if groups.contains(RBACAuthorizer.privilegedGroup) { return RBACAuthorizer.Decision(allowed: true, reason: "") }
        return rbacPolicy(namespace: attributes.namespace).authorize(user: user, groups: groups, attributes)
    }

    /// The RBAC objects that bear on a request in `namespace` ("" for cluster scope): every ClusterRole
    /// and ClusterRoleBinding, and the Roles and RoleBindings of that namespace.
    func rbacPolicy(namespace: String) -> RBACAuthorizer {
        func load<T: Decodable>(_ plural: String, _ namespace: String?) -> [T] {
            store.list("rbac.authorization.k8s.io/\(plural)", namespace: namespace).objects.compactMap {
                try? JSONDecoder().decode(T.self, from: Data($0.object.bytes))
            }
        }
        var policy = RBACAuthorizer()
        policy.clusterRoleBindings = load("clusterrolebindings", nil)
        for role: ClusterRole in load("clusterroles", nil) { policy.clusterRoles[role.metadata.name ?? ""] = role }
        if !namespace.isEmpty {
            policy.roleBindings = load("rolebindings", namespace)
            for role: Role in load("roles", namespace) { policy.roles["\(namespace)/\(role.metadata.name ?? "")"] = role }
        }
        return policy
    }

    /// The request as RBAC sees it. A list or watch with `fieldSelector=metadata.name=x` names `x`,
    /// so rules with resourceNames can allow it (Kubernetes' RequestInfo does the same).
    static func authorizationAttributes(_ request: APIRequest, verb: String, target: Target) -> RBACAuthorizer.Attributes {
        var name = target.name ?? ""
        if name.isEmpty, verb == "list" || verb == "watch", let selector = request.query["fieldSelector"] {
            for term in selector.split(separator: ",") {
                let parts = term.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                guard parts.count == 2, parts[0].trimming(" ") == "metadata.name" else { continue }
                let value = parts[1].hasPrefix("=") ? parts[1].dropFirst() : parts[1]
                let candidate = value.trimming(" ")
                if !candidate.isEmpty, !candidate.contains("/"), !candidate.contains("%"), candidate != ".", candidate != ".." { name = candidate }
            }
        }
        return RBACAuthorizer.Attributes(
            verb: verb, apiGroup: target.descriptor.group, resource: target.descriptor.plural,
            subresource: target.subresource ?? "", name: name, namespace: target.namespace ?? "")
    }
}
