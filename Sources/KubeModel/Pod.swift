/// `core/v1` Pod.
///
/// Like every typed model here, fields that are not modeled (rarely used ones such as `affinity` details
/// are kept as ``JSONValue``; a few are left out entirely) are dropped when decoding, so prefer patch or
/// server-side apply over PUT of a decoded object.
public struct Pod: KubernetesResource, Hashable {
    public static let apiVersion = "v1"
    public static let kind = "Pod"
    public static let resource = "pods"
    public static let isNamespaced = true

    public var apiVersion: String?
    public var kind: String?
    @DefaultIfAbsent public var metadata: ObjectMeta
    public var spec: PodSpec?
    public var status: PodStatus?

    public init(metadata: ObjectMeta = ObjectMeta(), spec: PodSpec? = nil, status: PodStatus? = nil) {
        self.apiVersion = Self.apiVersion
        self.kind = Self.kind
        self.metadata = metadata
        self.spec = spec
        self.status = status
    }
}

/// `core/v1` PodTemplateSpec: the pod a workload (Deployment, Job…) stamps out.
public struct PodTemplateSpec: Codable, Sendable, Hashable {
    public var metadata: ObjectMeta?
    public var spec: PodSpec?

    public init(metadata: ObjectMeta? = nil, spec: PodSpec? = nil) {
        self.metadata = metadata
        self.spec = spec
    }
}

/// `core/v1` PodSpec.
public struct PodSpec: Codable, Sendable, Hashable {
    public var volumes: [Volume]?
    public var initContainers: [Container]?
    public var containers: [Container]
    /// Debug containers; kept unstructured.
    public var ephemeralContainers: [JSONValue]?
    /// `Always`, `OnFailure` or `Never`.
    public var restartPolicy: String?
    public var terminationGracePeriodSeconds: Int64?
    public var activeDeadlineSeconds: Int64?
    /// `ClusterFirst`, `ClusterFirstWithHostNet`, `Default` or `None`.
    public var dnsPolicy: String?
    public var nodeSelector: [String: String]?
    public var serviceAccountName: String?
    /// Deprecated alias of `serviceAccountName` that the server still fills in.
    public var serviceAccount: String?
    public var automountServiceAccountToken: Bool?
    public var nodeName: String?
    public var hostNetwork: Bool?
    public var hostPID: Bool?
    public var hostIPC: Bool?
    public var shareProcessNamespace: Bool?
    public var securityContext: PodSecurityContext?
    public var imagePullSecrets: [LocalObjectReference]?
    public var hostname: String?
    public var subdomain: String?
    /// Node and pod (anti-)affinity; kept unstructured.
    public var affinity: JSONValue?
    public var schedulerName: String?
    public var tolerations: [Toleration]?
    public var hostAliases: [HostAlias]?
    public var priorityClassName: String?
    public var priority: Int32?
    /// Kept unstructured.
    public var dnsConfig: JSONValue?
    public var readinessGates: [PodReadinessGate]?
    public var runtimeClassName: String?
    public var enableServiceLinks: Bool?
    /// `PreemptLowerPriority` or `Never`.
    public var preemptionPolicy: String?
    public var overhead: [String: Quantity]?
    /// Kept unstructured.
    public var topologySpreadConstraints: [JSONValue]?
    public var setHostnameAsFQDN: Bool?
    public var os: PodOS?
    public var hostUsers: Bool?
    public var schedulingGates: [PodSchedulingGate]?
    /// Kept unstructured.
    public var resourceClaims: [JSONValue]?
    /// Pod-level requests and limits.
    public var resources: ResourceRequirements?

    public init(
        containers: [Container], initContainers: [Container]? = nil, volumes: [Volume]? = nil,
        restartPolicy: String? = nil, terminationGracePeriodSeconds: Int64? = nil,
        activeDeadlineSeconds: Int64? = nil, dnsPolicy: String? = nil, nodeSelector: [String: String]? = nil,
        serviceAccountName: String? = nil, automountServiceAccountToken: Bool? = nil, nodeName: String? = nil,
        hostNetwork: Bool? = nil, securityContext: PodSecurityContext? = nil,
        imagePullSecrets: [LocalObjectReference]? = nil, affinity: JSONValue? = nil, schedulerName: String? = nil,
        tolerations: [Toleration]? = nil, priorityClassName: String? = nil,
        topologySpreadConstraints: [JSONValue]? = nil, enableServiceLinks: Bool? = nil,
        resources: ResourceRequirements? = nil
    ) {
        self.containers = containers
        self.initContainers = initContainers
        self.volumes = volumes
        self.restartPolicy = restartPolicy
        self.terminationGracePeriodSeconds = terminationGracePeriodSeconds
        self.activeDeadlineSeconds = activeDeadlineSeconds
        self.dnsPolicy = dnsPolicy
        self.nodeSelector = nodeSelector
        self.serviceAccountName = serviceAccountName
        self.automountServiceAccountToken = automountServiceAccountToken
        self.nodeName = nodeName
        self.hostNetwork = hostNetwork
        self.securityContext = securityContext
        self.imagePullSecrets = imagePullSecrets
        self.affinity = affinity
        self.schedulerName = schedulerName
        self.tolerations = tolerations
        self.priorityClassName = priorityClassName
        self.topologySpreadConstraints = topologySpreadConstraints
        self.enableServiceLinks = enableServiceLinks
        self.resources = resources
    }
}

