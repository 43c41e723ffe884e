import EmbeddedKube
import Foundation
import KubeModel
import KubeRuntime
import ServingAPI
import ServingOperator
import Testing

/// The operator runs as its service account with only manifests/rbac/ granted, on an EmbeddedKube
/// that enforces RBAC: every call the code makes along the whole lifecycle (both backends) must be
/// allowed, so a verb the code uses but the ClusterRole lacks fails here.
@Suite("Operator RBAC: manifests/rbac grants every verb the operator uses", .serialized)
struct OperatorRBACTests {
    typealias Seed = OperatorEmbeddedKubeTests
    static let token = "quiver-operator-test-token"
    static let serviceAccountUser = "system:serviceaccount:quiver-system:quiver-operator"
    static let tokens = [StaticToken(token: token, user: serviceAccountUser, uid: "quiver-operator-uid", groups: ["system:serviceaccounts", "system:serviceaccounts:quiver-system"])]

    static let clusterRoles = GroupVersionResource(group: "rbac.authorization.k8s.io", version: "v1", resource: "clusterroles")
    static let clusterRoleBindings = GroupVersionResource(group: "rbac.authorization.k8s.io", version: "v1", resource: "clusterrolebindings")

    /// manifests/rbac/*.yaml: the ClusterRole and its binding (the ServiceAccount lives in quiver-system).
    static func installRBAC(_ client: KubeClient) async throws {
        let directory = Fixtures.repositoryRoot.appendingPathComponent("manifests/rbac")
        for file in try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted() where file.hasSuffix(".yaml") {
            for document in try RenderYAML.parseAll(Fixtures.text(directory.appendingPathComponent(file))) where document != .null {
                switch document["kind"]?.stringValue {
                case "ClusterRole": _ = try await client.create(clusterRoles, document)
                case "ClusterRoleBinding": _ = try await client.create(clusterRoleBindings, document)
                default: continue
                }
            }
        }
    }

    /// Nothing the operator logged at warning or above mentions a refusal.
    static func expectNoRefusals(_ logs: CollectedLogs) {
        let refused = logs.all.filter { $0.localizedCaseInsensitiveContains("forbidden") || $0.contains("403") }
        #expect(refused.isEmpty, "the operator was refused:\n\(refused.prefix(5).joined(separator: "\n"))")
    }

    @Test("without the binding the operator is refused (the check can fail)")
    func refusedWithoutBinding() async throws {
        try await withOperatorKube(tokens: Self.tokens) { kube in
            try await kube.installCRDs()
            let asOperator = try KubeClient(configuration: OperatorKube.clientConfiguration(port: kube.port, server: kube.server, token: Self.token))
            await #expect(throws: KubeAPIError.self) { _ = try await asOperator.list(V1Alpha1.Deployment.self) }
            try await Self.installRBAC(kube.client)
            let allowed = await operatorPoll { (try? await asOperator.list(V1Alpha1.Deployment.self)) != nil }
            #expect(allowed, "the ClusterRoleBinding did not let the operator list Deployments")
            try? await asOperator.shutdown()
        }
    }

