import Foundation

/// Where a model comes from: `s3://bucket/prefix`, `hf://org/name[@revision]`, `https://…` (one
/// file), `file:///path` (a local file or directory). `ai://` URLs are resolved to their object
/// store by the operator before they get here.
public enum StorageURI: Sendable, Hashable, CustomStringConvertible {
    case s3(bucket: String, prefix: String)
    case huggingFace(repository: String, revision: String)
    case http(URL)
    case file(path: String)

    public init(parsing text: String) throws(StorageInitError) {
        guard let schemeEnd = text.range(of: "://") else {
            throw .invalidURI("\"\(text)\" is not a URI: expected s3://, hf://, https:// or file://")
        }
        let scheme = text[..<schemeEnd.lowerBound].lowercased()
        let rest = String(text[schemeEnd.upperBound...])
        switch scheme {
        case "s3":
            let parts = rest.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
            guard let bucket = parts.first, !bucket.isEmpty else { throw .invalidURI("\(text): no bucket") }
            self = .s3(bucket: bucket, prefix: parts.count > 1 ? parts[1] : "")
        case "hf":
            let pieces = rest.split(separator: "@", maxSplits: 1).map(String.init)
            let repository = pieces.first ?? ""
            guard repository.split(separator: "/").count == 2 else {
                throw .invalidURI("\(text): expected hf://ORGANIZATION/NAME[@REVISION]")
            }
            self = .huggingFace(repository: repository, revision: pieces.count > 1 ? pieces[1] : "main")
        case "http", "https":
            guard let url = URL(string: text), url.host != nil else { throw .invalidURI("\(text): not a valid URL") }
            self = .http(url)
        case "file":
            guard rest.hasPrefix("/") else { throw .invalidURI("\(text): file:// needs an absolute path") }
            self = .file(path: rest)
        case "pvc":
            throw .invalidURI("\(text): a pvc:// model is mounted into the pod by the operator, not fetched")
        case "ai":
            throw .invalidURI("\(text): ai:// URLs are resolved through their object-store secret by the operator")
        default:
            throw .invalidURI("\(text): scheme \"\(scheme)\" is not supported (s3, hf, https, http, file)")
        }
    }

    public var description: String {
        switch self {
        case .s3(let bucket, let prefix): "s3://\(bucket)/\(prefix)"
        case .huggingFace(let repository, let revision): "hf://\(repository)@\(revision)"
        case .http(let url): url.absoluteString
        case .file(let path): "file://\(path)"
        }
    }
}

/// Why fetching a model failed; the message says what to fix.
public struct StorageInitError: Error, Sendable, CustomStringConvertible {
    private enum Code: Sendable { case invalidURI, configuration, transfer, notFound, unsafePath, io }
    private let code: Code
    public let message: String

    private init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
    public var isNotFound: Bool { code == .notFound }

    public static func invalidURI(_ m: String) -> Self { .init(.invalidURI, m) }
    public static func configuration(_ m: String) -> Self { .init(.configuration, m) }
    public static func transfer(_ m: String) -> Self { .init(.transfer, m) }
    public static func notFound(_ m: String) -> Self { .init(.notFound, m) }
    public static func unsafePath(_ m: String) -> Self { .init(.unsafePath, m) }
    public static func io(_ m: String) -> Self { .init(.io, m) }
}
