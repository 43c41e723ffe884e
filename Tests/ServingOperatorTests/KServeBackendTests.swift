import Foundation
import KubeModel
import KubeRuntime
import ServingAPI
import ServingOperator
import Testing

/// The KServe backend against EmbeddedKube with KServe's InferenceService kind installed: the
/// operator creates InferenceServices instead of native objects, and reads readiness and the URL
/// from their status (which the test writes, playing KServe).
@Suite("KServe backend against EmbeddedKube", .serialized)
struct KServeBackendTests {
    typealias Seed = OperatorEmbeddedKubeTests
    static let inferenceServices = GroupVersionResource(group: "serving.kserve.io", version: "v1beta1", resource: "inferenceservices")
    static let configuration = OperatorConfiguration(
        namespace: nil, apiBaseURL: "http://quiver.example:8080", renderOptions: RenderOptions(backend: .kserve), workers: 2,
        retryBaseDelay: .milliseconds(20), retryMaximumDelay: .seconds(1))
    static let kserveURL = "http://\(Seed.deploymentName).default.example.com"

    static func inferenceService(_ client: KubeClient) async throws -> JSONValue? {
        do {
            return try await client.get(inferenceServices, name: Seed.deploymentName, namespace: Seed.namespace)
        } catch let error as KubeAPIError where error.isNotFound {
            return nil
        }
    }

    /// Plays KServe: writes the InferenceService's conditions and URL.
    static func setStatus(_ client: KubeClient, ready: Bool, stopped: Bool = false) async throws {
        for _ in 0..<20 {
            var service = try #require(try await inferenceService(client))
            var conditions: [JSONValue] = [
                ["type": "Ready", "status": ready ? "True" : "False", "lastTransitionTime": .string(KubeTime.now().rfc3339)],
            ]
            if stopped { conditions.append(["type": "Stopped", "status": "True", "lastTransitionTime": .string(KubeTime.now().rfc3339)]) }
            service["status"] = ["conditions": .array(conditions), "url": .string(kserveURL)]
            do {
                _ = try await client.updateStatus(inferenceServices, service, namespace: Seed.namespace)
                return
            } catch let error as KubeAPIError where error.isConflict {
                continue
            }
        }
        throw OperatorHarnessError(description: "could not write the InferenceService's status")
    }