/// `core/v1` Container.
public struct Container: Codable, Sendable, Hashable {
    public var name: String
    public var image: String?
    public var command: [String]?
    public var args: [String]?
    public var workingDir: String?
    public var ports: [ContainerPort]?
    public var envFrom: [EnvFromSource]?
    public var env: [EnvVar]?
    public var resources: ResourceRequirements?
    public var resizePolicy: [ContainerResizePolicy]?
    /// `Always` for a sidecar init container.
    public var restartPolicy: String?
    public var volumeMounts: [VolumeMount]?
    public var volumeDevices: [VolumeDevice]?
    public var livenessProbe: Probe?
    public var readinessProbe: Probe?
    public var startupProbe: Probe?
    public var lifecycle: Lifecycle?
    public var terminationMessagePath: String?
    /// `File` or `FallbackToLogsOnError`.
    public var terminationMessagePolicy: String?
    /// `Always`, `Never` or `IfNotPresent`.
    public var imagePullPolicy: String?
    public var securityContext: SecurityContext?
    public var stdin: Bool?
    public var stdinOnce: Bool?
    public var tty: Bool?

    public init(
        name: String, image: String? = nil, command: [String]? = nil, args: [String]? = nil,
        workingDir: String? = nil, ports: [ContainerPort]? = nil, envFrom: [EnvFromSource]? = nil,
        env: [EnvVar]? = nil, resources: ResourceRequirements? = nil, volumeMounts: [VolumeMount]? = nil,
        livenessProbe: Probe? = nil, readinessProbe: Probe? = nil, startupProbe: Probe? = nil,
        lifecycle: Lifecycle? = nil, imagePullPolicy: String? = nil, securityContext: SecurityContext? = nil,
        restartPolicy: String? = nil
    ) {
        self.name = name
        self.image = image
        self.command = command
        self.args = args
        self.workingDir = workingDir
        self.ports = ports
        self.envFrom = envFrom
        self.env = env
        self.resources = resources
        self.volumeMounts = volumeMounts
        self.livenessProbe = livenessProbe
        self.readinessProbe = readinessProbe
        self.startupProbe = startupProbe
        self.lifecycle = lifecycle
        self.imagePullPolicy = imagePullPolicy
        self.securityContext = securityContext
        self.restartPolicy = restartPolicy
    }
}

/// `core/v1` ContainerPort.
public struct ContainerPort: Codable, Sendable, Hashable {
    public var name: String?
    public var hostPort: Int32?
    public var containerPort: Int32
    /// `TCP` (the default), `UDP` or `SCTP`.
    public var `protocol`: String?
    public var hostIP: String?

    public init(containerPort: Int32, name: String? = nil, protocol: String? = nil, hostPort: Int32? = nil,
                hostIP: String? = nil) {
        self.containerPort = containerPort
        self.name = name
        self.protocol = `protocol`
        self.hostPort = hostPort
        self.hostIP = hostIP
    }
}

/// `core/v1` EnvVar: a literal `value` or a `valueFrom` source.
public struct EnvVar: Codable, Sendable, Hashable {
    public var name: String
    public var value: String?
    public var valueFrom: EnvVarSource?

    public init(name: String, value: String? = nil, valueFrom: EnvVarSource? = nil) {
        self.name = name
        self.value = value
        self.valueFrom = valueFrom
    }
}

/// `core/v1` EnvVarSource: exactly one of its members is set.
public struct EnvVarSource: Codable, Sendable, Hashable {
    public var fieldRef: ObjectFieldSelector?
    public var resourceFieldRef: ResourceFieldSelector?
    public var configMapKeyRef: ConfigMapKeySelector?
    public var secretKeyRef: SecretKeySelector?
    /// A key in a file (env file); kept unstructured.
    public var fileKeyRef: JSONValue?

    public init(fieldRef: ObjectFieldSelector? = nil, resourceFieldRef: ResourceFieldSelector? = nil,
                configMapKeyRef: ConfigMapKeySelector? = nil, secretKeyRef: SecretKeySelector? = nil) {
        self.fieldRef = fieldRef
        self.resourceFieldRef = resourceFieldRef
        self.configMapKeyRef = configMapKeyRef
        self.secretKeyRef = secretKeyRef
    }
}

/// `core/v1` ObjectFieldSelector, e.g. `metadata.namespace` or `status.podIP`.
public struct ObjectFieldSelector: Codable, Sendable, Hashable {
    public var apiVersion: String?
    public var fieldPath: String

