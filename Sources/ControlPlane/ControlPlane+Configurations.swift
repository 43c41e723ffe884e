import Foundation
import Hummingbird
import KubeModel
import ServingAPI

/// `/v2/lm/configurations`: Configuration custom resources in the resource group's namespace.
extension ControlPlane {
    func addConfigurationRoutes(to router: Router<ControlPlaneContext>) {
        router.get("/v2/lm/configurations") { request, context in
            let group = try self.resourceGroup(request)
            try await self.authorize(context, .quiver("list", "configurations", namespace: group))
            let paging = try Self.paging(request)
            let scenario = request.uri.queryParameters.get("scenarioId")
            let executables = Self.list(request, "executableIds")
            let items = try await self.kube { try await self.client.list(V1Alpha1.Configuration.self, namespace: group).items }
                .filter { scenario == nil || $0.spec.scenarioId == scenario }
                .filter { executables == nil || executables!.contains($0.spec.executableId) }
                .sorted(by: Self.newestFirst)
            return Self.json(Self.page(items.map(Self.configuration), paging))
        }
        router.post("/v2/lm/configurations") { request, context in
            let group = try self.resourceGroup(request)
            try await self.authorize(context, .quiver("create", "configurations", namespace: group))
            let spec = try Self.configurationSpec(try await self.body(request, context))
            try await self.check(spec, namespace: group)
            let id = UUID().uuidString.lowercased()
            _ = try await self.kube {
                try await self.client.create(V1Alpha1.Configuration(metadata: ObjectMeta(name: id, namespace: group), spec: spec))
            }
            return Self.json(["id": .string(id), "message": "Configuration created"], status: .created)
        }
        router.get("/v2/lm/configurations/:configurationId") { request, context in
            let group = try self.resourceGroup(request)
            let id = try context.parameters.require("configurationId")
            try await self.authorize(context, .quiver("get", "configurations", namespace: group, name: id))
            return Self.json(Self.configuration(try await self.configuration(id, namespace: group)))
        }
        router.post("/v2/lm/configurations/:configurationId/deployments") { request, context in
            let group = try self.resourceGroup(request)
            let id = try context.parameters.require("configurationId")
            try await self.authorize(context, .quiver("create", "deployments", namespace: group))
            let body = try await self.body(request, context, optional: true)
            return try await self.createDeployment(configurationID: id, ttl: try Self.ttl(body), namespace: group)
        }
    }

    func configuration(_ id: String, namespace: String, target: String = "configurationId") async throws -> V1Alpha1.Configuration {
        do {
            return try await kube { try await client.get(V1Alpha1.Configuration.self, name: id, namespace: namespace) }
        } catch let error as ControlPlaneError where error.code == .notFound {
            throw ControlPlaneError.notFound("configuration \"\(id)\" not found in resource group \"\(namespace)\"", target: target)
        }
    }

    static func newestFirst<T: KubernetesResource>(_ a: T, _ b: T) -> Bool {
        let x = a.metadata.creationTimestamp, y = b.metadata.creationTimestamp
        if x != y { return (x ?? .init(secondsSince1970: 0)) > (y ?? .init(secondsSince1970: 0)) }
        return (a.metadata.name ?? "") < (b.metadata.name ?? "")
    }

    static func configuration(_ c: V1Alpha1.Configuration) -> JSONValue {
        [
            "id": .string(c.metadata.name ?? ""),
            "name": .string(c.spec.name),
            "scenarioId": .string(c.spec.scenarioId),
            "executableId": .string(c.spec.executableId),
            "parameterBindings": .array((c.spec.parameterBindings ?? []).map { ["key": .string($0.key), "value": .string($0.value)] }),
            "inputArtifactBindings": .array((c.spec.inputArtifactBindings ?? []).map { ["key": .string($0.key), "artifactId": .string($0.artifactId)] }),
            "createdAt": timestamp(c.metadata.creationTimestamp),
        ]
    }

