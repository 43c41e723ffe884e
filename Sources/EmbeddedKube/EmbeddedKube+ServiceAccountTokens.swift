import Crypto
import Foundation
import KubeModel

/// Service-account tokens (`kubectl create token robot`, the TokenRequest API): a token names the
/// service account and its uid and carries an expiry, signed with a key derived from the admin
/// token (so tokens survive a restart of a server with a data directory). It authenticates as
/// `system:serviceaccount:<namespace>:<name>` in the groups `system:serviceaccounts`,
/// `system:serviceaccounts:<namespace>` and `system:authenticated`, while the service account exists
/// with the same uid and the token has not expired.
extension EmbeddedKube {
    static let serviceAccountTokenPrefix = "qsa_"
    static let minimumTokenSeconds: Int64 = 600
    static let maximumTokenSeconds: Int64 = 1 << 32
    static let defaultTokenSeconds: Int64 = 3600

    private struct TokenClaims: Codable {
        var namespace: String
        var name: String
        var uid: String
        var expires: Int64
    }

    private var signingKey: SymmetricKey {
        SymmetricKey(data: SHA256.hash(data: Data("quiver service-account tokens\n\(adminToken)".utf8)))
    }

    /// `POST /api/v1/namespaces/{ns}/serviceaccounts/{name}/token`: 201 with the TokenRequest and its token.
    func createServiceAccountToken(_ request: APIRequest, target: Target) throws -> APIResponse {
        guard request.method == "POST" else { throw APIServerError.methodNotAllowed(request.method) }
        guard let namespace = target.namespace, let name = target.name else { throw APIServerError.pathNotFound() }
        let body = try decodeBody(request)
        if let kind = body["kind"]?.stringValue, kind != "TokenRequest" {
            throw APIServerError.badRequest("expected a TokenRequest, got \(kind)")
        }
        let d = target.descriptor
        guard let account = store.get(d.storageKey, key: objectKey(namespace: namespace, name: name)) else {
            throw APIServerError.notFound(d.groupResource, name: name)
        }
        let seconds = body[path: ["spec", "expirationSeconds"]]?.intValue ?? Self.defaultTokenSeconds
        guard seconds >= Self.minimumTokenSeconds else {
            throw APIServerError.invalid(kind: "TokenRequest", group: "authentication.k8s.io", name: name, causes: [
                StatusCause(reason: "FieldValueInvalid", message: "Invalid value: \(seconds): may not specify a duration less than 10 minutes",
                            field: "spec.expirationSeconds"),
            ])
        }
        guard seconds <= Self.maximumTokenSeconds else {
            throw APIServerError.invalid(kind: "TokenRequest", group: "authentication.k8s.io", name: name, causes: [
                StatusCause(reason: "FieldValueInvalid", message: "Invalid value: \(seconds): may not specify a duration larger than 2^32 seconds",
                            field: "spec.expirationSeconds"),
            ])
        }
        let now = Date()
        let expires = Int64(now.timeIntervalSince1970) + seconds
        let claims = TokenClaims(
            namespace: namespace, name: name, uid: account.value[path: ["metadata", "uid"]]?.stringValue ?? "", expires: expires)
        let payload = try JSONEncoder().encode(claims)
        let signature = Data(HMAC<SHA256>.authenticationCode(for: payload, using: signingKey))
        let token = Self.serviceAccountTokenPrefix + Self.base64URL(payload) + "." + Self.base64URL(signature)
        let audiences = body[path: ["spec", "audiences"]]?.arrayValue ?? ["https://kubernetes.default.svc.cluster.local"]
        var spec: JSONValue = ["audiences": .array(audiences), "expirationSeconds": .int(seconds)]
        if let bound = body[path: ["spec", "boundObjectRef"]] { spec["boundObjectRef"] = bound }
        let answer: JSONValue = [
            "kind": "TokenRequest", "apiVersion": "authentication.k8s.io/v1",
            "metadata": ["name": .string(name), "namespace": .string(namespace), "creationTimestamp": .string(KubeTime(now).rfc3339)],
            "spec": spec,
            "status": ["token": .string(token), "expirationTimestamp": .string(KubeTime(Date(timeIntervalSince1970: TimeInterval(expires))).rfc3339)],
        ]
        return .json(answer, status: 201)
    }

    /// The service account a token from `createServiceAccountToken` stands for, if it is valid now.
    func serviceAccountUser(token: String) -> UserInfo? {
        guard token.hasPrefix(Self.serviceAccountTokenPrefix) else { return nil }
        let parts = token.dropFirst(Self.serviceAccountTokenPrefix.count).split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, let payload = Self.fromBase64URL(parts[0]), let signature = Self.fromBase64URL(parts[1]),
              HMAC<SHA256>.isValidAuthenticationCode(signature, authenticating: payload, using: signingKey),
              let claims = try? JSONDecoder().decode(TokenClaims.self, from: payload),
              claims.expires > Int64(Date().timeIntervalSince1970),
              let descriptor = registry.lookup(group: "", version: "v1", plural: "serviceaccounts"),
              let account = store.get(descriptor.storageKey, key: objectKey(namespace: claims.namespace, name: claims.name)),
              account.value[path: ["metadata", "uid"]]?.stringValue == claims.uid
        else { return nil }
        return UserInfo(
            name: "system:serviceaccount:\(claims.namespace):\(claims.name)", uid: claims.uid,
            groups: ["system:serviceaccounts", "system:serviceaccounts:\(claims.namespace)", "system:authenticated"])
    }

    static func base64URL(_ data: Data) -> String {
        data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    static func fromBase64URL(_ text: Substring) -> Data? {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        return Data(base64Encoded: base64)
    }
}