    public init(fieldPath: String, apiVersion: String? = nil) {
        self.fieldPath = fieldPath
        self.apiVersion = apiVersion
    }
}

/// `core/v1` ResourceFieldSelector, e.g. `limits.memory` of a container.
public struct ResourceFieldSelector: Codable, Sendable, Hashable {
    public var containerName: String?
    public var resource: String
    public var divisor: Quantity?

    public init(resource: String, containerName: String? = nil, divisor: Quantity? = nil) {
        self.resource = resource
        self.containerName = containerName
        self.divisor = divisor
    }
}

/// `core/v1` ConfigMapKeySelector.
public struct ConfigMapKeySelector: Codable, Sendable, Hashable {
    public var name: String?
    public var key: String
    public var optional: Bool?

    public init(name: String?, key: String, optional: Bool? = nil) {
        self.name = name
        self.key = key
        self.optional = optional
    }
}

/// `core/v1` SecretKeySelector.
public struct SecretKeySelector: Codable, Sendable, Hashable {
    public var name: String?
    public var key: String
    public var optional: Bool?

    public init(name: String?, key: String, optional: Bool? = nil) {
        self.name = name
        self.key = key
        self.optional = optional
    }
}

/// `core/v1` EnvFromSource: all keys of a ConfigMap or Secret, optionally prefixed.
public struct EnvFromSource: Codable, Sendable, Hashable {
    public var prefix: String?
    public var configMapRef: ConfigMapEnvSource?
    public var secretRef: SecretEnvSource?

    public init(prefix: String? = nil, configMapRef: ConfigMapEnvSource? = nil, secretRef: SecretEnvSource? = nil) {
        self.prefix = prefix
        self.configMapRef = configMapRef
        self.secretRef = secretRef
    }
}

/// `core/v1` ConfigMapEnvSource.
public struct ConfigMapEnvSource: Codable, Sendable, Hashable {
    public var name: String?
    public var optional: Bool?

    public init(name: String?, optional: Bool? = nil) {
        self.name = name
        self.optional = optional
    }
}

/// `core/v1` SecretEnvSource.
public struct SecretEnvSource: Codable, Sendable, Hashable {
    public var name: String?
    public var optional: Bool?

    public init(name: String?, optional: Bool? = nil) {
        self.name = name
        self.optional = optional
    }
}

/// `core/v1` ResourceRequirements: `limits` and `requests` by resource name (`cpu`, `memory`, …).
public struct ResourceRequirements: Codable, Sendable, Hashable {
    public var limits: [String: Quantity]?
    public var requests: [String: Quantity]?
    public var claims: [ResourceClaim]?

    public init(limits: [String: Quantity]? = nil, requests: [String: Quantity]? = nil, claims: [ResourceClaim]? = nil) {
        self.limits = limits
        self.requests = requests
        self.claims = claims
    }
}

/// `core/v1` ResourceClaim: a container's use of one of the pod's dynamic resource claims.
public struct ResourceClaim: Codable, Sendable, Hashable {
    public var name: String
    public var request: String?

    public init(name: String, request: String? = nil) {
        self.name = name
        self.request = request
    }
}

/// `core/v1` ContainerResizePolicy.
public struct ContainerResizePolicy: Codable, Sendable, Hashable {
    public var resourceName: String
    /// `NotRequired` or `RestartContainer`.
    public var restartPolicy: String

    public init(resourceName: String, restartPolicy: String) {
        self.resourceName = resourceName
        self.restartPolicy = restartPolicy
    }
}

/// `core/v1` VolumeMount.
public struct VolumeMount: Codable, Sendable, Hashable {
    public var name: String
    public var readOnly: Bool?
    /// `Disabled`, `IfPossible` or `Enabled`.
    public var recursiveReadOnly: String?
    public var mountPath: String
    public var subPath: String?
    /// `None`, `HostToContainer` or `Bidirectional`.
    public var mountPropagation: String?
    public var subPathExpr: String?

    public init(name: String, mountPath: String, readOnly: Bool? = nil, subPath: String? = nil,
                subPathExpr: String? = nil, mountPropagation: String? = nil, recursiveReadOnly: String? = nil) {
        self.name = name
        self.mountPath = mountPath
        self.readOnly = readOnly
        self.subPath = subPath
        self.subPathExpr = subPathExpr
        self.mountPropagation = mountPropagation
        self.recursiveReadOnly = recursiveReadOnly
    }
}

/// `core/v1` VolumeDevice: a raw block volume exposed at `devicePath`.
public struct VolumeDevice: Codable, Sendable, Hashable {
    public var name: String
    public var devicePath: String

    public init(name: String, devicePath: String) {
        self.name = name
        self.devicePath = devicePath
    }
}

