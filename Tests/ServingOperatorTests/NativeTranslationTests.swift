import KubeModel
import ServingAPI
import ServingOperator
import Testing

/// The native backend's objects: Deployment, Service, HPA; labels, owners, hash; determinism.
@Suite struct NativeTranslationTests {
    func cpuInput(_ bindings: [String: String]) throws -> RenderInput {
        let artifact = V1Alpha1.Artifact(
            metadata: ObjectMeta(name: "m1"), spec: V1Alpha1.ArtifactSpec(name: "m", url: "hf://sentence-transformers/all-MiniLM-L6-v2"))
        return try Fixtures.input(
            Fixtures.template(named: "quiver-embed-cpu.yaml"),
            Fixtures.configuration(bindings, artifacts: ["model": "m1"]), artifacts: [artifact])
    }

    @Test(arguments: [
        (["minReplicas": "1", "maxReplicas": "1"], false),
        (["minReplicas": "0", "maxReplicas": "1"], false),
        (["minReplicas": "0", "maxReplicas": "0"], false),
        (["minReplicas": "1", "maxReplicas": "2"], true),
        (["minReplicas": "0", "maxReplicas": "5"], true),
        (["minReplicas": "3", "maxReplicas": "2"], false),
    ])
    func autoscalerOnlyWhenMaxExceedsMin(_ bindings: [String: String], _ expectHPA: Bool) throws {
        let rendered = try render(cpuInput(bindings))
        #expect((rendered.horizontalPodAutoscaler != nil) == expectHPA)
        let min = Int64(bindings["minReplicas"] ?? "1") ?? 1
        #expect(rendered.deployment?[path: ["spec", "replicas"]] == .int(max(min, 1)))
        if let hpa = rendered.horizontalPodAutoscaler {
            #expect(hpa["apiVersion"] == "autoscaling/v2")
            #expect(hpa[path: ["spec", "minReplicas"]] == .int(max(min, 1)))
            #expect(hpa[path: ["spec", "maxReplicas"]] == .int(Int64(bindings["maxReplicas"] ?? "1") ?? 1))
            #expect(hpa[path: ["spec", "scaleTargetRef"]] == ["apiVersion": "apps/v1", "kind": "Deployment", "name": .string(Fixtures.owner.name)])
            let target = hpa[path: ["spec", "metrics"]]?.arrayValue?.first?[path: ["resource", "target", "averageUtilization"]]
            #expect(target == 80)
        }
    }

    @Test func everyObjectCarriesOwnerLabelsAndHash() throws {
        let rendered = try render(cpuInput(["minReplicas": "1", "maxReplicas": "3"]))
        let objects = [rendered.inferenceService] + rendered.native
        #expect(objects.count == 4)
        let owner: JSONValue = [[
            "apiVersion": "quiver.dev/v1alpha1", "kind": "Deployment", "name": .string(Fixtures.owner.name),
            "uid": .string(Fixtures.owner.uid), "controller": true, "blockOwnerDeletion": true,
        ]]
        for object in objects {
            let metadata = object["metadata"]
            #expect(metadata?["name"] == .string(Fixtures.owner.name))
            #expect(metadata?["namespace"] == "default")
            #expect(metadata?["ownerReferences"] == owner)
            #expect(metadata?[path: ["labels", "app.kubernetes.io/managed-by"]] == "quiver")
            #expect(metadata?[path: ["labels", "quiver.dev/deployment-id"]] == .string(Fixtures.owner.name))
            #expect(metadata?[path: ["labels", "quiver.dev/configuration-id"]] == "cfg-1")
            #expect(metadata?[path: ["annotations", "quiver.dev/spec-hash"]] == .string(rendered.specHash))
        }
        #expect(rendered.specHash.count == 64)
        let selector: JSONValue = ["app.kubernetes.io/managed-by": "quiver", "quiver.dev/deployment-id": .string(Fixtures.owner.name)]
        #expect(rendered.deployment?[path: ["spec", "selector", "matchLabels"]] == selector)
        #expect(rendered.service?[path: ["spec", "selector"]] == selector)
        let podLabels = rendered.deployment?[path: ["spec", "template", "metadata", "labels"]]
        #expect(podLabels?["quiver.dev/deployment-id"] == .string(Fixtures.owner.name))
        #expect(podLabels?["quiver.dev/resourcePlan"] == "basic")
        #expect(rendered.deployment?[path: ["spec", "template", "metadata", "annotations", "quiver.dev/spec-hash"]] == .string(rendered.specHash))
    }

    @Test func renderingIsDeterministic() throws {
        for input in [try Fixtures.seedInput(), try cpuInput(["maxReplicas": "4"])] {
            let first = try render(input)
            let second = try render(input)
            #expect(Fixtures.allText(first) == Fixtures.allText(second))
            #expect(first.specHash == second.specHash)
            #expect(RenderYAML.emitAll([first.inferenceService] + first.native) == RenderYAML.emitAll([second.inferenceService] + second.native))
        }
    }

