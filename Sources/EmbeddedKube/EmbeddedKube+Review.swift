import KubeModel

/// The review APIs that store nothing: TokenReview (who is this token?), SelfSubjectReview
/// (who am I?) and the access reviews (may they / may I?). All answer 201, as the real server does.
extension EmbeddedKube {
    func review(_ request: APIRequest, target: Target) throws -> APIResponse {
        let d = target.descriptor
        let body = try decodeBody(request)
        try checkTypeMeta(body, d)
        var out: JSONValue = ["kind": .string(d.kind), "apiVersion": .string(d.apiVersion)]
        switch d.plural {
        case "tokenreviews":
            guard let token = body[path: ["spec", "token"]]?.stringValue else {
                throw APIServerError.invalid(kind: d.kind, group: d.group, name: "", causes: [
                    StatusCause(reason: "FieldValueRequired", message: "Required value", field: "spec.token"),
                ])
            }
            out["metadata"] = .emptyObject
            out["spec"] = body["spec"]
            if let user = authenticate(token: token) {
                out["status"] = [
                    "authenticated": true,
                    "user": ["username": .string(user.name), "uid": .string(user.uid), "groups": .array(user.groups.map { .string($0) })],
                    "audiences": ["https://kubernetes.default.svc.cluster.local"],
                ]
            } else {
                out["status"] = ["user": .emptyObject, "error": "invalid bearer token"]
            }
        case "selfsubjectreviews":
            let user = request.user
            out["metadata"] = ["creationTimestamp": .string(KubeTime.now().rfc3339)]
            out["status"] = ["userInfo": ["username": .string(user.name), "uid": .string(user.uid), "groups": .array(user.groups.map { .string($0) })]]
        case "subjectaccessreviews", "localsubjectaccessreviews", "selfsubjectaccessreviews":
            out["metadata"] = body["metadata"] ?? .emptyObject
            if let namespace = target.namespace { out["metadata"]?["namespace"] = .string(namespace) }
            out["spec"] = body["spec"]
            out["status"] = try accessReviewStatus(body, request: request, target: target)
        case "selfsubjectrulesreviews":
            out["metadata"] = body["metadata"] ?? .emptyObject
            out["spec"] = body["spec"]
            out["status"] = try rulesReviewStatus(body, request: request)
        default:
            throw APIServerError.methodNotAllowed(request.method)
        }
        return .json(out, status: 201)
    }
}