/// `core/v1` Probe: one handler (`exec`, `httpGet`, `tcpSocket` or `grpc`) plus timing.
public struct Probe: Codable, Sendable, Hashable {
    public var exec: ExecAction?
    public var httpGet: HTTPGetAction?
    public var tcpSocket: TCPSocketAction?
    public var grpc: GRPCAction?
    public var initialDelaySeconds: Int32?
    public var timeoutSeconds: Int32?
    public var periodSeconds: Int32?
    public var successThreshold: Int32?
    public var failureThreshold: Int32?
    public var terminationGracePeriodSeconds: Int64?

    public init(
        exec: ExecAction? = nil, httpGet: HTTPGetAction? = nil, tcpSocket: TCPSocketAction? = nil,
        grpc: GRPCAction? = nil, initialDelaySeconds: Int32? = nil, timeoutSeconds: Int32? = nil,
        periodSeconds: Int32? = nil, successThreshold: Int32? = nil, failureThreshold: Int32? = nil,
        terminationGracePeriodSeconds: Int64? = nil
    ) {
        self.exec = exec
        self.httpGet = httpGet
        self.tcpSocket = tcpSocket
        self.grpc = grpc
        self.initialDelaySeconds = initialDelaySeconds
        self.timeoutSeconds = timeoutSeconds
        self.periodSeconds = periodSeconds
        self.successThreshold = successThreshold
        self.failureThreshold = failureThreshold
        self.terminationGracePeriodSeconds = terminationGracePeriodSeconds
    }
}

/// `core/v1` ExecAction.
public struct ExecAction: Codable, Sendable, Hashable {
    public var command: [String]?

    public init(command: [String]? = nil) { self.command = command }
}

/// `core/v1` HTTPGetAction.
public struct HTTPGetAction: Codable, Sendable, Hashable {
    public var path: String?
    public var port: IntOrString
    public var host: String?
    /// `HTTP` or `HTTPS`.
    public var scheme: String?
    public var httpHeaders: [HTTPHeader]?

    public init(port: IntOrString, path: String? = nil, host: String? = nil, scheme: String? = nil,
                httpHeaders: [HTTPHeader]? = nil) {
        self.port = port
        self.path = path
        self.host = host
        self.scheme = scheme
        self.httpHeaders = httpHeaders
    }
}

/// `core/v1` HTTPHeader.
public struct HTTPHeader: Codable, Sendable, Hashable {
    public var name: String
    public var value: String

    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }
}

/// `core/v1` TCPSocketAction.
public struct TCPSocketAction: Codable, Sendable, Hashable {
    public var port: IntOrString
    public var host: String?

    public init(port: IntOrString, host: String? = nil) {
        self.port = port
        self.host = host
    }
}

/// `core/v1` GRPCAction.
public struct GRPCAction: Codable, Sendable, Hashable {
    public var port: Int32
    public var service: String?

    public init(port: Int32, service: String? = nil) {
        self.port = port
        self.service = service
    }
}

/// `core/v1` Lifecycle: hooks run after a container starts and before it stops.
public struct Lifecycle: Codable, Sendable, Hashable {
    public var postStart: LifecycleHandler?
    public var preStop: LifecycleHandler?
    public var stopSignal: String?

    public init(postStart: LifecycleHandler? = nil, preStop: LifecycleHandler? = nil, stopSignal: String? = nil) {
        self.postStart = postStart
        self.preStop = preStop
        self.stopSignal = stopSignal
    }
}

/// `core/v1` LifecycleHandler: one of `exec`, `httpGet`, `tcpSocket` or `sleep`.
public struct LifecycleHandler: Codable, Sendable, Hashable {
    public var exec: ExecAction?
    public var httpGet: HTTPGetAction?
    public var tcpSocket: TCPSocketAction?
    public var sleep: SleepAction?

    public init(exec: ExecAction? = nil, httpGet: HTTPGetAction? = nil, tcpSocket: TCPSocketAction? = nil,
                sleep: SleepAction? = nil) {
        self.exec = exec
        self.httpGet = httpGet
        self.tcpSocket = tcpSocket
        self.sleep = sleep
    }
}

/// `core/v1` SleepAction.
public struct SleepAction: Codable, Sendable, Hashable {
    public var seconds: Int64

    public init(seconds: Int64) { self.seconds = seconds }
}

/// `core/v1` SecurityContext of a container.
public struct SecurityContext: Codable, Sendable, Hashable {
    public var capabilities: Capabilities?
    public var privileged: Bool?
    public var seLinuxOptions: JSONValue?
    public var windowsOptions: JSONValue?
    public var runAsUser: Int64?
    public var runAsGroup: Int64?
    public var runAsNonRoot: Bool?
    public var readOnlyRootFilesystem: Bool?
    public var allowPrivilegeEscalation: Bool?
    /// `Default` or `Unmasked`.
    public var procMount: String?
    public var seccompProfile: SeccompProfile?
    public var appArmorProfile: AppArmorProfile?

