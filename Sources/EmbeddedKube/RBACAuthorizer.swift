import KubeModel

/// Kubernetes RBAC over a snapshot of Roles, ClusterRoles and their bindings: may this user do this?
/// Pure; `EmbeddedKube+Authorization.swift` reads the objects from the store. Follows
/// plugin/pkg/auth/authorizer/rbac (rbac.go, subject_locator.go) and pkg/apis/rbac/v1/evaluation_helpers.go,
/// including the wording of the reasons.
struct RBACAuthorizer: Sendable {
    /// What is asked: a resource request, or a non-resource one (`path`, e.g. `/healthz`).
    struct Attributes: Sendable, Hashable {
        var verb: String
        var apiGroup = ""
        var resource = ""
        var subresource = ""
        var name = ""
        var namespace = ""
        var path = ""
        var isResourceRequest = true
    }

    struct Decision: Sendable, Hashable {
        var allowed: Bool
        /// `RBAC: allowed by …` when allowed; when not, the errors met on the way (bindings to missing roles), or "".
        var reason: String
    }

    /// Members of this group may do anything, before RBAC is consulted.
    static let privilegedGroup = "system:masters"

    var clusterRoles: [String: ClusterRole] = [:]
    /// Keyed `namespace/name`.
    var roles: [String: Role] = [:]
    var clusterRoleBindings: [ClusterRoleBinding] = []
    var roleBindings: [RoleBinding] = []

    func authorize(user: String, groups: [String], _ attributes: Attributes) -> Decision {
        if groups.contains(Self.privilegedGroup) { return Decision(allowed: true, reason: "") }
        var grantedBy: String?
        let errors = visitRules(user: user, groups: groups, namespace: attributes.namespace) { source, rule in
            guard rule.allows(attributes) else { return true }
            grantedBy = source
            return false
        }
        if let grantedBy { return Decision(allowed: true, reason: "RBAC: allowed by \(grantedBy)") }
        return Decision(allowed: false, reason: errors.isEmpty ? "" : "RBAC: " + Self.aggregate(errors))
    }

    /// Several errors as one message, the way Go's utilerrors.NewAggregate prints them.
    static func aggregate(_ errors: [String]) -> String {
        errors.count == 1 ? errors[0] : "[" + errors.joined(separator: ", ") + "]"
    }

    /// Calls `visit` with every rule granted to the user in `namespace` ("" = cluster-wide grants only)
    /// and the binding that grants it, ClusterRoleBindings first, until `visit` returns false.
    /// Returns the errors met: bindings whose role does not exist.
    @discardableResult
    func visitRules(user: String, groups: [String], namespace: String, _ visit: (String, PolicyRule) -> Bool) -> [String] {
        var errors: [String] = []
        for binding in clusterRoleBindings {
            guard let subject = binding.subjects?.first(where: { Self.applies($0, user: user, groups: groups, namespace: "") }) else { continue }
            guard let rules = rules(of: binding.roleRef, namespace: "", errors: &errors) else { continue }
            let source = "ClusterRoleBinding \"\(binding.metadata.name ?? "")\" of \(binding.roleRef.kind) \"\(binding.roleRef.name)\" to \(Self.describe(subject, namespace: ""))"
            for rule in rules where !visit(source, rule) { return errors }
        }
        guard !namespace.isEmpty else { return errors }
        for binding in roleBindings where binding.metadata.namespace == namespace {
            guard let subject = binding.subjects?.first(where: { Self.applies($0, user: user, groups: groups, namespace: namespace) }) else { continue }
            guard let rules = rules(of: binding.roleRef, namespace: namespace, errors: &errors) else { continue }
            let source = "RoleBinding \"\(binding.metadata.name ?? "")/\(namespace)\" of \(binding.roleRef.kind) \"\(binding.roleRef.name)\" to \(Self.describe(subject, namespace: namespace))"
            for rule in rules where !visit(source, rule) { return errors }
        }
        return errors
    }

