import KubeModel

/// An HTTP request as the API server sees it, independent of the HTTP library.
struct APIRequest: Sendable {
    var method: String
    var path: String
    var query: [String: String]
    var accept: String
    var contentType: String
    var userAgent: String
    var user: UserInfo
    var body: [UInt8]

    func queryBool(_ name: String) -> Bool {
        guard let v = query[name] else { return false }
        return v == "true" || v == "1" || v.isEmpty
    }

    /// `dryRun=All` (the only value Kubernetes accepts).
    var isDryRun: Bool { query["dryRun"] == "All" }

    var wantsTable: Bool { accept.contains("as=Table") }

    /// The field manager for managedFields: `?fieldManager=`, else the User-Agent's program name.
    var fieldManager: String {
        if let m = query["fieldManager"], !m.isEmpty { return m }
        let program = userAgent.split(separator: "/").first.map(String.init) ?? "unknown"
        return program.isEmpty ? "unknown" : program
    }
}

/// The answer: a status code, a content type and either bytes or a stream (watches).
struct APIResponse: Sendable {
    enum Body: Sendable {
        case bytes([UInt8])
        case stream(WatchStream)
    }

    var status: Int
    var contentType: String = "application/json"
    var headers: [(String, String)] = []
    var body: Body

    static func json(_ value: JSONValue, status: Int = 200) -> APIResponse {
        APIResponse(status: status, body: .bytes(value.serialized()))
    }

    static func rawJSON(_ bytes: [UInt8], status: Int = 200) -> APIResponse {
        APIResponse(status: status, body: .bytes(bytes))
    }

    static func error(_ error: APIServerError) -> APIResponse {
        var response = APIResponse.json(error.statusJSON, status: error.httpStatus)
        if error.httpStatus == 429, let retry = error.details?.retryAfterSeconds {
            response.headers.append(("Retry-After", String(retry)))
        }
        return response
    }
}

/// Who is asking.
struct UserInfo: Sendable, Hashable {
    var name: String
    var uid: String
    var groups: [String]

    static let anonymous = UserInfo(name: "system:anonymous", uid: "", groups: ["system:unauthenticated"])
    var isAnonymous: Bool { name == "system:anonymous" }
}
