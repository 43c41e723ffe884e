import Foundation
import KubeModel
import ServingAPI
import ServingOperator
import Testing

/// Renders every case under Resources/golden/<case>/ and compares with the expected objects there.
/// Each case holds `case.yaml` (template file, object-store secrets), `configuration.yaml`,
/// `artifacts.yaml`, and the expected `inferenceservice.yaml`, `deployment.yaml`, `service.yaml`
/// and, when rendered, `hpa.yaml`. With QUIVER_UPDATE_GOLDEN=1 (hack/update-golden.sh) the test
/// writes the expected files instead of comparing.
@Suite struct GoldenTests {
    static let updating = ProcessInfo.processInfo.environment["QUIVER_UPDATE_GOLDEN"] == "1"

    static func cases() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: Fixtures.goldenDirectory.path)
            .filter { FileManager.default.fileExists(atPath: Fixtures.goldenDirectory.appendingPathComponent("\($0)/case.yaml").path) }
            .sorted()
    }

    static func input(forCase name: String) throws -> RenderInput {
        let directory = Fixtures.goldenDirectory.appendingPathComponent(name)
        let description = try Fixtures.yaml(directory.appendingPathComponent("case.yaml"))
        guard let templateFile = description["template"]?.stringValue else {
            throw Fixtures.FixtureError(description: "\(name)/case.yaml names no template")
        }
        var secrets: [String: ObjectStoreSecret] = [:]
        for (secretName, secret) in description["objectStoreSecrets"]?.objectValue ?? [:] {
            secrets[secretName] = ObjectStoreSecret(
                type: secret["type"]?.stringValue ?? "S3", bucket: secret["bucket"]?.stringValue ?? "",
                endpoint: secret["endpoint"]?.stringValue, pathPrefix: secret["pathPrefix"]?.stringValue,
                region: secret["region"]?.stringValue, credentialsSecretName: secret["credentialsSecretName"]?.stringValue)
        }
        let configuration: V1Alpha1.Configuration = try Fixtures.yaml(directory.appendingPathComponent("configuration.yaml")).decode()
        var artifacts: [String: V1Alpha1.Artifact] = [:]
        for document in try RenderYAML.parseAll(Fixtures.text(directory.appendingPathComponent("artifacts.yaml"))) {
            let artifact: V1Alpha1.Artifact = try document.decode()
            artifacts[artifact.metadata.name ?? ""] = artifact
        }
        return RenderInput(
            template: try Fixtures.template(named: templateFile), configuration: configuration, artifacts: artifacts,
            resourcePlans: try Fixtures.resourcePlans(), objectStoreSecrets: secrets, owner: Fixtures.owner)
    }

    @Test(arguments: try cases())
    func golden(_ name: String) throws {
        let rendered = try render(Self.input(forCase: name))
        let directory = Fixtures.goldenDirectory.appendingPathComponent(name)
        let files: [(String, JSONValue?)] = [
            ("inferenceservice.yaml", rendered.inferenceService),
            ("deployment.yaml", rendered.deployment),
            ("service.yaml", rendered.service),
            ("hpa.yaml", rendered.horizontalPodAutoscaler),
        ]
        for (file, object) in files {
            let url = directory.appendingPathComponent(file)
            if Self.updating {
                if let object {
                    try RenderYAML.emit(object).write(to: url, atomically: true, encoding: .utf8)
                } else if FileManager.default.fileExists(atPath: url.path) {
                    try FileManager.default.removeItem(at: url)
                }
                continue
            }
            let exists = FileManager.default.fileExists(atPath: url.path)
            guard let object else {
                #expect(!exists, "\(name): \(file) is expected but nothing of that kind was rendered")
                continue
            }
            guard exists else {
                Issue.record("\(name): \(file) is missing; run hack/update-golden.sh")
                continue
            }
            let expected = try Fixtures.yaml(url)
            #expect(
                expected.serializedString() == object.serializedString(),
                "\(name)/\(file) differs from the rendering:\n\(RenderYAML.emit(object))")
        }
    }

    @Test func everyShippedTemplateHasAGoldenCase() throws {
        var covered = Set<String>()
        for name in try Self.cases() {
            let description = try Fixtures.yaml(Fixtures.goldenDirectory.appendingPathComponent("\(name)/case.yaml"))
            if let template = description["template"]?.stringValue { covered.insert(template) }
        }
        let shipped = try Fixtures.templateFiles()
        for file in shipped {
            #expect(covered.contains(file), "templates/\(file) has no golden case")
        }
    }

    /// Each shipped template decodes, has an executable id, and its YAML round-trips through our emitter.
    @Test(arguments: try Fixtures.templateFiles())
    func shippedTemplateIsWellFormed(_ file: String) throws {
        let json = try Fixtures.yaml(Fixtures.templatesDirectory.appendingPathComponent(file))
        #expect(json["apiVersion"] == "quiver.dev/v1alpha1")
        #expect(json["kind"] == "ServingTemplate")
        let template: V1Alpha1.ServingTemplate = try json.decode()
        #expect(template.executableID != nil)
        #expect(template.scenarioID != nil)
        for parameter in template.parameters {
            #expect(parameter.type == nil || parameter.type == "string")
        }
        #expect(try RenderYAML.parse(RenderYAML.emit(json)).serializedString() == json.serializedString())
    }

    @Test func infinityTemplateIsTheSeedWithOnlyItsAPIVersionChanged() throws {
        // The seed document (shared/seeds/003_…), copied into this target's resources.
        let seedURL = Fixtures.testsDirectory.appendingPathComponent("Resources/seeds/003_2393766215c7fdbd.txt")
        let seed = try Fixtures.text(seedURL)
        let start = try #require(seed.range(of: "```yaml\n"))
        let end = try #require(seed.range(of: "\n```", range: start.upperBound..<seed.endIndex))
        let seedTemplate = String(seed[start.upperBound..<end.lowerBound]) + "\n"
        let shipped = try Fixtures.text(Fixtures.templatesDirectory.appendingPathComponent("infinity.yaml"))
        #expect(shipped == seedTemplate.replacingOccurrences(
            of: "apiVersion: ai.sap.com/v1alpha1\n", with: "apiVersion: quiver.dev/v1alpha1\n"))
    }
}