    /// The rules a binding's roleRef grants; a Role is looked up in the binding's namespace.
    private func rules(of ref: RoleRef, namespace: String, errors: inout [String]) -> [PolicyRule]? {
        switch ref.kind {
        case "ClusterRole":
            guard clusterRoles[ref.name] != nil else {
                errors.append("clusterrole.rbac.authorization.k8s.io \"\(ref.name)\" not found")
                return nil
            }
            var seen: Set<String> = []
            return clusterRoleRules(ref.name, seen: &seen)
        case "Role":
            guard let role = roles["\(namespace)/\(ref.name)"] else {
                errors.append("role.rbac.authorization.k8s.io \"\(ref.name)\" not found")
                return nil
            }
            return role.rules ?? []
        default:
            errors.append("unsupported role reference kind: \"\(ref.kind)\"")
            return nil
        }
    }

    /// A ClusterRole's rules. With an `aggregationRule` they are, as the aggregation controller keeps
    /// them, the union of the rules of every other ClusterRole its selectors match (itself aggregated
    /// in turn), in name order.
    private func clusterRoleRules(_ name: String, seen: inout Set<String>) -> [PolicyRule] {
        guard let role = clusterRoles[name], seen.insert(name).inserted else { return [] }
        guard let aggregation = role.aggregationRule else { return role.rules ?? [] }
        var rules: [PolicyRule] = []
        for selector in aggregation.clusterRoleSelectors ?? [] {
            guard let selector = try? LabelSelector(parsing: selector.selectorString) else { continue }
            for other in clusterRoles.keys.sorted() where other != name {
                guard selector.matches(clusterRoles[other]?.metadata.labels ?? [:]) else { continue }
                for rule in clusterRoleRules(other, seen: &seen) where !rules.contains(rule) { rules.append(rule) }
            }
        }
        return rules
    }

    /// Whether a binding subject names this user; a ServiceAccount without a namespace is in the binding's.
    static func applies(_ subject: Subject, user: String, groups: [String], namespace: String) -> Bool {
        switch subject.kind {
        case "User": return subject.name == user
        case "Group": return groups.contains(subject.name)
        case "ServiceAccount":
            let saNamespace = subject.namespace.flatMap { $0.isEmpty ? nil : $0 } ?? namespace
            return !saNamespace.isEmpty && user == serviceAccountUsername(namespace: saNamespace, name: subject.name)
        default: return false
        }
    }

    static func serviceAccountUsername(namespace: String, name: String) -> String {
        "system:serviceaccount:\(namespace):\(name)"
    }

    private static func describe(_ subject: Subject, namespace: String) -> String {
        guard subject.kind == "ServiceAccount" else { return "\(subject.kind) \"\(subject.name)\"" }
        let saNamespace = subject.namespace.flatMap { $0.isEmpty ? nil : $0 } ?? namespace
        return "\(subject.kind) \"\(subject.name)/\(saNamespace)\""
    }
}

extension PolicyRule {
    /// Whether this rule allows the request (Kubernetes' RuleAllows).
    func allows(_ a: RBACAuthorizer.Attributes) -> Bool {
        guard verbs.contains(where: { $0 == "*" || $0 == a.verb }) else { return false }
        guard a.isResourceRequest else {
            return (nonResourceURLs ?? []).contains { url in
                guard url.hasSuffix("*") else { return url == a.path }
                return a.path.hasPrefix(String(url.reversed().drop { $0 == "*" }.reversed()))
            }
        }
        guard (apiGroups ?? []).contains(where: { $0 == "*" || $0 == a.apiGroup }) else { return false }
        let combined = a.subresource.isEmpty ? a.resource : "\(a.resource)/\(a.subresource)"
        let resourceMatches = (resources ?? []).contains { r in
            r == "*" || r == combined || (!a.subresource.isEmpty && r == "*/\(a.subresource)")
        }
        guard resourceMatches else { return false }
        // A rule naming resources never matches a request without a name (list, watch, create, deletecollection).
        return (resourceNames ?? []).isEmpty || (resourceNames ?? []).contains(a.name)
    }
}
