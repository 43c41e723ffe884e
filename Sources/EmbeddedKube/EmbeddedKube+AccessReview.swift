import KubeModel

/// SubjectAccessReview, LocalSubjectAccessReview, SelfSubjectAccessReview and SelfSubjectRulesReview
/// (`authorization.k8s.io/v1`): validated as Kubernetes' pkg/apis/authorization/validation does, then
/// answered by RBAC.
extension EmbeddedKube {
    /// The review's `status`: `allowed`, and `reason` when there is one.
    func accessReviewStatus(_ body: JSONValue, request: APIRequest, target: Target) throws -> JSONValue {
        let d = target.descriptor
        let spec = body["spec"] ?? .emptyObject
        let resource = spec["resourceAttributes"].flatMap { $0 == .null ? nil : $0 }
        let nonResource = spec["nonResourceAttributes"].flatMap { $0 == .null ? nil : $0 }
        func text(_ object: JSONValue?, _ key: String) -> String { object?[key]?.stringValue ?? "" }
        var causes: [StatusCause] = []
        func invalid(_ field: String, _ value: String, _ detail: String) {
            causes.append(StatusCause(reason: "FieldValueInvalid", message: "Invalid value: \(value): \(detail)", field: field))
        }
        if resource != nil && nonResource != nil {
            invalid("spec.nonResourceAttributes", "\"object\"", "cannot be specified in combination with resourceAttributes")
        }
        if resource == nil && nonResource == nil {
            invalid("spec.resourceAttributes", "\"null\"", "exactly one of nonResourceAttributes or resourceAttributes must be specified")
        }
        var user = request.user.name
        var groups = request.user.groups
        if !d.isSelfReview {
            user = spec["user"]?.stringValue ?? ""
            groups = spec["groups"]?.arrayValue?.compactMap(\.stringValue) ?? []
            if user.isEmpty && groups.isEmpty {
                invalid("spec.user", "\"\"", "at least one of user or group must be specified")
            }
        }
        if let namespace = target.namespace {
            if let given = body[path: ["metadata", "namespace"]]?.stringValue, !given.isEmpty, given != namespace {
                throw APIServerError.badRequest("the namespace of the provided object does not match the namespace sent on the request")
            }
            if resource != nil, text(resource, "namespace") != namespace {
                invalid("spec.resourceAttributes.namespace", "\"\(text(resource, "namespace"))\"", "must match metadata.namespace")
            }
            if nonResource != nil {
                invalid("spec.nonResourceAttributes", "\"object\"", "disallowed on this kind of request")
            }
        }
        if !causes.isEmpty { throw APIServerError.invalid(kind: d.kind, group: d.group, name: "", causes: causes) }
        let attributes = if let resource {
            RBACAuthorizer.Attributes(
                verb: text(resource, "verb"), apiGroup: text(resource, "group"), resource: text(resource, "resource"),
                subresource: text(resource, "subresource"), name: text(resource, "name"), namespace: text(resource, "namespace"))
        } else {
            RBACAuthorizer.Attributes(verb: text(nonResource, "verb"), path: text(nonResource, "path"), isResourceRequest: false)
        }
        let decision = authorizeRBAC(user: user, groups: groups, attributes)
        var status: JSONValue = ["allowed": .bool(decision.allowed)]
        if !decision.reason.isEmpty { status["reason"] = .string(decision.reason) }
        return status
    }

    /// SelfSubjectRulesReview's `status`: every rule RBAC grants the requesting user in `spec.namespace`
    /// (`kubectl auth can-i --list`). Bindings to missing roles make `evaluationError`.
    func rulesReviewStatus(_ body: JSONValue, request: APIRequest) throws -> JSONValue {
        guard let namespace = body[path: ["spec", "namespace"]]?.stringValue, !namespace.isEmpty else {
            throw APIServerError.badRequest("no namespace on request")
        }
        var resourceRules: [JSONValue] = []
        var nonResourceRules: [JSONValue] = []
        func strings(_ values: [String]?) -> JSONValue? { values.map { .array($0.map { .string($0) }) } }
        let user = request.user
        let errors = rbacPolicy(namespace: namespace).visitRules(user: user.name, groups: user.groups, namespace: namespace) { _, rule in
            if !(rule.resources ?? []).isEmpty {
                var r: JSONValue = ["verbs": strings(rule.verbs) ?? []]
                r["apiGroups"] = strings(rule.apiGroups)
                r["resources"] = strings(rule.resources)
                r["resourceNames"] = strings(rule.resourceNames)
                resourceRules.append(r)
            }
            if !(rule.nonResourceURLs ?? []).isEmpty {
                nonResourceRules.append(["verbs": strings(rule.verbs) ?? [], "nonResourceURLs": strings(rule.nonResourceURLs) ?? []])
            }
            return true
        }
        var status: JSONValue = ["resourceRules": .array(resourceRules), "nonResourceRules": .array(nonResourceRules), "incomplete": false]
        if !errors.isEmpty { status["evaluationError"] = .string(RBACAuthorizer.aggregate(errors)) }
        return status
    }
}
