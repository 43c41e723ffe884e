import Foundation

/// Produces the `Authorization` header for each request, re-reading a token file as it rotates.
actor CredentialProvider {
    private let credentials: KubeConfiguration.Credentials
    private var tokenFile: TokenFileCache?

    init(credentials: KubeConfiguration.Credentials, refreshInterval: Duration) {
        self.credentials = credentials
        self.tokenFile = credentials.bearerTokenFile.map { TokenFileCache(path: $0, refreshInterval: refreshInterval) }
    }

    /// The header value, or nil when the client sends no bearer or basic credentials.
    func authorization() throws -> String? {
        if var cache = tokenFile {
            let now = ContinuousClock.now
            if cache.needsRead(now: now) {
                cache.record(token: try Self.read(cache.path), at: now)
                tokenFile = cache
            }
            if let token = cache.token, !token.isEmpty { return "Bearer \(token)" }
        }
        if let token = credentials.bearerToken, !token.isEmpty { return "Bearer \(token)" }
        if let basic = credentials.basic {
            return "Basic " + Data("\(basic.username):\(basic.password)".utf8).base64EncodedString()
        }
        return nil
    }

    /// After a 401: re-reads the token file. Returns whether the token changed, i.e. whether the request
    /// is worth sending again.
    func refreshAfterUnauthorized() -> Bool {
        guard var cache = tokenFile else { return false }
        cache.invalidate()
        guard let token = try? Self.read(cache.path) else { return false }
        let changed = cache.record(token: token, at: .now)
        tokenFile = cache
        return changed
    }

    private static func read(_ path: String) throws -> String {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw KubeClientError.credentials("cannot read the bearer token file \(path)")
        }
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
