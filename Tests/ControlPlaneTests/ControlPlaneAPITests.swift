import ControlPlane
import Foundation
import KubeModel
import KubeRuntime
import ServingAPI
import Testing

/// The AI Core-style API against EmbeddedKube with the operator running.
@Suite("Control-plane REST API", .serialized)
struct ControlPlaneAPITests {
    /// The seed's configuration body, exactly as printed (its ids do not match the template).
    static let seedBody: JSONValue = [
        "executableId": "infinity-emb-model-serve",
        "inputArtifactBindings": [["artifactId": "ARTIFACT", "key": "embmodel"]],
        "name": "nomic-embed-text-v1.5",
        "parameterBindings": [
            ["key": "image", "value": "XXX.common.repositories.cloud.sap/genai-platform-exp/ai-core-embed-model-serve:0.0.1"],
            ["key": "batchSize", "value": "256"],
            ["key": "trustRemoteCode", "value": "False"],
            ["key": "portNumber", "value": "9000"],
            ["key": "resourcePlan", "value": "infer2.l"],
            ["key": "modelName", "value": "nomic-ai/nomic-embed-text-v1.5"],
        ],
        "scenarioId": "llm-fine-tuning",
    ]

    /// The same body with its keys made consistent with the infinity template.
    static func consistentBody(artifact: String) -> JSONValue {
        var body = seedBody
        body["executableId"] = "nomic-embed"
        body["scenarioId"] = "ies-foundation-models"
        body["inputArtifactBindings"] = [["artifactId": .string(artifact), "key": "nomicv15"]]
        return body
    }

    /// The seed's object-store secret and artifact (`ai://s3-bucket/our-awesome-model/v1`).
    static func artifact(_ stack: ControlPlaneStack, token: String) async throws -> String {
        let secret = try await stack.call(.POST, "/v2/admin/objectStoreSecrets", token: token, body: [
            "name": "s3-bucket", "type": "S3", "bucket": "on-boarded-bucket", "endpoint": "https://s3.eu-central-1.amazonaws.com",
            "region": "eu-central-1", "data": ["AWS_ACCESS_KEY_ID": "AKIDEXAMPLE", "AWS_SECRET_ACCESS_KEY": "very-secret-value"],
        ])
        #expect(secret.status == 202, "\(secret.body)")
        let answer = try await stack.call(.POST, "/v2/lm/artifacts", token: token, body: [
            "labels": [], "name": "our-awesome-model/v1", "kind": "model",
            "url": "ai://s3-bucket/our-awesome-model/v1", "description": "Fantastic model", "scenarioId": "ies-foundation-models",
        ])
        #expect(answer.status == 201, "\(answer.body)")
        #expect(answer.body["message"] == "Artifact acknowledged")
        return try #require(answer.body["id"]?.stringValue)
    }