    @Test("auto picks KServe only when InferenceServices are served; kserve without them is refused")
    func backendResolution() async throws {
        try await withOperatorKube { kube in
            try await kube.installCRDs()
            #expect(try await ServingBackend.resolve(.auto, client: kube.client, namespace: nil) == .native)
            #expect(try await ServingBackend.resolve(.native, client: kube.client, namespace: nil) == .native)
            await #expect(throws: ServingBackendError.self) {
                _ = try await ServingBackend.resolve(.kserve, client: kube.client, namespace: "default")
            }
            try await kube.installInferenceServiceCRD()
            #expect(try await operatorPoll { try await ServingBackend.resolve(.auto, client: kube.client, namespace: nil) == .kserve },
                    "auto did not pick KServe once InferenceServices were served")
            #expect(try await ServingBackend.resolve(.native, client: kube.client, namespace: nil) == .native)
        }
    }

    @Test("seed flow on KServe: InferenceService created, RUNNING with its URL, stop annotation for STOPPED, delete cleans up")
    func lifecycle() async throws {
        try await withOperatorKube { kube in
            let client = kube.client
            try await kube.installCRDs()
            try await kube.installInferenceServiceCRD()
            try await kube.installPlansAndTemplates([try Fixtures.template(named: "infinity.yaml")])
            _ = try await client.create(Seed.artifact)
            _ = try await client.create(try Seed.seedConfiguration())

            try await withOperator(kube, configuration: Self.configuration) {
                _ = try await client.create(Seed.quiverDeployment())
                #expect(try await operatorPoll { try await Self.inferenceService(client) != nil }, "the InferenceService was not created")
                let service = try #require(try await Self.inferenceService(client))
                let container = service[path: ["spec", "predictor", "containers"]]?.arrayValue?.first
                #expect(container?["image"]?.stringValue == Seed.seedImage)
                #expect(Seed.env(container, "BATCH_SIZE") == "256")
                #expect(service[path: ["spec", "predictor", "containers"]] != nil)
                #expect(service[path: ["metadata", "ownerReferences"]]?.arrayValue?.first?["kind"] == "Deployment")
                #expect(service[path: ["metadata", "annotations", "quiver.dev/configuration-id"]]?.stringValue == Seed.configurationID)
                #expect(service[path: ["metadata", "annotations", "serving.kserve.io/stop"]] == nil)
                // No native objects with this backend.
                #expect(try await !Seed.exists(client, OperatorKube.appsDeployments, Seed.deploymentName))
                #expect(try await operatorPoll { try await Seed.phase(client) == .pending }, "the Deployment did not become PENDING")

                // KServe reports Ready with its URL → RUNNING at that URL.
                try await Self.setStatus(client, ready: true)
                #expect(try await operatorPoll { try await Seed.phase(client) == .running }, "the Deployment did not become RUNNING")
                #expect(try await Seed.get(client).status?.deploymentUrl == Self.kserveURL)

                // STOPPED: the stop annotation, then STOPPED once KServe reports it stopped.
                _ = try await client.patch(
                    V1Alpha1.Deployment.self, name: Seed.deploymentName, namespace: Seed.namespace,
                    patch: .merge(["spec": ["targetStatus": "STOPPED"]]))
                #expect(try await operatorPoll {
                    try await Self.inferenceService(client)?[path: ["metadata", "annotations", "serving.kserve.io/stop"]] == "true"
                }, "the InferenceService did not get serving.kserve.io/stop: \"true\"")
                #expect(try await operatorPoll { try await Seed.phase(client) == .stopping }, "the Deployment did not become STOPPING")
                try await Self.setStatus(client, ready: false, stopped: true)
                #expect(try await operatorPoll { try await Seed.phase(client) == .stopped }, "the Deployment did not become STOPPED")

                // RUNNING again: the annotation goes; Ready again → RUNNING.
                _ = try await client.patch(
                    V1Alpha1.Deployment.self, name: Seed.deploymentName, namespace: Seed.namespace,
                    patch: .merge(["spec": ["targetStatus": "RUNNING"]]))
                #expect(try await operatorPoll {
                    try await Self.inferenceService(client)?[path: ["metadata", "annotations", "serving.kserve.io/stop"]] == nil
                }, "the stop annotation was not removed")
                try await Self.setStatus(client, ready: true)
                #expect(try await operatorPoll { try await Seed.phase(client) == .running }, "the Deployment did not become RUNNING again")

                // A predictor that fails for good is DEAD with KServe's reason.
                var failing = try #require(try await Self.inferenceService(client))
                failing["status"] = [
                    "url": .string(Self.kserveURL),
                    "conditions": [
                        ["type": "PredictorReady", "status": "False", "reason": "RevisionFailed", "message": "Container failed with: exec format error"],
                        ["type": "Ready", "status": "False", "reason": "RevisionFailed"],
                    ],
                ]
                _ = try await client.updateStatus(Self.inferenceServices, failing, namespace: Seed.namespace)
                #expect(try await operatorPoll { try await Seed.phase(client) == .dead }, "a RevisionFailed predictor did not make the Deployment DEAD")
                #expect(try await Seed.get(client).status?.statusMessage?.contains("RevisionFailed: Container failed with: exec format error") == true)

                // Delete: the InferenceService goes, then the Deployment.
                _ = try await client.delete(V1Alpha1.Deployment.self, name: Seed.deploymentName, namespace: Seed.namespace)
                #expect(try await operatorPoll {
                    let service = try await Self.inferenceService(client)
                    let quiver = try await Seed.exists(client, V1Alpha1.Deployment.groupVersionResource, Seed.deploymentName)
                    return service == nil && !quiver
                }, "the Deployment and its InferenceService were not deleted")
            }
        }
    }
}
