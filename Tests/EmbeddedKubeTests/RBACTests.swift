@testable import EmbeddedKube
import KubeModel
import Testing

/// The RBAC evaluator on its own: each of Kubernetes' matching rules.
@Suite("RBAC evaluation")
struct RBACEvaluationTests {
    typealias Attributes = RBACAuthorizer.Attributes

    static func policy(
        clusterRoles: [ClusterRole] = [], roles: [Role] = [],
        clusterRoleBindings: [ClusterRoleBinding] = [], roleBindings: [RoleBinding] = []
    ) -> RBACAuthorizer {
        var p = RBACAuthorizer()
        for r in clusterRoles { p.clusterRoles[r.metadata.name ?? ""] = r }
        for r in roles { p.roles["\(r.metadata.namespace ?? "")/\(r.metadata.name ?? "")"] = r }
        p.clusterRoleBindings = clusterRoleBindings
        p.roleBindings = roleBindings
        return p
    }

    /// One ClusterRole `r` with `rules`, bound cluster-wide to user alice.
    static func alice(_ rules: [PolicyRule]) -> RBACAuthorizer {
        policy(
            clusterRoles: [ClusterRole(metadata: ObjectMeta(name: "r"), rules: rules)],
            clusterRoleBindings: [ClusterRoleBinding(
                metadata: ObjectMeta(name: "b"), subjects: [Subject(kind: "User", name: "alice")],
                roleRef: RoleRef(kind: "ClusterRole", name: "r"))])
    }

    static func allows(_ p: RBACAuthorizer, _ a: Attributes, user: String = "alice", groups: [String] = []) -> Bool {
        p.authorize(user: user, groups: groups, a).allowed
    }

    @Test("system:masters may do anything, with no reason given; nobody else without a binding")
    func masters() {
        let empty = RBACAuthorizer()
        let a = Attributes(verb: "delete", resource: "secrets", namespace: "default")
        #expect(empty.authorize(user: "x", groups: ["system:masters"], a) == .init(allowed: true, reason: ""))
        #expect(empty.authorize(user: "x", groups: ["system:authenticated"], a) == .init(allowed: false, reason: ""))
    }

    @Test("a ClusterRoleBinding grants at the cluster scope and in every namespace, and says so")
    func clusterRoleBinding() {
        let p = Self.alice([PolicyRule(verbs: ["get", "list"], apiGroups: [""], resources: ["pods"])])
        let decision = p.authorize(user: "alice", groups: [], Attributes(verb: "list", resource: "pods", namespace: "a"))
        #expect(decision == .init(allowed: true, reason: #"RBAC: allowed by ClusterRoleBinding "b" of ClusterRole "r" to User "alice""#))
        #expect(Self.allows(p, Attributes(verb: "get", resource: "pods", name: "x", namespace: "b")))
        #expect(Self.allows(p, Attributes(verb: "list", resource: "pods")))
        #expect(!Self.allows(p, Attributes(verb: "delete", resource: "pods", name: "x", namespace: "a")))
        #expect(!Self.allows(p, Attributes(verb: "list", apiGroup: "apps", resource: "pods", namespace: "a")))
        #expect(!Self.allows(p, Attributes(verb: "list", resource: "pods", namespace: "a"), user: "bob"))
    }

    @Test("a RoleBinding grants its Role in its namespace only")
    func roleBinding() {
        let p = Self.policy(
            roles: [Role(metadata: ObjectMeta(name: "reader", namespace: "team"), rules: [
                PolicyRule(verbs: ["get", "list"], apiGroups: [""], resources: ["configmaps"]),
            ])],
            roleBindings: [RoleBinding(
                metadata: ObjectMeta(name: "rb", namespace: "team"), subjects: [Subject(kind: "User", name: "alice")],
                roleRef: RoleRef(kind: "Role", name: "reader"))])
        let decision = p.authorize(user: "alice", groups: [], Attributes(verb: "list", resource: "configmaps", namespace: "team"))
        #expect(decision == .init(allowed: true, reason: #"RBAC: allowed by RoleBinding "rb/team" of Role "reader" to User "alice""#))
        #expect(!Self.allows(p, Attributes(verb: "list", resource: "configmaps", namespace: "other")))
        #expect(!Self.allows(p, Attributes(verb: "list", resource: "configmaps")))
    }