    public init(
        capabilities: Capabilities? = nil, privileged: Bool? = nil, runAsUser: Int64? = nil,
        runAsGroup: Int64? = nil, runAsNonRoot: Bool? = nil, readOnlyRootFilesystem: Bool? = nil,
        allowPrivilegeEscalation: Bool? = nil, seccompProfile: SeccompProfile? = nil
    ) {
        self.capabilities = capabilities
        self.privileged = privileged
        self.runAsUser = runAsUser
        self.runAsGroup = runAsGroup
        self.runAsNonRoot = runAsNonRoot
        self.readOnlyRootFilesystem = readOnlyRootFilesystem
        self.allowPrivilegeEscalation = allowPrivilegeEscalation
        self.seccompProfile = seccompProfile
    }
}

/// `core/v1` PodSecurityContext: security settings for every container of a pod.
public struct PodSecurityContext: Codable, Sendable, Hashable {
    public var seLinuxOptions: JSONValue?
    public var windowsOptions: JSONValue?
    public var runAsUser: Int64?
    public var runAsGroup: Int64?
    public var runAsNonRoot: Bool?
    public var supplementalGroups: [Int64]?
    /// `Merge` or `Strict`.
    public var supplementalGroupsPolicy: String?
    public var fsGroup: Int64?
    public var sysctls: [Sysctl]?
    /// `OnRootMismatch` or `Always`.
    public var fsGroupChangePolicy: String?
    public var seccompProfile: SeccompProfile?
    public var appArmorProfile: AppArmorProfile?
    public var seLinuxChangePolicy: String?

    public init(
        runAsUser: Int64? = nil, runAsGroup: Int64? = nil, runAsNonRoot: Bool? = nil,
        supplementalGroups: [Int64]? = nil, fsGroup: Int64? = nil, seccompProfile: SeccompProfile? = nil
    ) {
        self.runAsUser = runAsUser
        self.runAsGroup = runAsGroup
        self.runAsNonRoot = runAsNonRoot
        self.supplementalGroups = supplementalGroups
        self.fsGroup = fsGroup
        self.seccompProfile = seccompProfile
    }
}

/// `core/v1` Capabilities: Linux capabilities to add and drop.
public struct Capabilities: Codable, Sendable, Hashable {
    public var add: [String]?
    public var drop: [String]?

    public init(add: [String]? = nil, drop: [String]? = nil) {
        self.add = add
        self.drop = drop
    }
}

/// `core/v1` SeccompProfile: `type` is `RuntimeDefault`, `Unconfined` or `Localhost`.
public struct SeccompProfile: Codable, Sendable, Hashable {
    public var type: String
    public var localhostProfile: String?

    public init(type: String, localhostProfile: String? = nil) {
        self.type = type
        self.localhostProfile = localhostProfile
    }
}

/// `core/v1` AppArmorProfile: `type` is `RuntimeDefault`, `Unconfined` or `Localhost`.
public struct AppArmorProfile: Codable, Sendable, Hashable {
    public var type: String
    public var localhostProfile: String?

    public init(type: String, localhostProfile: String? = nil) {
        self.type = type
        self.localhostProfile = localhostProfile
    }
}

/// `core/v1` Sysctl.
public struct Sysctl: Codable, Sendable, Hashable {
    public var name: String
    public var value: String

    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }
}

/// `core/v1` Toleration: lets a pod schedule onto nodes with a matching taint.
public struct Toleration: Codable, Sendable, Hashable {
    public var key: String?
    /// `Exists` or `Equal` (the default).
    public var `operator`: String?
    public var value: String?
    /// `NoSchedule`, `PreferNoSchedule` or `NoExecute`.
    public var effect: String?
    public var tolerationSeconds: Int64?

    public init(key: String? = nil, operator: String? = nil, value: String? = nil, effect: String? = nil,
                tolerationSeconds: Int64? = nil) {
        self.key = key
        self.operator = `operator`
        self.value = value
        self.effect = effect
        self.tolerationSeconds = tolerationSeconds
    }
}

/// `core/v1` HostAlias: an `/etc/hosts` entry.
public struct HostAlias: Codable, Sendable, Hashable {
    public var ip: String
    public var hostnames: [String]?

    public init(ip: String, hostnames: [String]? = nil) {
        self.ip = ip
        self.hostnames = hostnames
    }
}

/// `core/v1` PodReadinessGate.
public struct PodReadinessGate: Codable, Sendable, Hashable {
    public var conditionType: String

    public init(conditionType: String) { self.conditionType = conditionType }
}

/// `core/v1` PodOS: `linux` or `windows`.
public struct PodOS: Codable, Sendable, Hashable {
    public var name: String

    public init(name: String) { self.name = name }
}

/// `core/v1` PodSchedulingGate.
public struct PodSchedulingGate: Codable, Sendable, Hashable {
    public var name: String

    public init(name: String) { self.name = name }
}

