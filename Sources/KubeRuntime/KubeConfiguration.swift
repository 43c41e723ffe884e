/// Everything a `KubeClient` needs to reach one API server: where it is, how to trust it, who we are,
/// and how politely to talk to it. Build one with `fromKubeconfig(yaml:context:baseDirectory:)`,
/// `fromKubeconfigFile(path:context:)` or `inCluster(environment:serviceAccountDirectory:)`, or by hand.
public struct KubeConfiguration: Sendable {
    /// The API server, e.g. `https://10.96.0.1:443` (no trailing slash).
    public var server: String
    /// PEM bytes of the certificate authorities that sign the server's certificate; `nil` uses the system roots.
    public var certificateAuthority: [UInt8]?
    /// Skip verifying the server's certificate (kubeconfig `insecure-skip-tls-verify`).
    public var insecureSkipTLSVerify: Bool
    /// How requests authenticate.
    public var credentials: Credentials
    /// The namespace used when a namespaced call names none.
    public var namespace: String
    /// Client-side rate limit: sustained requests per second (`<= 0` disables the limit) …
    public var qps: Double
    /// … and how many may be sent at once above that rate.
    public var burst: Int
    /// Deadline of one request/response exchange (watches have their own, from `timeoutSeconds`).
    public var requestTimeout: Duration
    /// How long to wait for a TCP/TLS connection.
    public var connectTimeout: Duration
    /// Sent as `User-Agent`; the API server records it as the field manager when none is given.
    public var userAgent: String
    /// Retries of 429, 5xx and connection errors.
    public var retry: RetryPolicy
    /// A token file (`credentials.bearerTokenFile`) is re-read at most this often, and on a 401.
    public var tokenRefreshInterval: Duration
    /// HTTP/1.1 connections kept per host. Every open watch holds one, so this must exceed the number of informers.
    public var maximumConnectionsPerHost: Int
    /// The largest response body read into memory.
    public var maximumResponseBytes: Int

    public init(
        server: String,
        certificateAuthority: [UInt8]? = nil,
        insecureSkipTLSVerify: Bool = false,
        credentials: Credentials = Credentials(),
        namespace: String = "default",
        qps: Double = 20,
        burst: Int = 30,
        requestTimeout: Duration = .seconds(30),
        connectTimeout: Duration = .seconds(10),
        userAgent: String = "quiver-kuberuntime",
        retry: RetryPolicy = RetryPolicy(),
        tokenRefreshInterval: Duration = .seconds(60),
        maximumConnectionsPerHost: Int = 64,
        maximumResponseBytes: Int = 256 * 1024 * 1024
    ) {
        self.server = server
        self.certificateAuthority = certificateAuthority
        self.insecureSkipTLSVerify = insecureSkipTLSVerify
        self.credentials = credentials
        self.namespace = namespace
        self.qps = qps
        self.burst = burst
        self.requestTimeout = requestTimeout
        self.connectTimeout = connectTimeout
        self.userAgent = userAgent
        self.retry = retry
        self.tokenRefreshInterval = tokenRefreshInterval
        self.maximumConnectionsPerHost = maximumConnectionsPerHost
        self.maximumResponseBytes = maximumResponseBytes
    }
}

extension KubeConfiguration {
    /// Who the client is. Several may be set at once (a client certificate and a token); a token file wins
    /// over a fixed token, and bearer auth over basic auth.
    public struct Credentials: Sendable, Hashable {
        /// A fixed bearer token.
        public var bearerToken: String?
        /// A file holding the bearer token, re-read when it rotates (service-account tokens do, hourly).
        public var bearerTokenFile: String?
        /// A TLS client certificate and its private key, both PEM.
        public var clientCertificate: ClientCertificate?
        /// HTTP basic auth (kubeconfig `username`/`password`).
        public var basic: BasicAuth?

        public init(
            bearerToken: String? = nil, bearerTokenFile: String? = nil,
            clientCertificate: ClientCertificate? = nil, basic: BasicAuth? = nil
        ) {
            self.bearerToken = bearerToken
            self.bearerTokenFile = bearerTokenFile
            self.clientCertificate = clientCertificate
            self.basic = basic
        }
    }

    public struct ClientCertificate: Sendable, Hashable {
        /// The certificate chain, PEM.
        public var certificatePEM: [UInt8]
        /// The private key, PEM.
        public var privateKeyPEM: [UInt8]

        public init(certificatePEM: [UInt8], privateKeyPEM: [UInt8]) {
            self.certificatePEM = certificatePEM
            self.privateKeyPEM = privateKeyPEM
        }
    }

    public struct BasicAuth: Sendable, Hashable {
        public var username: String
        public var password: String

        public init(username: String, password: String) {
            self.username = username
            self.password = password
        }
    }
}
