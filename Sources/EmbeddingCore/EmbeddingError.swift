/// An error of the embedding pipeline. The server translates ``kind`` to an HTTP status and
/// error shape in exactly one place (TEI's table: empty 400, validation 422 / 413, tokenizer 422,
/// backend 424, overloaded 429, unhealthy 503).
///
/// A struct over a private code enum so that kinds can be added without breaking callers;
/// ``Kind/shortDescription`` is safe as a metric label.
public struct EmbeddingError: Error, Sendable, Hashable, CustomStringConvertible {
    public struct Kind: Sendable, Hashable, CustomStringConvertible {
        private enum Code: String, Sendable {
            case empty, validation, payloadTooLarge, tokenizer, backend, overloaded, unhealthy, modelNotFound
            case unauthorized, cancelled, configuration
        }
        private let code: Code
        private init(_ code: Code) { self.code = code }

        /// No input was given.
        public static let empty = Kind(.empty)
        /// The request is malformed or out of range.
        public static let validation = Kind(.validation)
        /// An input is longer than the model accepts (TEI answers 413 for this).
        public static let payloadTooLarge = Kind(.payloadTooLarge)
        /// The tokenizer refused an input.
        public static let tokenizer = Kind(.tokenizer)
        /// The model runtime failed.
        public static let backend = Kind(.backend)
        /// Too many inputs are in flight.
        public static let overloaded = Kind(.overloaded)
        /// The backend is not (or no longer) able to serve.
        public static let unhealthy = Kind(.unhealthy)
        /// The request named a model this server does not serve.
        public static let modelNotFound = Kind(.modelNotFound)
        /// The request lacks valid credentials.
        public static let unauthorized = Kind(.unauthorized)
        /// The client went away before the answer was ready.
        public static let cancelled = Kind(.cancelled)
        /// The server was started with settings that cannot work.
        public static let configuration = Kind(.configuration)

        /// A stable, short name (TEI's `error_type` words where TEI has them).
        public var shortDescription: String {
            switch code {
            case .empty: "empty"
            case .validation: "validation"
            case .payloadTooLarge: "validation"
            case .tokenizer: "tokenizer"
            case .backend: "backend"
            case .overloaded: "overloaded"
            case .unhealthy: "unhealthy"
            case .modelNotFound: "model_not_found"
            case .unauthorized: "unauthorized"
            case .cancelled: "cancelled"
            case .configuration: "configuration"
            }
        }
        public var description: String { shortDescription }
    }

    public var kind: Kind
    public var message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { message }

    public static func empty(_ message: String) -> Self { .init(.empty, message) }
    public static func validation(_ message: String) -> Self { .init(.validation, message) }
    public static func payloadTooLarge(_ message: String) -> Self { .init(.payloadTooLarge, message) }
    public static func tokenizer(_ message: String) -> Self { .init(.tokenizer, message) }
    public static func backend(_ message: String) -> Self { .init(.backend, message) }
    public static func overloaded(_ message: String) -> Self { .init(.overloaded, message) }
    public static func unhealthy(_ message: String) -> Self { .init(.unhealthy, message) }
    public static func modelNotFound(_ message: String) -> Self { .init(.modelNotFound, message) }
    public static func configuration(_ message: String) -> Self { .init(.configuration, message) }
}
