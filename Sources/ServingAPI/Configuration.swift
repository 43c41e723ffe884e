import KubeModel

extension V1Alpha1 {
    /// Values bound to a ServingTemplate's parameters and artifacts (AI Core's configuration).
    /// Immutable once created.
    public struct Configuration: KubernetesResource, Hashable {
        public static let apiVersion = V1Alpha1.apiVersion
        public static let kind = "Configuration"
        public static let resource = "configurations"
        public static let isNamespaced = true

        public var apiVersion: String?
        public var kind: String?
        @DefaultIfAbsent public var metadata: ObjectMeta
        public var spec: ConfigurationSpec
        public var status: ConfigurationStatus?

        public init(metadata: ObjectMeta = ObjectMeta(), spec: ConfigurationSpec, status: ConfigurationStatus? = nil) {
            self.apiVersion = Self.apiVersion
            self.kind = Self.kind
            self.metadata = metadata
            self.spec = spec
            self.status = status
        }
    }

    public struct ConfigurationSpec: Codable, Sendable, Hashable {
        /// A display name (AI Core's `name`).
        public var name: String
        public var scenarioId: String
        public var executableId: String
        public var parameterBindings: [KeyValue]?
        public var inputArtifactBindings: [ArtifactBinding]?

        public init(name: String, scenarioId: String, executableId: String, parameterBindings: [KeyValue]? = nil,
                    inputArtifactBindings: [ArtifactBinding]? = nil) {
            self.name = name
            self.scenarioId = scenarioId
            self.executableId = executableId
            self.parameterBindings = parameterBindings
            self.inputArtifactBindings = inputArtifactBindings
        }
    }

    public struct ArtifactBinding: Codable, Sendable, Hashable {
        public var key: String
        public var artifactId: String

        public init(key: String, artifactId: String) {
            self.key = key
            self.artifactId = artifactId
        }
    }

    public struct ConfigurationStatus: Codable, Sendable, Hashable {
        /// `Valid`: whether the bindings match the template.
        public var conditions: [Condition]?
        public var observedGeneration: Int64?

        public init(conditions: [Condition]? = nil, observedGeneration: Int64? = nil) {
            self.conditions = conditions
            self.observedGeneration = observedGeneration
        }
    }
}
