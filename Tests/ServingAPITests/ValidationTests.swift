import KubeModel
import ServingAPI
import Testing

@Suite struct ValidationTests {
    static let seedTemplate = V1Alpha1.ServingTemplate(
        metadata: ObjectMeta(name: "nomic-embed", labels: ["scenarios.ai.sap.com/id": "ies-foundation-models", "executables.ai.sap.com/id": "nomic-embed"]),
        spec: .init(
            inputs: .init(parameters: [.init(name: "image"), .init(name: "batchSize", default: "128")], artifacts: [.init(name: "nomicv15")]),
            template: .init(spec: "predictor: {}")))

    @Test func aiCoreLabelsAreAliasesOfOurs() {
        #expect(Self.seedTemplate.scenarioID == "ies-foundation-models")
        #expect(Self.seedTemplate.executableID == "nomic-embed")
        var ours = Self.seedTemplate
        ours.metadata.labels = ["scenarios.quiver.dev/id": "s", "executables.quiver.dev/id": "e"]
        #expect(ours.scenarioID == "s")
        #expect(ours.executableID == "e")
    }

    @Test func theSeedsMismatchedConfigurationIsRefusedNamingBothSides() {
        // The seed's configuration binds `embmodel` and names executable `infinity-emb-model-serve`,
        // while its template declares artifact `nomicv15` and is the executable `nomic-embed`.
        let spec = V1Alpha1.ConfigurationSpec(
            name: "nomic-embed-text-v1.5", scenarioId: "ies-foundation-models", executableId: "infinity-emb-model-serve",
            parameterBindings: [.init(key: "batchSize", value: "256")],
            inputArtifactBindings: [.init(key: "embmodel", artifactId: "aaaaaaaa")])
        let errors = spec.validate(against: Self.seedTemplate)
        let text = errors.map(\.description).joined(separator: "\n")
        #expect(text.contains("\"infinity-emb-model-serve\" does not match the template's executable \"nomic-embed\""))
        #expect(text.contains("artifact \"embmodel\" is not declared by template \"nomic-embed\" (it declares: nomicv15)"))
        #expect(text.contains("template artifact \"nomicv15\" is not bound"))
        #expect(errors.contains { $0.field == "spec.inputArtifactBindings[0].key" })
    }

    @Test func aMatchingConfigurationIsValid() {
        let spec = V1Alpha1.ConfigurationSpec(
            name: "n", scenarioId: "ies-foundation-models", executableId: "nomic-embed",
            parameterBindings: [.init(key: "batchSize", value: "256")], inputArtifactBindings: [.init(key: "nomicv15", artifactId: "a")])
        #expect(spec.validate().isEmpty)
        #expect(spec.validate(against: Self.seedTemplate).isEmpty)
    }

    @Test func unknownParametersAndDuplicateBindingsAreNamed() {
        let spec = V1Alpha1.ConfigurationSpec(
            name: "n", scenarioId: "ies-foundation-models", executableId: "nomic-embed",
            parameterBindings: [.init(key: "batchSize", value: "1"), .init(key: "batchSize", value: "2"), .init(key: "gpus", value: "4")],
            inputArtifactBindings: [.init(key: "nomicv15", artifactId: "a")])
        #expect(spec.validate().map(\.description) == ["spec.parameterBindings[1].key: parameter \"batchSize\" is bound twice"])
        #expect(spec.validate(against: Self.seedTemplate).map(\.field) == ["spec.parameterBindings[2].key"])
    }

    @Test(arguments: [("30m", 1800), ("2h", 7200), ("1d", 86400)])
    func ttlParses(_ text: String, _ seconds: Int64) {
        #expect(V1Alpha1.DeploymentSpec.parseTTL(text) == .seconds(seconds))
    }

    @Test(arguments: ["", "0m", "10", "5s", "-1h", "1.5h", "h"])
    func badTTLIsRefused(_ text: String) {
        #expect(V1Alpha1.DeploymentSpec.parseTTL(text) == nil)
        let errors = V1Alpha1.DeploymentSpec(configurationId: "c", ttl: text).validate()
        #expect(errors.map(\.field) == ["spec.ttl"])
    }

    @Test func artifactURLSchemes() {
        #expect(V1Alpha1.ArtifactSpec(name: "m", url: "ai://s3-bucket/our-awesome-model/v1").validate().isEmpty)
        #expect(V1Alpha1.ArtifactSpec(name: "m", url: "hf://sentence-transformers/all-MiniLM-L6-v2@main").validate().isEmpty)
        #expect(V1Alpha1.ArtifactSpec(name: "m", url: "ftp://x/y").validate().map(\.field) == ["spec.url"])
        #expect(V1Alpha1.ArtifactSpec(name: "m", url: "not a url").validate().map(\.field) == ["spec.url"])
    }

    @Test func targetStatusDefaultsToRunning() throws {
        let spec = try JSONValue(parsing: #"{"configurationId":"c"}"#).decode(as: V1Alpha1.DeploymentSpec.self)
        #expect(spec.effectiveTargetStatus == .running)
    }
}
