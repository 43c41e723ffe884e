import KubeModel

/// Impersonation (`kubectl --as=alice --as-group=devs`): the `Impersonate-User`, `Impersonate-Group`
/// and `Impersonate-Uid` headers make the request act as another user, if RBAC lets the requester
/// `impersonate` those users, groups and uids (cluster-scoped, core group), as kube-apiserver does.
extension EmbeddedKube {
    struct Impersonation: Sendable, Hashable {
        var user: String?
        var groups: [String]
        var uid: String?

        var isEmpty: Bool { user == nil && groups.isEmpty && uid == nil }
    }

    /// The user the request acts as: `requester`, or whom it impersonates.
    func impersonate(_ requester: UserInfo, _ impersonation: Impersonation) throws -> UserInfo {
        guard !impersonation.isEmpty else { return requester }
        guard let user = impersonation.user, !user.isEmpty else {
            throw APIServerError.internalError("requested impersonation of groups or a uid without impersonating a user")
        }
        func check(_ resource: String, _ name: String) throws {
            let decision = requester.isAnonymous
                ? RBACAuthorizer.Decision(allowed: false, reason: "")
                : authorizeRBAC(user: requester.name, groups: requester.groups,
                                RBACAuthorizer.Attributes(verb: "impersonate", resource: resource, name: name))
            guard decision.allowed else {
                throw APIServerError.forbidden(
                    "\(resource) \"\(name)\" is forbidden: User \"\(requester.name)\" cannot impersonate resource \"\(resource)\" in API group \"\" at the cluster scope",
                    group: "", resource: resource, name: name)
            }
        }
        try check("users", user)
        for group in impersonation.groups { try check("groups", group) }
        if let uid = impersonation.uid { try check("uids", uid) }
        var groups = impersonation.groups
        if user != UserInfo.anonymous.name, !groups.contains("system:authenticated") { groups.append("system:authenticated") }
        return UserInfo(name: user, uid: impersonation.uid ?? "", groups: groups)
    }
}
