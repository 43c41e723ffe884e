/// Why a template and configuration could not be rendered. The message names the parameter,
/// artifact or field at fault; `field` carries that name alone (AI Core's `target`).
///
/// A struct over a private code, so kinds can be added without breaking callers; `shortDescription`
/// is a fixed word per kind and safe as a metric label.
public struct RenderError: Error, Sendable, Hashable, CustomStringConvertible {
    fileprivate enum Code: String, Sendable, Hashable {
        case invalidTemplate
        case yamlAnchorOrAlias
        case unknownPlaceholder
        case placeholderInKey
        case missingParameter
        case unusedBinding
        case duplicateBinding
        case artifactMismatch
        case unboundArtifact
        case artifactNotFound
        case objectStoreSecretNotFound
        case invalidValue
        case resourcePlanNotFound
        case unsupportedPredictor
        case invalidName
    }

    /// The kind of a `RenderError`, for matching: `error.kind == .missingParameter`.
    public struct Kind: Sendable, Hashable, CustomStringConvertible {
        fileprivate let code: Code

        /// The template itself is malformed: bad YAML, a wrong type, a field it must have.
        public static let invalidTemplate = Kind(code: .invalidTemplate)
        /// The template's YAML uses an anchor (`&a`) or alias (`*a`).
        public static let yamlAnchorOrAlias = Kind(code: .yamlAnchorOrAlias)
        /// A `{{…}}` that is not `inputs.parameters.X` / `inputs.artifacts.X` of a declared input.
        public static let unknownPlaceholder = Kind(code: .unknownPlaceholder)
        /// A placeholder in a mapping key.
        public static let placeholderInKey = Kind(code: .placeholderInKey)
        /// A parameter the template uses has neither a binding nor a default.
        public static let missingParameter = Kind(code: .missingParameter)
        /// A binding the template does not declare, or declares but never uses.
        public static let unusedBinding = Kind(code: .unusedBinding)
        /// The same key bound twice.
        public static let duplicateBinding = Kind(code: .duplicateBinding)
        /// An artifact binding whose key the template does not declare.
        public static let artifactMismatch = Kind(code: .artifactMismatch)
        /// A template artifact the template uses that the configuration does not bind.
        public static let unboundArtifact = Kind(code: .unboundArtifact)
        /// A bound artifact id with no Artifact.
        public static let artifactNotFound = Kind(code: .artifactNotFound)
        /// An `ai://<secret>/…` URL naming an unknown object-store secret.
        public static let objectStoreSecretNotFound = Kind(code: .objectStoreSecretNotFound)
        /// A value that could change the rendered document's shape, or is not valid where it goes.
        public static let invalidValue = Kind(code: .invalidValue)
        /// The ResourcePlan the template names does not exist.
        public static let resourcePlanNotFound = Kind(code: .resourcePlanNotFound)
        /// The predictor uses something the native backend cannot translate.
        public static let unsupportedPredictor = Kind(code: .unsupportedPredictor)
        /// The deployment's name or namespace is not a valid Kubernetes name.
        public static let invalidName = Kind(code: .invalidName)

        public var description: String { code.rawValue }
    }

    private let code: Code
    /// What went wrong, naming the parameter, artifact or field.
    public let message: String
    /// The parameter, artifact, binding or field at fault, when there is one.
    public let field: String?

    private init(_ code: Code, field: String?, _ message: String) {
        self.code = code
        self.field = field
        self.message = message
    }

    public var kind: Kind { Kind(code: code) }
    /// A fixed word per kind (`missingParameter`), safe as a metric label.
    public var shortDescription: String { code.rawValue }
    public var description: String { message }
}

extension RenderError {
    static func invalidTemplate(_ message: String, field: String? = nil) -> RenderError {
        RenderError(.invalidTemplate, field: field, message)
    }
    static func yamlAnchorOrAlias(_ message: String, field: String?) -> RenderError {
        RenderError(.yamlAnchorOrAlias, field: field, message)
    }
    static func unknownPlaceholder(_ message: String, field: String?) -> RenderError {
        RenderError(.unknownPlaceholder, field: field, message)
    }
    static func placeholderInKey(_ message: String, field: String?) -> RenderError {
        RenderError(.placeholderInKey, field: field, message)
    }
    static func missingParameter(_ message: String, field: String) -> RenderError {
        RenderError(.missingParameter, field: field, message)
    }
    static func unusedBinding(_ message: String, field: String) -> RenderError {
        RenderError(.unusedBinding, field: field, message)
    }
    static func duplicateBinding(_ message: String, field: String) -> RenderError {
        RenderError(.duplicateBinding, field: field, message)
    }
    static func artifactMismatch(_ message: String, field: String) -> RenderError {
        RenderError(.artifactMismatch, field: field, message)
    }
    static func unboundArtifact(_ message: String, field: String) -> RenderError {
        RenderError(.unboundArtifact, field: field, message)
    }
    static func artifactNotFound(_ message: String, field: String) -> RenderError {
        RenderError(.artifactNotFound, field: field, message)
    }
    static func objectStoreSecretNotFound(_ message: String, field: String) -> RenderError {
        RenderError(.objectStoreSecretNotFound, field: field, message)
    }
    static func invalidValue(_ message: String, field: String?) -> RenderError {
        RenderError(.invalidValue, field: field, message)
    }
    static func resourcePlanNotFound(_ message: String, field: String?) -> RenderError {
        RenderError(.resourcePlanNotFound, field: field, message)
    }
    static func unsupportedPredictor(_ message: String, field: String?) -> RenderError {
        RenderError(.unsupportedPredictor, field: field, message)
    }
    static func invalidName(_ message: String, field: String?) -> RenderError {
        RenderError(.invalidName, field: field, message)
    }
}
