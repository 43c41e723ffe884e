import KubeModel

extension V1Alpha1 {
    /// How a model is served, written once by a platform team (the AI Core ServingTemplate format).
    /// `spec.template` holds a KServe InferenceService whose annotations, labels and spec may be YAML
    /// strings with `{{inputs.parameters.X}}` / `{{inputs.artifacts.X}}` placeholders, or plain objects.
    public struct ServingTemplate: KubernetesResource, Hashable {
        public static let apiVersion = V1Alpha1.apiVersion
        public static let kind = "ServingTemplate"
        public static let resource = "servingtemplates"
        public static let isNamespaced = false

        public var apiVersion: String?
        public var kind: String?
        @DefaultIfAbsent public var metadata: ObjectMeta
        public var spec: ServingTemplateSpec

        public init(metadata: ObjectMeta = ObjectMeta(), spec: ServingTemplateSpec) {
            self.apiVersion = Self.apiVersion
            self.kind = Self.kind
            self.metadata = metadata
            self.spec = spec
        }
    }

    public struct ServingTemplateSpec: Codable, Sendable, Hashable {
        public var inputs: TemplateInputs?
        public var template: WorkloadTemplate

        public init(inputs: TemplateInputs? = nil, template: WorkloadTemplate) {
            self.inputs = inputs
            self.template = template
        }
    }

    public struct TemplateInputs: Codable, Sendable, Hashable {
        public var parameters: [TemplateParameter]?
        public var artifacts: [TemplateArtifact]?

        public init(parameters: [TemplateParameter]? = nil, artifacts: [TemplateArtifact]? = nil) {
            self.parameters = parameters
            self.artifacts = artifacts
        }
    }

    /// One parameter. AI Core declares every type as `string`; the value is substituted as text.
    public struct TemplateParameter: Codable, Sendable, Hashable {
        public var name: String
        /// `string` (the only type AI Core knows); kept for compatibility.
        public var type: String?
        public var `default`: String?
        public var description: String?

        public init(name: String, type: String? = "string", default: String? = nil, description: String? = nil) {
            self.name = name
            self.type = type
            self.default = `default`
            self.description = description
        }
    }

    public struct TemplateArtifact: Codable, Sendable, Hashable {
        public var name: String
        public var description: String?

        public init(name: String, description: String? = nil) {
            self.name = name
            self.description = description
        }
    }

    /// The InferenceService to render. `metadata.annotations`, `metadata.labels` and `spec` are
    /// each either a YAML string with placeholders or a plain object.
    public struct WorkloadTemplate: Codable, Sendable, Hashable {
        public var apiVersion: String?
        public var metadata: WorkloadTemplateMetadata?
        public var spec: JSONValue

        public init(apiVersion: String? = "serving.kserve.io/v1beta1", metadata: WorkloadTemplateMetadata? = nil, spec: JSONValue) {
            self.apiVersion = apiVersion
            self.metadata = metadata
            self.spec = spec
        }
    }

    public struct WorkloadTemplateMetadata: Codable, Sendable, Hashable {
        public var annotations: JSONValue?
        public var labels: JSONValue?

        public init(annotations: JSONValue? = nil, labels: JSONValue? = nil) {
            self.annotations = annotations
            self.labels = labels
        }
    }
}

extension V1Alpha1.ServingTemplate {
    /// Label and annotation keys that name the scenario and executable. The `ai.sap.com` forms of
    /// an AI Core template are accepted as aliases.
    public enum Keys {
        public static let scenarioID = ["scenarios.quiver.dev/id", "scenarios.ai.sap.com/id"]
        public static let scenarioName = ["scenarios.quiver.dev/name", "scenarios.ai.sap.com/name"]
        public static let scenarioDescription = ["scenarios.quiver.dev/description", "scenarios.ai.sap.com/description"]
        public static let executableID = ["executables.quiver.dev/id", "executables.ai.sap.com/id"]
        public static let executableName = ["executables.quiver.dev/name", "executables.ai.sap.com/name"]
        public static let executableDescription = ["executables.quiver.dev/description", "executables.ai.sap.com/description"]
        public static let version = ["quiver.dev/version", "ai.sap.com/version"]
    }

    private func first(_ keys: [String]) -> String? {
        for key in keys {
            if let v = metadata.labels?[key] ?? metadata.annotations?[key], !v.isEmpty { return v }
        }
        return nil
    }

    /// The scenario id (label `scenarios.quiver.dev/id` or its AI Core alias).
    public var scenarioID: String? { first(Keys.scenarioID) }
    public var scenarioName: String? { first(Keys.scenarioName) }
    public var scenarioDescription: String? { first(Keys.scenarioDescription) }
    /// The executable id (label `executables.quiver.dev/id`, its alias, else the template's name).
    public var executableID: String? { first(Keys.executableID) ?? metadata.name }
    public var executableName: String? { first(Keys.executableName) }
    public var executableDescription: String? { first(Keys.executableDescription) }

    public var parameters: [V1Alpha1.TemplateParameter] { spec.inputs?.parameters ?? [] }
    public var artifacts: [V1Alpha1.TemplateArtifact] { spec.inputs?.artifacts ?? [] }
}
