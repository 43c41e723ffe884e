/// A request failed without an answer from the API server we could use: a transport failure, an
/// undecodable body, an unusable configuration. (Refusals by the server are `KubeAPIError`.)
public struct KubeClientError: Error, Sendable, Hashable, CustomStringConvertible {
    private enum Code: String, Sendable, Hashable {
        case transport
        case decoding
        case encoding
        case invalidRequest
        case responseTooLarge
        case tlsConfiguration
        case credentials
        case shutDown
    }

    private let code: Code
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

    public static var transport: Self { Self(.transport) }
    public static var decoding: Self { Self(.decoding) }
    public static var encoding: Self { Self(.encoding) }
    public static var invalidRequest: Self { Self(.invalidRequest) }
    public static var responseTooLarge: Self { Self(.responseTooLarge) }
    public static var tlsConfiguration: Self { Self(.tlsConfiguration) }
    public static var credentials: Self { Self(.credentials) }
    public static var shutDown: Self { Self(.shutDown) }

    static func transport(_ message: String) -> Self { Self(.transport, message) }
    static func decoding(_ message: String) -> Self { Self(.decoding, message) }
    static func encoding(_ message: String) -> Self { Self(.encoding, message) }
    static func invalidRequest(_ message: String) -> Self { Self(.invalidRequest, message) }
    static func responseTooLarge(_ message: String) -> Self { Self(.responseTooLarge, message) }
    static func tlsConfiguration(_ message: String) -> Self { Self(.tlsConfiguration, message) }
    static func credentials(_ message: String) -> Self { Self(.credentials, message) }
}