/// `core/v1` Volume: a name and one volume source. Sources not modeled here are dropped when decoding.
public struct Volume: Codable, Sendable, Hashable {
    public var name: String
    public var hostPath: HostPathVolumeSource?
    public var emptyDir: EmptyDirVolumeSource?
    public var secret: SecretVolumeSource?
    public var nfs: NFSVolumeSource?
    public var persistentVolumeClaim: PersistentVolumeClaimVolumeSource?
    public var downwardAPI: DownwardAPIVolumeSource?
    public var configMap: ConfigMapVolumeSource?
    public var csi: CSIVolumeSource?
    /// A generic ephemeral volume (an inline PVC template); kept unstructured.
    public var ephemeral: JSONValue?
    public var projected: ProjectedVolumeSource?
    public var image: ImageVolumeSource?

    public init(
        name: String, emptyDir: EmptyDirVolumeSource? = nil, configMap: ConfigMapVolumeSource? = nil,
        secret: SecretVolumeSource? = nil, persistentVolumeClaim: PersistentVolumeClaimVolumeSource? = nil,
        hostPath: HostPathVolumeSource? = nil, projected: ProjectedVolumeSource? = nil,
        downwardAPI: DownwardAPIVolumeSource? = nil, csi: CSIVolumeSource? = nil
    ) {
        self.name = name
        self.emptyDir = emptyDir
        self.configMap = configMap
        self.secret = secret
        self.persistentVolumeClaim = persistentVolumeClaim
        self.hostPath = hostPath
        self.projected = projected
        self.downwardAPI = downwardAPI
        self.csi = csi
    }
}

/// `core/v1` EmptyDirVolumeSource: `medium` is `""` (node disk) or `Memory`.
public struct EmptyDirVolumeSource: Codable, Sendable, Hashable {
    public var medium: String?
    public var sizeLimit: Quantity?

    public init(medium: String? = nil, sizeLimit: Quantity? = nil) {
        self.medium = medium
        self.sizeLimit = sizeLimit
    }
}

/// `core/v1` HostPathVolumeSource.
public struct HostPathVolumeSource: Codable, Sendable, Hashable {
    public var path: String
    public var type: String?

    public init(path: String, type: String? = nil) {
        self.path = path
        self.type = type
    }
}

/// `core/v1` KeyToPath: which key of a ConfigMap or Secret goes to which file.
public struct KeyToPath: Codable, Sendable, Hashable {
    public var key: String
    public var path: String
    public var mode: Int32?

    public init(key: String, path: String, mode: Int32? = nil) {
        self.key = key
        self.path = path
        self.mode = mode
    }
}

/// `core/v1` ConfigMapVolumeSource.
public struct ConfigMapVolumeSource: Codable, Sendable, Hashable {
    public var name: String?
    public var items: [KeyToPath]?
    public var defaultMode: Int32?
    public var optional: Bool?

    public init(name: String? = nil, items: [KeyToPath]? = nil, defaultMode: Int32? = nil, optional: Bool? = nil) {
        self.name = name
        self.items = items
        self.defaultMode = defaultMode
        self.optional = optional
    }
}

/// `core/v1` SecretVolumeSource.
public struct SecretVolumeSource: Codable, Sendable, Hashable {
    public var secretName: String?
    public var items: [KeyToPath]?
    public var defaultMode: Int32?
    public var optional: Bool?

    public init(secretName: String? = nil, items: [KeyToPath]? = nil, defaultMode: Int32? = nil, optional: Bool? = nil) {
        self.secretName = secretName
        self.items = items
        self.defaultMode = defaultMode
        self.optional = optional
    }
}

/// `core/v1` NFSVolumeSource.
public struct NFSVolumeSource: Codable, Sendable, Hashable {
    public var server: String
    public var path: String
    public var readOnly: Bool?

    public init(server: String, path: String, readOnly: Bool? = nil) {
        self.server = server
        self.path = path
        self.readOnly = readOnly
    }
}

/// `core/v1` PersistentVolumeClaimVolumeSource.
public struct PersistentVolumeClaimVolumeSource: Codable, Sendable, Hashable {
    public var claimName: String
    public var readOnly: Bool?

    public init(claimName: String, readOnly: Bool? = nil) {
        self.claimName = claimName
        self.readOnly = readOnly
    }
}

/// `core/v1` DownwardAPIVolumeSource.
public struct DownwardAPIVolumeSource: Codable, Sendable, Hashable {
    public var items: [DownwardAPIVolumeFile]?
    public var defaultMode: Int32?

    public init(items: [DownwardAPIVolumeFile]? = nil, defaultMode: Int32? = nil) {
        self.items = items
        self.defaultMode = defaultMode
    }
}

/// `core/v1` DownwardAPIVolumeFile: a pod field or container resource written to `path`.
public struct DownwardAPIVolumeFile: Codable, Sendable, Hashable {
    public var path: String
    public var fieldRef: ObjectFieldSelector?
    public var resourceFieldRef: ResourceFieldSelector?
    public var mode: Int32?

