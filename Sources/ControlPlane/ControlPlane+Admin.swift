import Foundation
import Hummingbird
import KubeModel
import KubeRuntime
import ServingAPI

/// `/v2/admin`: object-store secrets (Kubernetes Secrets; values are never returned), resource
/// groups (namespaces with the resource-group label) and instance types (the ResourcePlans).
extension ControlPlane {
    static let objectStoreLabel = ServingSecrets.objectStoreLabel
    static let objectStoreFields = ServingSecrets.objectStoreFields
    static func objectStoreSecretName(_ name: String) -> String { ServingSecrets.objectStoreSecretName(name) }

    func addAdminRoutes(to router: Router<ControlPlaneContext>) {
        // Object-store secrets.
        router.get("/v2/admin/objectStoreSecrets") { request, context in
            let group = try self.objectStoreGroup(request)
            try await self.authorizeSecrets(context, "list", group)
            let paging = try Self.paging(request)
            let secrets = try await self.kube {
                try await self.client.list(Secret.self, namespace: group, options: ListOptions(labelSelector: Self.objectStoreLabel)).items
            }.sorted { ($0.metadata.name ?? "") < ($1.metadata.name ?? "") }
            return Self.json(Self.page(secrets.map(Self.objectStoreSecret), paging))
        }
        router.post("/v2/admin/objectStoreSecrets") { request, context in
            let group = try self.objectStoreGroup(request)
            try await self.authorizeSecrets(context, "create", group)
            let body = try await self.body(request, context)
            let name = try Self.string(body, "name")!
            let secret = try Self.objectStoreSecret(name: name, namespace: group, body: body)
            _ = try await self.kube { try await self.client.create(secret) }
            self.logger.info("object-store secret created", metadata: ["name": "\(name)", "resourceGroup": "\(group)"])
            return Self.json(["message": "secret has been created"], status: .accepted)
        }
        router.get("/v2/admin/objectStoreSecrets/:objectStoreName") { request, context in
            let group = try self.objectStoreGroup(request)
            let name = try context.parameters.require("objectStoreName")
            try await self.authorizeSecrets(context, "get", group)
            return Self.json(Self.objectStoreSecret(try await self.objectStore(name, namespace: group)))
        }
        router.patch("/v2/admin/objectStoreSecrets/:objectStoreName") { request, context in
            let group = try self.objectStoreGroup(request)
            let name = try context.parameters.require("objectStoreName")
            try await self.authorizeSecrets(context, "update", group)
            let current = try await self.objectStore(name, namespace: group)
            var secret = try Self.objectStoreSecret(name: name, namespace: group, body: try await self.body(request, context))
            secret.metadata.resourceVersion = current.metadata.resourceVersion
            _ = try await self.kube { try await self.client.update(secret) }
            return Self.json(["id": .string(name), "message": "secret has been updated"], status: .accepted)
        }
        router.delete("/v2/admin/objectStoreSecrets/:objectStoreName") { request, context in
            let group = try self.objectStoreGroup(request)
            let name = try context.parameters.require("objectStoreName")
            try await self.authorizeSecrets(context, "delete", group)
            _ = try await self.objectStore(name, namespace: group)
            _ = try await self.kube { try await self.client.delete(Secret.self, name: Self.objectStoreSecretName(name), namespace: group) }
            return Self.json(["id": .string(name), "message": "secret has been deleted"], status: .accepted)
        }

        // Resource groups.
        router.get("/v2/admin/resourceGroups") { request, context in
            try await self.access.authorize(self.caller(context), Access(verb: "list", group: "", resource: "namespaces"))
            let paging = try Self.paging(request)
            let namespaces = try await self.kube {
                try await self.client.list(Namespace.self, options: ListOptions(labelSelector: self.configuration.resourceGroupLabel)).items
            }.sorted { ($0.metadata.name ?? "") < ($1.metadata.name ?? "") }
            return Self.json(Self.page(namespaces.map(self.resourceGroupJSON), paging))
        }
        router.post("/v2/admin/resourceGroups") { request, context in
            try await self.access.authorize(self.caller(context), Access(verb: "create", group: "", resource: "namespaces"))
            let body = try await self.body(request, context)
            let id = try Self.string(body, "resourceGroupId")!
            guard Self.isDNSLabel(id) else {
                throw ControlPlaneError.badRequest("resourceGroupId must be lower-case letters, digits and '-', at most 63 characters", target: "resourceGroupId")
            }
            var labels = [self.configuration.resourceGroupLabel: "true"]
            for (i, label) in try Self.labels(body).enumerated() {
                guard label.key.hasPrefix("ext.ai.sap.com/") else {
                    throw ControlPlaneError.badRequest("labels[\(i)].key must start with ext.ai.sap.com/", target: "labels[\(i)].key")
                }
                labels[label.key] = label.value
            }
            do {
                _ = try await self.kube { try await self.client.create(Namespace(metadata: ObjectMeta(name: id, labels: labels))) }
            } catch let error as ControlPlaneError where error.code == .conflict {
                throw ControlPlaneError.conflict("resource group \"\(id)\" already exists", target: "resourceGroupId")
            }
            return Self.json(["resourceGroupId": .string(id), "message": "resource group created"], status: .accepted)
        }
        router.get("/v2/admin/resourceGroups/:resourceGroupId") { request, context in
            let id = try context.parameters.require("resourceGroupId")
            try await self.access.authorize(self.caller(context), Access(verb: "get", group: "", resource: "namespaces", name: id))
            try await self.requireResourceGroup(id)
            return Self.json(self.resourceGroupJSON(try await self.kube { try await self.client.get(Namespace.self, name: id) }))
        }
        router.delete("/v2/admin/resourceGroups/:resourceGroupId") { request, context in
            let id = try context.parameters.require("resourceGroupId")
            try await self.access.authorize(self.caller(context), Access(verb: "delete", group: "", resource: "namespaces", name: id))
            try await self.requireResourceGroup(id)
            _ = try await self.kube { try await self.client.delete(Namespace.self, name: id) }
            return Self.json(["id": .string(id), "message": "resource group deletion scheduled"], status: .accepted)
        }

        // Instance types: the ResourcePlans.
        router.get("/v2/admin/resources/instanceTypes") { request, context in
            try await self.access.authorize(self.caller(context), .quiver("list", "resourceplans", namespace: nil))
            let plans = try await self.kube { try await self.client.list(V1Alpha1.ResourcePlan.self).items }
                .sorted { ($0.metadata.name ?? "") < ($1.metadata.name ?? "") }
            let items: [JSONValue] = plans.map { plan in
                var out: JSONValue = [
                    "name": .string(plan.metadata.name ?? ""),
                    "cpu": .string(plan.spec.cpu), "memory": .string(plan.spec.memory),
                    "gpu": .int(Int64(plan.spec.gpu ?? 0)),
                ]
                if let description = plan.spec.description { out["description"] = .string(description) }
                return out
            }
            return Self.json(["count": .int(Int64(items.count)), "resources": .array(items)])
        }
    }

