import KubeModel
import ServingAPI

/// Renders a ServingTemplate bound by a Configuration into the objects that serve it
/// (DESIGN.md §4). Pure and deterministic: the same input gives byte-identical objects.
///
/// 1. The template's annotations, labels and spec (YAML strings or objects) are parsed with
///    stand-in tokens in place of `{{inputs.parameters.X}}` / `{{inputs.artifacts.X}}`, so their
///    shape is fixed before any value is known; anchors and aliases are refused.
/// 2. Each used placeholder gets a value (binding, else default, else an error naming it); every
///    binding must be declared and used; every value passes `ValueSafety`.
/// 3. Values fill scalars only. A plain scalar that is exactly one placeholder takes the value
///    with YAML typing (`minReplicas: {{…}}` → integer); elsewhere the value is spliced as text.
/// 4. The ResourcePlan named by the `quiver.dev/resourcePlan` (or `ai.sap.com/resourcePlan`) label
///    is applied to the predictor; the result is a KServe InferenceService owned by the Deployment.
/// 5. For the native backend the predictor becomes an apps/v1 Deployment, a Service and maybe an HPA.
public func render(_ input: RenderInput) throws(RenderError) -> RenderedObjects {
    try NameRules.checkOwner(input.owner)
    let documents = try TemplateDocuments.parsed(input.template)
    let inputs = try InputValues(input: input, used: documents.firstPaths)
    let rendered = try documents.substituted(inputs.values)
    try NameRules.checkLabels(rendered.labels, documents: documents)
    for key in rendered.annotations.keys.sorted() where !NameRules.isLabelKey(key) {
        throw .invalidTemplate("annotation key \"\(key)\" is not a valid Kubernetes annotation key", field: "\(TemplateDocuments.annotationsField).\(key)")
    }

    let owner = input.owner
    var labels = rendered.labels
    labels.merge(RenderMetadata.selectorLabels(owner)) { _, ours in ours }
    if let configurationID = input.configuration.metadata.name, NameRules.isQualifiedNamePart(configurationID, allowEmpty: false) {
        labels[RenderMetadata.configurationIDLabel] = configurationID
    }

    // The plan, applied to the InferenceService so both backends run the same pods.
    let planName = ResourcePlanApplication.planName(labels: rendered.labels, options: input.options)
    let plan = try ResourcePlanApplication.plan(named: planName, in: input.resourcePlans, documents: documents)
    var spec = rendered.spec
    try ResourcePlanApplication.apply(plan, to: &spec, documents: documents)
    guard let predictor = spec["predictor"] else {
        throw .invalidTemplate("spec.template.spec has no predictor", field: "spec.template.spec.predictor")
    }
    let replicas = try NativeTranslation.replicas(predictor: predictor, documents: documents)

    // The configuration id is part of what is hashed: patching `configurationId` re-renders even
    // when the new Configuration binds the same values.
    let configurationID = input.configuration.metadata.name ?? ""
    var annotations = rendered.annotations
    annotations[RenderMetadata.configurationIDAnnotation] = configurationID
    var inferenceService: JSONValue = [
        "apiVersion": .string(input.template.spec.template.apiVersion ?? "serving.kserve.io/v1beta1"),
        "kind": "InferenceService",
        "metadata": RenderMetadata.metadata(
            name: owner.name, namespace: owner.namespace, labels: labels, annotations: annotations, owner: owner),
        "spec": spec,
    ]
    let planJSON = (try? JSONValue(encoding: plan)) ?? .null
    let specHash = SpecHash.compute(inferenceService: inferenceService, plan: planJSON, options: input.options)
    annotations[RenderMetadata.specHashAnnotation] = specHash
    inferenceService["metadata"]?["annotations"] = .object(annotations.mapValues(JSONValue.string))

    let storageURI = StorageInitializer.storageURI(predictor: predictor)
    var native: [JSONValue] = []
    if input.options.backend == .native {
        let translation = NativeTranslation(
            name: owner.name, namespace: owner.namespace, owner: owner, labels: labels,
            annotations: rendered.annotations, specHash: specHash, configurationID: configurationID)
        native = try translation.objects(
            predictor: predictor, replicas: replicas, storageURI: storageURI, plan: (plan.cpu, plan.memory),
            options: input.options, objectStore: storageURI.flatMap { inputs.objectStores[$0] })
    }

    let idleWindow = ["autoscaling.knative.dev/scaleToZeroPodRetentionPeriod", "autoscaling.knative.dev/window"]
        .lazy.compactMap { rendered.annotations[$0] }.first { !$0.isEmpty }
    return RenderedObjects(
        inferenceService: inferenceService, native: native, specHash: specHash, resourcePlan: planName,
        minReplicas: replicas.min, maxReplicas: replicas.effectiveMax, idleWindow: idleWindow, storageURI: storageURI)
}