    public init(path: String, fieldRef: ObjectFieldSelector? = nil, resourceFieldRef: ResourceFieldSelector? = nil,
                mode: Int32? = nil) {
        self.path = path
        self.fieldRef = fieldRef
        self.resourceFieldRef = resourceFieldRef
        self.mode = mode
    }
}

/// `core/v1` CSIVolumeSource: an inline CSI volume.
public struct CSIVolumeSource: Codable, Sendable, Hashable {
    public var driver: String
    public var readOnly: Bool?
    public var fsType: String?
    public var volumeAttributes: [String: String]?
    public var nodePublishSecretRef: LocalObjectReference?

    public init(driver: String, readOnly: Bool? = nil, fsType: String? = nil, volumeAttributes: [String: String]? = nil,
                nodePublishSecretRef: LocalObjectReference? = nil) {
        self.driver = driver
        self.readOnly = readOnly
        self.fsType = fsType
        self.volumeAttributes = volumeAttributes
        self.nodePublishSecretRef = nodePublishSecretRef
    }
}

/// `core/v1` ImageVolumeSource: an OCI image mounted read-only.
public struct ImageVolumeSource: Codable, Sendable, Hashable {
    public var reference: String?
    public var pullPolicy: String?

    public init(reference: String? = nil, pullPolicy: String? = nil) {
        self.reference = reference
        self.pullPolicy = pullPolicy
    }
}

/// `core/v1` ProjectedVolumeSource: several sources in one directory. Every pod with an automounted
/// service-account token has one (`kube-api-access-…`).
public struct ProjectedVolumeSource: Codable, Sendable, Hashable {
    public var sources: [VolumeProjection]?
    public var defaultMode: Int32?

    public init(sources: [VolumeProjection]? = nil, defaultMode: Int32? = nil) {
        self.sources = sources
        self.defaultMode = defaultMode
    }
}

/// `core/v1` VolumeProjection: one source of a projected volume.
public struct VolumeProjection: Codable, Sendable, Hashable {
    public var secret: SecretProjection?
    public var downwardAPI: DownwardAPIProjection?
    public var configMap: ConfigMapProjection?
    public var serviceAccountToken: ServiceAccountTokenProjection?
    /// Kept unstructured.
    public var clusterTrustBundle: JSONValue?
    /// Kept unstructured.
    public var podCertificate: JSONValue?

    public init(secret: SecretProjection? = nil, downwardAPI: DownwardAPIProjection? = nil,
                configMap: ConfigMapProjection? = nil, serviceAccountToken: ServiceAccountTokenProjection? = nil) {
        self.secret = secret
        self.downwardAPI = downwardAPI
        self.configMap = configMap
        self.serviceAccountToken = serviceAccountToken
    }
}

/// `core/v1` SecretProjection.
public struct SecretProjection: Codable, Sendable, Hashable {
    public var name: String?
    public var items: [KeyToPath]?
    public var optional: Bool?

    public init(name: String? = nil, items: [KeyToPath]? = nil, optional: Bool? = nil) {
        self.name = name
        self.items = items
        self.optional = optional
    }
}

/// `core/v1` ConfigMapProjection.
public struct ConfigMapProjection: Codable, Sendable, Hashable {
    public var name: String?
    public var items: [KeyToPath]?
    public var optional: Bool?

    public init(name: String? = nil, items: [KeyToPath]? = nil, optional: Bool? = nil) {
        self.name = name
        self.items = items
        self.optional = optional
    }
}

/// `core/v1` DownwardAPIProjection.
public struct DownwardAPIProjection: Codable, Sendable, Hashable {
    public var items: [DownwardAPIVolumeFile]?

    public init(items: [DownwardAPIVolumeFile]? = nil) { self.items = items }
}

/// `core/v1` ServiceAccountTokenProjection: a bound token for `audience`, rotated by the kubelet.
public struct ServiceAccountTokenProjection: Codable, Sendable, Hashable {
    public var audience: String?
    public var expirationSeconds: Int64?
    public var path: String

    public init(path: String, audience: String? = nil, expirationSeconds: Int64? = nil) {
        self.path = path
        self.audience = audience
        self.expirationSeconds = expirationSeconds
    }
}

/// `core/v1` PodStatus.
public struct PodStatus: Codable, Sendable, Hashable {
    public var observedGeneration: Int64?
    /// `Pending`, `Running`, `Succeeded`, `Failed` or `Unknown`.
    public var phase: String?
    public var conditions: [PodCondition]?
    public var message: String?
    public var reason: String?
    public var nominatedNodeName: String?
    public var hostIP: String?
    public var hostIPs: [HostIP]?
    public var podIP: String?
    public var podIPs: [PodIP]?
    public var startTime: KubeTime?
    public var initContainerStatuses: [ContainerStatus]?
    public var containerStatuses: [ContainerStatus]?
    public var ephemeralContainerStatuses: [ContainerStatus]?
    /// `Guaranteed`, `Burstable` or `BestEffort`.
    public var qosClass: String?
    public var resize: String?
    /// Kept unstructured.
    public var resourceClaimStatuses: [JSONValue]?

