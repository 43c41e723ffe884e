import KubeModel

extension V1Alpha1 {
    /// A named size for a workload: CPU, memory, GPUs, and where it may run (AI Core's resource plans).
    public struct ResourcePlan: KubernetesResource, Hashable {
        public static let apiVersion = V1Alpha1.apiVersion
        public static let kind = "ResourcePlan"
        public static let resource = "resourceplans"
        public static let isNamespaced = false

        public var apiVersion: String?
        public var kind: String?
        @DefaultIfAbsent public var metadata: ObjectMeta
        public var spec: ResourcePlanSpec

        public init(metadata: ObjectMeta = ObjectMeta(), spec: ResourcePlanSpec) {
            self.apiVersion = Self.apiVersion
            self.kind = Self.kind
            self.metadata = metadata
            self.spec = spec
        }
    }

    public struct ResourcePlanSpec: Codable, Sendable, Hashable {
        /// CPU request and limit, a Kubernetes quantity (`"3"`, `"500m"`).
        public var cpu: String
        /// Memory request and limit, a Kubernetes quantity (`"14Gi"`).
        public var memory: String
        /// GPUs per replica (0 for CPU plans).
        public var gpu: Int32?
        /// The extended resource GPUs are requested as; `nvidia.com/gpu` by default.
        public var gpuResource: String?
        public var nodeSelector: [String: String]?
        public var tolerations: [Toleration]?
        public var description: String?

        public init(cpu: String, memory: String, gpu: Int32? = nil, gpuResource: String? = nil,
                    nodeSelector: [String: String]? = nil, tolerations: [Toleration]? = nil, description: String? = nil) {
            self.cpu = cpu
            self.memory = memory
            self.gpu = gpu
            self.gpuResource = gpuResource
            self.nodeSelector = nodeSelector
            self.tolerations = tolerations
            self.description = description
        }

        public static let defaultGPUResource = "nvidia.com/gpu"
        public var effectiveGPUResource: String { gpuResource ?? Self.defaultGPUResource }
    }
}
