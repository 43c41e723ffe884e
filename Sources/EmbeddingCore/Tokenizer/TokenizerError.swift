/// An error loading a `tokenizer.json` (unreadable file, malformed JSON, or a component this port
/// does not implement). Encoding itself never throws.
public struct TokenizerError: Error, CustomStringConvertible, Sendable {
    private enum Code: Sendable {
        case unreadable
        case malformed
        case unsupported
    }

    private let code: Code
    /// A human-readable explanation, e.g. `unsupported tokenizer model "BPE" in tokenizer.json (supported: WordPiece)`.
    public let message: String

    private init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }

    /// Whether the file uses a component (model, normalizer, pre-tokenizer, …) that is not implemented.
    public var isUnsupportedComponent: Bool { code == .unsupported }

    static func unreadable(_ message: String) -> TokenizerError { TokenizerError(.unreadable, message) }
    static func malformed(_ message: String) -> TokenizerError { TokenizerError(.malformed, message) }
    static func unsupported(_ message: String) -> TokenizerError { TokenizerError(.unsupported, message) }

    /// `unsupported <component> "<type>" in tokenizer.json (supported: a, b)`.
    static func unsupported(_ component: String, _ type: String, supported: [String]) -> TokenizerError {
        TokenizerError(.unsupported,
                       "unsupported \(component) \"\(type)\" in tokenizer.json (supported: \(supported.joined(separator: ", ")))")
    }
}