    /// The body of a configuration POST, field by field so errors name the field.
    static func configurationSpec(_ body: JSONValue) throws -> V1Alpha1.ConfigurationSpec {
        let name = try string(body, "name")!
        let scenario = try string(body, "scenarioId")!
        let executable = try string(body, "executableId")!
        func pairs(_ field: String, _ valueKey: String) throws -> [(String, String)] {
            guard let value = body[field], value != .null else { return [] }
            guard let array = value.arrayValue else { throw ControlPlaneError.badRequest("\(field) must be an array", target: field) }
            return try array.enumerated().map { i, item in
                let at = "\(field)[\(i)]"
                guard case .object = item else { throw ControlPlaneError.badRequest("\(at) must be an object", target: at) }
                guard let key = item["key"]?.stringValue, !key.isEmpty else {
                    throw ControlPlaneError.badRequest("\(at).key is required (a non-empty string)", target: "\(at).key")
                }
                guard let value = item[valueKey]?.stringValue else {
                    throw ControlPlaneError.badRequest("\(at).\(valueKey) is required (a string)", target: "\(at).\(valueKey)")
                }
                return (key, value)
            }
        }
        let parameters = try pairs("parameterBindings", "value")
        let artifacts = try pairs("inputArtifactBindings", "artifactId")
        for (field, list) in [("parameterBindings", parameters), ("inputArtifactBindings", artifacts)] {
            var seen = Set<String>()
            for (i, pair) in list.enumerated() where !seen.insert(pair.0).inserted {
                throw ControlPlaneError.badRequest("\(field)[\(i)].key \"\(pair.0)\" is bound twice", target: "\(field)[\(i)].key")
            }
        }
        return V1Alpha1.ConfigurationSpec(
            name: name, scenarioId: scenario, executableId: executable,
            parameterBindings: parameters.map { KeyValue(key: $0.0, value: $0.1) },
            inputArtifactBindings: artifacts.map { V1Alpha1.ArtifactBinding(key: $0.0, artifactId: $0.1) })
    }

    /// A configuration must fit a ServingTemplate, and its artifacts must exist. When no template
    /// has its scenario and executable, the error compares it with the closest one, so both sides
    /// are named (the seed's `embmodel` against the template's `nomicv15`).
    func check(_ spec: V1Alpha1.ConfigurationSpec, namespace: String) async throws {
        var errors = spec.validate()
        let templates = try await kube { try await client.list(V1Alpha1.ServingTemplate.self).items }
        if let template = templates.first(where: { $0.scenarioID == spec.scenarioId && $0.executableID == spec.executableId }) {
            errors += spec.validate(against: template)
        } else if let closest = Self.closest(templates, to: spec) {
            let mismatch = spec.validate(against: closest)
            throw ControlPlaneError.badRequest(
                "no ServingTemplate has scenario \"\(spec.scenarioId)\" and executable \"\(spec.executableId)\"; the closest, \"\(closest.metadata.name ?? "")\" (scenario \"\(closest.scenarioID ?? "")\", executable \"\(closest.executableID ?? "")\"), does not fit: "
                    + mismatch.map { Self.apiField($0.field) + ": " + $0.message }.joined(separator: "; "),
                target: "executableId",
                details: mismatch.map { .init(code: "InvalidBinding", message: Self.apiField($0.field) + ": " + $0.message) })
        } else {
            throw ControlPlaneError.badRequest(
                "executable \"\(spec.executableId)\" not found in scenario \"\(spec.scenarioId)\" (no ServingTemplate declares them)",
                target: "executableId")
        }
        if let first = errors.first {
            throw ControlPlaneError.badRequest(
                errors.map { Self.apiField($0.field) + ": " + $0.message }.joined(separator: "; "),
                target: Self.apiField(first.field),
                details: errors.map { .init(code: "InvalidBinding", message: Self.apiField($0.field) + ": " + $0.message) })
        }
        for (i, binding) in (spec.inputArtifactBindings ?? []).enumerated() {
            do {
                _ = try await kube { try await client.get(V1Alpha1.Artifact.self, name: binding.artifactId, namespace: namespace) }
            } catch let error as ControlPlaneError where error.code == .notFound {
                throw ControlPlaneError.badRequest(
                    "artifact \"\(binding.artifactId)\" not found in resource group \"\(namespace)\"", target: "inputArtifactBindings[\(i)].artifactId")
            }
        }
    }

    /// The template sharing most binding keys with `spec` (its executable or scenario first).
    static func closest(_ templates: [V1Alpha1.ServingTemplate], to spec: V1Alpha1.ConfigurationSpec) -> V1Alpha1.ServingTemplate? {
        let keys = Set((spec.parameterBindings ?? []).map(\.key)).union((spec.inputArtifactBindings ?? []).map(\.key))
        func score(_ t: V1Alpha1.ServingTemplate) -> Int {
            let declared = Set(t.parameters.map(\.name)).union(t.artifacts.map(\.name))
            return (t.executableID == spec.executableId ? 1000 : 0) + (t.scenarioID == spec.scenarioId ? 100 : 0) + keys.intersection(declared).count
        }
        return templates
            .map { ($0, score($0)) }
            .filter { $0.1 > 0 }
            .sorted { $0.1 != $1.1 ? $0.1 > $1.1 : ($0.0.metadata.name ?? "") < ($1.0.metadata.name ?? "") }
            .first?.0
    }

    /// A CR field path as the API names it (`spec.parameterBindings[0].key` → `parameterBindings[0].key`).
    static func apiField(_ field: String) -> String {
        field.hasPrefix("spec.") ? String(field.dropFirst("spec.".count)) : field
    }
}
