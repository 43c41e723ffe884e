import Foundation
import Yams

extension KubeConfiguration {
    /// Reads a kubeconfig document, as `kubectl` does for one file: the named context (or the
    /// `current-context`), its cluster (server, CA file or data, `insecure-skip-tls-verify`), its user
    /// (token, `tokenFile`, client certificate and key as files or base64 data, basic auth) and its
    /// namespace. `tls-server-name` is not supported yet and is ignored. Relative file paths resolve against `baseDirectory`, the
    /// directory the kubeconfig was read from. `exec` and `auth-provider` users are refused with a clear error.
    public static func fromKubeconfig(yaml: String, context: String? = nil, baseDirectory: String) throws -> KubeConfiguration {
        let file: KubeconfigFile
        do {
            file = try YAMLDecoder().decode(KubeconfigFile.self, from: yaml)
        } catch {
            throw KubeConfigurationError.invalidKubeconfig("invalid kubeconfig: \(error)")
        }
        let contextName: String
        if let context, !context.isEmpty {
            contextName = context
        } else if let current = file.currentContext, !current.isEmpty {
            contextName = current
        } else {
            throw KubeConfigurationError.noCurrentContext("the kubeconfig has no current-context and no context was named")
        }
        guard let namedContext = file.contexts?.first(where: { $0.name == contextName }) else {
            throw KubeConfigurationError.contextNotFound("context \"\(contextName)\" not found in the kubeconfig")
        }
        let ctx = namedContext.context ?? KubeconfigFile.Context()
        guard let clusterName = ctx.cluster, let cluster = file.clusters?.first(where: { $0.name == clusterName })?.cluster else {
            throw KubeConfigurationError.clusterNotFound(
                "cluster \"\(ctx.cluster ?? "")\" of context \"\(contextName)\" not found in the kubeconfig")
        }
        var user = KubeconfigFile.User()
        if let userName = ctx.user, !userName.isEmpty {
            guard let found = file.users?.first(where: { $0.name == userName }) else {
                throw KubeConfigurationError.userNotFound(
                    "user \"\(userName)\" of context \"\(contextName)\" not found in the kubeconfig")
            }
            user = found.user ?? KubeconfigFile.User()
            if user.exec != nil {
                throw KubeConfigurationError.unsupportedAuthPlugin("exec credential plugins are not supported (user \(userName))")
            }
            if user.authProvider != nil {
                throw KubeConfigurationError.unsupportedAuthPlugin("auth-provider plugins are not supported (user \(userName))")
            }
        }

        guard let server = cluster.server, !server.isEmpty else {
            throw KubeConfigurationError.invalidServer("cluster \"\(clusterName)\" has no server")
        }
        var configuration = KubeConfiguration(server: try normalizedServer(server))
        configuration.insecureSkipTLSVerify = cluster.insecureSkipTLSVerify ?? false
        if let data = cluster.certificateAuthorityData, !data.isEmpty {
            configuration.certificateAuthority = try decodeBase64(data, field: "certificate-authority-data")
        } else if let path = cluster.certificateAuthority, !path.isEmpty {
            configuration.certificateAuthority = try readFile(resolve(path, against: baseDirectory))
        }

        var credentials = Credentials()
        if let token = user.token, !token.isEmpty { credentials.bearerToken = token }
        if let tokenFile = user.tokenFile, !tokenFile.isEmpty {
            let path = resolve(tokenFile, against: baseDirectory)
            _ = try readFile(path)  // fail early, as kubectl does, when the file is missing
            credentials.bearerTokenFile = path
        }
        let certificate: [UInt8]?
        if let data = user.clientCertificateData, !data.isEmpty {
            certificate = try decodeBase64(data, field: "client-certificate-data")
        } else if let path = user.clientCertificate, !path.isEmpty {
            certificate = try readFile(resolve(path, against: baseDirectory))
        } else {
            certificate = nil
        }
        let key: [UInt8]?
        if let data = user.clientKeyData, !data.isEmpty {
            key = try decodeBase64(data, field: "client-key-data")
        } else if let path = user.clientKey, !path.isEmpty {
            key = try readFile(resolve(path, against: baseDirectory))
        } else {
            key = nil
        }
        switch (certificate, key) {
        case (let certificate?, let key?):
            credentials.clientCertificate = ClientCertificate(certificatePEM: certificate, privateKeyPEM: key)
        case (nil, nil):
            break
        default:
            throw KubeConfigurationError.invalidTLSMaterial(
                "user \"\(ctx.user ?? "")\" has a client certificate without a key, or a key without a certificate")
        }
        if let username = user.username, let password = user.password {
            credentials.basic = BasicAuth(username: username, password: password)
        }
        configuration.credentials = credentials
        if let namespace = ctx.namespace, !namespace.isEmpty { configuration.namespace = namespace }
        return configuration
    }