    @Test("a RoleBinding to a ClusterRole grants it in the binding's namespace only")
    func roleBindingToClusterRole() {
        let p = Self.policy(
            clusterRoles: [ClusterRole(metadata: ObjectMeta(name: "edit"), rules: [
                PolicyRule(verbs: ["*"], apiGroups: ["*"], resources: ["*"]),
            ])],
            roleBindings: [RoleBinding(
                metadata: ObjectMeta(name: "rb", namespace: "team"), subjects: [Subject(kind: "Group", name: "devs")],
                roleRef: RoleRef(kind: "ClusterRole", name: "edit"))])
        #expect(Self.allows(p, Attributes(verb: "delete", apiGroup: "apps", resource: "deployments", name: "w", namespace: "team"), user: "x", groups: ["devs"]))
        #expect(!Self.allows(p, Attributes(verb: "delete", apiGroup: "apps", resource: "deployments", name: "w", namespace: "prod"), user: "x", groups: ["devs"]))
        #expect(!Self.allows(p, Attributes(verb: "list", resource: "namespaces"), user: "x", groups: ["devs"]))
        #expect(!Self.allows(p, Attributes(verb: "list", resource: "pods", namespace: "team"), user: "x", groups: ["ops"]))
    }

    @Test("ServiceAccount subjects match system:serviceaccount:<ns>:<name>; without a namespace, the binding's")
    func serviceAccounts() {
        let rule = PolicyRule(verbs: ["get"], apiGroups: [""], resources: ["secrets"])
        let p = Self.policy(
            roles: [Role(metadata: ObjectMeta(name: "r", namespace: "team"), rules: [rule])],
            roleBindings: [RoleBinding(
                metadata: ObjectMeta(name: "rb", namespace: "team"),
                subjects: [Subject(kind: "ServiceAccount", name: "builder"), Subject(kind: "ServiceAccount", name: "ci", namespace: "tools")],
                roleRef: RoleRef(kind: "Role", name: "r"))])
        let get = Attributes(verb: "get", resource: "secrets", name: "s", namespace: "team")
        #expect(Self.allows(p, get, user: "system:serviceaccount:team:builder"))
        #expect(p.authorize(user: "system:serviceaccount:tools:ci", groups: [], get).reason
            == #"RBAC: allowed by RoleBinding "rb/team" of Role "r" to ServiceAccount "ci/tools""#)
        #expect(!Self.allows(p, get, user: "system:serviceaccount:other:builder"))
        #expect(!Self.allows(p, get, user: "builder"))
        // A ClusterRoleBinding subject needs its namespace.
        let crb = Self.policy(
            clusterRoles: [ClusterRole(metadata: ObjectMeta(name: "r"), rules: [rule])],
            clusterRoleBindings: [ClusterRoleBinding(
                metadata: ObjectMeta(name: "b"), subjects: [Subject(kind: "ServiceAccount", name: "builder")],
                roleRef: RoleRef(kind: "ClusterRole", name: "r"))])
        #expect(!Self.allows(crb, get, user: "system:serviceaccount:team:builder"))
    }

    @Test("wildcards for verbs, groups and resources")
    func wildcards() {
        let p = Self.alice([
            PolicyRule(verbs: ["*"], apiGroups: ["apps"], resources: ["deployments"]),
            PolicyRule(verbs: ["get"], apiGroups: ["*"], resources: ["leases"]),
            PolicyRule(verbs: ["watch"], apiGroups: ["policy"], resources: ["*"]),
        ])
        #expect(Self.allows(p, Attributes(verb: "deletecollection", apiGroup: "apps", resource: "deployments", namespace: "a")))
        #expect(Self.allows(p, Attributes(verb: "get", apiGroup: "coordination.k8s.io", resource: "leases", name: "l", namespace: "a")))
        #expect(Self.allows(p, Attributes(verb: "watch", apiGroup: "policy", resource: "poddisruptionbudgets", namespace: "a")))
        #expect(!Self.allows(p, Attributes(verb: "list", apiGroup: "coordination.k8s.io", resource: "leases", namespace: "a")))
        // `*` resources include subresources.
        #expect(Self.allows(p, Attributes(verb: "watch", apiGroup: "policy", resource: "poddisruptionbudgets", subresource: "status")))
    }

