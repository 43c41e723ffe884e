import KubeModel
import ServingAPI
import ServingOperator
import Testing

/// The seed's (003) flow: the AI Core infinity template applied with only its apiVersion changed,
/// the seed's configuration body, and its artifact.
@Suite struct SeedFlowTests {
    func servingContainer(_ rendered: RenderedObjects) -> JSONValue? {
        rendered.deployment?[path: ["spec", "template", "spec", "containers"]]?.arrayValue?.first
    }

    func env(_ container: JSONValue?, _ name: String) -> String? {
        container?["env"]?.arrayValue?.first { $0["name"]?.stringValue == name }?["value"]?.stringValue
    }

    @Test func renderedDeploymentHasTheSeedsValues() throws {
        let rendered = try render(Fixtures.seedInput())
        let container = servingContainer(rendered)
        #expect(container?["image"] == "XXX.common.repositories.cloud.sap/genai-platform-exp/ai-core-embed-model-serve:0.0.1")
        #expect(env(container, "BATCH_SIZE") == "256")
        #expect(env(container, "TRUST_REMOTE_CODE") == "False")
        #expect(env(container, "MODEL_SERVE_NAME") == "nomic-ai/nomic-embed-text-v1.5")
        #expect(env(container, "ARG") == "")
        #expect(env(container, "STORAGE_URI") == "s3://on-boarded-bucket/our-awesome-model/v1")
        #expect(rendered.storageURI == "s3://on-boarded-bucket/our-awesome-model/v1")
        #expect(container?["ports"]?.arrayValue?.first?["containerPort"] == .int(9000))
        #expect(rendered.service?[path: ["spec", "ports"]]?.arrayValue?.first?["targetPort"] == .int(9000))
    }

    @Test func devShmIsAMemoryEmptyDir() throws {
        let rendered = try render(Fixtures.seedInput())
        let podSpec = rendered.deployment?[path: ["spec", "template", "spec"]]
        let shm = podSpec?["volumes"]?.arrayValue?.first { $0["name"] == "shm" }
        #expect(shm?[path: ["emptyDir", "medium"]] == "Memory")
        #expect(shm?[path: ["emptyDir", "sizeLimit"]] == "10Gi")
        let mount = servingContainer(rendered)?["volumeMounts"]?.arrayValue?.first { $0["name"] == "shm" }
        #expect(mount?["mountPath"] == "/dev/shm")
    }

    @Test func resourcesComeFromThePlanInfer2L() throws {
        let rendered = try render(Fixtures.seedInput())
        #expect(rendered.resourcePlan == "infer2.l")
        let resources = servingContainer(rendered)?["resources"]
        #expect(resources?[path: ["requests", "cpu"]] == "7")
        #expect(resources?[path: ["requests", "memory"]] == "28Gi")
        #expect(resources?[path: ["limits", "cpu"]] == "7")
        #expect(resources?[path: ["limits", "memory"]] == "28Gi")
        // The seed's template declares a `gpu` parameter but never uses it: the plan's count applies.
        #expect(resources?[path: ["limits", "nvidia.com/gpu"]] == "1")
        let tolerations = rendered.deployment?[path: ["spec", "template", "spec", "tolerations"]]?.arrayValue ?? []
        #expect(tolerations.contains(["key": "nvidia.com/gpu", "operator": "Exists", "effect": "NoSchedule"]))
        // The same resources are in the InferenceService for the kserve backend.
        let isContainer = rendered.inferenceService[path: ["spec", "predictor", "containers"]]?.arrayValue?.first
        #expect(isContainer?["resources"] == resources)
    }

    @Test func storageInitContainerFetchesTheArtifact() throws {
        let rendered = try render(Fixtures.seedInput())
        let podSpec = rendered.deployment?[path: ["spec", "template", "spec"]]
        let initContainer = podSpec?["initContainers"]?.arrayValue?.first
        #expect(initContainer?["name"] == "storage-initializer")
        #expect(initContainer?["command"] == ["quiver", "storage-init"])
        #expect(initContainer?["args"] == ["--uri", "s3://on-boarded-bucket/our-awesome-model/v1", "--dest", "/mnt/models"])
        #expect(initContainer?["env"] == [["name": "AWS_REGION", "value": "eu-central-1"]])
        #expect(podSpec?["volumes"]?.arrayValue?.contains(["name": "quiver-models", "emptyDir": [:]]) == true)
        let mount = servingContainer(rendered)?["volumeMounts"]?.arrayValue?.first { $0["name"] == "quiver-models" }
        #expect(mount == ["name": "quiver-models", "mountPath": "/mnt/models", "readOnly": true])
    }

    @Test func annotationsKeepTheirTextAndIdleWindowIsRead() throws {
        let rendered = try render(Fixtures.seedInput())
        let annotations = rendered.inferenceService[path: ["metadata", "annotations"]]
        #expect(annotations?["autoscaling.knative.dev/target"] == "1")
        #expect(annotations?["autoscaling.knative.dev/targetBurstCapacity"] == "-1")
        #expect(annotations?["autoscaling.knative.dev/window"] == "10m")
        #expect(annotations?["quiver.dev/spec-hash"] == .string(rendered.specHash))
        #expect(rendered.inferenceService[path: ["metadata", "labels", "ai.sap.com/resourcePlan"]] == "infer2.l")
        #expect(rendered.idleWindow == "10m")
        #expect(rendered.minReplicas == 1 && rendered.maxReplicas == 1)
        #expect(rendered.horizontalPodAutoscaler == nil)
    }

    @Test func theSeedsOwnArtifactKeyIsRefusedNamingBothSides() throws {
        let error = renderError(try Fixtures.seedInput(configuration: Fixtures.seedConfiguration(artifactKey: "embmodel")))
        #expect(error?.kind == .artifactMismatch)
        #expect(error?.message.contains("\"embmodel\"") == true)
        #expect(error?.message.contains("\"nomicv15\"") == true)
        // ServingAPI's validation agrees.
        let problems = Fixtures.seedConfiguration(artifactKey: "embmodel").spec.validate(against: try Fixtures.template(named: "infinity.yaml"))
        #expect(problems.contains { $0.message.contains("embmodel") })
    }

    @Test func aMissingParameterIsNamed() throws {
        var template = try Fixtures.template(named: "infinity.yaml")
        // `urlPrefix` is used but not bound by the seed; without its default it has no value.
        let parameters = template.parameters.map { parameter in
            var parameter = parameter
            if parameter.name == "urlPrefix" { parameter.default = nil }
            return parameter
        }
        template.spec.inputs?.parameters = parameters
        let error = renderError(try Fixtures.seedInput(template: template))
        #expect(error?.kind == .missingParameter)
        #expect(error?.field == "urlPrefix")
        #expect(error?.message.contains("\"urlPrefix\"") == true)
    }

    @Test func theKServeBackendRendersOnlyTheInferenceService() throws {
        var input = try Fixtures.seedInput()
        input.options.backend = .kserve
        let rendered = try render(input)
        #expect(rendered.native.isEmpty)
        #expect(rendered.inferenceService["apiVersion"] == "serving.kserve.io/v1beta1")
        #expect(rendered.inferenceService["kind"] == "InferenceService")
    }
}