    /// Reads the kubeconfig at `path`; relative paths inside it resolve against its directory.
    public static func fromKubeconfigFile(path: String, context: String? = nil) throws -> KubeConfiguration {
        let bytes = try readFile(path)
        let directory = (path as NSString).deletingLastPathComponent
        return try fromKubeconfig(
            yaml: String(decoding: bytes, as: UTF8.self), context: context,
            baseDirectory: directory.isEmpty ? "." : directory)
    }

    static func normalizedServer(_ server: String) throws -> String {
        var s = server.trimmingCharacters(in: .whitespaces)
        while s.hasSuffix("/") { s.removeLast() }
        guard let url = URL(string: s), let scheme = url.scheme?.lowercased(), scheme == "https" || scheme == "http",
              let host = url.host, !host.isEmpty
        else {
            throw KubeConfigurationError.invalidServer("server \"\(server)\" is not an http(s) URL")
        }
        return s
    }

    static func resolve(_ path: String, against baseDirectory: String) -> String {
        if path.hasPrefix("/") { return path }
        return (baseDirectory as NSString).appendingPathComponent(path)
    }

    static func readFile(_ path: String) throws -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw KubeConfigurationError.fileUnreadable("cannot read \(path)")
        }
        return [UInt8](data)
    }

    static func decodeBase64(_ string: String, field: String) throws -> [UInt8] {
        let compact = string.filter { !$0.isWhitespace }
        guard let data = Data(base64Encoded: compact) else {
            throw KubeConfigurationError.invalidBase64("\(field) is not valid base64")
        }
        return [UInt8](data)
    }
}

/// The parts of a kubeconfig (`clientcmd/api/v1` Config) we read.
private struct KubeconfigFile: Decodable {
    var clusters: [NamedCluster]?
    var contexts: [NamedContext]?
    var users: [NamedUser]?
    var currentContext: String?

    enum CodingKeys: String, CodingKey {
        case clusters, contexts, users
        case currentContext = "current-context"
    }

    struct NamedCluster: Decodable {
        var name: String
        var cluster: Cluster?
    }

    struct Cluster: Decodable {
        var server: String?
        var certificateAuthority: String?
        var certificateAuthorityData: String?
        var insecureSkipTLSVerify: Bool?
        var tlsServerName: String?

        enum CodingKeys: String, CodingKey {
            case server
            case certificateAuthority = "certificate-authority"
            case certificateAuthorityData = "certificate-authority-data"
            case insecureSkipTLSVerify = "insecure-skip-tls-verify"
            case tlsServerName = "tls-server-name"
        }
    }

    struct NamedContext: Decodable {
        var name: String
        var context: Context?
    }

    struct Context: Decodable {
        var cluster: String?
        var user: String?
        var namespace: String?
    }

    struct NamedUser: Decodable {
        var name: String
        var user: User?
    }

    struct User: Decodable {
        var token: String?
        var tokenFile: String?
        var clientCertificate: String?
        var clientCertificateData: String?
        var clientKey: String?
        var clientKeyData: String?
        var username: String?
        var password: String?
        var exec: Present?
        var authProvider: Present?

        enum CodingKeys: String, CodingKey {
            case token, tokenFile, username, password, exec
            case clientCertificate = "client-certificate"
            case clientCertificateData = "client-certificate-data"
            case clientKey = "client-key"
            case clientKeyData = "client-key-data"
            case authProvider = "auth-provider"
        }
    }

    /// Any value: we only need to know that the key is there.
    struct Present: Decodable {
        init(from decoder: any Decoder) throws {}
    }
}
