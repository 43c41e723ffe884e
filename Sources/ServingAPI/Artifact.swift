import KubeModel

extension V1Alpha1 {
    /// A model (or dataset) location that configurations bind to template artifacts.
    public struct Artifact: KubernetesResource, Hashable {
        public static let apiVersion = V1Alpha1.apiVersion
        public static let kind = "Artifact"
        public static let resource = "artifacts"
        public static let isNamespaced = true

        public var apiVersion: String?
        public var kind: String?
        @DefaultIfAbsent public var metadata: ObjectMeta
        public var spec: ArtifactSpec

        public init(metadata: ObjectMeta = ObjectMeta(), spec: ArtifactSpec) {
            self.apiVersion = Self.apiVersion
            self.kind = Self.kind
            self.metadata = metadata
            self.spec = spec
        }
    }

    public enum ArtifactKind: String, Codable, Sendable, Hashable, CaseIterable {
        case model, dataset, resultset, other
    }

    public struct ArtifactSpec: Codable, Sendable, Hashable {
        public var name: String
        public var kind: ArtifactKind
        /// `ai://<objectStoreSecret>/<path>`, `s3://`, `hf://org/name[@rev]`, `https://`, `pvc://` or `file://`.
        public var url: String
        public var scenarioId: String?
        public var description: String?
        public var labels: [KeyValue]?

        public init(name: String, kind: ArtifactKind = .model, url: String, scenarioId: String? = nil,
                    description: String? = nil, labels: [KeyValue]? = nil) {
            self.name = name
            self.kind = kind
            self.url = url
            self.scenarioId = scenarioId
            self.description = description
            self.labels = labels
        }
    }
}
