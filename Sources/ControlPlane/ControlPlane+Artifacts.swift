import Foundation
import Hummingbird
import KubeModel
import ServingAPI

/// `/v2/lm/artifacts`: Artifact custom resources (models the init container fetches).
extension ControlPlane {
    func addArtifactRoutes(to router: Router<ControlPlaneContext>) {
        router.get("/v2/lm/artifacts") { request, context in
            let group = try self.resourceGroup(request)
            try await self.authorize(context, .quiver("list", "artifacts", namespace: group))
            let paging = try Self.paging(request)
            let query = request.uri.queryParameters
            let scenario = query.get("scenarioId"), name = query.get("name"), kind = query.get("kind")
            if let kind, V1Alpha1.ArtifactKind(rawValue: kind) == nil {
                throw ControlPlaneError.badRequest(
                    "kind must be one of \(V1Alpha1.ArtifactKind.allCases.map(\.rawValue).joined(separator: ", "))", target: "kind")
            }
            let items = try await self.kube { try await self.client.list(V1Alpha1.Artifact.self, namespace: group).items }
                .filter { scenario == nil || $0.spec.scenarioId == scenario }
                .filter { name == nil || $0.spec.name == name }
                .filter { kind == nil || $0.spec.kind.rawValue == kind }
                .sorted(by: Self.newestFirst)
            return Self.json(Self.page(items.map(Self.artifact), paging))
        }
        router.post("/v2/lm/artifacts") { request, context in
            let group = try self.resourceGroup(request)
            try await self.authorize(context, .quiver("create", "artifacts", namespace: group))
            let body = try await self.body(request, context)
            let kindText = try Self.string(body, "kind")!
            guard let kind = V1Alpha1.ArtifactKind(rawValue: kindText) else {
                throw ControlPlaneError.badRequest(
                    "kind must be one of \(V1Alpha1.ArtifactKind.allCases.map(\.rawValue).joined(separator: ", "))", target: "kind")
            }
            let labels = try Self.labels(body)
            let spec = V1Alpha1.ArtifactSpec(
                name: try Self.string(body, "name")!, kind: kind, url: try Self.string(body, "url")!,
                scenarioId: try Self.string(body, "scenarioId")!, description: try Self.string(body, "description", required: false),
                labels: labels.isEmpty ? nil : labels)
            if let error = spec.validate().first { throw ControlPlaneError.badRequest(error.message, target: Self.apiField(error.field)) }
            let id = UUID().uuidString.lowercased()
            _ = try await self.kube { try await self.client.create(V1Alpha1.Artifact(metadata: ObjectMeta(name: id, namespace: group), spec: spec)) }
            return Self.json(["id": .string(id), "message": "Artifact acknowledged", "url": .string(spec.url)], status: .created)
        }
        router.get("/v2/lm/artifacts/:artifactId") { request, context in
            let group = try self.resourceGroup(request)
            let id = try context.parameters.require("artifactId")
            try await self.authorize(context, .quiver("get", "artifacts", namespace: group, name: id))
            do {
                return Self.json(Self.artifact(try await self.kube { try await self.client.get(V1Alpha1.Artifact.self, name: id, namespace: group) }))
            } catch let error as ControlPlaneError where error.code == .notFound {
                throw ControlPlaneError.notFound("artifact \"\(id)\" not found in resource group \"\(group)\"", target: "artifactId")
            }
        }
    }

    static func artifact(_ a: V1Alpha1.Artifact) -> JSONValue {
        var out: JSONValue = [
            "id": .string(a.metadata.name ?? ""),
            "name": .string(a.spec.name),
            "kind": .string(a.spec.kind.rawValue),
            "url": .string(a.spec.url),
            "scenarioId": .string(a.spec.scenarioId ?? ""),
            "createdAt": timestamp(a.metadata.creationTimestamp),
            "modifiedAt": timestamp(a.metadata.creationTimestamp),
        ]
        if let description = a.spec.description { out["description"] = .string(description) }
        if let labels = a.spec.labels { out["labels"] = .array(labels.map { ["key": .string($0.key), "value": .string($0.value)] }) }
        return out
    }
}
