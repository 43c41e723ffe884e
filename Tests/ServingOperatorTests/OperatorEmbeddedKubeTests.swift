import Foundation
import KubeModel
import KubeRuntime
import ServingAPI
import ServingOperator
import Testing

/// The operator (both controllers, informers) against a real EmbeddedKube, native backend.
@Suite("Operator against EmbeddedKube", .serialized)
struct OperatorEmbeddedKubeTests {
    static let namespace = "default"
    static let deploymentName = "d2f5a1b3c4e6f789"
    static let configurationID = "cccccccc-cccc-cccc-cccc-cccccccccccc"
    static let artifactID = "aaaaaaaa-aaaa-aaaa-aaaa-aaaaaaaaaaaa"
    static let seedImage = "XXX.common.repositories.cloud.sap/genai-platform-exp/ai-core-embed-model-serve:0.0.1"
    static let operatorConfiguration = OperatorConfiguration(
        namespace: nil, apiBaseURL: "http://quiver.example:8080/", workers: 2,
        retryBaseDelay: .milliseconds(20), retryMaximumDelay: .seconds(1))

    /// The seed configuration (hack/testdata/kubectl/seed-configuration.yaml).
    static func seedConfiguration() throws -> V1Alpha1.Configuration {
        let url = Fixtures.repositoryRoot.appendingPathComponent("hack/testdata/kubectl/seed-configuration.yaml")
        return try Fixtures.yaml(url).decode()
    }

    /// The seed artifact with an `s3://` URL (no object-store secret needed).
    static let artifact = V1Alpha1.Artifact(
        metadata: ObjectMeta(name: artifactID, namespace: namespace),
        spec: V1Alpha1.ArtifactSpec(name: "nomic-embed-text-v1.5", kind: .model, url: "s3://models/nomic-embed-text-v1.5"))

    static func quiverDeployment(_ name: String = deploymentName, configurationID: String = configurationID) -> V1Alpha1.Deployment {
        V1Alpha1.Deployment(
            metadata: ObjectMeta(name: name, namespace: namespace),
            spec: V1Alpha1.DeploymentSpec(configurationId: configurationID, targetStatus: .running))
    }

    static func get(_ client: KubeClient, _ name: String = deploymentName) async throws -> V1Alpha1.Deployment {
        try await client.get(V1Alpha1.Deployment.self, name: name, namespace: namespace)
    }

    static func phase(_ client: KubeClient, _ name: String = deploymentName) async throws -> V1Alpha1.DeploymentPhase? {
        try await get(client, name).status?.status
    }

    static func exists(_ client: KubeClient, _ resource: GroupVersionResource, _ name: String) async throws -> Bool {
        do {
            _ = try await client.get(resource, name: name, namespace: namespace)
            return true
        } catch let error as KubeAPIError where error.isNotFound {
            return false
        }
    }

    /// Plays the Deployment controller and kubelet: writes the apps Deployment's status.
    static func setWorkloadStatus(_ client: KubeClient, replicas: Int64, available: Int64) async throws {
        for _ in 0..<20 {
            var apps = try await client.get(OperatorKube.appsDeployments, name: deploymentName, namespace: namespace)
            apps["status"] = ["replicas": .int(replicas), "availableReplicas": .int(available), "readyReplicas": .int(available),
                              "updatedReplicas": .int(replicas), "observedGeneration": apps[path: ["metadata", "generation"]] ?? 1]
            do {
                _ = try await client.updateStatus(OperatorKube.appsDeployments, apps, namespace: namespace)
                return
            } catch let error as KubeAPIError where error.isConflict {
                continue
            }
        }
        throw OperatorHarnessError(description: "could not write the apps Deployment's status")
    }

    static func env(_ container: JSONValue?, _ name: String) -> String? {
        container?["env"]?.arrayValue?.first { $0["name"]?.stringValue == name }?["value"]?.stringValue
    }