    @Test("subresources: resource/subresource and */subresource match; the bare resource does not, nor does resource/*")
    func subresources() {
        let p = Self.alice([
            PolicyRule(verbs: ["get", "update"], apiGroups: ["", "apps"], resources: ["pods/status", "*/scale", "pods", "services/*"]),
        ])
        #expect(Self.allows(p, Attributes(verb: "update", resource: "pods", subresource: "status", name: "p", namespace: "a")))
        #expect(Self.allows(p, Attributes(verb: "get", apiGroup: "apps", resource: "deployments", subresource: "scale", name: "d", namespace: "a")))
        #expect(!Self.allows(p, Attributes(verb: "get", apiGroup: "apps", resource: "deployments", name: "d", namespace: "a")))
        #expect(!Self.allows(p, Attributes(verb: "update", resource: "pods", subresource: "log", name: "p", namespace: "a")))
        // Kubernetes has no `resource/*` wildcard: it is compared literally.
        #expect(!Self.allows(p, Attributes(verb: "get", resource: "services", subresource: "status", name: "s", namespace: "a")))
    }

    @Test("resourceNames: only named requests match, so never list, watch, create or deletecollection")
    func resourceNames() {
        let p = Self.alice([PolicyRule(verbs: ["*"], apiGroups: [""], resources: ["configmaps"], resourceNames: ["cfg"])])
        #expect(Self.allows(p, Attributes(verb: "get", resource: "configmaps", name: "cfg", namespace: "a")))
        #expect(Self.allows(p, Attributes(verb: "patch", resource: "configmaps", name: "cfg", namespace: "a")))
        #expect(!Self.allows(p, Attributes(verb: "get", resource: "configmaps", name: "other", namespace: "a")))
        for verb in ["list", "watch", "create", "deletecollection"] {
            #expect(!Self.allows(p, Attributes(verb: verb, resource: "configmaps", namespace: "a")), "\(verb)")
        }
        // A list narrowed to one name (fieldSelector=metadata.name=cfg) carries the name.
        #expect(Self.allows(p, Attributes(verb: "list", resource: "configmaps", name: "cfg", namespace: "a")))
    }

    @Test("nonResourceURLs: exact, trailing-* prefix and *")
    func nonResourceURLs() {
        let p = Self.alice([
            PolicyRule(verbs: ["get"], nonResourceURLs: ["/healthz", "/apis/*"]),
            PolicyRule(verbs: ["post"], nonResourceURLs: ["*"]),
        ])
        func url(_ verb: String, _ path: String) -> Attributes { Attributes(verb: verb, path: path, isResourceRequest: false) }
        #expect(Self.allows(p, url("get", "/healthz")))
        #expect(!Self.allows(p, url("get", "/healthz/etcd")))
        #expect(Self.allows(p, url("get", "/apis/apps/v1")))
        #expect(Self.allows(p, url("get", "/apis/")))
        #expect(!Self.allows(p, url("get", "/api")))
        #expect(Self.allows(p, url("post", "/anything")))
        // Resource rules never match a non-resource URL, nor the reverse.
        #expect(!Self.allows(Self.alice([PolicyRule(verbs: ["*"], apiGroups: ["*"], resources: ["*"])]), url("get", "/healthz")))
        #expect(!Self.allows(p, Attributes(verb: "post", resource: "pods", namespace: "a")))
    }

