/// `autoscaling/v2` HorizontalPodAutoscaler.
public struct HorizontalPodAutoscaler: KubernetesResource, Hashable {
    public static let apiVersion = "autoscaling/v2"
    public static let kind = "HorizontalPodAutoscaler"
    public static let resource = "horizontalpodautoscalers"
    public static let isNamespaced = true

    public var apiVersion: String?
    public var kind: String?
    @DefaultIfAbsent public var metadata: ObjectMeta
    public var spec: HorizontalPodAutoscalerSpec?
    public var status: HorizontalPodAutoscalerStatus?

    public init(metadata: ObjectMeta = ObjectMeta(), spec: HorizontalPodAutoscalerSpec? = nil,
                status: HorizontalPodAutoscalerStatus? = nil) {
        self.apiVersion = Self.apiVersion
        self.kind = Self.kind
        self.metadata = metadata
        self.spec = spec
        self.status = status
    }
}

/// `autoscaling/v2` HorizontalPodAutoscalerSpec.
public struct HorizontalPodAutoscalerSpec: Codable, Sendable, Hashable {
    public var scaleTargetRef: CrossVersionObjectReference
    public var minReplicas: Int32?
    public var maxReplicas: Int32
    public var metrics: [MetricSpec]?
    public var behavior: HorizontalPodAutoscalerBehavior?

    public init(scaleTargetRef: CrossVersionObjectReference, minReplicas: Int32? = nil, maxReplicas: Int32,
                metrics: [MetricSpec]? = nil, behavior: HorizontalPodAutoscalerBehavior? = nil) {
        self.scaleTargetRef = scaleTargetRef
        self.minReplicas = minReplicas
        self.maxReplicas = maxReplicas
        self.metrics = metrics
        self.behavior = behavior
    }
}

/// `autoscaling/v2` CrossVersionObjectReference: the workload to scale.
public struct CrossVersionObjectReference: Codable, Sendable, Hashable {
    public var kind: String
    public var name: String
    public var apiVersion: String?

    public init(kind: String, name: String, apiVersion: String? = nil) {
        self.kind = kind
        self.name = name
        self.apiVersion = apiVersion
    }
}

/// `autoscaling/v2` MetricSpec: `type` (`Resource`, `ContainerResource`, `Pods`, `Object` or
/// `External`) names the member that is set.
public struct MetricSpec: Codable, Sendable, Hashable {
    public var type: String
    public var object: ObjectMetricSource?
    public var pods: PodsMetricSource?
    public var resource: ResourceMetricSource?
    public var containerResource: ContainerResourceMetricSource?
    public var external: ExternalMetricSource?

    public init(type: String, object: ObjectMetricSource? = nil, pods: PodsMetricSource? = nil,
                resource: ResourceMetricSource? = nil, containerResource: ContainerResourceMetricSource? = nil,
                external: ExternalMetricSource? = nil) {
        self.type = type
        self.object = object
        self.pods = pods
        self.resource = resource
        self.containerResource = containerResource
        self.external = external
    }
}

/// `autoscaling/v2` MetricTarget: `type` is `Utilization`, `Value` or `AverageValue`.
public struct MetricTarget: Codable, Sendable, Hashable {
    public var type: String
    public var value: Quantity?
    public var averageValue: Quantity?
    public var averageUtilization: Int32?

    public init(type: String, value: Quantity? = nil, averageValue: Quantity? = nil, averageUtilization: Int32? = nil) {
        self.type = type
        self.value = value
        self.averageValue = averageValue
        self.averageUtilization = averageUtilization
    }
}

/// `autoscaling/v2` MetricIdentifier.
public struct MetricIdentifier: Codable, Sendable, Hashable {
    public var name: String
    public var selector: LabelSelector?

    public init(name: String, selector: LabelSelector? = nil) {
        self.name = name
        self.selector = selector
    }
}

/// `autoscaling/v2` ResourceMetricSource, e.g. cpu at 80 % average utilization.
public struct ResourceMetricSource: Codable, Sendable, Hashable {
    public var name: String
    public var target: MetricTarget