    /// `AI-Resource-Group` is optional on the object-store routes, as in AI Core: `default` then.
    func objectStoreGroup(_ request: Request) throws -> String {
        request.headers[Self.resourceGroupHeader] == nil ? "default" : try resourceGroup(request)
    }

    func authorizeSecrets(_ context: ControlPlaneContext, _ verb: String, _ namespace: String) async throws {
        try await authorize(context, Access(verb: verb, group: "", resource: "secrets", namespace: namespace))
    }

    func objectStore(_ name: String, namespace: String) async throws -> Secret {
        do {
            let secret = try await kube { try await client.get(Secret.self, name: Self.objectStoreSecretName(name), namespace: namespace) }
            guard secret.metadata.annotations?[ServingSecrets.objectStoreNameAnnotation] == name else { throw ControlPlaneError.notFound("") }
            return secret
        } catch let error as ControlPlaneError where error.code == .notFound {
            throw ControlPlaneError.notFound("object-store secret \"\(name)\" not found in resource group \"\(namespace)\"", target: "objectStoreName")
        }
    }

    /// The Secret for an object-store secret body: the settings as annotations, `data` as the
    /// Secret's data (never returned or logged).
    static func objectStoreSecret(name: String, namespace: String, body: JSONValue) throws -> Secret {
        let type = try string(body, "type")!
        guard ["S3", "GS", "WASB", "OSS", "webhdfs", "GCS"].contains(type) else {
            throw ControlPlaneError.badRequest("type must be S3 (or another AI Core store type: GS, WASB, OSS, webhdfs)", target: "type")
        }
        var annotations = [ServingSecrets.objectStoreNameAnnotation: name]
        for field in objectStoreFields {
            guard let value = body[field], value != .null else { continue }
            guard let text = value.stringValue else { throw ControlPlaneError.badRequest("\(field) must be a string", target: field) }
            annotations[ServingSecrets.objectStoreAnnotation(field)] = text
        }
        guard let data = body["data"]?.objectValue, !data.isEmpty else {
            throw ControlPlaneError.badRequest("data is required: the credentials, e.g. {\"AWS_ACCESS_KEY_ID\": …, \"AWS_SECRET_ACCESS_KEY\": …}", target: "data")
        }
        var values: [String: String] = [:]
        for (key, value) in data {
            guard let text = value.stringValue else { throw ControlPlaneError.badRequest("data.\(key) must be a string", target: "data.\(key)") }
            values[key] = text
        }
        return Secret(
            metadata: ObjectMeta(name: objectStoreSecretName(name), namespace: namespace, labels: [objectStoreLabel: "true"], annotations: annotations),
            stringData: values, type: "Opaque")
    }

    /// What is shown of an object-store secret: its name and settings under AI Core's metadata keys
    /// (`storage.ai.sap.com/…`, and KServe's `serving.kubeflow.org/s3-…` for S3), never its values.
    static func objectStoreSecret(_ secret: Secret) -> JSONValue {
        var metadata: JSONValue = .emptyObject
        func setting(_ field: String) -> String? { secret.metadata.annotations?[ServingSecrets.objectStoreAnnotation(field)] }
        for field in ["type", "bucket", "endpoint", "region", "pathPrefix"] {
            if let value = setting(field) { metadata["storage.ai.sap.com/\(field)"] = .string(value) }
        }
        if setting("type") == "S3" {
            for (field, key) in [("usehttps", "s3-usehttps"), ("verifyssl", "s3-verifyssl"), ("endpoint", "s3-endpoint"), ("region", "s3-region")] {
                if let value = setting(field) { metadata["serving.kubeflow.org/\(key)"] = .string(value) }
            }
        }
        return ["name": .string(secret.metadata.annotations?[ServingSecrets.objectStoreNameAnnotation] ?? ""), "metadata": metadata]
    }

    func resourceGroupJSON(_ namespace: Namespace) -> JSONValue {
        let labels = (namespace.metadata.labels ?? [:]).filter { $0.key.hasPrefix("ext.ai.sap.com/") }.sorted { $0.key < $1.key }
        return [
            "resourceGroupId": .string(namespace.metadata.name ?? ""),
            "createdAt": Self.timestamp(namespace.metadata.creationTimestamp),
            "labels": .array(labels.map { ["key": .string($0.key), "value": .string($0.value)] }),
            "status": "PROVISIONED",
            "statusMessage": namespace.metadata.deletionTimestamp == nil ? "ready" : "being deleted",
        ]
    }
}