    @Test("an aggregated ClusterRole has the rules of the ClusterRoles its selectors match, in turn aggregated")
    func aggregation() {
        let p = Self.policy(
            clusterRoles: [
                ClusterRole(
                    metadata: ObjectMeta(name: "monitoring"),
                    rules: [PolicyRule(verbs: ["delete"], apiGroups: [""], resources: ["secrets"])],
                    aggregationRule: AggregationRule(clusterRoleSelectors: [LabelSelector(matchLabels: ["aggregate-to-monitoring": "true"])])),
                ClusterRole(
                    metadata: ObjectMeta(name: "pods-reader", labels: ["aggregate-to-monitoring": "true"]),
                    rules: [PolicyRule(verbs: ["get", "list"], apiGroups: [""], resources: ["pods"])]),
                ClusterRole(
                    metadata: ObjectMeta(name: "metrics", labels: ["aggregate-to-monitoring": "true"]),
                    aggregationRule: AggregationRule(clusterRoleSelectors: [LabelSelector(matchLabels: ["aggregate-to-metrics": "true"])])),
                ClusterRole(
                    metadata: ObjectMeta(name: "leases-reader", labels: ["aggregate-to-metrics": "true"]),
                    rules: [PolicyRule(verbs: ["get"], apiGroups: ["coordination.k8s.io"], resources: ["leases"])]),
                ClusterRole(
                    metadata: ObjectMeta(name: "unrelated", labels: ["aggregate-to-monitoring": "false"]),
                    rules: [PolicyRule(verbs: ["*"], apiGroups: ["*"], resources: ["*"])]),
            ],
            clusterRoleBindings: [ClusterRoleBinding(
                metadata: ObjectMeta(name: "b"), subjects: [Subject(kind: "User", name: "alice")],
                roleRef: RoleRef(kind: "ClusterRole", name: "monitoring"))])
        #expect(Self.allows(p, Attributes(verb: "list", resource: "pods", namespace: "a")))
        #expect(Self.allows(p, Attributes(verb: "get", apiGroup: "coordination.k8s.io", resource: "leases", name: "l", namespace: "a")))
        // The aggregated role's own rules are replaced, as the aggregation controller does; unmatched roles add nothing.
        #expect(!Self.allows(p, Attributes(verb: "delete", resource: "secrets", name: "s", namespace: "a")))
        #expect(!Self.allows(p, Attributes(verb: "create", apiGroup: "apps", resource: "deployments", namespace: "a")))
    }

    @Test("a binding to a missing role grants nothing and the denial says why")
    func missingRole() {
        let p = Self.policy(
            clusterRoleBindings: [ClusterRoleBinding(
                metadata: ObjectMeta(name: "b"), subjects: [Subject(kind: "User", name: "alice")],
                roleRef: RoleRef(kind: "ClusterRole", name: "gone"))],
            roleBindings: [RoleBinding(
                metadata: ObjectMeta(name: "rb", namespace: "a"), subjects: [Subject(kind: "User", name: "alice")],
                roleRef: RoleRef(kind: "Role", name: "absent"))])
        let decision = p.authorize(user: "alice", groups: [], Attributes(verb: "list", resource: "pods", namespace: "a"))
        #expect(decision == .init(allowed: false, reason:
            #"RBAC: [clusterrole.rbac.authorization.k8s.io "gone" not found, role.rbac.authorization.k8s.io "absent" not found]"#))
    }
}

/// RBAC enforced over HTTP, and the access review APIs.
@Suite("RBAC over HTTP")
struct RBACHTTPTests {
    static let aliceToken = "alice-token"

    static func configuration() -> EmbeddedKubeConfiguration {
        var c = testKubeConfiguration()
        c.tokens = [StaticToken(token: aliceToken, user: "alice", uid: "alice-uid", groups: ["team-devs"])]
        return c
    }

