/// Why a `KubeConfiguration` could not be built (kubeconfig parsing, in-cluster files, TLS material).
///
/// A struct over a private code so that cases can be added without breaking callers. Two errors compare
/// equal when their codes match, so tests can write `#expect(throws: KubeConfigurationError.contextNotFound)`.
public struct KubeConfigurationError: Error, Sendable, Hashable, CustomStringConvertible {
    private enum Code: String, Sendable, Hashable {
        case invalidKubeconfig
        case noCurrentContext
        case contextNotFound
        case clusterNotFound
        case userNotFound
        case unsupportedAuthPlugin
        case fileUnreadable
        case invalidBase64
        case invalidServer
        case notInCluster
        case invalidTLSMaterial
    }

    private let code: Code
    /// A human-readable explanation naming the context, user, cluster or file involved.
    public let message: String

    private init(_ code: Code, _ message: String = "") {
        self.code = code
        self.message = message.isEmpty ? code.rawValue : message
    }

    /// A short, fixed name of the error kind, safe as a metric label.
    public var shortDescription: String { code.rawValue }
    public var description: String { message }

    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.code == rhs.code }
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }

    public static var invalidKubeconfig: Self { Self(.invalidKubeconfig) }
    public static var noCurrentContext: Self { Self(.noCurrentContext) }
    public static var contextNotFound: Self { Self(.contextNotFound) }
    public static var clusterNotFound: Self { Self(.clusterNotFound) }
    public static var userNotFound: Self { Self(.userNotFound) }
    public static var unsupportedAuthPlugin: Self { Self(.unsupportedAuthPlugin) }
    public static var fileUnreadable: Self { Self(.fileUnreadable) }
    public static var invalidBase64: Self { Self(.invalidBase64) }
    public static var invalidServer: Self { Self(.invalidServer) }
    public static var notInCluster: Self { Self(.notInCluster) }
    public static var invalidTLSMaterial: Self { Self(.invalidTLSMaterial) }

    static func invalidKubeconfig(_ message: String) -> Self { Self(.invalidKubeconfig, message) }
    static func noCurrentContext(_ message: String) -> Self { Self(.noCurrentContext, message) }
    static func contextNotFound(_ message: String) -> Self { Self(.contextNotFound, message) }
    static func clusterNotFound(_ message: String) -> Self { Self(.clusterNotFound, message) }
    static func userNotFound(_ message: String) -> Self { Self(.userNotFound, message) }
    static func unsupportedAuthPlugin(_ message: String) -> Self { Self(.unsupportedAuthPlugin, message) }
    static func fileUnreadable(_ message: String) -> Self { Self(.fileUnreadable, message) }
    static func invalidBase64(_ message: String) -> Self { Self(.invalidBase64, message) }
    static func invalidServer(_ message: String) -> Self { Self(.invalidServer, message) }
    static func notInCluster(_ message: String) -> Self { Self(.notInCluster, message) }
    static func invalidTLSMaterial(_ message: String) -> Self { Self(.invalidTLSMaterial, message) }
}
