import AsyncHTTPClient
import Foundation
import KubeModel
import Logging
import NIOCore

/// A Kubernetes REST client over AsyncHTTPClient, in the manner of client-go: typed access to any
/// `KubernetesResource`, dynamic access to any `GroupVersionResource` as `JSONValue`, watches as async
/// streams. Every request is authenticated, rate limited (token bucket of `qps`/`burst`) and retried
/// on 429, 5xx and connection errors as `RetryPolicy` allows.
///
/// Call `shutdown()` when done: it closes the connection pool.
public final class KubeClient: Sendable {
    public let configuration: KubeConfiguration
    let http: HTTPClient
    let limiter: RateLimiter
    let credentials: CredentialProvider
    let logger: Logger

    /// Builds the HTTP client (TLS from the configuration's CA, client certificate or `insecureSkipTLSVerify`).
    public init(configuration: KubeConfiguration, logger: Logger = Logger(label: "quiver.kube-client")) throws {
        self.configuration = configuration
        self.logger = logger
        var http = HTTPClient.Configuration()
        http.tlsConfiguration = try Self.makeTLSConfiguration(configuration)
        http.timeout = HTTPClient.Configuration.Timeout(connect: TimeAmount(configuration.connectTimeout), read: nil)
        http.connectionPool = HTTPClient.Configuration.ConnectionPool(
            idleTimeout: .seconds(60),
            concurrentHTTP1ConnectionsPerHostSoftLimit: max(1, configuration.maximumConnectionsPerHost))
        http.redirectConfiguration = .disallow
        http.decompression = .disabled
        self.http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: http, backgroundActivityLogger: logger)
        self.limiter = RateLimiter(qps: configuration.qps, burst: configuration.burst)
        self.credentials = CredentialProvider(
            credentials: configuration.credentials, refreshInterval: configuration.tokenRefreshInterval)
    }

    /// Closes every connection. Open watches end with an error.
    public func shutdown() async throws {
        try await http.shutdown()
    }

    /// The namespace used when a namespaced call names none.
    public var defaultNamespace: String { configuration.namespace }
}

extension TimeAmount {
    init(_ duration: Duration) {
        let c = duration.components
        let nanos = c.seconds.multipliedReportingOverflow(by: 1_000_000_000)
        self = nanos.overflow ? .nanoseconds(Int64.max) : .nanoseconds(nanos.partialValue + c.attoseconds / 1_000_000_000)
    }
}