    public init(name: String, target: MetricTarget) {
        self.name = name
        self.target = target
    }
}

/// `autoscaling/v2` ContainerResourceMetricSource.
public struct ContainerResourceMetricSource: Codable, Sendable, Hashable {
    public var name: String
    public var target: MetricTarget
    public var container: String

    public init(name: String, target: MetricTarget, container: String) {
        self.name = name
        self.target = target
        self.container = container
    }
}

/// `autoscaling/v2` PodsMetricSource.
public struct PodsMetricSource: Codable, Sendable, Hashable {
    public var metric: MetricIdentifier
    public var target: MetricTarget

    public init(metric: MetricIdentifier, target: MetricTarget) {
        self.metric = metric
        self.target = target
    }
}

/// `autoscaling/v2` ObjectMetricSource.
public struct ObjectMetricSource: Codable, Sendable, Hashable {
    public var describedObject: CrossVersionObjectReference
    public var target: MetricTarget
    public var metric: MetricIdentifier

    public init(describedObject: CrossVersionObjectReference, target: MetricTarget, metric: MetricIdentifier) {
        self.describedObject = describedObject
        self.target = target
        self.metric = metric
    }
}

/// `autoscaling/v2` ExternalMetricSource.
public struct ExternalMetricSource: Codable, Sendable, Hashable {
    public var metric: MetricIdentifier
    public var target: MetricTarget

    public init(metric: MetricIdentifier, target: MetricTarget) {
        self.metric = metric
        self.target = target
    }
}

/// `autoscaling/v2` HorizontalPodAutoscalerBehavior: scaling rules for each direction.
public struct HorizontalPodAutoscalerBehavior: Codable, Sendable, Hashable {
    public var scaleUp: HPAScalingRules?
    public var scaleDown: HPAScalingRules?

    public init(scaleUp: HPAScalingRules? = nil, scaleDown: HPAScalingRules? = nil) {
        self.scaleUp = scaleUp
        self.scaleDown = scaleDown
    }
}

/// `autoscaling/v2` HPAScalingRules.
public struct HPAScalingRules: Codable, Sendable, Hashable {
    public var stabilizationWindowSeconds: Int32?
    /// `Max`, `Min` or `Disabled`.
    public var selectPolicy: String?
    public var policies: [HPAScalingPolicy]?
    public var tolerance: Quantity?

    public init(stabilizationWindowSeconds: Int32? = nil, selectPolicy: String? = nil,
                policies: [HPAScalingPolicy]? = nil, tolerance: Quantity? = nil) {
        self.stabilizationWindowSeconds = stabilizationWindowSeconds
        self.selectPolicy = selectPolicy
        self.policies = policies
        self.tolerance = tolerance
    }
}

/// `autoscaling/v2` HPAScalingPolicy: `type` is `Pods` or `Percent`.
public struct HPAScalingPolicy: Codable, Sendable, Hashable {
    public var type: String
    public var value: Int32
    public var periodSeconds: Int32

    public init(type: String, value: Int32, periodSeconds: Int32) {
        self.type = type
        self.value = value
        self.periodSeconds = periodSeconds
    }
}

/// `autoscaling/v2` HorizontalPodAutoscalerStatus.
public struct HorizontalPodAutoscalerStatus: Codable, Sendable, Hashable {
    public var observedGeneration: Int64?
    public var lastScaleTime: KubeTime?
    public var currentReplicas: Int32?
    public var desiredReplicas: Int32?
    public var currentMetrics: [MetricStatus]?
    /// `AbleToScale`, `ScalingActive` and `ScalingLimited`.
    public var conditions: [HorizontalPodAutoscalerCondition]?