    @Test("native backend: seed flow to RUNNING, STOPPED, RUNNING, deleted, with no call refused")
    func nativeLifecycle() async throws {
        let logs = CollectedLogs()
        try await withOperatorKube(tokens: Self.tokens) { kube in
            let client = kube.client
            try await kube.installCRDs()
            try await Self.installRBAC(client)
            try await kube.installPlansAndTemplates([try Fixtures.template(named: "infinity.yaml")])
            _ = try await client.create(Seed.artifact)
            _ = try await client.create(try Seed.seedConfiguration())
            try await withOperator(kube, configuration: Seed.operatorConfiguration, token: Self.token, logs: logs) {
                #expect(try await operatorPoll {
                    let configuration = try await client.get(V1Alpha1.Configuration.self, name: Seed.configurationID, namespace: Seed.namespace)
                    return configuration.status?.conditions?.contains { $0.type == ServingConditionType.valid } == true
                }, "the Configuration got no Valid condition")
                _ = try await client.create(Seed.quiverDeployment())
                #expect(try await operatorPoll { try await Seed.phase(client) == .pending }, "not PENDING")
                try await Seed.setWorkloadStatus(client, replicas: 1, available: 1)
                #expect(try await operatorPoll { try await Seed.phase(client) == .running }, "not RUNNING")
                _ = try await client.patch(V1Alpha1.Deployment.self, name: Seed.deploymentName, namespace: Seed.namespace,
                                           patch: .merge(["spec": ["targetStatus": "STOPPED"]]))
                #expect(try await operatorPoll { try await Seed.phase(client) == .stopping }, "not STOPPING")
                try await Seed.setWorkloadStatus(client, replicas: 0, available: 0)
                #expect(try await operatorPoll { try await Seed.phase(client) == .stopped }, "not STOPPED")
                _ = try await client.patch(V1Alpha1.Deployment.self, name: Seed.deploymentName, namespace: Seed.namespace,
                                           patch: .merge(["spec": ["targetStatus": "RUNNING"]]))
                try await Seed.setWorkloadStatus(client, replicas: 1, available: 1)
                #expect(try await operatorPoll { try await Seed.phase(client) == .running }, "not RUNNING again")
                _ = try await client.delete(V1Alpha1.Deployment.self, name: Seed.deploymentName, namespace: Seed.namespace)
                #expect(try await operatorPoll {
                    let quiver = try await Seed.exists(client, V1Alpha1.Deployment.groupVersionResource, Seed.deploymentName)
                    let apps = try await Seed.exists(client, OperatorKube.appsDeployments, Seed.deploymentName)
                    return !quiver && !apps
                }, "not deleted")
                let events = try await client.list(Event.self, namespace: Seed.namespace).items.filter { $0.involvedObject.name == Seed.deploymentName }
                #expect(!events.isEmpty, "no events recorded")
            }
        }
        Self.expectNoRefusals(logs)
    }

    @Test("KServe backend: InferenceService created, stopped and deleted with no call refused")
    func kserveLifecycle() async throws {
        let logs = CollectedLogs()
        try await withOperatorKube(tokens: Self.tokens) { kube in
            let client = kube.client
            try await kube.installCRDs()
            try await kube.installInferenceServiceCRD()
            try await Self.installRBAC(client)
            try await kube.installPlansAndTemplates([try Fixtures.template(named: "infinity.yaml")])
            _ = try await client.create(Seed.artifact)
            _ = try await client.create(try Seed.seedConfiguration())
            let asOperator = try KubeClient(configuration: OperatorKube.clientConfiguration(port: kube.port, server: kube.server, token: Self.token))
            #expect(try await ServingBackend.resolve(.auto, client: asOperator, namespace: nil) == .kserve)
            try? await asOperator.shutdown()
            try await withOperator(kube, configuration: KServeBackendTests.configuration, token: Self.token, logs: logs) {
                _ = try await client.create(Seed.quiverDeployment())
                #expect(try await operatorPoll { try await KServeBackendTests.inferenceService(client) != nil }, "no InferenceService")
                try await KServeBackendTests.setStatus(client, ready: true)
                #expect(try await operatorPoll { try await Seed.phase(client) == .running }, "not RUNNING")
                _ = try await client.patch(V1Alpha1.Deployment.self, name: Seed.deploymentName, namespace: Seed.namespace,
                                           patch: .merge(["spec": ["targetStatus": "STOPPED"]]))
                #expect(try await operatorPoll {
                    try await KServeBackendTests.inferenceService(client)?[path: ["metadata", "annotations", "serving.kserve.io/stop"]] == "true"
                }, "not stopped")
                _ = try await client.delete(V1Alpha1.Deployment.self, name: Seed.deploymentName, namespace: Seed.namespace)
                #expect(try await operatorPoll {
                    let service = try await KServeBackendTests.inferenceService(client)
                    let quiver = try await Seed.exists(client, V1Alpha1.Deployment.groupVersionResource, Seed.deploymentName)
                    return service == nil && !quiver
                }, "not deleted")
            }
        }
        Self.expectNoRefusals(logs)
    }
}
