import KubeModel

/// The part of Kubernetes' bootstrap RBAC policy (plugin/pkg/auth/authorizer/rbac/bootstrappolicy)
/// that matches what this server grants by itself: cluster-admin for system:masters, discovery,
/// health and the self reviews for every authenticated user. Created when missing, as kube-apiserver
/// reconciles it at start, so SubjectAccessReviews and bindings to `cluster-admin` see what a real
/// cluster has.
extension EmbeddedKube {
    static let bootstrapClusterRoles: [(name: String, rules: JSONValue)] = [
        ("cluster-admin", [
            ["verbs": ["*"], "apiGroups": ["*"], "resources": ["*"]],
            ["verbs": ["*"], "nonResourceURLs": ["*"]],
        ]),
        ("system:discovery", [
            ["verbs": ["get"], "nonResourceURLs": [
                "/api", "/api/*", "/apis", "/apis/*", "/healthz", "/livez", "/openapi", "/openapi/*", "/readyz", "/version", "/version/",
            ]],
        ]),
        ("system:basic-user", [
            ["verbs": ["create"], "apiGroups": ["authorization.k8s.io"], "resources": ["selfsubjectaccessreviews", "selfsubjectrulesreviews"]],
            ["verbs": ["create"], "apiGroups": ["authentication.k8s.io"], "resources": ["selfsubjectreviews"]],
        ]),
        ("system:public-info-viewer", [
            ["verbs": ["get"], "nonResourceURLs": ["/healthz", "/livez", "/readyz", "/version", "/version/"]],
        ]),
    ]

    /// ClusterRoleBindings, named after their ClusterRole, to these groups.
    static let bootstrapClusterRoleBindings: [(name: String, groups: [String])] = [
        ("cluster-admin", ["system:masters"]),
        ("system:discovery", ["system:authenticated"]),
        ("system:basic-user", ["system:authenticated"]),
        ("system:public-info-viewer", ["system:authenticated", "system:unauthenticated"]),
    ]

    func ensureBootstrapPolicy() async {
        let metadata = { (name: String) -> JSONValue in
            [
                "name": .string(name), "labels": ["kubernetes.io/bootstrapping": "rbac-defaults"],
                "annotations": ["rbac.authorization.kubernetes.io/autoupdate": "true"],
            ]
        }
        for (name, rules) in Self.bootstrapClusterRoles {
            await createIfMissing("clusterroles", name: name, [
                "apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole", "metadata": metadata(name), "rules": rules,
            ])
        }
        for (name, groups) in Self.bootstrapClusterRoleBindings {
            await createIfMissing("clusterrolebindings", name: name, [
                "apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRoleBinding", "metadata": metadata(name),
                "roleRef": ["apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": .string(name)],
                "subjects": .array(groups.map { ["apiGroup": "rbac.authorization.k8s.io", "kind": "Group", "name": .string($0)] }),
            ])
        }
    }

    private func createIfMissing(_ plural: String, name: String, _ object: JSONValue) async {
        guard store.get("rbac.authorization.k8s.io/\(plural)", key: name) == nil else { return }
        let request = APIRequest(
            method: "POST", path: "/apis/rbac.authorization.k8s.io/v1/\(plural)", query: [:], accept: "application/json",
            contentType: "application/json", userAgent: "quiver-apiserver",
            user: UserInfo(name: "system:apiserver", uid: "", groups: ["system:masters"]), body: object.serialized())
        _ = await handle(request)
    }
}