    public init(
        observedGeneration: Int64? = nil, lastScaleTime: KubeTime? = nil, currentReplicas: Int32? = nil,
        desiredReplicas: Int32? = nil, currentMetrics: [MetricStatus]? = nil,
        conditions: [HorizontalPodAutoscalerCondition]? = nil
    ) {
        self.observedGeneration = observedGeneration
        self.lastScaleTime = lastScaleTime
        self.currentReplicas = currentReplicas
        self.desiredReplicas = desiredReplicas
        self.currentMetrics = currentMetrics
        self.conditions = conditions
    }
}

/// `autoscaling/v2` HorizontalPodAutoscalerCondition.
public struct HorizontalPodAutoscalerCondition: Codable, Sendable, Hashable {
    public var type: String
    public var status: String
    public var lastTransitionTime: KubeTime?
    public var reason: String?
    public var message: String?

    public init(type: String, status: String, lastTransitionTime: KubeTime? = nil, reason: String? = nil,
                message: String? = nil) {
        self.type = type
        self.status = status
        self.lastTransitionTime = lastTransitionTime
        self.reason = reason
        self.message = message
    }
}

/// `autoscaling/v2` MetricStatus: the current value of one metric, shaped like ``MetricSpec``.
public struct MetricStatus: Codable, Sendable, Hashable {
    public var type: String
    public var object: ObjectMetricStatus?
    public var pods: PodsMetricStatus?
    public var resource: ResourceMetricStatus?
    public var containerResource: ContainerResourceMetricStatus?
    public var external: ExternalMetricStatus?

    public init(type: String, object: ObjectMetricStatus? = nil, pods: PodsMetricStatus? = nil,
                resource: ResourceMetricStatus? = nil, containerResource: ContainerResourceMetricStatus? = nil,
                external: ExternalMetricStatus? = nil) {
        self.type = type
        self.object = object
        self.pods = pods
        self.resource = resource
        self.containerResource = containerResource
        self.external = external
    }
}

/// `autoscaling/v2` MetricValueStatus.
public struct MetricValueStatus: Codable, Sendable, Hashable {
    public var value: Quantity?
    public var averageValue: Quantity?
    public var averageUtilization: Int32?

    public init(value: Quantity? = nil, averageValue: Quantity? = nil, averageUtilization: Int32? = nil) {
        self.value = value
        self.averageValue = averageValue
        self.averageUtilization = averageUtilization
    }
}

/// `autoscaling/v2` ResourceMetricStatus.
public struct ResourceMetricStatus: Codable, Sendable, Hashable {
    public var name: String
    public var current: MetricValueStatus

    public init(name: String, current: MetricValueStatus) {
        self.name = name
        self.current = current
    }
}

/// `autoscaling/v2` ContainerResourceMetricStatus.
public struct ContainerResourceMetricStatus: Codable, Sendable, Hashable {
    public var name: String
    public var current: MetricValueStatus
    public var container: String

    public init(name: String, current: MetricValueStatus, container: String) {
        self.name = name
        self.current = current
        self.container = container
    }
}

/// `autoscaling/v2` PodsMetricStatus.
public struct PodsMetricStatus: Codable, Sendable, Hashable {
    public var metric: MetricIdentifier
    public var current: MetricValueStatus

    public init(metric: MetricIdentifier, current: MetricValueStatus) {
        self.metric = metric
        self.current = current
    }
}

/// `autoscaling/v2` ObjectMetricStatus.
public struct ObjectMetricStatus: Codable, Sendable, Hashable {
    public var metric: MetricIdentifier
    public var current: MetricValueStatus
    public var describedObject: CrossVersionObjectReference

    public init(metric: MetricIdentifier, current: MetricValueStatus, describedObject: CrossVersionObjectReference) {
        self.metric = metric
        self.current = current
        self.describedObject = describedObject
    }
}

/// `autoscaling/v2` ExternalMetricStatus.
public struct ExternalMetricStatus: Codable, Sendable, Hashable {
    public var metric: MetricIdentifier
    public var current: MetricValueStatus

    public init(metric: MetricIdentifier, current: MetricValueStatus) {
        self.metric = metric
        self.current = current
    }
}
