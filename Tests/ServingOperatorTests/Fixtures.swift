import Foundation
import KubeModel
import ServingAPI
import ServingOperator

/// Files of the repository the tests read: templates/, manifests/ and the golden cases.
enum Fixtures {
    static let testsDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    static let repositoryRoot = testsDirectory.deletingLastPathComponent().deletingLastPathComponent()
    static let templatesDirectory = repositoryRoot.appendingPathComponent("templates")
    static let goldenDirectory = testsDirectory.appendingPathComponent("Resources/golden")

    struct FixtureError: Error, CustomStringConvertible {
        var description: String
    }

    static func text(_ url: URL) throws -> String {
        try String(contentsOf: url, encoding: .utf8)
    }

    static func yaml(_ url: URL) throws -> JSONValue {
        try RenderYAML.parse(text(url))
    }

    static func template(named file: String) throws -> V1Alpha1.ServingTemplate {
        try yaml(templatesDirectory.appendingPathComponent(file)).decode()
    }

    static func templateFiles() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: templatesDirectory.path)
            .filter { $0.hasSuffix(".yaml") }.sorted()
    }

    /// The default ResourcePlans from manifests/resourceplans/default.yaml, by name.
    static func resourcePlans() throws -> [String: V1Alpha1.ResourcePlan] {
        let url = repositoryRoot.appendingPathComponent("manifests/resourceplans/default.yaml")
        var plans: [String: V1Alpha1.ResourcePlan] = [:]
        for document in try RenderYAML.parseAll(text(url)) {
            let plan: V1Alpha1.ResourcePlan = try document.decode()
            plans[plan.metadata.name ?? ""] = plan
        }
        return plans
    }

    static let owner = DeploymentOwner(name: "d2f5a1b3c4e6f789", namespace: "default", uid: "5e1f0c4a-7d7b-4c1e-9a43-0b8a2f6d1c11")

    /// The seed's (003) configuration body, with its artifact binding key fixed to the template's
    /// `nomicv15` (the seed binds `embmodel`, which the template does not declare).
    static func seedConfiguration(artifactKey: String = "nomicv15") -> V1Alpha1.Configuration {
        V1Alpha1.Configuration(
            metadata: ObjectMeta(name: "cccccccc-cccc-cccc-cccc-cccccccccccc", namespace: "default"),
            spec: V1Alpha1.ConfigurationSpec(
                name: "nomic-embed-text-v1.5", scenarioId: "llm-fine-tuning", executableId: "infinity-emb-model-serve",
                parameterBindings: [
                    KeyValue(key: "image", value: "XXX.common.repositories.cloud.sap/genai-platform-exp/ai-core-embed-model-serve:0.0.1"),
                    KeyValue(key: "batchSize", value: "256"),
                    KeyValue(key: "trustRemoteCode", value: "False"),
                    KeyValue(key: "portNumber", value: "9000"),
                    KeyValue(key: "resourcePlan", value: "infer2.l"),
                    KeyValue(key: "modelName", value: "nomic-ai/nomic-embed-text-v1.5"),
                ],
                inputArtifactBindings: [V1Alpha1.ArtifactBinding(key: artifactKey, artifactId: "aaaaaaaa-aaaa-aaaa-aaaa-aaaaaaaaaaaa")]))
    }

    static let seedArtifact = V1Alpha1.Artifact(
        metadata: ObjectMeta(name: "aaaaaaaa-aaaa-aaaa-aaaa-aaaaaaaaaaaa", namespace: "default"),
        spec: V1Alpha1.ArtifactSpec(
            name: "our-awesome-model/v1", kind: .model, url: "ai://s3-bucket/our-awesome-model/v1",
            scenarioId: "llm-fine-tuning", description: "Fantastic model", labels: []))

    static let seedObjectStore = ObjectStoreSecret(type: "S3", bucket: "on-boarded-bucket", region: "eu-central-1")

    /// The seed's flow: infinity template, seed configuration, its artifact through object store `s3-bucket`.
    static func seedInput(configuration: V1Alpha1.Configuration = seedConfiguration(),
                          template: V1Alpha1.ServingTemplate? = nil) throws -> RenderInput {
        RenderInput(
            template: try template ?? Self.template(named: "infinity.yaml"),
            configuration: configuration,
            artifacts: [seedArtifact.metadata.name ?? "": seedArtifact],
            resourcePlans: try resourcePlans(),
            objectStoreSecrets: ["s3-bucket": seedObjectStore],
            owner: owner)
    }

    /// A small template whose spec is `spec` (a YAML string) with the given parameters.
    static func template(spec: String, parameters: [V1Alpha1.TemplateParameter], artifacts: [String] = [],
                         labels: JSONValue? = nil, annotations: JSONValue? = nil) -> V1Alpha1.ServingTemplate {
        V1Alpha1.ServingTemplate(
            metadata: ObjectMeta(name: "test-template"),
            spec: V1Alpha1.ServingTemplateSpec(
                inputs: V1Alpha1.TemplateInputs(parameters: parameters, artifacts: artifacts.map { V1Alpha1.TemplateArtifact(name: $0) }),
                template: V1Alpha1.WorkloadTemplate(
                    metadata: V1Alpha1.WorkloadTemplateMetadata(annotations: annotations, labels: labels),
                    spec: .string(spec))))
    }

    static func configuration(_ bindings: [String: String], artifacts: [String: String] = [:]) -> V1Alpha1.Configuration {
        V1Alpha1.Configuration(
            metadata: ObjectMeta(name: "cfg-1", namespace: "default"),
            spec: V1Alpha1.ConfigurationSpec(
                name: "cfg", scenarioId: "s", executableId: "e",
                parameterBindings: bindings.keys.sorted().map { KeyValue(key: $0, value: bindings[$0] ?? "") },
                inputArtifactBindings: artifacts.keys.sorted().map { V1Alpha1.ArtifactBinding(key: $0, artifactId: artifacts[$0] ?? "") }))
    }

    static func input(_ template: V1Alpha1.ServingTemplate, _ configuration: V1Alpha1.Configuration,
                      artifacts: [V1Alpha1.Artifact] = [], options: RenderOptions = RenderOptions()) throws -> RenderInput {
        RenderInput(
            template: template, configuration: configuration,
            artifacts: Dictionary(artifacts.map { ($0.metadata.name ?? "", $0) }, uniquingKeysWith: { a, _ in a }),
            resourcePlans: try resourcePlans(), owner: owner, options: options)
    }

    /// Every object rendered, serialized: what "never reaches the rendered object" is checked against.
    static func allText(_ objects: RenderedObjects) -> String {
        ([objects.inferenceService] + objects.native).map { $0.serializedString() }.joined(separator: "\n")
    }
}

/// Runs `body`, expecting a `RenderError`, and returns it.
func renderError(_ input: RenderInput) -> RenderError? {
    do {
        _ = try render(input)
        return nil
    } catch {
        return error
    }
}