    @Test("the seed's flow: configuration, POST …/deployments, PENDING → RUNNING with the seed's values in the pod spec")
    func seedFlow() async throws {
        try await withControlPlane { stack in
            let artifact = try await Self.artifact(stack, token: Users.alice)

            // The seed's body as printed is refused, naming both sides.
            var printed = Self.seedBody
            printed["inputArtifactBindings"] = [["artifactId": .string(artifact), "key": "embmodel"]]
            let refused = try await stack.call(.POST, "/v2/lm/configurations", token: Users.alice, body: printed)
            #expect(refused.status == 400)
            let message = refused.error?["message"]?.stringValue ?? ""
            #expect(message.contains("embmodel") && message.contains("nomicv15"), "\(message)")
            #expect(message.contains("infinity-emb-model-serve") && message.contains("nomic-embed"), "\(message)")
            #expect(refused.error?["requestId"]?.stringValue?.isEmpty == false)
            #expect(refused.error?["target"] == "executableId")

            let created = try await stack.call(.POST, "/v2/lm/configurations", token: Users.alice, body: Self.consistentBody(artifact: artifact))
            #expect(created.status == 201, "\(created.body)")
            #expect(created.body["message"] == "Configuration created")
            let configurationID = try #require(created.body["id"]?.stringValue)

            let got = try await stack.call(.GET, "/v2/lm/configurations/\(configurationID)", token: Users.alice)
            #expect(got.status == 200)
            #expect(got.body["executableId"] == "nomic-embed" && got.body["name"] == "nomic-embed-text-v1.5")
            #expect(got.body["inputArtifactBindings"] == [["key": "nomicv15", "artifactId": .string(artifact)]])

            let listed = try await stack.call(.GET, "/v2/lm/configurations?scenarioId=ies-foundation-models&$top=5", token: Users.alice)
            #expect(listed.body["count"] == 1 && listed.body["resources"]?.arrayValue?.first?["id"]?.stringValue == configurationID)

            let started = try await stack.call(.POST, "/v2/lm/configurations/\(configurationID)/deployments", token: Users.alice)
            #expect(started.status == 202, "\(started.body)")
            #expect(started.body["status"] == "UNKNOWN" && started.body["message"] == "Deployment scheduled.")
            let id = try #require(started.body["id"]?.stringValue)
            #expect(started.body["deploymentUrl"]?.stringValue == "http://127.0.0.1:8080/v2/inference/deployments/\(id)")

            #expect(try await eventually {
                try await stack.call(.GET, "/v2/lm/deployments/\(id)", token: Users.alice).body["status"] == "PENDING"
            }, "the deployment did not become PENDING")
            let apps = try await stack.kube.get(GroupVersionResource(group: "apps", version: "v1", resource: "deployments"), name: id, namespace: "team-a")
            let container = apps[path: ["spec", "template", "spec", "containers"]]?.arrayValue?.first
            func env(_ name: String) -> String? { container?["env"]?.arrayValue?.first { $0["name"]?.stringValue == name }?["value"]?.stringValue }
            #expect(env("BATCH_SIZE") == "256")
            #expect(env("STORAGE_URI") == "s3://on-boarded-bucket/our-awesome-model/v1")
            // The init container gets the object store's endpoint and the credentials' Secret, never the values.
            let initContainer = apps[path: ["spec", "template", "spec", "initContainers"]]?.arrayValue?.first
            #expect(initContainer?["envFrom"] == [["secretRef": ["name": "object-store-s3-bucket"]]])
            #expect(initContainer?["env"]?.arrayValue?.contains { $0["name"] == "AWS_ENDPOINT_URL" } == true)
            #expect(!apps.serializedString().contains("very-secret-value"))
            #expect(container?["image"]?.stringValue == "XXX.common.repositories.cloud.sap/genai-platform-exp/ai-core-embed-model-serve:0.0.1")

