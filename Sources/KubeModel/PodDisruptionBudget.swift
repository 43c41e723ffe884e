/// `policy/v1` PodDisruptionBudget.
public struct PodDisruptionBudget: KubernetesResource, Hashable {
    public static let apiVersion = "policy/v1"
    public static let kind = "PodDisruptionBudget"
    public static let resource = "poddisruptionbudgets"
    public static let isNamespaced = true

    public var apiVersion: String?
    public var kind: String?
    @DefaultIfAbsent public var metadata: ObjectMeta
    public var spec: PodDisruptionBudgetSpec?
    public var status: PodDisruptionBudgetStatus?

    public init(metadata: ObjectMeta = ObjectMeta(), spec: PodDisruptionBudgetSpec? = nil,
                status: PodDisruptionBudgetStatus? = nil) {
        self.apiVersion = Self.apiVersion
        self.kind = Self.kind
        self.metadata = metadata
        self.spec = spec
        self.status = status
    }
}

/// `policy/v1` PodDisruptionBudgetSpec: set `minAvailable` or `maxUnavailable`, not both.
public struct PodDisruptionBudgetSpec: Codable, Sendable, Hashable {
    public var minAvailable: IntOrString?
    public var selector: LabelSelector?
    public var maxUnavailable: IntOrString?
    /// `IfHealthyBudget` or `AlwaysAllow`.
    public var unhealthyPodEvictionPolicy: String?

    public init(minAvailable: IntOrString? = nil, selector: LabelSelector? = nil, maxUnavailable: IntOrString? = nil,
                unhealthyPodEvictionPolicy: String? = nil) {
        self.minAvailable = minAvailable
        self.selector = selector
        self.maxUnavailable = maxUnavailable
        self.unhealthyPodEvictionPolicy = unhealthyPodEvictionPolicy
    }
}

/// `policy/v1` PodDisruptionBudgetStatus.
public struct PodDisruptionBudgetStatus: Codable, Sendable, Hashable {
    public var observedGeneration: Int64?
    /// Pods being evicted, by name, with the time the eviction was processed.
    public var disruptedPods: [String: KubeTime]?
    public var disruptionsAllowed: Int32?
    public var currentHealthy: Int32?
    public var desiredHealthy: Int32?
    public var expectedPods: Int32?
    /// `DisruptionAllowed`.
    public var conditions: [Condition]?

    public init(
        observedGeneration: Int64? = nil, disruptedPods: [String: KubeTime]? = nil, disruptionsAllowed: Int32? = nil,
        currentHealthy: Int32? = nil, desiredHealthy: Int32? = nil, expectedPods: Int32? = nil,
        conditions: [Condition]? = nil
    ) {
        self.observedGeneration = observedGeneration
        self.disruptedPods = disruptedPods
        self.disruptionsAllowed = disruptionsAllowed
        self.currentHealthy = currentHealthy
        self.desiredHealthy = desiredHealthy
        self.expectedPods = expectedPods
        self.conditions = conditions
    }
}
