import KubeModel

/// What a template renders to. `inferenceService` is always there (the KServe backend creates it);
/// `native` holds the apps/v1 Deployment, the v1 Service and, when the predictor may scale beyond
/// its minimum, the autoscaling/v2 HorizontalPodAutoscaler, in that order (empty for `.kserve`).
public struct RenderedObjects: Sendable, Hashable {
    public var inferenceService: JSONValue
    public var native: [JSONValue]
    /// Hex SHA-256 of the rendered InferenceService (with plan applied), the plan and the options;
    /// also the `quiver.dev/spec-hash` annotation of every object.
    public var specHash: String
    /// The ResourcePlan applied.
    public var resourcePlan: String
    /// The predictor's `minReplicas` (0 means the idle controller may scale to zero) and `maxReplicas`.
    public var minReplicas: Int
    public var maxReplicas: Int
    /// How long without requests before scaling to zero: the `autoscaling.knative.dev/scaleToZeroPodRetentionPeriod`
    /// or `autoscaling.knative.dev/window` annotation, as written (`10m`).
    public var idleWindow: String?
    /// The model URI the init container fetches, when there is one.
    public var storageURI: String?

    public var deployment: JSONValue? { native.first { $0["kind"] == "Deployment" } }
    public var service: JSONValue? { native.first { $0["kind"] == "Service" } }
    public var horizontalPodAutoscaler: JSONValue? { native.first { $0["kind"] == "HorizontalPodAutoscaler" } }
}