            try await stack.markAvailable(id)
            #expect(try await eventually {
                try await stack.call(.GET, "/v2/lm/deployments/\(id)", token: Users.alice).body["status"] == "RUNNING"
            }, "the deployment did not become RUNNING")
            let running = try await stack.call(.GET, "/v2/lm/deployments/\(id)", token: Users.alice).body
            #expect(running["configurationId"]?.stringValue == configurationID)
            #expect(running["configurationName"] == "nomic-embed-text-v1.5" && running["scenarioId"] == "ies-foundation-models")
            #expect(running["targetStatus"] == "RUNNING")
            #expect(running["startTime"]?.stringValue != nil)

            // PATCH configurationId: re-rendered in place from the new configuration, same URL.
            var second = Self.consistentBody(artifact: artifact)
            second["parameterBindings"] = .array((second["parameterBindings"]?.arrayValue ?? []).map {
                $0["key"] == "batchSize" ? ["key": "batchSize", "value": "128"] : $0
            })
            let secondID = try #require(try await stack.call(.POST, "/v2/lm/configurations", token: Users.alice, body: second).body["id"]?.stringValue)
            let repoint = try await stack.call(.PATCH, "/v2/lm/deployments/\(id)", token: Users.alice, body: ["configurationId": .string(secondID)])
            #expect(repoint.status == 202, "\(repoint.body)")
            #expect(try await eventually {
                let apps = try await stack.kube.get(GroupVersionResource(group: "apps", version: "v1", resource: "deployments"), name: id, namespace: "team-a")
                let c = apps[path: ["spec", "template", "spec", "containers"]]?.arrayValue?.first
                return c?["env"]?.arrayValue?.first { $0["name"] == "BATCH_SIZE" }?["value"] == "128"
            }, "the workload was not re-rendered from the new configuration")
            let repointed = try await stack.call(.GET, "/v2/lm/deployments/\(id)", token: Users.alice).body
            #expect(repointed["configurationId"]?.stringValue == secondID && repointed["deploymentUrl"] == running["deploymentUrl"])
            let missingConfiguration = try await stack.call(.PATCH, "/v2/lm/deployments/\(id)", token: Users.alice, body: ["configurationId": "nope"])
            #expect(missingConfiguration.status == 404 && missingConfiguration.error?["target"] == "configurationId")

            // Filters and $select.
            let byStatus = try await stack.call(.GET, "/v2/lm/deployments?status=RUNNING&configurationId=\(secondID)", token: Users.alice)
            #expect(byStatus.body["count"] == 1)
            let none = try await stack.call(.GET, "/v2/lm/deployments?status=STOPPED", token: Users.alice)
            #expect(none.body["count"] == 0)
            let select = try await stack.call(.GET, "/v2/lm/deployments/\(id)?$select=status", token: Users.alice)
            #expect(select.body["status"] == "RUNNING" && select.body["configurationId"] == nil)

            // A RUNNING deployment cannot be deleted (412); stop it first.
            let early = try await stack.call(.DELETE, "/v2/lm/deployments/\(id)", token: Users.alice)
            #expect(early.status == 412, "\(early.body)")
            let stop = try await stack.call(.PATCH, "/v2/lm/deployments/\(id)", token: Users.alice, body: ["targetStatus": "STOPPED"])
            #expect(stop.status == 202, "\(stop.body)")
            #expect(stop.body["targetStatus"] == "STOPPED")
            try await stack.markAvailable(id, replicas: 0)
            #expect(try await eventually {
                try await stack.call(.GET, "/v2/lm/deployments/\(id)", token: Users.alice).body["status"] == "STOPPED"
            }, "the deployment did not become STOPPED")
            let again = try await stack.call(.PATCH, "/v2/lm/deployments/\(id)", token: Users.alice, body: ["targetStatus": "STOPPED"])
            #expect(again.status == 412)
            let deleted = try await stack.call(.DELETE, "/v2/lm/deployments/\(id)", token: Users.alice)
            #expect(deleted.status == 202, "\(deleted.body)")
            #expect(try await eventually {
                try await stack.call(.GET, "/v2/lm/deployments/\(id)", token: Users.alice).status == 404
            }, "the deployment was not deleted")
        }
    }

    @Test("bulk PATCH stops several deployments and reports each; ttl and logs")
    func bulkAndLogs() async throws {
        try await withControlPlane { stack in
            let artifact = try await Self.artifact(stack, token: Users.alice)
            let created = try await stack.call(.POST, "/v2/lm/configurations", token: Users.alice, body: Self.consistentBody(artifact: artifact))
            let configurationID = try #require(created.body["id"]?.stringValue)
            var ids: [String] = []
            for ttl in ["2h", "1D"] {
                let answer = try await stack.call(.POST, "/v2/lm/deployments", token: Users.alice, body: ["configurationId": .string(configurationID), "ttl": .string(ttl)])
                #expect(answer.status == 202 && answer.body["ttl"]?.stringValue == ttl, "\(answer.body)")
                ids.append(try #require(answer.body["id"]?.stringValue))
            }
            let badTTL = try await stack.call(.POST, "/v2/lm/deployments", token: Users.alice, body: ["configurationId": .string(configurationID), "ttl": "99999999999d"])
            #expect(badTTL.status == 400 && badTTL.error?["target"] == "ttl")
            for id in ids {
                #expect(try await eventually { try await stack.call(.GET, "/v2/lm/deployments/\(id)", token: Users.alice).body["status"] == "PENDING" })
            }
            let bulk = try await stack.call(.PATCH, "/v2/lm/deployments", token: Users.alice, body: [
                "deployments": .array((ids + ["dmissing0000000"]).map { ["id": .string($0), "targetStatus": "STOPPED"] }),
            ])
            #expect(bulk.status == 202, "\(bulk.body)")
            let results = bulk.body["deployments"]?.arrayValue ?? []
            #expect(results.count == 3)
            #expect(results.prefix(2).allSatisfy { $0["message"] == "Deployment modification scheduled" })
            #expect(results.last?["id"] == "dmissing0000000" && results.last?[path: ["error", "code"]] == "NotFound")
            for id in ids {
                let d = try await stack.kube.get(V1Alpha1.Deployment.self, name: id, namespace: "team-a")
                #expect(d.spec.targetStatus == .stopped)
            }
            // RUNNING is not a bulk target (as in AI Core).
            let restart = try await stack.call(.PATCH, "/v2/lm/deployments", token: Users.alice, body: ["deployments": [["id": .string(ids[0]), "targetStatus": "RUNNING"]]])
            #expect(restart.status == 400 && restart.error?["target"] == "deployments[0].targetStatus", "\(restart.body)")
            // Logs: AI Core's shape (no pods run here, so no lines).
            let logs = try await stack.call(.GET, "/v2/lm/deployments/\(ids[0])/logs?$top=10", token: Users.alice)
            #expect(logs.status == 200 && logs.body[path: ["data", "result"]] == [], "\(logs.body)")
            #expect(try await stack.call(.GET, "/v2/lm/deployments/\(ids[0])/logs", token: Users.bob).status == 403)
        }
    }

    @Test("auth: no token 401, unknown token 401, no rights 403, another resource group 403, nothing leaks")
    func authentication() async throws {
        try await withControlPlane { stack in
            let none = try await stack.call(.GET, "/v2/lm/deployments", token: nil)
            #expect(none.status == 401)
            #expect(none.error?["code"] == "Unauthorized" && none.headers["WWW-Authenticate"].first == "Bearer")
            let garbage = try await stack.call(.GET, "/v2/lm/deployments", token: "not-a-token")
            #expect(garbage.status == 401)
            let bob = try await stack.call(.GET, "/v2/lm/deployments", token: Users.bob)
            #expect(bob.status == 403, "\(bob.body)")
            #expect(bob.error?["message"]?.stringValue?.contains("bob") == true)
            // alice may act in team-a only; team-b looks the same whether or not it exists.
            #expect(try await stack.call(.GET, "/v2/lm/deployments", token: Users.alice).status == 200)
            let other = try await stack.call(.GET, "/v2/lm/deployments", token: Users.alice, group: "team-b")
            let missing = try await stack.call(.GET, "/v2/lm/deployments", token: Users.alice, group: "no-such-group")
            #expect(other.status == 403 && missing.status == 403)
            #expect(other.error?["message"]?.stringValue?.replacingOccurrences(of: "team-b", with: "X")
                    == missing.error?["message"]?.stringValue?.replacingOccurrences(of: "no-such-group", with: "X"))
            // The admin sees team-b; a namespace without the label is no resource group.
            #expect(try await stack.call(.GET, "/v2/lm/deployments", token: stack.adminToken, group: "team-b").status == 200)
            let plain = try await stack.call(.GET, "/v2/lm/deployments", token: stack.adminToken, group: "not-a-group")
            #expect(plain.status == 404 && plain.error?["target"] == "AI-Resource-Group")
            // Health needs no token.
            #expect(try await stack.call(.GET, "/healthz", token: nil, group: nil).status == 200)
        }
    }

    @Test("bad input: missing header, bad JSON, missing fields, unknown ids, bad paging: 4xx in AI Core's shape")
    func badInput() async throws {
        try await withControlPlane { stack in
            let header = try await stack.call(.GET, "/v2/lm/configurations", token: Users.alice, group: nil)
            #expect(header.status == 400 && header.error?["target"] == "AI-Resource-Group")
            let json = try await stack.call(.POST, "/v2/lm/configurations", token: Users.alice, rawBody: "{not json")
            #expect(json.status == 400 && json.error?["target"] == "body")
            let field = try await stack.call(.POST, "/v2/lm/configurations", token: Users.alice, body: ["name": "x", "scenarioId": "s"])
            #expect(field.status == 400 && field.error?["target"] == "executableId")
            let binding = try await stack.call(.POST, "/v2/lm/configurations", token: Users.alice, body: [
                "name": "x", "scenarioId": "embeddings", "executableId": "quiver-embed-cpu", "parameterBindings": [["key": "nope", "value": "1"]],
            ])
            #expect(binding.status == 400, "\(binding.body)")
            #expect(binding.error?["target"] == "parameterBindings[0].key", "\(binding.body)")
            let unknown = try await stack.call(.GET, "/v2/lm/deployments/dffffffffffffff0", token: Users.alice)
            #expect(unknown.status == 404 && unknown.error?["target"] == "deploymentId")
            let paging = try await stack.call(.GET, "/v2/lm/deployments?$top=-1", token: Users.alice)
            #expect(paging.status == 400 && paging.error?["target"] == "$top")
            let target = try await stack.call(.POST, "/v2/lm/deployments", token: Users.alice, body: ["configurationId": "nope"])
            #expect(target.status == 404 && target.error?["target"] == "configurationId")
            let route = try await stack.call(.GET, "/v2/lm/nothing", token: Users.alice)
            #expect(route.status == 404 && route.error?["code"] == "NotFound")
            #expect(route.headers["X-Request-Id"].first == route.error?["requestId"]?.stringValue)
        }
    }

    @Test("scenarios and executables come from the ServingTemplates; instance types from the ResourcePlans")
    func catalog() async throws {
        try await withControlPlane { stack in
            let scenarios = try await stack.call(.GET, "/v2/lm/scenarios", token: Users.alice)
            #expect(scenarios.status == 200)
            let ids = scenarios.body["resources"]?.arrayValue?.compactMap { $0["id"]?.stringValue } ?? []
            #expect(ids.contains("ies-foundation-models"))
            let executables = try await stack.call(.GET, "/v2/lm/scenarios/ies-foundation-models/executables", token: Users.alice)
            let nomic = executables.body["resources"]?.arrayValue?.first { $0["id"] == "nomic-embed" }
            #expect(nomic?["parameters"]?.arrayValue?.contains { $0["name"] == "batchSize" } == true)
            #expect(nomic?["inputArtifacts"]?.arrayValue?.first?["name"] == "nomicv15")
            let one = try await stack.call(.GET, "/v2/lm/scenarios/ies-foundation-models/executables/nomic-embed", token: Users.alice)
            #expect(one.status == 200 && one.body["scenarioId"] == "ies-foundation-models")
            let missing = try await stack.call(.GET, "/v2/lm/scenarios/ies-foundation-models/executables/nope", token: Users.alice)
            #expect(missing.status == 404 && missing.error?["target"] == "executableId")
            let plans = try await stack.call(.GET, "/v2/admin/resources/instanceTypes", token: stack.adminToken, group: nil)
            #expect(plans.status == 200)
            #expect(plans.body["resources"]?.arrayValue?.contains { $0["name"] == "infer2.l" } == true)
        }
    }

    @Test("object-store secrets are Secrets whose values are never returned; resource groups are labelled namespaces")
    func admin() async throws {
        try await withControlPlane { stack in
            let created = try await stack.call(.POST, "/v2/admin/objectStoreSecrets", token: Users.alice, body: [
                "name": "s3-bucket", "type": "S3", "bucket": "on-boarded-bucket", "endpoint": "s3.eu-central-1.amazonaws.com",
                "region": "eu-central-1", "pathPrefix": "models", "data": ["AWS_ACCESS_KEY_ID": "AKIDEXAMPLE", "AWS_SECRET_ACCESS_KEY": "very-secret-value"],
            ])
            #expect(created.status == 202, "\(created.body)")
            let listed = try await stack.call(.GET, "/v2/admin/objectStoreSecrets", token: Users.alice)
            #expect(listed.body["count"] == 1)
            #expect(listed.body["resources"]?.arrayValue?.first?["name"] == "s3-bucket")
            let one = try await stack.call(.GET, "/v2/admin/objectStoreSecrets/s3-bucket", token: Users.alice)
            #expect(one.body["metadata"]?["storage.ai.sap.com/bucket"] == "on-boarded-bucket")
            #expect(one.body["metadata"]?["serving.kubeflow.org/s3-region"] == "eu-central-1")
            #expect(!one.body.serializedString().contains("very-secret-value") && !listed.body.serializedString().contains("AKIDEXAMPLE"))
            let secret = try await stack.kube.get(Secret.self, name: "object-store-s3-bucket", namespace: "team-a")
            #expect(secret.data?["AWS_SECRET_ACCESS_KEY"] == Data("very-secret-value".utf8))
            #expect(try await stack.call(.DELETE, "/v2/admin/objectStoreSecrets/s3-bucket", token: Users.alice).status == 202)
            #expect(try await stack.call(.GET, "/v2/admin/objectStoreSecrets/s3-bucket", token: Users.alice).status == 404)

            // Resource groups: admin only.
            #expect(try await stack.call(.GET, "/v2/admin/resourceGroups", token: Users.alice, group: nil).status == 403)
            let groups = try await stack.call(.GET, "/v2/admin/resourceGroups", token: stack.adminToken, group: nil)
            let names = groups.body["resources"]?.arrayValue?.compactMap { $0["resourceGroupId"]?.stringValue } ?? []
            #expect(names.contains("team-a") && names.contains("team-b") && !names.contains("not-a-group"))
            let made = try await stack.call(.POST, "/v2/admin/resourceGroups", token: stack.adminToken, group: nil,
                                            body: ["resourceGroupId": "team-c", "labels": [["key": "ext.ai.sap.com/owner", "value": "c"]]])
            #expect(made.status == 202, "\(made.body)")
            let c = try await stack.call(.GET, "/v2/admin/resourceGroups/team-c", token: stack.adminToken, group: nil)
            #expect(c.body["labels"] == [["key": "ext.ai.sap.com/owner", "value": "c"]])
            #expect(try await stack.call(.POST, "/v2/admin/resourceGroups", token: stack.adminToken, group: nil, body: ["resourceGroupId": "team-c"]).status == 409)
        }
    }
}