    @Test("seed flow: Configuration Valid, workload created, PENDING → RUNNING → STOPPED → RUNNING, delete cleans up")
    func seedFlow() async throws {
        try await withOperatorKube { kube in
            let client = kube.client
            try await kube.installCRDs()
            try await kube.installPlansAndTemplates([try Fixtures.template(named: "infinity.yaml")])
            _ = try await client.create(Self.artifact)
            _ = try await client.create(try Self.seedConfiguration())

            try await withOperator(kube, configuration: Self.operatorConfiguration) {
                // The Configuration becomes Valid.
                #expect(try await operatorPoll {
                    let configuration = try await client.get(V1Alpha1.Configuration.self, name: Self.configurationID, namespace: Self.namespace)
                    return configuration.status?.conditions?.contains { $0.type == ServingConditionType.valid && $0.status == "True" } == true
                }, "the seed Configuration did not become Valid")

                _ = try await client.create(Self.quiverDeployment())

                // The apps/v1 Deployment appears with the seed's values; the quiver Deployment is PENDING.
                #expect(try await operatorPoll { try await Self.exists(client, OperatorKube.appsDeployments, Self.deploymentName) },
                        "the apps Deployment was not created")
                let apps = try await client.get(OperatorKube.appsDeployments, name: Self.deploymentName, namespace: Self.namespace)
                let podSpec = apps[path: ["spec", "template", "spec"]]
                let container = podSpec?["containers"]?.arrayValue?.first
                #expect(container?["image"]?.stringValue == Self.seedImage)
                #expect(Self.env(container, "BATCH_SIZE") == "256")
                #expect(Self.env(container, "STORAGE_URI") == "s3://models/nomic-embed-text-v1.5")
                let shm = podSpec?["volumes"]?.arrayValue?.first { $0["name"] == "shm" }
                #expect(shm?[path: ["emptyDir", "medium"]] == "Memory")
                #expect(container?["volumeMounts"]?.arrayValue?.contains { $0["mountPath"] == "/dev/shm" } == true)
                #expect(container?[path: ["resources", "requests", "cpu"]] == "7")
                #expect(container?[path: ["resources", "limits", "memory"]] == "28Gi")
                #expect(apps[path: ["metadata", "labels", "app.kubernetes.io/managed-by"]] == "quiver")
                let owner = apps[path: ["metadata", "ownerReferences"]]?.arrayValue?.first
                #expect(owner?["kind"] == "Deployment" && owner?["apiVersion"] == "quiver.dev/v1alpha1")
                #expect(try await operatorPoll { try await Self.exists(client, OperatorKube.services, Self.deploymentName) },
                        "the Service was not created")
                #expect(try await operatorPoll { try await Self.phase(client) == .pending }, "the Deployment did not become PENDING")
                let pending = try await Self.get(client)
                #expect(pending.metadata.finalizers?.contains(DeploymentLifecycle.finalizer) == true)

                // Available → RUNNING with the deployment URL.
                try await Self.setWorkloadStatus(client, replicas: 1, available: 1)
                #expect(try await operatorPoll { try await Self.phase(client) == .running }, "the Deployment did not become RUNNING")
                let running = try await Self.get(client)
                #expect(running.status?.deploymentUrl == "http://quiver.example:8080/v2/inference/deployments/\(Self.deploymentName)")
                #expect(running.status?.latestRunningConfigurationId == Self.configurationID)

                // Unchanged objects are not rewritten when the Deployment is reconciled again.
                let appsRV = try await client.get(OperatorKube.appsDeployments, name: Self.deploymentName, namespace: Self.namespace)[path: ["metadata", "resourceVersion"]]
                let serviceRV = try await client.get(OperatorKube.services, name: Self.deploymentName, namespace: Self.namespace)[path: ["metadata", "resourceVersion"]]
                _ = try await client.patch(
                    V1Alpha1.Deployment.self, name: Self.deploymentName, namespace: Self.namespace,
                    patch: .merge(["metadata": ["annotations": ["test.quiver.dev/poke": "1"]]]))
                try await Task.sleep(for: .milliseconds(500))
                #expect(try await client.get(OperatorKube.appsDeployments, name: Self.deploymentName, namespace: Self.namespace)[path: ["metadata", "resourceVersion"]] == appsRV)
                #expect(try await client.get(OperatorKube.services, name: Self.deploymentName, namespace: Self.namespace)[path: ["metadata", "resourceVersion"]] == serviceRV)

                // Events were recorded on the Deployment.
                let events = try await client.list(Event.self, namespace: Self.namespace).items
                    .filter { $0.involvedObject.name == Self.deploymentName && $0.source?.component == "quiver-operator" }
                #expect(events.contains { $0.reason == "Running" }, "no Running event: \(events.map { $0.reason ?? "" })")

                // STOPPED: scaled to zero, then STOPPED once no replica is left.
                _ = try await client.patch(
                    V1Alpha1.Deployment.self, name: Self.deploymentName, namespace: Self.namespace,
                    patch: .merge(["spec": ["targetStatus": "STOPPED"]]))
                #expect(try await operatorPoll {
                    let apps = try await client.get(OperatorKube.appsDeployments, name: Self.deploymentName, namespace: Self.namespace)
                    return apps[path: ["spec", "replicas"]]?.intValue == 0
                }, "the apps Deployment was not scaled to 0")
                #expect(try await operatorPoll { try await Self.phase(client) == .stopping }, "the Deployment did not become STOPPING")
                try await Self.setWorkloadStatus(client, replicas: 0, available: 0)
                #expect(try await operatorPoll { try await Self.phase(client) == .stopped }, "the Deployment did not become STOPPED")

                // Back to RUNNING: scaled up again.
                _ = try await client.patch(
                    V1Alpha1.Deployment.self, name: Self.deploymentName, namespace: Self.namespace,
                    patch: .merge(["spec": ["targetStatus": "RUNNING"]]))
                #expect(try await operatorPoll {
                    let apps = try await client.get(OperatorKube.appsDeployments, name: Self.deploymentName, namespace: Self.namespace)
                    return apps[path: ["spec", "replicas"]]?.intValue == 1
                }, "the apps Deployment was not scaled up")
                #expect(try await operatorPoll { try await Self.phase(client) == .pending }, "the Deployment did not become PENDING again")
                try await Self.setWorkloadStatus(client, replicas: 1, available: 1)
                #expect(try await operatorPoll { try await Self.phase(client) == .running }, "the Deployment did not become RUNNING again")

                // Delete: the workload goes, then the finalizer, then the Deployment.
                _ = try await client.delete(V1Alpha1.Deployment.self, name: Self.deploymentName, namespace: Self.namespace)
                #expect(try await operatorPoll {
                    let apps = try await Self.exists(client, OperatorKube.appsDeployments, Self.deploymentName)
                    let service = try await Self.exists(client, OperatorKube.services, Self.deploymentName)
                    let quiver = try await Self.exists(client, V1Alpha1.Deployment.groupVersionResource, Self.deploymentName)
                    return !apps && !service && !quiver
                }, "the Deployment and its workload were not deleted")
            }
        }
    }

    @Test("a template change leaves a running workload as it is; patching configurationId re-renders it and keeps its URL")
    func templateChangeAndConfigurationPatch() async throws {
        try await withOperatorKube { kube in
            let client = kube.client
            try await kube.installCRDs()
            try await kube.installPlansAndTemplates([try Fixtures.template(named: "infinity.yaml")])
            _ = try await client.create(Self.artifact)
            _ = try await client.create(try Self.seedConfiguration())
            var second = try Self.seedConfiguration()
            second.metadata.name = "second-configuration"
            second.spec.parameterBindings = second.spec.parameterBindings?.map { $0.key == "batchSize" ? .init(key: "batchSize", value: "128") : $0 }
            _ = try await client.create(second)

            try await withOperator(kube, configuration: Self.operatorConfiguration) {
                _ = try await client.create(Self.quiverDeployment())
                #expect(try await operatorPoll { try await Self.exists(client, OperatorKube.appsDeployments, Self.deploymentName) },
                        "the apps Deployment was not created")
                try await Self.setWorkloadStatus(client, replicas: 1, available: 1)
                #expect(try await operatorPoll { try await Self.phase(client) == .running }, "the Deployment did not become RUNNING")
                let url = try await Self.get(client).status?.deploymentUrl
                func apps() async throws -> JSONValue {
                    try await client.get(OperatorKube.appsDeployments, name: Self.deploymentName, namespace: Self.namespace)
                }
                let before = try await apps()
                #expect(before[path: ["metadata", "annotations", "autoscaling.knative.dev/window"]] == "10m")

                // The platform team edits the template: the running workload is not touched.
                var template = try #require(try await client.list(V1Alpha1.ServingTemplate.self).items.first)
                let annotations = try #require(template.spec.template.metadata?.annotations?.stringValue)
                template.spec.template.metadata?.annotations = .string(
                    annotations.replacingOccurrences(of: #"autoscaling.knative.dev/window: "10m""#, with: #"autoscaling.knative.dev/window: "20m""#))
                #expect(template.spec.template.metadata?.annotations?.stringValue != annotations)
                _ = try await client.update(template)
                #expect(try await operatorPoll {
                    try await Self.get(client).status?.conditions?.contains {
                        $0.type == ServingConditionType.upToDate && $0.status == "False" && $0.reason == "TemplateChanged"
                    } == true
                }, "no UpToDate=False condition after the template changed")
                let kept = try await apps()
                #expect(kept[path: ["metadata", "resourceVersion"]] == before[path: ["metadata", "resourceVersion"]])
                #expect(try await Self.phase(client) == .running)
                let warnings = try await client.list(Event.self, namespace: Self.namespace).items
                    .filter { $0.involvedObject.name == Self.deploymentName && $0.reason == "TemplateChanged" }
                #expect(warnings.count == 1 && warnings.first?.type == "Warning")

                // Patching configurationId re-renders in place: the second Configuration's batch
                // size and the edited template, under the same name and URL.
                _ = try await client.patch(
                    V1Alpha1.Deployment.self, name: Self.deploymentName, namespace: Self.namespace,
                    patch: .merge(["spec": ["configurationId": "second-configuration"]]))
                #expect(try await operatorPoll {
                    Self.env(try await apps()[path: ["spec", "template", "spec", "containers"]]?.arrayValue?.first, "BATCH_SIZE") == "128"
                }, "the apps Deployment was not re-rendered from the second Configuration")
                let rerendered = try await apps()
                #expect(rerendered[path: ["metadata", "annotations", "autoscaling.knative.dev/window"]] == "20m")
                #expect(rerendered[path: ["metadata", "annotations", "quiver.dev/configuration-id"]] == "second-configuration")
                #expect(rerendered[path: ["metadata", "uid"]] == before[path: ["metadata", "uid"]])
                try await Self.setWorkloadStatus(client, replicas: 1, available: 1)
                #expect(try await operatorPoll {
                    let d = try await Self.get(client)
                    return d.status?.latestRunningConfigurationId == "second-configuration"
                        && d.status?.conditions?.contains { $0.type == ServingConditionType.upToDate && $0.status == "True" } == true
                }, "the Deployment did not report the second Configuration as running and up to date")
                let after = try await Self.get(client)
                #expect(after.status?.status == .running)
                #expect(after.status?.deploymentUrl == url)
            }
        }
    }

    @Test("a Configuration that leaves a parameter without default unbound makes the Deployment DEAD, naming it")
    func missingParameterIsDead() async throws {
        try await withOperatorKube { kube in
            let client = kube.client
            try await kube.installCRDs()
            // The infinity template with `batchSize` losing its default, under its own executable id.
            var strict = try Fixtures.template(named: "infinity.yaml")
            strict.metadata.name = "nomic-embed-strict"
            strict.metadata.labels?["executables.ai.sap.com/id"] = "nomic-embed-strict"
            let parameters = strict.parameters
            strict.spec.inputs?.parameters = parameters.map { parameter in
                var parameter = parameter
                if parameter.name == "batchSize" { parameter.default = nil }
                return parameter
            }
            try await kube.installPlansAndTemplates([try Fixtures.template(named: "infinity.yaml"), strict])
            _ = try await client.create(Self.artifact)
            var configuration = try Self.seedConfiguration()
            configuration.metadata.name = "strict-configuration"
            configuration.spec.executableId = "nomic-embed-strict"
            configuration.spec.parameterBindings?.removeAll { $0.key == "batchSize" }
            _ = try await client.create(configuration)
            // And one naming no template at all.
            var orphan = try Self.seedConfiguration()
            orphan.metadata.name = "orphan-configuration"
            orphan.spec.executableId = "no-such-executable"
            _ = try await client.create(orphan)

            try await withOperator(kube, configuration: Self.operatorConfiguration) {
                _ = try await client.create(Self.quiverDeployment("strict", configurationID: "strict-configuration"))
                #expect(try await operatorPoll { try await Self.phase(client, "strict") == .dead }, "the Deployment did not become DEAD")
                let dead = try await Self.get(client, "strict")
                let message = dead.status?.statusMessage ?? ""
                #expect(message.contains("batchSize"), "statusMessage does not name the parameter: \(message)")
                #expect(dead.status?.conditions?.contains { $0.type == ServingConditionType.rendered && $0.status == "False" } == true)
                #expect(try await !Self.exists(client, OperatorKube.appsDeployments, "strict"))

                let invalid = try await operatorPoll {
                    let c = try await client.get(V1Alpha1.Configuration.self, name: "orphan-configuration", namespace: Self.namespace)
                    return c.status?.conditions?.contains {
                        $0.type == ServingConditionType.valid && $0.status == "False"
                            && $0.message?.contains("no ServingTemplate with executable id no-such-executable") == true
                    } == true
                }
                #expect(invalid, "the orphan Configuration is not Valid=False")

                // A Deployment of a Configuration that does not exist is DEAD too.
                _ = try await client.create(Self.quiverDeployment("missing", configurationID: "no-such-configuration"))
                #expect(try await operatorPoll { try await Self.phase(client, "missing") == .dead })
                #expect(try await Self.get(client, "missing").status?.statusMessage?.contains("no-such-configuration") == true)
            }
        }
    }

    @Test("a crash-looping pod of the workload makes the Deployment DEAD with the container's message")
    func crashLoopIsDead() async throws {
        try await withOperatorKube { kube in
            let client = kube.client
            try await kube.installCRDs()
            try await kube.installPlansAndTemplates([try Fixtures.template(named: "infinity.yaml")])
            _ = try await client.create(Self.artifact)
            _ = try await client.create(try Self.seedConfiguration())

            try await withOperator(kube, configuration: Self.operatorConfiguration) {
                _ = try await client.create(Self.quiverDeployment())
                #expect(try await operatorPoll { try await Self.phase(client) == .pending }, "the Deployment did not become PENDING")

                // A pod of the workload, its container waiting in CrashLoopBackOff.
                let pods = GroupVersionResource(group: "", version: "v1", resource: "pods")
                var pod: JSONValue = [
                    "apiVersion": "v1", "kind": "Pod",
                    "metadata": [
                        "name": .string("\(Self.deploymentName)-abc12"), "namespace": .string(Self.namespace),
                        "labels": ["app.kubernetes.io/managed-by": "quiver", "quiver.dev/deployment-id": .string(Self.deploymentName)],
                    ],
                    "spec": ["containers": [["name": "kserve-container", "image": .string(Self.seedImage)]]],
                ]
                pod = try await client.create(pods, pod, namespace: Self.namespace)
                pod["status"] = [
                    "phase": "Running",
                    "containerStatuses": [[
                        "name": "kserve-container", "ready": false, "restartCount": 5, "image": .string(Self.seedImage), "imageID": "",
                        "state": ["waiting": ["reason": "CrashLoopBackOff", "message": "back-off 5m0s restarting failed container"]],
                    ]],
                ]
                _ = try await client.updateStatus(pods, pod, namespace: Self.namespace)

                #expect(try await operatorPoll { try await Self.phase(client) == .dead }, "the Deployment did not become DEAD")
                let message = try await Self.get(client).status?.statusMessage ?? ""
                #expect(message.contains("CrashLoopBackOff") && message.contains("kserve-container"), "unexpected statusMessage: \(message)")
                let events = try await client.list(Event.self, namespace: Self.namespace).items
                #expect(events.contains { $0.involvedObject.name == Self.deploymentName && $0.reason == "CrashLoop" && $0.type == "Warning" })
            }
        }
    }
}