    /// Namespaces `team` and `other`; alice may read ConfigMaps and Secret `s1` in `team` through a Role and RoleBinding.
    static func setUp(_ kube: KubeHarness) async throws {
        for ns in ["team", "other"] {
            let r = try await kube.post("/api/v1/namespaces", ["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": .string(ns)]])
            #expect(r.status == 201)
        }
        let role = try await kube.post("/apis/rbac.authorization.k8s.io/v1/namespaces/team/roles", [
            "apiVersion": "rbac.authorization.k8s.io/v1", "kind": "Role", "metadata": ["name": "cm-reader"],
            "rules": [
                ["verbs": ["get", "list", "watch"], "apiGroups": [""], "resources": ["configmaps"]],
                ["verbs": ["get", "list"], "apiGroups": [""], "resources": ["secrets"], "resourceNames": ["s1"]],
            ],
        ])
        #expect(role.status == 201)
        let binding = try await kube.post("/apis/rbac.authorization.k8s.io/v1/namespaces/team/rolebindings", [
            "apiVersion": "rbac.authorization.k8s.io/v1", "kind": "RoleBinding", "metadata": ["name": "alice-reads"],
            "subjects": [["kind": "User", "apiGroup": "rbac.authorization.k8s.io", "name": "alice"]],
            "roleRef": ["apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": "cm-reader"],
        ])
        #expect(binding.status == 201)
    }

    static func review(_ kind: String, _ spec: JSONValue) -> JSONValue {
        ["apiVersion": "authorization.k8s.io/v1", "kind": .string(kind), "spec": spec]
    }

    @Test("a bound user may list in its namespace and gets Kubernetes' 403 elsewhere")
    func enforcement() async throws {
        try await withEmbeddedKube(Self.configuration()) { kube in
            try await Self.setUp(kube)
            let allowed = try await kube.send("GET", "/api/v1/namespaces/team/configmaps", token: Self.aliceToken)
            #expect(allowed.status == 200)

            let elsewhere = try await kube.send("GET", "/api/v1/namespaces/other/configmaps", token: Self.aliceToken)
            #expect(elsewhere.status == 403)
            #expect(StatusSummary(elsewhere.json).reason == "Forbidden")
            #expect(StatusSummary(elsewhere.json).message
                == #"configmaps is forbidden: User "alice" cannot list resource "configmaps" in API group "" in the namespace "other""#)
            #expect(elsewhere.json["details"] == ["kind": "configmaps"])

            let write = try await kube.send("DELETE", "/api/v1/namespaces/team/configmaps/x", token: Self.aliceToken)
            #expect(StatusSummary(write.json).message
                == #"configmaps "x" is forbidden: User "alice" cannot delete resource "configmaps" in API group "" in the namespace "team""#)
            let cluster = try await kube.send("GET", "/api/v1/namespaces", token: Self.aliceToken)
            #expect(StatusSummary(cluster.json).message
                == #"namespaces is forbidden: User "alice" cannot list resource "namespaces" in API group "" at the cluster scope"#)

            // resourceNames: a list narrowed to the name by a field selector is allowed, a plain list is not.
            let named = try await kube.send("GET", "/api/v1/namespaces/team/secrets?fieldSelector=metadata.name=s1", token: Self.aliceToken)
            #expect(named.status == 200)
            #expect(try await kube.send("GET", "/api/v1/namespaces/team/secrets", token: Self.aliceToken).status == 403)
            let otherName = try await kube.send("GET", "/api/v1/namespaces/team/secrets?fieldSelector=metadata.name=s2", token: Self.aliceToken)
            #expect(StatusSummary(otherName.json).message
                == #"secrets "s2" is forbidden: User "alice" cannot list resource "secrets" in API group "" in the namespace "team""#)

            // Discovery and the self reviews are open to every authenticated user.
            #expect(try await kube.send("GET", "/apis/authorization.k8s.io/v1", token: Self.aliceToken).status == 200)
            let whoami = try await kube.send(
                "POST", "/apis/authentication.k8s.io/v1/selfsubjectreviews",
                body: (["apiVersion": "authentication.k8s.io/v1", "kind": "SelfSubjectReview"] as JSONValue).serialized(), token: Self.aliceToken)
            #expect(whoami.status == 201)
        }
    }

    @Test("impersonation: the admin may act as alice (and gets alice's answers); alice may not impersonate")
    func impersonation() async throws {
        try await withEmbeddedKube(Self.configuration()) { kube in
            try await Self.setUp(kube)
            let asAlice = try await kube.send("GET", "/api/v1/namespaces/team/configmaps", headers: [("Impersonate-User", "alice")])
            #expect(asAlice.status == 200)
            let asAliceElsewhere = try await kube.send("GET", "/api/v1/namespaces/other/configmaps", headers: [("Impersonate-User", "alice")])
            #expect(StatusSummary(asAliceElsewhere.json).message
                == #"configmaps is forbidden: User "alice" cannot list resource "configmaps" in API group "" in the namespace "other""#)
            let whoami = try await kube.send(
                "POST", "/apis/authentication.k8s.io/v1/selfsubjectreviews",
                body: (["apiVersion": "authentication.k8s.io/v1", "kind": "SelfSubjectReview"] as JSONValue).serialized(),
                headers: [("Impersonate-User", "alice"), ("Impersonate-Group", "devs")])
            #expect(whoami.json[path: ["status", "userInfo", "username"]] == "alice")
            #expect(whoami.json[path: ["status", "userInfo", "groups"]] == ["devs", "system:authenticated"])

            let refused = try await kube.send("GET", "/api/v1/namespaces/team/configmaps", token: Self.aliceToken, headers: [("Impersonate-User", "admin")])
            #expect(refused.status == 403)
            #expect(StatusSummary(refused.json).message
                == #"users "admin" is forbidden: User "alice" cannot impersonate resource "users" in API group "" at the cluster scope"#)
            let groupsOnly = try await kube.send("GET", "/api/v1/namespaces/team/configmaps", headers: [("Impersonate-Group", "devs")])
            #expect(groupsOnly.status == 500)
        }
    }

    @Test("service-account tokens: issued by TokenRequest, authenticate as the account, die with it")
    func serviceAccountTokens() async throws {
        try await withEmbeddedKube(Self.configuration()) { kube in
            try await Self.setUp(kube)
            #expect(try await kube.post("/api/v1/namespaces/team/serviceaccounts", ["apiVersion": "v1", "kind": "ServiceAccount", "metadata": ["name": "robot"]]).status == 201)
            let issued = try await kube.post("/api/v1/namespaces/team/serviceaccounts/robot/token", [
                "apiVersion": "authentication.k8s.io/v1", "kind": "TokenRequest", "spec": ["expirationSeconds": 3600],
            ])
            #expect(issued.status == 201)
            let token = try #require(issued.json[path: ["status", "token"]]?.stringValue)
            #expect(issued.json[path: ["status", "expirationTimestamp"]]?.stringValue != nil)

            let review = try await kube.post("/apis/authentication.k8s.io/v1/tokenreviews", [
                "apiVersion": "authentication.k8s.io/v1", "kind": "TokenReview", "spec": ["token": .string(token)],
            ])
            #expect(review.json[path: ["status", "user", "username"]] == "system:serviceaccount:team:robot")
            #expect(review.json[path: ["status", "user", "groups"]] == ["system:serviceaccounts", "system:serviceaccounts:team", "system:authenticated"])
            // Not bound to anything yet: 403 in Kubernetes' words.
            let denied = try await kube.send("GET", "/api/v1/namespaces/team/configmaps", token: token)
            #expect(StatusSummary(denied.json).message
                == #"configmaps is forbidden: User "system:serviceaccount:team:robot" cannot list resource "configmaps" in API group "" in the namespace "team""#)

            // A forged or altered token, and the token of a deleted account, are not accepted.
            #expect(try await kube.send("GET", "/api/v1/namespaces/team/configmaps", token: token + "x").status == 401)
            #expect(try await kube.send("DELETE", "/api/v1/namespaces/team/serviceaccounts/robot").status == 200)
            #expect(try await kube.send("GET", "/api/v1/namespaces/team/configmaps", token: token).status == 401)

            let short = try await kube.post("/api/v1/namespaces/team/serviceaccounts/nobody/token", ["apiVersion": "authentication.k8s.io/v1", "kind": "TokenRequest"])
            #expect(short.status == 404)
        }
    }

    @Test("discovery lists the access review resources")
    func discovery() async throws {
        try await withEmbeddedKube { kube in
            let names = try await kube.get("/apis/authorization.k8s.io/v1").json["resources"]?.arrayValue?.compactMap { $0["name"]?.stringValue }
            #expect(Set(names ?? []) == ["subjectaccessreviews", "localsubjectaccessreviews", "selfsubjectaccessreviews", "selfsubjectrulesreviews"])
            let local = try await kube.get("/apis/authorization.k8s.io/v1").json["resources"]?.arrayValue?
                .first { $0["name"] == "localsubjectaccessreviews" }
            #expect(local?["namespaced"] == true)
            #expect(local?["verbs"] == ["create"])
        }
    }

    @Test("SubjectAccessReview answers for system:masters and for a bound user; creating one needs RBAC permission")
    func subjectAccessReview() async throws {
        try await withEmbeddedKube(Self.configuration()) { kube in
            try await Self.setUp(kube)
            let path = "/apis/authorization.k8s.io/v1/subjectaccessreviews"
            let masters = try await kube.post(path, Self.review("SubjectAccessReview", [
                "user": "someone", "groups": ["system:masters"],
                "resourceAttributes": ["verb": "delete", "resource": "secrets", "namespace": "other"],
            ]))
            #expect(masters.status == 201)
            #expect(masters.json["status"] == ["allowed": true])
            #expect(masters.json["kind"] == "SubjectAccessReview")

            let bound = try await kube.post(path, Self.review("SubjectAccessReview", [
                "user": "alice", "resourceAttributes": ["verb": "list", "resource": "configmaps", "namespace": "team"],
            ]))
            #expect(bound.json["status"] == [
                "allowed": true, "reason": #"RBAC: allowed by RoleBinding "alice-reads/team" of Role "cm-reader" to User "alice""#,
            ])
            #expect(bound.json[path: ["spec", "user"]] == "alice")
            let elsewhere = try await kube.post(path, Self.review("SubjectAccessReview", [
                "user": "alice", "resourceAttributes": ["verb": "list", "resource": "configmaps", "namespace": "other"],
            ]))
            #expect(elsewhere.json["status"] == ["allowed": false])

            let denied = try await kube.send(
                "POST", path, body: Self.review("SubjectAccessReview", [
                    "user": "alice", "resourceAttributes": ["verb": "list", "resource": "configmaps", "namespace": "team"],
                ]).serialized(), token: Self.aliceToken)
            #expect(denied.status == 403)
            #expect(StatusSummary(denied.json).message
                == #"subjectaccessreviews.authorization.k8s.io is forbidden: User "alice" cannot create resource "subjectaccessreviews" in API group "authorization.k8s.io" at the cluster scope"#)
        }
    }

    @Test("SubjectAccessReview validation: one of the attributes, a user or groups")
    func validation() async throws {
        try await withEmbeddedKube { kube in
            let path = "/apis/authorization.k8s.io/v1/subjectaccessreviews"
            let neither = try await kube.post(path, Self.review("SubjectAccessReview", ["user": "alice"]))
            #expect(neither.status == 422)
            #expect(StatusSummary(neither.json).message
                == #"SubjectAccessReview.authorization.k8s.io "" is invalid: spec.resourceAttributes: Invalid value: "null": exactly one of nonResourceAttributes or resourceAttributes must be specified"#)
            let nobody = try await kube.post(path, Self.review("SubjectAccessReview", [
                "resourceAttributes": ["verb": "get", "resource": "pods"], "nonResourceAttributes": ["verb": "get", "path": "/api"],
            ]))
            #expect(nobody.status == 422)
            #expect(Set(StatusSummary(nobody.json).causes.map(\.field)) == ["spec.nonResourceAttributes", "spec.user"])
            #expect(StatusSummary(nobody.json).message?.contains("spec.user: Invalid value: \"\": at least one of user or group must be specified") == true)
        }
    }

    @Test("LocalSubjectAccessReview: evaluated in the path's namespace, which the attributes must name")
    func localSubjectAccessReview() async throws {
        try await withEmbeddedKube(Self.configuration()) { kube in
            try await Self.setUp(kube)
            let path = "/apis/authorization.k8s.io/v1/namespaces/team/localsubjectaccessreviews"
            let ok = try await kube.post(path, Self.review("LocalSubjectAccessReview", [
                "user": "alice", "resourceAttributes": ["verb": "get", "resource": "configmaps", "name": "c", "namespace": "team"],
            ]))
            #expect(ok.status == 201)
            #expect(ok.json[path: ["status", "allowed"]] == true)
            #expect(ok.json[path: ["metadata", "namespace"]] == "team")

            let mismatch = try await kube.post(path, Self.review("LocalSubjectAccessReview", [
                "user": "alice", "resourceAttributes": ["verb": "get", "resource": "configmaps", "namespace": "other"],
            ]))
            #expect(mismatch.status == 422)
            #expect(StatusSummary(mismatch.json).message
                == #"LocalSubjectAccessReview.authorization.k8s.io "" is invalid: spec.resourceAttributes.namespace: Invalid value: "other": must match metadata.namespace"#)
        }
    }

    @Test("SelfSubjectAccessReview answers for the requesting user")
    func selfSubjectAccessReview() async throws {
        try await withEmbeddedKube(Self.configuration()) { kube in
            try await Self.setUp(kube)
            func canI(_ verb: String, _ namespace: String) async throws -> JSONValue? {
                let r = try await kube.send(
                    "POST", "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews",
                    body: Self.review("SelfSubjectAccessReview", [
                        "resourceAttributes": ["verb": .string(verb), "resource": "configmaps", "namespace": .string(namespace)],
                    ]).serialized(), token: Self.aliceToken)
                #expect(r.status == 201)
                return r.json[path: ["status", "allowed"]]
            }
            #expect(try await canI("watch", "team") == true)
            #expect(try await canI("create", "team") == false)
            #expect(try await canI("list", "other") == false)
        }
    }

    @Test("the bootstrap policy: cluster-admin for system:masters; discovery and the self reviews for everyone authenticated")
    func bootstrapPolicy() async throws {
        try await withEmbeddedKube(Self.configuration()) { kube in
            try await Self.setUp(kube)
            #expect(try await eventually {
                try await kube.get("/apis/rbac.authorization.k8s.io/v1/clusterrolebindings/system:public-info-viewer").status == 200
            })
            let path = "/apis/authorization.k8s.io/v1/subjectaccessreviews"
            let discovery = try await kube.post(path, Self.review("SubjectAccessReview", [
                "user": "bob", "groups": ["system:authenticated"], "nonResourceAttributes": ["verb": "get", "path": "/apis/apps/v1"],
            ]))
            #expect(discovery.json["status"] == [
                "allowed": true,
                "reason": #"RBAC: allowed by ClusterRoleBinding "system:discovery" of ClusterRole "system:discovery" to Group "system:authenticated""#,
            ])
            let selfReview = try await kube.post(path, Self.review("SubjectAccessReview", [
                "user": "bob", "groups": ["system:authenticated"],
                "resourceAttributes": ["verb": "create", "group": "authorization.k8s.io", "resource": "selfsubjectaccessreviews"],
            ]))
            #expect(selfReview.json[path: ["status", "allowed"]] == true)
            let pods = try await kube.post(path, Self.review("SubjectAccessReview", [
                "user": "bob", "groups": ["system:authenticated"], "resourceAttributes": ["verb": "list", "resource": "pods", "namespace": "team"],
            ]))
            #expect(pods.json[path: ["status", "allowed"]] == false)

            // cluster-admin bound by a RoleBinding: everything, but only in that namespace.
            let binding = try await kube.post("/apis/rbac.authorization.k8s.io/v1/namespaces/team/rolebindings", [
                "apiVersion": "rbac.authorization.k8s.io/v1", "kind": "RoleBinding", "metadata": ["name": "alice-admin"],
                "subjects": [["kind": "User", "apiGroup": "rbac.authorization.k8s.io", "name": "alice"]],
                "roleRef": ["apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": "cluster-admin"],
            ])
            #expect(binding.status == 201)
            #expect(try await kube.send("DELETE", "/api/v1/namespaces/team/secrets/none", token: Self.aliceToken).status == 404)
            #expect(try await kube.send("DELETE", "/api/v1/namespaces/other/secrets/none", token: Self.aliceToken).status == 403)
        }
    }

    @Test("SelfSubjectRulesReview lists what the requesting user may do in a namespace")
    func selfSubjectRulesReview() async throws {
        try await withEmbeddedKube(Self.configuration()) { kube in
            try await Self.setUp(kube)
            #expect(try await eventually {
                try await kube.get("/apis/rbac.authorization.k8s.io/v1/clusterrolebindings/system:discovery").status == 200
            })
            func rules(_ namespace: JSONValue) async throws -> KubeResponse {
                try await kube.send(
                    "POST", "/apis/authorization.k8s.io/v1/selfsubjectrulesreviews",
                    body: (["apiVersion": "authorization.k8s.io/v1", "kind": "SelfSubjectRulesReview", "spec": ["namespace": namespace]] as JSONValue)
                        .serialized(), token: Self.aliceToken)
            }
            let team = try await rules("team")
            #expect(team.status == 201)
            let resourceRules = team.json[path: ["status", "resourceRules"]]?.arrayValue ?? []
            #expect(resourceRules.contains(["verbs": ["get", "list", "watch"], "apiGroups": [""], "resources": ["configmaps"]]))
            #expect(resourceRules.contains(["verbs": ["create"], "apiGroups": ["authentication.k8s.io"], "resources": ["selfsubjectreviews"]]))
            #expect(team.json[path: ["status", "nonResourceRules"]]?.arrayValue?.contains { $0["nonResourceURLs"]?.arrayValue?.contains("/apis/*") == true } == true)
            #expect(team.json[path: ["status", "incomplete"]] == false)
            let other = try await rules("other")
            #expect(!(other.json[path: ["status", "resourceRules"]]?.arrayValue ?? []).contains { $0["resources"] == ["configmaps"] })
            #expect(try await rules("").status == 400)
        }
    }
}