    @Test func theSpecHashFollowsTheSpec() throws {
        let a = try render(cpuInput(["maxBatchTokens": "8192"]))
        let b = try render(cpuInput(["maxBatchTokens": "8193"]))
        #expect(a.specHash != b.specHash)
        var input = try cpuInput(["maxBatchTokens": "8192"])
        input.options.storageInitializerImage = "example.org/quiver:2"
        #expect(try render(input).specHash != a.specHash)
    }

    @Test func theTemplatesGPUCountOverridesThePlan() throws {
        let artifact = V1Alpha1.Artifact(metadata: ObjectMeta(name: "m1"), spec: V1Alpha1.ArtifactSpec(name: "m", url: "s3://b/m"))
        let template = try Fixtures.template(named: "quiver-embed-gpu.yaml")
        for (gpu, expected) in [("2", "2"), ("0", "0"), ("1", "1")] {
            let rendered = try render(Fixtures.input(template, Fixtures.configuration(["gpu": gpu], artifacts: ["model": "m1"]), artifacts: [artifact]))
            let limits = rendered.deployment?[path: ["spec", "template", "spec", "containers"]]?.arrayValue?.first?[path: ["resources", "limits"]]
            #expect(limits?["nvidia.com/gpu"] == .string(expected))
            #expect(limits?["cpu"] == "3")  // plan infer.s
            #expect(limits?["memory"] == "10Gi")
        }
        let error = renderError(try Fixtures.input(template, Fixtures.configuration(["gpu": "two"], artifacts: ["model": "m1"]), artifacts: [artifact]))
        #expect(error?.kind == .invalidValue)
        #expect(error?.field == "gpu")
    }

    @Test func aCPUPlanAddsNoGPU() throws {
        let rendered = try render(cpuInput([:]))
        let limits = rendered.deployment?[path: ["spec", "template", "spec", "containers"]]?.arrayValue?.first?[path: ["resources", "limits"]]
        #expect(limits == ["cpu": "3", "memory": "11Gi"])
        #expect(rendered.deployment?[path: ["spec", "template", "spec", "tolerations"]] == nil)
    }

    @Test func serviceTargetsTheFirstContainerPortOr8080() throws {
        let rendered = try render(cpuInput([:]))
        #expect(rendered.service?[path: ["spec", "ports"]] == [["name": "http", "port": 80, "protocol": "TCP", "targetPort": 8080]])
        let noPorts = Fixtures.template(spec: "predictor:\n  containers:\n  - name: c\n    image: i\n", parameters: [])
        let plain = try render(Fixtures.input(noPorts, Fixtures.configuration([:])))
        #expect(plain.service?[path: ["spec", "ports"]]?.arrayValue?.first?["targetPort"] == 8080)
        #expect(plain.deployment?[path: ["spec", "template", "spec", "initContainers"]] == nil)
        #expect(plain.resourcePlan == "starter")
    }

    @Test func predictorFieldsTheNativeBackendCannotTranslateAreRefused() throws {
        for spec in [
            "predictor:\n  hostNetwork: true\n  containers:\n  - name: c\n    image: i\n",
            "predictor:\n  model:\n    modelFormat: {name: sklearn}\n    storageUri: s3://b/m\n",
        ] {
            let input = try Fixtures.input(Fixtures.template(spec: spec, parameters: []), Fixtures.configuration([:]))
            #expect(renderError(input)?.kind == .unsupportedPredictor, "\(spec)")
            var kserve = input
            kserve.options.backend = .kserve
            _ = try render(kserve)
        }
    }

    @Test func badDeploymentNamesAreRefused() throws {
        var input = try cpuInput([:])
        input.owner.name = "1-starts-with-a-digit"
        #expect(renderError(input)?.kind == .invalidName)
        input.owner.name = "ok"
        input.owner.namespace = "Bad_Namespace"
        #expect(renderError(input)?.kind == .invalidName)
    }

    @Test func objectStoreURLsJoinBucketPrefixAndPath() throws {
        let template = Fixtures.template(
            spec: "predictor:\n  containers:\n  - name: c\n    image: i\n    env:\n    - name: STORAGE_URI\n      value: \"{{inputs.artifacts.model}}\"\n",
            parameters: [], artifacts: ["model"])
        let artifact = V1Alpha1.Artifact(metadata: ObjectMeta(name: "a1"), spec: V1Alpha1.ArtifactSpec(name: "m", url: "ai://store/models/x/"))
        var input = try Fixtures.input(template, Fixtures.configuration([:], artifacts: ["model": "a1"]), artifacts: [artifact])
        input.objectStoreSecrets = ["store": ObjectStoreSecret(type: "S3", bucket: "bkt", pathPrefix: "/team/a/")]
        #expect(try render(input).storageURI == "s3://bkt/team/a/models/x")
        input.objectStoreSecrets = ["store": ObjectStoreSecret(type: "GCS", bucket: "bkt")]
        #expect(try render(input).storageURI == "gs://bkt/models/x")
    }
}
