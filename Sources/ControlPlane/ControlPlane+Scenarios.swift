import Hummingbird
import KubeModel
import ServingAPI

/// `/v2/lm/scenarios[/{id}[/executables[/{id}]]]`, derived from the ServingTemplates: a scenario is
/// the set of templates sharing a scenario id; each template is one executable.
extension ControlPlane {
    func addScenarioRoutes(to router: Router<ControlPlaneContext>) {
        router.get("/v2/lm/scenarios") { request, context in
            let templates = try await self.templates(request, context)
            let ids = Set(templates.compactMap(\.scenarioID)).sorted()
            let scenarios = ids.map { id in Self.scenario(id, templates.filter { $0.scenarioID == id }) }
            return Self.json(["count": .int(Int64(scenarios.count)), "resources": .array(scenarios)])
        }
        router.get("/v2/lm/scenarios/:scenarioId") { request, context in
            let id = try context.parameters.require("scenarioId")
            let templates = try await self.templates(request, context).filter { $0.scenarioID == id }
            guard !templates.isEmpty else { throw ControlPlaneError.notFound("scenario \"\(id)\" not found", target: "scenarioId") }
            return Self.json(Self.scenario(id, templates))
        }
        router.get("/v2/lm/scenarios/:scenarioId/executables") { request, context in
            let id = try context.parameters.require("scenarioId")
            let templates = try await self.templates(request, context).filter { $0.scenarioID == id }
            guard !templates.isEmpty else { throw ControlPlaneError.notFound("scenario \"\(id)\" not found", target: "scenarioId") }
            let executables = templates.sorted { ($0.executableID ?? "") < ($1.executableID ?? "") }.map(Self.executable)
            return Self.json(["count": .int(Int64(executables.count)), "resources": .array(executables)])
        }
        router.get("/v2/lm/scenarios/:scenarioId/executables/:executableId") { request, context in
            let scenarioID = try context.parameters.require("scenarioId")
            let executableID = try context.parameters.require("executableId")
            let templates = try await self.templates(request, context).filter { $0.scenarioID == scenarioID }
            guard !templates.isEmpty else { throw ControlPlaneError.notFound("scenario \"\(scenarioID)\" not found", target: "scenarioId") }
            guard let template = templates.first(where: { $0.executableID == executableID }) else {
                throw ControlPlaneError.notFound("executable \"\(executableID)\" not found in scenario \"\(scenarioID)\"", target: "executableId")
            }
            return Self.json(Self.executable(template))
        }
    }

    /// The ServingTemplates, after checking the caller may list them in the resource group.
    func templates(_ request: Request, _ context: ControlPlaneContext) async throws -> [V1Alpha1.ServingTemplate] {
        let group = try resourceGroup(request)
        try await authorize(context, .quiver("list", "servingtemplates", namespace: group))
        return try await kube { try await client.list(V1Alpha1.ServingTemplate.self).items }
    }

    static func labels(_ pairs: [(String, String)]) -> JSONValue {
        .array(pairs.map { ["key": .string($0.0), "value": .string($0.1)] })
    }

    static func scenario(_ id: String, _ templates: [V1Alpha1.ServingTemplate]) -> JSONValue {
        let first = templates.sorted { ($0.executableID ?? "") < ($1.executableID ?? "") }.first
        let created = templates.compactMap(\.metadata.creationTimestamp).min()
        var scenario: JSONValue = [
            "id": .string(id),
            "name": .string(first?.scenarioName ?? id),
            "createdAt": timestamp(created),
            "modifiedAt": timestamp(created),
        ]
        if let description = first?.scenarioDescription { scenario["description"] = .string(description) }
        return scenario
    }

    static func executable(_ template: V1Alpha1.ServingTemplate) -> JSONValue {
        let id = template.executableID ?? template.metadata.name ?? ""
        var executable: JSONValue = [
            "id": .string(id),
            "name": .string(template.executableName ?? template.metadata.name ?? id),
            "scenarioId": .string(template.scenarioID ?? ""),
            "deployable": true,
            "parameters": .array(template.parameters.map { parameter in
                var p: JSONValue = ["name": .string(parameter.name), "type": "string"]
                if let value = parameter.default { p["default"] = .string(value) }
                if let text = parameter.description { p["description"] = .string(text) }
                return p
            }),
            "inputArtifacts": .array(template.artifacts.map { artifact in
                var a: JSONValue = ["name": .string(artifact.name)]
                if let text = artifact.description { a["description"] = .string(text) }
                return a
            }),
            "createdAt": timestamp(template.metadata.creationTimestamp),
            "modifiedAt": timestamp(template.metadata.creationTimestamp),
        ]
        if let description = template.executableDescription { executable["description"] = .string(description) }
        // AI Core requires a version; a template without a version label is version 1 of itself.
        executable["versionId"] = .string(template.metadata.labels?["quiver.dev/version"] ?? template.metadata.labels?["ai.sap.com/version"] ?? "1")
        return executable
    }
}
