/// An error from `ONNXBackend`: what went wrong (`code`) and a one-line explanation (`description`)
/// that names the file, provider, input or ONNX Runtime message involved.
public struct ONNXBackendError: Error, CustomStringConvertible, Sendable {
    /// The kind of failure. Compare with the static members: `error.code == .providerUnavailable`.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Hashable, Sendable {
            case libraryNotFound
            case symbolMissing
            case apiVersionUnsupported
            case providerUnavailable
            case sessionCreation
            case invalidModel
            case run
        }

        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// The ONNX Runtime shared library is missing or dlopen() refused it.
        public static let libraryNotFound = Code(.libraryNotFound)
        /// The library is not ONNX Runtime (no `OrtGetApiBase`), or its API table failed the layout probe.
        public static let symbolMissing = Code(.symbolMissing)
        /// The library is too old to serve the C API version we need.
        public static let apiVersionUnsupported = Code(.apiVersionUnsupported)
        /// The requested execution provider (CUDA, TensorRT) can't be used with this library/machine.
        public static let providerUnavailable = Code(.providerUnavailable)
        /// ONNX Runtime could not create the session (missing or unreadable model file, bad options).
        public static let sessionCreation = Code(.sessionCreation)
        /// The model loads but lacks an input or output the backend needs.
        public static let invalidModel = Code(.invalidModel)
        /// A model run failed (or the batch was malformed).
        public static let run = Code(.run)

        public var description: String { base.rawValue }
    }

    public let code: Code
    /// The one-line explanation; also `description`.
    public let message: String

    init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
