/// How to run EmbeddedKube. The executable builds this from flags; tests build it directly.
public struct EmbeddedKubeConfiguration: Sendable {
    /// Where the SQLite store and the admin kubeconfig live; nil keeps everything in memory.
    public var dataDirectory: String?
    public var host: String
    /// 0 picks a free port.
    public var port: Int
    /// Static bearer tokens (Kubernetes' token-file format: `token,user,uid[,"group1,group2"]`).
    public var tokens: [StaticToken]
    /// The admin token written into the kubeconfig; generated (and kept in the data directory) when nil.
    public var adminToken: String?
    /// Request bodies above this get 413 (the real server's limit is 3 MiB).
    public var maxRequestBodyBytes: Int
    /// Changes kept for watches; older resourceVersions get 410 Gone.
    public var watchHistoryLimit: Int
    /// How often a watch that allows bookmarks gets one.
    public var bookmarkIntervalSeconds: Double
    /// A watch's length when the client gives no timeoutSeconds.
    public var defaultWatchTimeoutSeconds: Int
    /// Whether requests without a token may read `/version` and the health endpoints (others get 403).
    public var allowAnonymousHealth: Bool
    /// Serve HTTPS (kubectl sends bearer tokens only over TLS). The certificate comes from
    /// `tlsMaterial`, else from the data directory (generated there on first start), else is generated.
    public var useTLS: Bool
    public var tlsMaterial: TLSMaterial?

    public init(
        dataDirectory: String? = nil, host: String = "127.0.0.1", port: Int = 0, tokens: [StaticToken] = [],
        adminToken: String? = nil, maxRequestBodyBytes: Int = 3 * 1024 * 1024, watchHistoryLimit: Int = 10_000,
        bookmarkIntervalSeconds: Double = 60, defaultWatchTimeoutSeconds: Int = 1800, allowAnonymousHealth: Bool = true,
        useTLS: Bool = true, tlsMaterial: TLSMaterial? = nil
    ) {
        self.useTLS = useTLS
        self.tlsMaterial = tlsMaterial
        self.dataDirectory = dataDirectory
        self.host = host
        self.port = port
        self.tokens = tokens
        self.adminToken = adminToken
        self.maxRequestBodyBytes = maxRequestBodyBytes
        self.watchHistoryLimit = watchHistoryLimit
        self.bookmarkIntervalSeconds = bookmarkIntervalSeconds
        self.defaultWatchTimeoutSeconds = defaultWatchTimeoutSeconds
        self.allowAnonymousHealth = allowAnonymousHealth
    }
}

/// One line of a Kubernetes static token file.
public struct StaticToken: Sendable, Hashable {
    public var token: String
    public var user: String
    public var uid: String
    public var groups: [String]

    public init(token: String, user: String, uid: String, groups: [String]) {
        self.token = token
        self.user = user
        self.uid = uid
        self.groups = groups
    }

    /// Parses a token file: one `token,user,uid[,"group1,group2"]` per line; `#` comments and
    /// blank lines are skipped. Errors name the line.
    public static func parseFile(_ text: String) throws -> [StaticToken] {
        var out: [StaticToken] = []
        for (n, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = rawLine.trimming(" ").trimming("\r")
            if line.isEmpty || line.hasPrefix("#") { continue }
            var fields: [String] = []
            var current = ""
            var quoted = false
            for c in line {
                if c == "\"" { quoted.toggle(); continue }
                if c == ",", !quoted {
                    fields.append(current)
                    current = ""
                } else {
                    current.append(c)
                }
            }
            fields.append(current)
            guard fields.count >= 3, !fields[0].isEmpty, !fields[1].isEmpty else {
                throw TokenFileError(message: "token file line \(n + 1): expected token,user,uid[,\"group1,group2\"]")
            }
            let groups = fields.count > 3 ? fields[3...].joined(separator: ",").split(separator: ",").map { String($0).trimming(" ") } : []
            out.append(StaticToken(token: fields[0], user: fields[1], uid: fields[2], groups: groups))
        }
        return out
    }
}

public struct TokenFileError: Error, CustomStringConvertible, Sendable {
    public var message: String
    public var description: String { message }
}
