import ArgumentParser
import Foundation
import KubeModel
import ServingAPI
import ServingOperator

/// `quiver render`: the objects a Configuration would produce from a ServingTemplate, as YAML,
/// without a cluster. The same renderer the operator runs.
struct RenderCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "render",
        abstract: "Print the objects a Configuration renders to from its ServingTemplate.",
        discussion: """
            Files may hold several YAML documents; they are told apart by kind.
              quiver render --template templates/quiver-embed-cpu.yaml --configuration my-config.yaml \\
                --artifact my-artifact.yaml --resource-plans manifests/resourceplans/default.yaml
            """
    )

    @Option(help: "A file with the ServingTemplate.")
    var template: String

    @Option(help: "A file with the Configuration.")
    var configuration: String

    @Option(parsing: .singleValue, help: "A file with Artifacts the configuration binds (repeatable).")
    var artifact: [String] = []

    @Option(name: .customLong("resource-plans"), parsing: .singleValue, help: "A file with ResourcePlans (repeatable).")
    var resourcePlans: [String] = []

    @Option(name: .customLong("object-store"), parsing: .singleValue,
            help: "An object-store secret for ai:// artifact URLs: NAME=s3://BUCKET[/PREFIX] (repeatable).")
    var objectStores: [String] = []

    @Option(name: .customLong("deployment-name"), help: "Name of the quiver.dev Deployment that would own the objects.")
    var deploymentName: String = "preview"

    @Option(help: "Namespace (resource group); default: the Configuration's.")
    var namespace: String?

    @Option(help: "native (apps/v1 Deployment, Service, HPA) or kserve (the InferenceService).")
    var backend: String = "native"

    @Option(name: .customLong("storage-initializer-image"), help: "Image of the `quiver storage-init` init container.")
    var storageInitializerImage: String = RenderOptions.defaultStorageInitializerImage

    func run() throws {
        guard let serving = ServingBackend(rawValue: backend) else {
            throw ValidationError("--backend must be native or kserve, not \(backend)")
        }
        let templates: [V1Alpha1.ServingTemplate] = try documents(template, kind: "ServingTemplate")
        guard templates.count == 1, let template = templates.first else {
            throw ValidationError("\(self.template) must hold exactly one ServingTemplate (found \(templates.count))")
        }
        let configurations: [V1Alpha1.Configuration] = try documents(configuration, kind: "Configuration")
        guard configurations.count == 1, var configuration = configurations.first else {
            throw ValidationError("\(self.configuration) must hold exactly one Configuration (found \(configurations.count))")
        }
        if configuration.metadata.namespace == nil { configuration.metadata.namespace = namespace ?? "default" }
        var artifacts: [String: V1Alpha1.Artifact] = [:]
        for file in artifact {
            for a: V1Alpha1.Artifact in try documents(file, kind: "Artifact") { artifacts[a.metadata.name ?? ""] = a }
        }
        var plans: [String: V1Alpha1.ResourcePlan] = [:]
        for file in resourcePlans {
            for p: V1Alpha1.ResourcePlan in try documents(file, kind: "ResourcePlan") { plans[p.metadata.name ?? ""] = p }
        }
        var stores: [String: ObjectStoreSecret] = [:]
        for entry in objectStores {
            let parts = entry.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, parts[1].hasPrefix("s3://") else {
                throw ValidationError("--object-store \(entry): expected NAME=s3://BUCKET[/PREFIX]")
            }
            let location = parts[1].dropFirst("s3://".count).split(separator: "/", maxSplits: 1).map(String.init)
            guard let bucket = location.first, !bucket.isEmpty else {
                throw ValidationError("--object-store \(entry): no bucket")
            }
            stores[parts[0]] = ObjectStoreSecret(type: "S3", bucket: bucket, pathPrefix: location.count > 1 ? location[1] : nil)
        }
        let problems = configuration.spec.validate() + configuration.spec.validate(against: template)
        if !problems.isEmpty {
            throw ValidationError("the configuration does not fit the template:\n" + problems.map { "  \($0)" }.joined(separator: "\n"))
        }
        let input = RenderInput(
            template: template, configuration: configuration, artifacts: artifacts, resourcePlans: plans,
            objectStoreSecrets: stores, owner: DeploymentOwner(name: deploymentName, namespace: namespace ?? configuration.metadata.namespace ?? "default", uid: "00000000-0000-0000-0000-000000000000"),
            options: RenderOptions(storageInitializerImage: storageInitializerImage, backend: serving))
        let rendered: RenderedObjects
        do {
            rendered = try render(input)
        } catch {
            throw ValidationError("render failed: \(error.message)")
        }
        let objects = serving == .kserve ? [rendered.inferenceService] : rendered.native
        print(RenderYAML.emitAll(objects), terminator: "")
    }

    private func documents<T: Decodable>(_ file: String, kind: String) throws -> [T] {
        let text = try readFlagFile(file)
        let values: [JSONValue]
        do {
            values = try RenderYAML.parseAll(text)
        } catch {
            throw ValidationError("\(file): \(error.message)")
        }
        return try values.filter { $0["kind"]?.stringValue == kind }.map { value in
            do {
                return try value.decode(as: T.self)
            } catch {
                throw ValidationError("\(file): a \(kind) that does not decode: \(error)")
            }
        }
    }
}