    public init(
        phase: String? = nil, conditions: [PodCondition]? = nil, message: String? = nil, reason: String? = nil,
        hostIP: String? = nil, podIP: String? = nil, startTime: KubeTime? = nil,
        containerStatuses: [ContainerStatus]? = nil, qosClass: String? = nil, observedGeneration: Int64? = nil
    ) {
        self.phase = phase
        self.conditions = conditions
        self.message = message
        self.reason = reason
        self.hostIP = hostIP
        self.podIP = podIP
        self.startTime = startTime
        self.containerStatuses = containerStatuses
        self.qosClass = qosClass
        self.observedGeneration = observedGeneration
    }
}

/// `core/v1` PodCondition (`PodScheduled`, `Initialized`, `ContainersReady`, `Ready`, …).
/// The server writes `lastProbeTime: null`; see ``ExplicitNull``.
public struct PodCondition: Codable, Sendable, Hashable {
    public var type: String
    public var observedGeneration: Int64?
    /// "True", "False" or "Unknown".
    public var status: String
    @ExplicitNull public var lastProbeTime: KubeTime?
    public var lastTransitionTime: KubeTime?
    public var reason: String?
    public var message: String?

    public init(type: String, status: String, lastProbeTime: KubeTime? = nil, lastTransitionTime: KubeTime? = nil,
                reason: String? = nil, message: String? = nil, observedGeneration: Int64? = nil) {
        self.type = type
        self.status = status
        self.lastProbeTime = lastProbeTime
        self.lastTransitionTime = lastTransitionTime
        self.reason = reason
        self.message = message
        self.observedGeneration = observedGeneration
    }
}

/// `core/v1` HostIP.
public struct HostIP: Codable, Sendable, Hashable {
    public var ip: String

    public init(ip: String) { self.ip = ip }
}

/// `core/v1` PodIP.
public struct PodIP: Codable, Sendable, Hashable {
    public var ip: String

    public init(ip: String) { self.ip = ip }
}

/// `core/v1` ContainerStatus.
public struct ContainerStatus: Codable, Sendable, Hashable {
    public var name: String
    public var state: ContainerState?
    public var lastState: ContainerState?
    public var ready: Bool
    public var restartCount: Int32
    public var image: String
    public var imageID: String
    public var containerID: String?
    public var started: Bool?
    public var allocatedResources: [String: Quantity]?
    public var resources: ResourceRequirements?
    /// Kept unstructured.
    public var volumeMounts: [JSONValue]?
    /// Kept unstructured.
    public var user: JSONValue?
    /// Kept unstructured.
    public var allocatedResourcesStatus: [JSONValue]?
    public var stopSignal: String?

    public init(name: String, ready: Bool, restartCount: Int32 = 0, image: String, imageID: String = "",
                state: ContainerState? = nil, lastState: ContainerState? = nil, containerID: String? = nil,
                started: Bool? = nil) {
        self.name = name
        self.ready = ready
        self.restartCount = restartCount
        self.image = image
        self.imageID = imageID
        self.state = state
        self.lastState = lastState
        self.containerID = containerID
        self.started = started
    }
}

/// `core/v1` ContainerState: at most one of `waiting`, `running` and `terminated` is set.
public struct ContainerState: Codable, Sendable, Hashable {
    public var waiting: ContainerStateWaiting?
    public var running: ContainerStateRunning?
    public var terminated: ContainerStateTerminated?

    public init(waiting: ContainerStateWaiting? = nil, running: ContainerStateRunning? = nil,
                terminated: ContainerStateTerminated? = nil) {
        self.waiting = waiting
        self.running = running
        self.terminated = terminated
    }
}

/// `core/v1` ContainerStateWaiting, e.g. reason `ContainerCreating` or `CrashLoopBackOff`.
public struct ContainerStateWaiting: Codable, Sendable, Hashable {
    public var reason: String?
    public var message: String?

    public init(reason: String? = nil, message: String? = nil) {
        self.reason = reason
        self.message = message
    }
}

/// `core/v1` ContainerStateRunning.
public struct ContainerStateRunning: Codable, Sendable, Hashable {
    public var startedAt: KubeTime?

    public init(startedAt: KubeTime? = nil) { self.startedAt = startedAt }
}

/// `core/v1` ContainerStateTerminated.
public struct ContainerStateTerminated: Codable, Sendable, Hashable {
    public var exitCode: Int32
    public var signal: Int32?
    public var reason: String?
    public var message: String?
    public var startedAt: KubeTime?
    public var finishedAt: KubeTime?
    public var containerID: String?

    public init(exitCode: Int32, signal: Int32? = nil, reason: String? = nil, message: String? = nil,
                startedAt: KubeTime? = nil, finishedAt: KubeTime? = nil, containerID: String? = nil) {
        self.exitCode = exitCode
        self.signal = signal
        self.reason = reason
        self.message = message
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.containerID = containerID
    }
}
