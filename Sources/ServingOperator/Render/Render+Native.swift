import KubeModel

/// Translates the InferenceService's predictor into native objects: an apps/v1 Deployment, a v1
/// Service and, when the predictor may scale beyond its minimum, an autoscaling/v2
/// HorizontalPodAutoscaler.
///
/// Replicas: the Deployment starts with `max(minReplicas, 1)`. `minReplicas: 0` means the idle
/// controller scales it to zero after the idle window; nothing here does. The HPA (CPU 80%) runs
/// between `max(minReplicas, 1)` and `maxReplicas` and exists only when that range is not a single
/// number. A missing `minReplicas` is 1 (KServe's default); a missing or smaller `maxReplicas` is the
/// minimum.
struct NativeTranslation {
    /// Predictor fields that are KServe's own (scaling, traffic), not the pod's; read or left out.
    static let componentFields: Set<String> = [
        "minReplicas", "maxReplicas", "scaleTarget", "scaleMetric", "scaleMetricType", "containerConcurrency",
        "timeout", "canaryTrafficPercent", "autoScaling", "labels", "annotations", "deploymentStrategy", "storageUri",
    ]
    /// PodSpec fields passed through to the pod template. Anything else (`model`, `logger`,
    /// `batcher`, `hostNetwork`, …) is refused rather than dropped or passed on unreviewed.
    static let podFields: Set<String> = [
        "containers", "initContainers", "volumes", "imagePullSecrets", "nodeSelector", "tolerations", "affinity",
        "serviceAccountName", "securityContext", "priorityClassName", "runtimeClassName", "schedulerName",
        "terminationGracePeriodSeconds", "dnsPolicy", "dnsConfig", "topologySpreadConstraints",
        "enableServiceLinks", "automountServiceAccountToken", "readinessGates",
    ]
    static let defaultServicePort: Int64 = 8080
    static let cpuUtilizationTarget: Int64 = 80

    struct Replicas {
        var min: Int
        var max: Int
        var effectiveMin: Int { Swift.max(min, 1) }
        var effectiveMax: Int { Swift.max(max, effectiveMin) }
    }

    static func replicas(predictor: JSONValue, documents: TemplateDocuments) throws(RenderError) -> Replicas {
        func count(_ key: String, default fallback: Int?) throws(RenderError) -> Int? {
            guard let value = predictor[key], !value.isNull else { return fallback }
            let path = "\(TemplateDocuments.specField).predictor.\(key)"
            guard case .int(let n) = value, n >= 0, n <= 10_000 else {
                let origin = documents.origin(of: path)
                throw .invalidValue(
                    "\(origin.map { "\($0.noun): " } ?? "")\(path) must be a whole number from 0 to 10000",
                    field: origin?.name ?? path)
            }
            return Int(n)
        }
        let min = try count("minReplicas", default: 1) ?? 1
        let max = try count("maxReplicas", default: nil) ?? min
        return Replicas(min: min, max: max)
    }

    var name: String
    var namespace: String
    var owner: DeploymentOwner
    var labels: [String: String]
    var annotations: [String: String]
    var specHash: String
    /// The Configuration rendered (the `quiver.dev/configuration-id` annotation of every object).
    var configurationID: String

    /// What every object carries: the spec hash and the configuration id.
    var stamp: [String: String] { RenderMetadata.stamp(specHash: specHash, configurationID: configurationID) }

    func objects(predictor: JSONValue, replicas: Replicas, storageURI: String?, plan: (cpu: String, memory: String),
                 options: RenderOptions, objectStore: ObjectStoreSecret?) throws(RenderError) -> [JSONValue] {
        var podSpec: JSONValue = .emptyObject
        for key in (predictor.objectValue ?? [:]).keys.sorted() where !Self.componentFields.contains(key) {
            guard Self.podFields.contains(key) else {
                throw .unsupportedPredictor(
                    "spec.template.spec.predictor.\(key) is not supported by the native backend (use the kserve backend, or custom containers)",
                    field: "spec.template.spec.predictor.\(key)")
            }
            podSpec[key] = predictor[key]
        }
        guard let containers = podSpec["containers"]?.arrayValue, !containers.isEmpty else {
            throw .unsupportedPredictor("the native backend needs spec.template.spec.predictor.containers", field: "spec.template.spec.predictor.containers")
        }
        if let storageURI {
            try StorageInitializer.add(uri: storageURI, to: &podSpec, plan: plan, image: options.storageInitializerImage, objectStore: objectStore)
        }

        let selector = RenderMetadata.selectorLabels(owner)
        var podLabels = predictor["labels"]?.objectValue?.compactMapValues(\.stringValue) ?? [:]
        podLabels.merge(labels) { _, ours in ours }
        var podAnnotations = predictor["annotations"]?.objectValue?.compactMapValues(\.stringValue) ?? [:]
        podAnnotations[RenderMetadata.specHashAnnotation] = specHash
        let objectAnnotations = annotations.merging(stamp) { _, ours in ours }

        var deploymentSpec: JSONValue = [
            "replicas": .int(Int64(replicas.effectiveMin)),
            "selector": ["matchLabels": .object(selector.mapValues(JSONValue.string))],
            "template": [
                "metadata": [
                    "labels": .object(podLabels.mapValues(JSONValue.string)),
                    "annotations": .object(podAnnotations.mapValues(JSONValue.string)),
                ],
                "spec": podSpec,
            ],
        ]
        if let strategy = predictor["deploymentStrategy"], case .object = strategy {
            deploymentSpec["strategy"] = strategy
        }
        let deployment: JSONValue = [
            "apiVersion": "apps/v1",
            "kind": "Deployment",
            "metadata": metadata(annotations: objectAnnotations),
            "spec": deploymentSpec,
        ]

        let port = containers.first?["ports"]?.arrayValue?.first?["containerPort"]?.intValue ?? Self.defaultServicePort
        let service: JSONValue = [
            "apiVersion": "v1",
            "kind": "Service",
            "metadata": metadata(annotations: stamp),
            "spec": [
                "type": "ClusterIP",
                "selector": .object(selector.mapValues(JSONValue.string)),
                "ports": [["name": "http", "port": 80, "protocol": "TCP", "targetPort": .int(port)]],
            ],
        ]
        var objects = [deployment, service]

        if replicas.effectiveMax > replicas.effectiveMin {
            objects.append([
                "apiVersion": "autoscaling/v2",
                "kind": "HorizontalPodAutoscaler",
                "metadata": metadata(annotations: stamp),
                "spec": [
                    "scaleTargetRef": ["apiVersion": "apps/v1", "kind": "Deployment", "name": .string(name)],
                    "minReplicas": .int(Int64(replicas.effectiveMin)),
                    "maxReplicas": .int(Int64(replicas.effectiveMax)),
                    "metrics": [[
                        "type": "Resource",
                        "resource": [
                            "name": "cpu",
                            "target": ["type": "Utilization", "averageUtilization": .int(Self.cpuUtilizationTarget)],
                        ],
                    ]],
                ],
            ])
        }
        return objects
    }

    private func metadata(annotations: [String: String]) -> JSONValue {
        RenderMetadata.metadata(name: name, namespace: namespace, labels: labels, annotations: annotations, owner: owner)
    }
}
