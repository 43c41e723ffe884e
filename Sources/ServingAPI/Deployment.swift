import KubeModel

extension V1Alpha1 {
    /// A running (or stopped) instance of a Configuration, with AI Core's statuses.
    public struct Deployment: KubernetesResource, Hashable {
        public static let apiVersion = V1Alpha1.apiVersion
        public static let kind = "Deployment"
        public static let resource = "deployments"
        public static let isNamespaced = true

        public var apiVersion: String?
        public var kind: String?
        @DefaultIfAbsent public var metadata: ObjectMeta
        public var spec: DeploymentSpec
        public var status: DeploymentStatus?

        public init(metadata: ObjectMeta = ObjectMeta(), spec: DeploymentSpec, status: DeploymentStatus? = nil) {
            self.apiVersion = Self.apiVersion
            self.kind = Self.kind
            self.metadata = metadata
            self.spec = spec
            self.status = status
        }
    }

    public enum TargetStatus: String, Codable, Sendable, Hashable, CaseIterable {
        case running = "RUNNING"
        case stopped = "STOPPED"
        case deleted = "DELETED"
    }

    /// AI Core's deployment statuses.
    public enum DeploymentPhase: String, Codable, Sendable, Hashable, CaseIterable {
        case unknown = "UNKNOWN"
        case pending = "PENDING"
        case running = "RUNNING"
        case completed = "COMPLETED"
        case dead = "DEAD"
        case stopping = "STOPPING"
        case stopped = "STOPPED"
    }

    public struct DeploymentSpec: Codable, Sendable, Hashable {
        public var configurationId: String
        /// Defaults to RUNNING.
        public var targetStatus: TargetStatus?
        /// Time to live, AI Core's form: a number and a unit, `m`, `h` or `d` (e.g. `30m`, `2h`, `1d`).
        public var ttl: String?

        public init(configurationId: String, targetStatus: TargetStatus? = .running, ttl: String? = nil) {
            self.configurationId = configurationId
            self.targetStatus = targetStatus
            self.ttl = ttl
        }
    }

    public struct DeploymentStatus: Codable, Sendable, Hashable {
        public var status: DeploymentPhase?
        public var statusMessage: String?
        public var deploymentUrl: String?
        public var latestRunningConfigurationId: String?
        public var submissionTime: KubeTime?
        public var startTime: KubeTime?
        public var completionTime: KubeTime?
        /// Written by the gateway on each request; the idle controller reads it.
        public var lastActivityTime: KubeTime?
        public var replicas: Int32?
        public var conditions: [Condition]?
        public var observedGeneration: Int64?

        public init(
            status: DeploymentPhase? = nil, statusMessage: String? = nil, deploymentUrl: String? = nil,
            latestRunningConfigurationId: String? = nil, submissionTime: KubeTime? = nil, startTime: KubeTime? = nil,
            completionTime: KubeTime? = nil, lastActivityTime: KubeTime? = nil, replicas: Int32? = nil,
            conditions: [Condition]? = nil, observedGeneration: Int64? = nil
        ) {
            self.status = status
            self.statusMessage = statusMessage
            self.deploymentUrl = deploymentUrl
            self.latestRunningConfigurationId = latestRunningConfigurationId
            self.submissionTime = submissionTime
            self.startTime = startTime
            self.completionTime = completionTime
            self.lastActivityTime = lastActivityTime
            self.replicas = replicas
            self.conditions = conditions
            self.observedGeneration = observedGeneration
        }
    }
}
